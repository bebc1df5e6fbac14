"""Attribution: the probability that an event's origin lies in each party's control area.

The position estimate is a Gaussian (the event's one-sigma error ellipse); its mass inside each
control area is integrated exactly (:mod:`truceline.geo.gaussian_polygon`) in a metric
projection centred on the theatre. The origin is attributed to the most probable party when
that probability reaches the threshold; below it the event is "not attributable". The wording
follows the ICD 203 scale of estimative language, and every attribution carries a short
machine-readable reason: which sources, which geometry.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import NDArray
from shapely.ops import unary_union

from truceline.domain import Event, Theatre
from truceline.geo.gaussian_polygon import p_in_polygon
from truceline.geo.lines import distance_to_line_m
from truceline.geo.projection import LocalProjection

FloatArray = NDArray[np.float64]
ATTRIBUTION_THRESHOLD = 0.9  # "very likely" or better before a party is named
UNKNOWN_ERROR_M = 5000.0  # one-sigma radius assumed for an event that has no ellipse

# ICD 203 (2015), "expressions of likelihood": upper bounds of each band.
ICD203_SCALE: tuple[tuple[float, str], ...] = (
    (0.05, "almost no chance"),
    (0.20, "very unlikely"),
    (0.45, "unlikely"),
    (0.55, "roughly even chance"),
    (0.80, "likely"),
    (0.95, "very likely"),
    (1.00, "almost certainly"),
)


@dataclass(frozen=True)
class Attribution:
    """Where an event's origin lies, how sure we are, and why."""

    event_id: str
    p_by_party: dict[str, float]  # mass of the position estimate in each party's area
    party: str | None  # the most probable party (None outside every area)
    p_party: float
    attributed: bool  # p_party reached the threshold
    wording: str  # ICD 203 sentence
    reason: str  # compact JSON: sources and geometry


def likelihood_words(p: float) -> str:
    """The ICD 203 expression for a probability.

    >>> likelihood_words(0.97)
    'almost certainly'
    """
    for upper, words in ICD203_SCALE:
        if p <= upper:
            return words
    return ICD203_SCALE[-1][1]


def covariance_from_ellipse(major_m: float, minor_m: float, azimuth_deg: float) -> FloatArray:
    """East-north covariance (m^2) of a one-sigma ellipse; azimuth of the major axis from north.

    >>> covariance_from_ellipse(2.0, 1.0, 90.0).round(6).tolist()
    [[4.0, 0.0], [0.0, 1.0]]
    """
    az = math.radians(azimuth_deg)
    major = np.array([math.sin(az), math.cos(az)])
    minor = np.array([math.cos(az), -math.sin(az)])
    return np.asarray(
        major_m**2 * np.outer(major, major) + minor_m**2 * np.outer(minor, minor),
        dtype=np.float64,
    )


def attribute_events(
    events: Sequence[Event], theatre: Theatre, threshold: float = ATTRIBUTION_THRESHOLD
) -> list[Attribution]:
    """Attribute every event to the parties' control areas of the theatre (one Attribution
    per event, in order)."""
    if not events:
        return []
    projection = LocalProjection.centred_on_geometry(
        unary_union([a.geometry for a in theatre.control_areas])
    )
    x, y = projection.forward([e.lon for e in events], [e.lat for e in events])
    means = np.stack([x, y], axis=1)
    covs = np.stack([_covariance(e) for e in events])
    p_by_party: dict[str, FloatArray] = {}
    for area in theatre.control_areas:
        p = p_in_polygon(means, covs, projection.to_metric(area.geometry))
        p_by_party[area.party] = p_by_party.get(area.party, np.zeros(len(events))) + p
    distance = (
        distance_to_line_m(theatre, [e.lon for e in events], [e.lat for e in events])
        if theatre.contact_line is not None
        else np.full(len(events), np.nan)
    )
    return [
        _attribution(e, {k: float(v[i]) for k, v in p_by_party.items()}, distance[i], threshold)
        for i, e in enumerate(events)
    ]


def with_attribution(events: Sequence[Event], attributions: Sequence[Attribution]) -> list[Event]:
    """Events with their control-area columns filled (launches also name the responsible
    party; impacts get theirs through pairing)."""
    out = []
    for event, a in zip(events, attributions, strict=True):
        responsible = a.party if a.attributed and event.kind.value == "launch" else None
        out.append(
            replace(
                event,
                party_control=a.party,
                p_control=round(a.p_party, 4),
                responsible_party=responsible,
                p_responsible=round(a.p_party, 4) if responsible else None,
            )
        )
    return out


def _covariance(event: Event) -> FloatArray:
    if event.err_major_m is None or event.err_minor_m is None:
        return np.eye(2) * UNKNOWN_ERROR_M**2
    major = max(event.err_major_m, 0.01)
    minor = max(event.err_minor_m, 0.01)
    return covariance_from_ellipse(major, minor, event.err_azimuth_deg or 0.0)


def _attribution(
    event: Event, p_by_party: dict[str, float], distance_m: float, threshold: float
) -> Attribution:
    party, p = max(p_by_party.items(), key=lambda kv: kv[1]) if p_by_party else (None, 0.0)
    if p <= 0.0:
        party = None
    attributed = party is not None and p >= threshold
    if attributed:
        wording = f"The origin was {likelihood_words(p)} in {party}-controlled territory."
    elif party is None:
        wording = "Not attributable: the origin lies outside every party's control area."
    else:
        wording = (
            f"Not attributable: the origin was {likelihood_words(p)} in {party}-controlled "
            f"territory (p = {p:.2f}, below the threshold of {threshold:.2f})."
        )
    reason = json.dumps(
        {
            "sources": {"sensors": event.n_sensors, "reports": len(event.report_ids)},
            "ellipse_m": [event.err_major_m, event.err_minor_m, event.err_azimuth_deg],
            "distance_to_line_m": None if math.isnan(distance_m) else round(float(distance_m)),
            "p": {k: round(v, 4) for k, v in sorted(p_by_party.items())},
            "threshold": threshold,
        },
        separators=(",", ":"),
    )
    return Attribution(event.event_id, p_by_party, party, p, attributed, wording, reason)
