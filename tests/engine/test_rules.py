"""Rules: breaches of the ceasefire found in events and reports."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from shapely.geometry import LineString, Point, box

from truceline.domain import (
    CeasefireTimeline,
    ControlArea,
    DeclaredWeapon,
    Event,
    EventKind,
    HoldingArea,
    Party,
    ProtectedSite,
    Report,
    Severity,
    SourceKind,
    Theatre,
    ViolationType,
    WeaponsRegister,
    Zone,
    ZoneRule,
)
from truceline.engine.rules import daily_ledger, detect_violations

IN_FORCE = datetime(2026, 11, 1, tzinfo=UTC)
T = datetime(2026, 11, 22, 6, tzinfo=UTC)
THEATRE = Theatre(
    parties=(Party("UA", "Ukraine"), Party("RU", "Russia")),
    control_areas=(
        ControlArea("UA", box(36.0, 47.5, 37.0, 48.5)),
        ControlArea("RU", box(37.0, 47.5, 38.0, 48.5)),
    ),
    contact_line=LineString([(37.0, 47.5), (37.0, 48.5)]),
    zones=(
        Zone("RU tank zone", ZoneRule.WITHDRAWAL, box(37.0, 47.5, 37.2, 48.5), ("tank",), "RU"),
        Zone("buffer", ZoneRule.BUFFER, box(36.99, 47.5, 37.01, 48.5)),
    ),
    protected_sites=(ProtectedSite("Hospital No. 3", Point(36.9, 48.0), radius_m=300.0),),
    timeline=CeasefireTimeline(in_force=IN_FORCE, withdrawal_days={"tank": 15}),
)


def _event(eid: str, kind: EventKind, lon: float, **kw: object) -> Event:
    time = kw.pop("time", T)
    base: dict[str, object] = dict(n_sensors=6, err_major_m=30.0, err_minor_m=20.0)
    base.update(kw)
    return Event(eid, time, lon, 48.0, kind, err_azimuth_deg=0.0, **base)  # type: ignore[arg-type]


def _pair(launch_lon: float, impact_lon: float, time: datetime = T) -> list[Event]:
    launch = _event(
        "L", EventKind.LAUNCH, launch_lon, responsible_party="RU", p_responsible=0.99,
        party_control="RU", p_control=0.99, paired_event_id="I", time=time,
    )  # fmt: skip
    impact = _event(
        "I", EventKind.IMPACT, impact_lon, responsible_party="RU", p_responsible=0.99,
        party_control="UA" if impact_lon < 37 else "RU", p_control=1.0, paired_event_id="L",
        time=time + timedelta(seconds=40),
    )  # fmt: skip
    return [launch, impact]


def _sighting(rid: str, lon: float, weapon: str, when: datetime = T) -> Report:
    return Report(
        rid, "team-7", SourceKind.MONITOR, when, "weapon_sighting",
        lon=lon, lat=48.0, loc_sigma_m=50.0, weapon=weapon,
    )  # fmt: skip


def test_fire_across_the_line_names_the_firing_party() -> None:
    (v,) = detect_violations(THEATRE, _pair(37.1, 36.95), weapons_by_launch={"L": "mlrs_122"})
    assert v.type == ViolationType.FIRE_ACROSS_LINE and v.party == "RU"
    assert v.severity == Severity.CRITICAL and v.event_id == "L"
    assert v.p_party is not None and 0.98 < v.p_party <= 0.99


def test_fire_landing_on_the_own_side_is_not_across_the_line() -> None:
    assert detect_violations(THEATRE, _pair(37.3, 37.1)) == []


def test_nothing_before_the_ceasefire_is_a_breach() -> None:
    before = IN_FORCE - timedelta(hours=1)
    assert detect_violations(THEATRE, _pair(37.1, 36.95, time=before)) == []


def test_fire_at_a_protected_site_is_critical() -> None:
    events = _pair(37.1, 36.9)  # lands on the hospital
    kinds = {v.type: v for v in detect_violations(THEATRE, events)}
    site = kinds[ViolationType.FIRE_AT_PROTECTED_SITE]
    assert site.severity == Severity.CRITICAL and site.event_id == "I" and site.party == "RU"
    assert "Hospital No. 3" in site.description


def test_a_tank_in_its_zone_is_a_breach_only_after_its_deadline() -> None:
    early = _sighting("R1", 37.1, "tank", IN_FORCE + timedelta(days=10))
    late = _sighting("R2", 37.1, "tank", IN_FORCE + timedelta(days=16))
    found = detect_violations(THEATRE, reports=[early, late])
    assert [(v.type, v.report_id, v.party) for v in found] == [
        (ViolationType.WEAPON_IN_WITHDRAWAL_ZONE, "R2", "RU")
    ]


def test_a_weapon_class_the_zone_does_not_ban_is_no_breach() -> None:
    assert detect_violations(THEATRE, reports=[_sighting("R3", 37.1, "small_arms")]) == []


def test_a_sighting_in_the_buffer_zone_is_an_incursion() -> None:
    (v,) = detect_violations(THEATRE, reports=[_sighting("R4", 36.995, "small_arms")])
    assert v.type == ViolationType.BUFFER_ZONE_INCURSION and v.party == "UA"


def test_denial_of_access_names_the_party_holding_the_place() -> None:
    denied = Report(
        "R5", "team-2", SourceKind.MONITOR, T, "access_denied", observer_lon=37.5,
        observer_lat=48.0,
    )  # fmt: skip
    (v,) = detect_violations(THEATRE, reports=[denied])
    assert v.type == ViolationType.ACCESS_DENIED and v.party == "RU"


def test_violation_ids_are_stable_and_the_ledger_counts_per_day_and_party() -> None:
    events = _pair(37.1, 36.9)
    first = detect_violations(THEATRE, events)
    assert [v.violation_id for v in first] == [
        v.violation_id for v in detect_violations(THEATRE, events)
    ]
    ledger = daily_ledger(first)
    assert {(r["party"], r["type"], r["count"]) for r in ledger} == {
        ("RU", "fire_across_line", 1),
        ("RU", "fire_at_protected_site", 1),
    }


REGISTER = WeaponsRegister(
    holding_areas=(HoldingArea("HA-RU-1", "RU", Point(37.6, 48.1), radius_m=500.0),),
    weapons=(
        DeclaredWeapon("RU-T72-001", "RU", "tank", "HA-RU-1"),
        DeclaredWeapon("RU-T72-002", "RU", "tank", "HA-RU-1"),
        DeclaredWeapon("RU-2S1-001", "RU", "artillery_122", "HA-RU-1"),
    ),
)


def _inspection(rid: str, serials: tuple[str, ...], lon: float = 37.601) -> Report:
    return Report(
        rid, "team-4", SourceKind.MONITOR, T, "inspection", lon=lon, lat=48.1,
        loc_sigma_m=20.0, serials=serials,
    )  # fmt: skip


def test_a_declared_weapon_an_inspection_does_not_find_is_missing() -> None:
    found = detect_violations(
        THEATRE, reports=[_inspection("R9", ("RU-T72-001",))], register=REGISTER
    )
    missing = sorted(v.description.split()[2] for v in found)
    assert missing == ["RU-2S1-001", "RU-T72-002"]
    assert {(v.type, v.party, v.report_id) for v in found} == {
        (ViolationType.MISSING_WEAPON, "RU", "R9")
    }


def test_a_weapon_seen_elsewhere_that_day_is_not_missing() -> None:
    inspection = _inspection("R9", ("RU-T72-001", "RU-2S1-001"))
    elsewhere = Report(
        "R10", "uav-2", SourceKind.UAV, T + timedelta(hours=3), "weapon_sighting",
        lon=37.9, lat=48.2, weapon="tank", serials=("RU-T72-002",),
    )  # fmt: skip
    found = detect_violations(THEATRE, reports=[inspection, elsewhere], register=REGISTER)
    assert [v for v in found if v.type == ViolationType.MISSING_WEAPON] == []


def test_a_full_inspection_or_one_elsewhere_finds_nothing_missing() -> None:
    everything = ("RU-T72-001", "RU-T72-002", "RU-2S1-001")
    assert (
        detect_violations(THEATRE, reports=[_inspection("R9", everything)], register=REGISTER) == []
    )
    away = _inspection("R11", (), lon=37.7)  # 7 km from the holding area
    assert detect_violations(THEATRE, reports=[away], register=REGISTER) == []
