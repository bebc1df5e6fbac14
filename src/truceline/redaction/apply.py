"""Apply a redaction policy to the records that leave the mechanism (pure).

Every public output gathers its records and passes them through a :class:`Redactor` before
formatting them: positions of observers, sensors and their reports are coarsened or withheld,
identities are withheld or pseudonymised, free text is screened. An event's own position is
the mechanism's finding and stays as located (docs/source-protection.md explains why).
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

import numpy as np
from numpy.typing import ArrayLike, NDArray

from truceline.domain import (
    Activation,
    Case,
    Event,
    Finding,
    Remedy,
    Report,
    Sensor,
    SourceKind,
    Violation,
)
from truceline.domain.commission import CaseTransition
from truceline.redaction.policy import (
    Naming,
    Placement,
    PositionRule,
    Protected,
    RedactionPolicy,
)
from truceline.redaction.screen import WITHHELD, Screener

METRES_PER_DEGREE = 111_320.0  # of latitude (and of longitude on the equator)
COORDINATE_DECIMALS = 6  # grid centres are rounded so that they read back the same
SOURCE_LABELS = {
    SourceKind.MONITOR: "monitor team",
    SourceKind.UAV: "UAV",
    SourceKind.CAMERA: "camera",
    SourceKind.OSINT: "open source",
    SourceKind.PARTY: "party liaison",
}
STAFF_LABEL = "mechanism staff"


def coarsen_positions(
    lon: ArrayLike, lat: ArrayLike, grid_m: float
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Centres of the ``grid_m`` cells holding the positions (rows of latitude, each cut
    into cells ``grid_m`` wide at the row's centre).

    >>> lon, lat = coarsen_positions([37.5432, 37.5433], [48.1234, 48.1235], 5000.0)
    >>> [float(x) for x in lon], [float(y) for y in lat]
    ([37.514786, 37.514786], [48.127021, 48.127021])
    """
    lon_a = np.asarray(lon, dtype=np.float64)
    lat_a = np.asarray(lat, dtype=np.float64)
    step_lat = grid_m / METRES_PER_DEGREE
    centre_lat = np.clip((np.floor(lat_a / step_lat) + 0.5) * step_lat, -90.0, 90.0)
    shrink = np.maximum(np.cos(np.radians(centre_lat)), 1e-6)
    step_lon = grid_m / (METRES_PER_DEGREE * shrink)
    centre_lon = (np.floor(lon_a / step_lon) + 0.5) * step_lon
    return np.round(centre_lon, COORDINATE_DECIMALS), np.round(centre_lat, COORDINATE_DECIMALS)


def coarsen_position(lon: float, lat: float, grid_m: float) -> tuple[float, float]:
    """The centre of the ``grid_m`` cell holding one position (see :func:`coarsen_positions`)."""
    lons, lats = coarsen_positions([lon], [lat], grid_m)
    return float(lons[0]), float(lats[0])


def place(lon: float | None, lat: float | None, rule: PositionRule) -> tuple[float | None, ...]:
    """A position as ``rule`` publishes it: as is, its cell centre, or (None, None).

    >>> place(37.5, 48.1, PositionRule(Placement.WITHHOLD))
    (None, None)
    """
    if lon is None or lat is None or rule.placement == Placement.WITHHOLD:
        return None, None
    if rule.placement == Placement.COARSEN:
        return coarsen_position(lon, lat, rule.grid_m)
    return lon, lat


def pseudonym(identity: str, label: str, naming: Naming, key: str = "") -> str:
    """The name an identity is published under: itself, ``label <keyed hash>`` or ``label``.

    Without a key a pseudonym would be a plain hash of a guessable id, so it falls back to
    the label.

    >>> pseudonym("MT07", "monitor team", Naming.WITHHOLD)
    'monitor team'
    >>> pseudonym("MT07", "monitor team", Naming.PSEUDONYM, "k") == pseudonym(
    ...     "MT07", "monitor team", Naming.PSEUDONYM, "k")
    True
    """
    if naming == Naming.EXACT:
        return identity
    if naming == Naming.PSEUDONYM and key:
        digest = hmac.new(key.encode(), f"{label}|{identity}".encode(), hashlib.sha256)
        return f"{label} {digest.hexdigest()[:10]}"
    return label


def report_protection(report: Report) -> Protected:
    """How a report's own location is protected: a party's complaint, or a source's report."""
    return (
        Protected.COMPLAINT if report.source_kind == SourceKind.PARTY else Protected.SOURCE_REPORT
    )


@dataclass(frozen=True)
class Redactor:
    """One policy with its screener, applied record by record."""

    policy: RedactionPolicy
    names: frozenset[str] = frozenset()  # known names from the store (sensors, sources, users)
    screener: Screener = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "screener", Screener(self.names | self.policy.names))

    @property
    def is_exact(self) -> bool:
        return self.policy.is_exact

    def text(self, text: str, also: Iterable[str | None] = ()) -> str:
        """Free text screened (and ``also``, e.g. the record's own report id, withheld)."""
        if not self.policy.screen_text or not text:
            return text
        for word in also:
            if word:
                text = text.replace(word, WITHHELD)
        return self.screener.screen(text)

    def name(self, identity: str, label: str) -> str:
        return pseudonym(identity, label, self.policy.naming, self.policy.pseudonym_key)

    def sensor(self, sensor: Sensor) -> Sensor:
        """A sensor with its id and position as the policy publishes them (0, 0 if withheld)."""
        if self.is_exact:
            return sensor
        lon, lat = place(sensor.lon, sensor.lat, self.policy.rule(Protected.SENSOR))
        return replace(
            sensor, sensor_id=self.name(sensor.sensor_id, "sensor"), lon=lon or 0.0, lat=lat or 0.0
        )

    def report(self, report: Report) -> Report:
        """A report without its source's identity, observer position and bearing."""
        if self.is_exact:
            return report
        observer = self.policy.rule(Protected.OBSERVER)
        lon, lat = place(report.lon, report.lat, self.policy.rule(report_protection(report)))
        o_lon, o_lat = place(report.observer_lon, report.observer_lat, observer)
        hide_geometry = observer.placement != Placement.EXACT  # bearing + range point back
        return replace(
            report,
            report_id=self._report_id(report.report_id) or "report",
            source_id=self.name(report.source_id, SOURCE_LABELS[report.source_kind]),
            observer_lon=o_lon,
            observer_lat=o_lat,
            lon=lon,
            lat=lat,
            bearing_deg=None if hide_geometry else report.bearing_deg,
            bearing_sigma_deg=None if hide_geometry else report.bearing_sigma_deg,
            distance_min_m=None if hide_geometry else report.distance_min_m,
            distance_max_m=None if hide_geometry else report.distance_max_m,
            text=self.screener.screen_optional(report.text)
            if self.policy.screen_text
            else report.text,
        )

    def violation(self, violation: Violation, report: Report | None = None) -> Violation:
        """A violation; one resting on a report is placed as that report's location is.

        Without the report, the position is treated as an observer's (the rules fall back
        to where the observer stood when a report gives no location).
        """
        if self.is_exact:
            return violation
        lon, lat = violation.lon, violation.lat
        if violation.event_id is None:
            located = report is not None and report.lon is not None and report.lat is not None
            kind = report_protection(report) if located and report else Protected.OBSERVER
            lon, lat = place(lon, lat, self.policy.rule(kind))
        return replace(
            violation,
            report_id=self._report_id(violation.report_id),
            lon=lon,
            lat=lat,
            description=self.text(violation.description, (violation.report_id,)),
        )

    def event(self, event: Event) -> Event:
        """An event at its located position, without the arrival and report ids it rests on."""
        if self.is_exact:
            return event
        return replace(event, arrival_ids=(), report_ids=())

    def finding(self, finding: Finding) -> Finding:
        return finding if self.is_exact else replace(finding, dissent=self.text(finding.dissent))

    def activation(self, activation: Activation) -> Activation:
        if self.is_exact:
            return activation
        return replace(activation, reason=self.text(activation.reason))

    def case(self, case: Case) -> Case:
        return case if self.is_exact else replace(case, title=self.text(case.title))

    def remedy(self, remedy: Remedy) -> Remedy:
        return (
            remedy if self.is_exact else replace(remedy, description=self.text(remedy.description))
        )

    def transition(self, transition: CaseTransition, own: str | None = None) -> CaseTransition:
        """A case's step; who took it is named only when it is ``own`` (the reader)."""
        if self.is_exact:
            return transition
        actor = transition.actor if transition.actor == own else STAFF_LABEL
        return replace(transition, actor=actor, reason=self.text(transition.reason))

    def _report_id(self, report_id: str | None) -> str | None:
        if report_id is None or self.policy.naming == Naming.EXACT:
            return report_id
        if self.policy.naming == Naming.PSEUDONYM and self.policy.pseudonym_key:
            return self.name(report_id, "report")
        return None  # ids may embed a team's name: none rather than a meaningless label
