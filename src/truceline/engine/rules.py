"""Rules: which events and observations breach the ceasefire, how badly, and by whom.

Nothing before the ceasefire enters into force (the theatre's timeline) is a breach. The rules:

- fire across the line: a launch attributed to party P whose paired impact lies in another
  party's area; the weapon class (from pairing) sets the severity;
- fire at a protected site: an impact whose position estimate reaches within a site's radius
  with probability ``site_probability`` or more; always critical;
- heavy weapon in its withdrawal zone: a located sighting of weapon class W inside a zone that
  bans W, after W's withdrawal deadline (entry into force + the class's days);
- buffer-zone incursion: a located sighting inside a buffer zone;
- denial of access: a monitor's report that access was refused;
- missing weapon: an inspection of a holding area (a report of type ``inspection`` located in
  it, listing the serial numbers seen) that does not find a weapon declared there, when no
  other report saw that serial within ``missing_window_h`` of the inspection.

Each violation names the party (with its probability where it rests on attribution), the
event or report it rests on, and a one-line description.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np
import shapely
from pyproj import Geod

from truceline.domain import (
    Event,
    EventKind,
    HoldingArea,
    Report,
    Severity,
    Theatre,
    Violation,
    ViolationType,
    WeaponsRegister,
    Zone,
    ZoneRule,
)
from truceline.engine.attribute import FloatArray, covariance_from_ellipse
from truceline.geo.gaussian_polygon import p_in_polygon
from truceline.geo.projection import LocalProjection

GEOD = Geod(ellps="WGS84")
SEVERITY_BY_WEAPON: dict[str, Severity] = {
    "small_arms": Severity.LOW,
    "mortar_60": Severity.MEDIUM,
    "mortar_82": Severity.MEDIUM,
    "mortar_120": Severity.MEDIUM,
    "tank": Severity.HIGH,
    "artillery_122": Severity.HIGH,
    "artillery_152": Severity.HIGH,
    "mlrs_122": Severity.CRITICAL,
    "mlrs_220": Severity.CRITICAL,
    "mlrs_300": Severity.CRITICAL,
}
SEVERITY_ORDER = (Severity.LOW, Severity.MEDIUM, Severity.HIGH, Severity.CRITICAL)


@dataclass(frozen=True)
class RulesConfig:
    """Knobs of the rules."""

    severity_by_weapon: Mapping[str, Severity] = field(
        default_factory=lambda: dict(SEVERITY_BY_WEAPON)
    )
    default_severity: Severity = Severity.HIGH  # fire of an unknown weapon class
    site_probability: float = 0.5  # P(impact within a protected site's radius) to flag it
    zone_probability: float = 0.5  # P(sighting inside a zone) to flag it
    default_loc_sigma_m: float = 200.0  # a sighting's position error when none is given
    missing_window_h: float = 24.0  # a serial seen elsewhere this close in time is not missing


def violation_id(kind: ViolationType, basis: str) -> str:
    """A stable id: the same rule on the same event or report gives the same id."""
    return f"VIO-{hashlib.sha256(f'{kind}|{basis}'.encode()).hexdigest()[:16]}"


def detect_violations(
    theatre: Theatre,
    events: Sequence[Event] = (),
    reports: Sequence[Report] = (),
    weapons_by_launch: Mapping[str, str] | None = None,
    cfg: RulesConfig | None = None,
    register: WeaponsRegister | None = None,
) -> list[Violation]:
    """Every breach found in the events and reports, in time order."""
    cfg = cfg or RulesConfig()
    in_force = theatre.timeline.in_force
    events = [e for e in events if in_force is None or e.time >= in_force]
    reports = [r for r in reports if in_force is None or r.time >= in_force]
    found = _fire_across_line(events, weapons_by_launch or {}, cfg)
    found += _fire_at_sites(theatre, events, cfg)
    found += _sightings_in_zones(theatre, reports, cfg)
    found += _access_denied(theatre, reports)
    if register is not None:
        found += _missing_weapons(register, reports, cfg)
    return sorted(found, key=lambda v: (v.time, v.violation_id))


def daily_ledger(violations: Sequence[Violation]) -> list[dict[str, object]]:
    """Violations counted per day, party, type and severity (party '' when unattributed)."""
    counts = Counter(
        (v.time.date().isoformat(), v.party or "", v.type.value, v.severity.value)
        for v in violations
    )
    return [
        {"date": d, "party": p, "type": t, "severity": s, "count": n}
        for (d, p, t, s), n in sorted(counts.items())
    ]


def _fire_across_line(
    events: Sequence[Event], weapons: Mapping[str, str], cfg: RulesConfig
) -> list[Violation]:
    by_id = {e.event_id: e for e in events}
    out = []
    for launch in events:
        impact = by_id.get(launch.paired_event_id or "")
        if launch.kind != EventKind.LAUNCH or impact is None or not launch.responsible_party:
            continue
        if impact.party_control in (None, launch.responsible_party):
            continue
        weapon = weapons.get(launch.event_id, "")
        severity = cfg.severity_by_weapon.get(weapon, cfg.default_severity)
        p = (launch.p_responsible or 0.0) * (impact.p_control or 0.0)
        out.append(
            Violation(
                violation_id(ViolationType.FIRE_ACROSS_LINE, launch.event_id),
                ViolationType.FIRE_ACROSS_LINE,
                severity,
                launch.time,
                event_id=launch.event_id,
                party=launch.responsible_party,
                p_party=round(p, 4),
                lon=launch.lon,
                lat=launch.lat,
                description=(
                    f"{weapon or 'fire'} from {launch.responsible_party}-controlled territory "
                    f"landed in {impact.party_control}-controlled territory (impact "
                    f"{impact.event_id})"
                ),
            )
        )
    return out


def _metric(theatre: Theatre) -> LocalProjection:
    geoms = [a.geometry for a in theatre.control_areas] or [s.geometry for s in theatre.zones]
    return LocalProjection.centred_on_geometry(shapely.union_all(geoms))


def _fire_at_sites(theatre: Theatre, events: Sequence[Event], cfg: RulesConfig) -> list[Violation]:
    impacts = [e for e in events if e.kind == EventKind.IMPACT]
    if not impacts or not theatre.protected_sites:
        return []
    proj = _metric(theatre)
    x, y = proj.forward([e.lon for e in impacts], [e.lat for e in impacts])
    means = np.stack([x, y], axis=1)
    covs = np.stack([_event_cov(e, cfg) for e in impacts])
    out = []
    for site in theatre.protected_sites:
        area = proj.to_metric(site.geometry).buffer(max(site.radius_m, 1.0))
        p = p_in_polygon(means, covs, area)
        for i in np.flatnonzero(p >= cfg.site_probability):
            e = impacts[i]
            out.append(
                Violation(
                    violation_id(ViolationType.FIRE_AT_PROTECTED_SITE, f"{e.event_id}|{site.name}"),
                    ViolationType.FIRE_AT_PROTECTED_SITE,
                    Severity.CRITICAL,
                    e.time,
                    event_id=e.event_id,
                    party=e.responsible_party,
                    p_party=e.p_responsible,
                    lon=e.lon,
                    lat=e.lat,
                    description=(
                        f"impact within {site.radius_m:.0f} m of {site.name} (p = {p[i]:.2f})"
                    ),
                )
            )
    return out


def _event_cov(e: Event, cfg: RulesConfig) -> FloatArray:
    if e.err_major_m is None or e.err_minor_m is None:
        return np.eye(2) * cfg.default_loc_sigma_m**2
    return covariance_from_ellipse(
        max(e.err_major_m, 0.01), max(e.err_minor_m, 0.01), e.err_azimuth_deg or 0.0
    )


def _sightings_in_zones(
    theatre: Theatre, reports: Sequence[Report], cfg: RulesConfig
) -> list[Violation]:
    seen = [
        r
        for r in reports
        if r.event_type == "weapon_sighting" and r.lon is not None and r.lat is not None
    ]
    if not seen or not theatre.zones:
        return []
    proj = _metric(theatre)
    x, y = proj.forward([r.lon or 0.0 for r in seen], [r.lat or 0.0 for r in seen])
    means = np.stack([x, y], axis=1)
    sigma = np.array([r.loc_sigma_m or cfg.default_loc_sigma_m for r in seen])
    covs = sigma[:, None, None] ** 2 * np.eye(2)
    out = []
    flagged: set[tuple[str, ViolationType]] = set()
    for zone in theatre.zones:
        if zone.rule not in (ZoneRule.WITHDRAWAL, ZoneRule.BUFFER):
            continue
        p = p_in_polygon(means, covs, proj.to_metric(zone.geometry))
        for i in np.flatnonzero(p >= cfg.zone_probability):
            v = _zone_violation(theatre, zone, seen[i], float(p[i]), cfg)
            if v is not None and (seen[i].report_id, v.type) not in flagged:
                flagged.add((seen[i].report_id, v.type))
                out.append(v)
    return out


def _zone_violation(
    theatre: Theatre, zone: Zone, r: Report, p: float, cfg: RulesConfig
) -> Violation | None:
    weapon = r.weapon or ""
    if zone.rule == ZoneRule.WITHDRAWAL:
        if weapon not in zone.weapon_classes or not _past_deadline(theatre, weapon, r.time):
            return None
        kind, severity = ViolationType.WEAPON_IN_WITHDRAWAL_ZONE, Severity.HIGH
        what = f"{weapon} seen inside its withdrawal zone {zone.name} after its deadline"
    else:
        kind = ViolationType.BUFFER_ZONE_INCURSION
        severity = cfg.severity_by_weapon.get(weapon, Severity.MEDIUM)
        what = f"{weapon or 'military presence'} seen inside the buffer zone {zone.name}"
    party = zone.party or _holder(theatre, r)
    return Violation(
        violation_id(kind, r.report_id),
        kind,
        severity,
        r.time,
        report_id=r.report_id,
        party=party,
        p_party=round(p, 4) if party else None,
        lon=r.lon,
        lat=r.lat,
        description=f"{what} (p = {p:.2f})",
    )


def _past_deadline(theatre: Theatre, weapon: str, when: datetime) -> bool:
    in_force = theatre.timeline.in_force
    if in_force is None:
        return True
    days = theatre.timeline.withdrawal_days.get(weapon, 0)
    return when >= in_force + timedelta(days=days)


def _holder(theatre: Theatre, r: Report) -> str | None:
    lon = r.lon if r.lon is not None else r.observer_lon
    lat = r.lat if r.lat is not None else r.observer_lat
    if lon is None or lat is None:
        return None
    for area in theatre.control_areas:
        if shapely.contains_xy(area.geometry, lon, lat):
            return area.party
    return None


def _access_denied(theatre: Theatre, reports: Sequence[Report]) -> list[Violation]:
    out = []
    for r in reports:
        if r.event_type != "access_denied":
            continue
        party = r.accused_party or _holder(theatre, r)
        out.append(
            Violation(
                violation_id(ViolationType.ACCESS_DENIED, r.report_id),
                ViolationType.ACCESS_DENIED,
                Severity.MEDIUM,
                r.time,
                report_id=r.report_id,
                party=party,
                lon=r.lon if r.lon is not None else r.observer_lon,
                lat=r.lat if r.lat is not None else r.observer_lat,
                description=f"monitors denied access ({r.source_id})",
            )
        )
    return out


def _missing_weapons(
    register: WeaponsRegister, reports: Sequence[Report], cfg: RulesConfig
) -> list[Violation]:
    """Declared weapons an inspection of their holding area did not find (nor anyone else)."""
    seen_at: dict[str, list[datetime]] = {}
    for r in reports:
        for serial in r.serials:
            seen_at.setdefault(serial, []).append(r.time)
    window = timedelta(hours=cfg.missing_window_h)
    out = []
    for r in reports:
        if r.event_type != "inspection":
            continue
        area = _inspected_area(register, r)
        if area is None:
            continue
        for w in register.weapons:
            if w.holding_area != area.name or w.serial in r.serials:
                continue
            if any(abs(t - r.time) <= window for t in seen_at.get(w.serial, [])):
                continue  # seen elsewhere: away from its holding area, not missing
            out.append(
                Violation(
                    violation_id(ViolationType.MISSING_WEAPON, f"{r.report_id}|{w.serial}"),
                    ViolationType.MISSING_WEAPON,
                    Severity.HIGH,
                    r.time,
                    report_id=r.report_id,
                    party=w.party,
                    lon=r.lon if r.lon is not None else r.observer_lon,
                    lat=r.lat if r.lat is not None else r.observer_lat,
                    description=(
                        f"declared {w.weapon} {w.serial} not found at {area.name} "
                        f"(inspection {r.report_id})"
                    ),
                )
            )
    return out


def _inspected_area(register: WeaponsRegister, r: Report) -> HoldingArea | None:
    lon = r.lon if r.lon is not None else r.observer_lon
    lat = r.lat if r.lat is not None else r.observer_lat
    if lon is None or lat is None:
        return None
    for area in register.holding_areas:
        if area.radius_m > 0:
            centre = area.geometry.centroid
            _, _, d = GEOD.inv(centre.x, centre.y, lon, lat)
            if d <= area.radius_m:
                return area
        elif shapely.contains_xy(area.geometry, lon, lat):
            return area
    return None
