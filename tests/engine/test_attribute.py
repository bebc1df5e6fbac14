"""Attribution of events to the parties' control areas, with ICD 203 wording and a reason."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import numpy as np
import pytest
import shapely
from shapely.geometry import LineString, box

from truceline.domain import ControlArea, Event, EventKind, Party, Theatre
from truceline.engine.attribute import (
    attribute_events,
    covariance_from_ellipse,
    likelihood_words,
    with_attribution,
)
from truceline.geo.projection import LocalProjection

T = datetime(2026, 11, 22, 6, tzinfo=UTC)
# Two parties either side of the meridian 37 E, between 47.5 and 48.5 N.
THEATRE = Theatre(
    parties=(Party("UA", "Ukraine"), Party("RU", "Russia")),
    control_areas=(
        ControlArea("UA", box(36.0, 47.5, 37.0, 48.5)),
        ControlArea("RU", box(37.0, 47.5, 38.0, 48.5)),
    ),
    contact_line=LineString([(37.0, 47.5), (37.0, 48.5)]),
)
M_PER_DEG_LON = 74_600.0  # at 48 N


def _event(offset_m: float, major: float, minor: float = 0.0, azimuth: float = 90.0) -> Event:
    return Event(
        f"EV-{offset_m:+.0f}-{major:.0f}",
        T,
        37.0 + offset_m / M_PER_DEG_LON,
        48.0,
        EventKind.LAUNCH,
        n_sensors=7,
        err_major_m=major,
        err_minor_m=minor or major,
        err_azimuth_deg=azimuth,
    )


def test_far_behind_the_line_is_almost_certainly_that_party() -> None:
    (a,) = attribute_events([_event(-5000.0, 100.0)], THEATRE)
    assert a.party == "UA" and a.attributed
    assert a.p_party == pytest.approx(1.0)
    assert "almost certainly in UA-controlled" in a.wording


def test_on_the_line_it_is_an_even_chance_and_not_attributable() -> None:
    (a,) = attribute_events([_event(0.0, 500.0)], THEATRE)
    assert a.p_by_party["UA"] == pytest.approx(0.5, abs=0.01)
    assert a.p_by_party["RU"] == pytest.approx(0.5, abs=0.01)
    assert not a.attributed
    assert a.wording.startswith("Not attributable")


def test_one_sigma_across_the_line_gives_the_normal_tail() -> None:
    # 1 sigma east of the line, the ellipse's major axis pointing east: P(UA) = Phi(-1).
    (a,) = attribute_events([_event(300.0, 300.0, 50.0, azimuth=90.0)], THEATRE)
    assert a.p_by_party["UA"] == pytest.approx(0.1587, abs=0.01)
    # The same offset with the long axis along the line: far more certain.
    (b,) = attribute_events([_event(300.0, 300.0, 50.0, azimuth=0.0)], THEATRE)
    assert b.p_by_party["RU"] > 0.999


def test_threshold_is_configurable_and_reason_is_machine_readable() -> None:
    event = _event(400.0, 300.0)  # P(RU) ~ 0.91
    (strict,) = attribute_events([event], THEATRE, threshold=0.95)
    (lenient,) = attribute_events([event], THEATRE, threshold=0.8)
    assert not strict.attributed and lenient.attributed and lenient.party == "RU"
    reason = json.loads(lenient.reason)
    assert reason["sources"]["sensors"] == 7
    assert reason["distance_to_line_m"] == pytest.approx(400.0, abs=5.0)
    assert set(reason["p"]) == {"UA", "RU"} and reason["threshold"] == 0.8


def test_outside_every_area_names_no_party() -> None:
    event = Event("EV-far", T, 40.0, 48.0, EventKind.LAUNCH, 5, 50.0, 50.0, 0.0)
    (a,) = attribute_events([event], THEATRE)
    assert a.party is None and not a.attributed
    assert "outside every party" in a.wording


def test_launches_name_the_responsible_party_impacts_wait_for_pairing() -> None:
    launch = _event(-3000.0, 100.0)
    impact = Event("EV-impact", T, 36.96, 48.0, EventKind.IMPACT, 6, 100.0, 100.0, 0.0)
    out = with_attribution([launch, impact], attribute_events([launch, impact], THEATRE))
    assert out[0].responsible_party == "UA" and out[0].party_control == "UA"
    assert out[1].party_control == "UA" and out[1].responsible_party is None


def test_agrees_with_monte_carlo_for_a_rotated_ellipse() -> None:
    event = _event(200.0, 400.0, 100.0, azimuth=60.0)
    (a,) = attribute_events([event], THEATRE)
    projection = LocalProjection(37.0, 48.0)
    x, y = projection.forward(event.lon, event.lat)
    cov = covariance_from_ellipse(400.0, 100.0, 60.0)
    xy = np.random.default_rng(1).multivariate_normal([float(x), float(y)], cov, 400_000)
    lon, lat = projection.inverse(xy[:, 0], xy[:, 1])
    p_ua = shapely.contains_xy(THEATRE.control_areas[0].geometry, lon, lat).mean()
    assert a.p_by_party["UA"] == pytest.approx(p_ua, abs=0.003)


@pytest.mark.parametrize(
    ("p", "words"),
    [
        (0.01, "almost no chance"),
        (0.5, "roughly even chance"),
        (0.7, "likely"),
        (0.9, "very likely"),
    ],
)
def test_icd203_words(p: float, words: str) -> None:
    assert likelihood_words(p) == words
