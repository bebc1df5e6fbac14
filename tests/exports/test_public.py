"""The public record: one explicit field list per layer, and nothing a report could reveal."""

from __future__ import annotations

from truceline.domain import Party, Severity, Theatre, Violation, ViolationType
from truceline.exports.public import (
    EVENT_FIELDS,
    VIOLATION_FIELDS,
    build_open_data,
    public_event,
    public_violation,
    violation_summary,
)

from .conftest import T0, make_event, observer_report, report_violation

# What must never be published: it names sensors, sources or reports, or says where monitors stood.
FORBIDDEN = {"arrival_ids", "report_ids", "report_id", "description", "source_id", "sensor_id"}


def test_field_lists_hold_nothing_forbidden() -> None:
    names = {f.name for f in (*EVENT_FIELDS, *VIOLATION_FIELDS)}
    assert not names & FORBIDDEN
    assert not any(n.startswith("observer") for n in names)


def test_public_event_carries_exactly_the_event_fields() -> None:
    feature = public_event(make_event("E1", 0.0))
    assert tuple(feature.values) == tuple(f.name for f in EVENT_FIELDS)
    assert feature.values["kind"] == "launch"  # enums as their plain value
    assert (feature.lon, feature.lat) == (37.6, 48.0)
    assert "A-secret-1" not in repr(feature) and "R-secret" not in repr(feature)


def test_summary_is_worded_from_public_fields_not_the_description() -> None:
    report = observer_report("R9", 5.0, located=True)
    violation = report_violation("V9", report)
    summary = violation_summary(violation)
    assert summary == "Monitors denied access; party: RU"
    assert "MT-secret" not in summary
    fire = Violation(
        "V1", ViolationType.FIRE_ACROSS_LINE, Severity.HIGH, T0, party="UA", p_party=0.62
    )
    assert violation_summary(fire) == (
        "Fire across the line of contact; attributed to UA (likely, p = 0.62)"
    )
    unattributed = Violation("V2", ViolationType.FIRE_ACROSS_LINE, Severity.LOW, T0)
    assert violation_summary(unattributed).endswith("; not attributed")


def test_report_violation_is_placed_at_the_sighting_never_at_the_observer() -> None:
    sighted = report_violation("V1", observer_report("R1", 0.0, located=True))
    heard = report_violation("V2", observer_report("R2", 1.0, located=False))
    located = {"R1": (37.333333, 48.444444)}
    first, second = public_violation(sighted, located), public_violation(heard, located)
    assert (first.lon, first.lat) == (37.333333, 48.444444)
    assert (second.lon, second.lat) == (None, None)  # the rules had put it at the observer
    assert not second.located


def test_event_violation_keeps_its_position() -> None:
    v = Violation(
        "V1", ViolationType.FIRE_ACROSS_LINE, Severity.HIGH, T0, event_id="E1", lon=37.5, lat=48.1
    )
    feature = public_violation(v, {})
    assert (feature.lon, feature.lat) == (37.5, 48.1)
    assert tuple(feature.values) == tuple(f.name for f in VIOLATION_FIELDS)


def test_parties_follow_the_theatre_then_the_others_sorted() -> None:
    theatre = Theatre((Party("UA", "Ukraine"), Party("RU", "Russia")), (), None)
    events = [make_event("E1", 0.0, responsible_party="ZZ"), make_event("E2", 1.0)]
    data = build_open_data(events, [], theatre=theatre)
    assert data.parties() == ("UA", "RU", "ZZ")
    assert data.party_name("RU") == "Russia" and data.party_name("ZZ") == "ZZ"
