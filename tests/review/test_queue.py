"""The review queue: why items enter it, their order, and who sees them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from shapely.geometry import Point

from truceline.domain import (
    Corroboration,
    Event,
    EventKind,
    ProtectedSite,
    Report,
    Severity,
    SourceKind,
    Violation,
    ViolationType,
)
from truceline.review.items import Claim, ItemKind, Reason, ReviewItem
from truceline.review.queue import find_review_items, order_queue, priority_score, visible_queue

T = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
HOSPITAL = ProtectedSite("hospital", Point(37.80, 48.00), radius_m=500.0)


def at(minutes: float) -> datetime:
    return T + timedelta(minutes=minutes)


def event(event_id: str, minutes: float, **fields: object) -> Event:
    values: dict[str, object] = {"lon": 37.50, "lat": 48.30, "kind": EventKind.LAUNCH}
    values |= {"n_sensors": 12, "err_major_m": 20.0, "err_minor_m": 10.0, "crlb_m": 15.0}
    values |= {"p_control": 0.99, "responsible_party": "RU"}
    values |= fields
    return Event(event_id, at(minutes), **values)  # type: ignore[arg-type]


def violation(vid: str, event_id: str, severity: Severity) -> Violation:
    return Violation(vid, ViolationType.FIRE_ACROSS_LINE, severity, T, event_id=event_id)


def complaint(report_id: str, minutes: float) -> Report:
    return Report(report_id, "LIAISON-UA", SourceKind.PARTY, at(minutes), "shelling")


def mixed_set() -> tuple[list[Event], list[Violation], list[Report]]:
    """One item per rung of the ordering, plus ties broken by time and things not queued."""
    events = [
        event("E-FIX", 1, n_sensors=5),  # poor fix: few sensors
        event("E-RATIO", 2, err_major_m=60.0),  # poor fix: 4 x its CRLB
        event("E-DISPUTED", 3, p_control=0.86, responsible_party=None),
        event("E-SITE", 4, lon=37.805, lat=48.0),  # ~370 m from the hospital
        event("E-HIGH", 5),
        event("E-HIGH-EARLY", 0),
        event("E-CRITICAL", 9, lon=37.80, lat=48.002, p_control=0.9),  # critical + site + disputed
        event("E-MEDIUM-SITE", 6, lon=37.81, lat=48.0),  # medium violation + near the site
        event("E-FINE", 7),  # nothing to review
        event("E-LOW", 8),  # a low violation alone is not queued
        event(
            "E-CORROBORATED",
            9,
            report_ids=("R-CORROBORATED",),
            corroboration=Corroboration.CORROBORATED,
        ),
    ]
    violations = [
        violation("V-CRIT", "E-CRITICAL", Severity.CRITICAL),
        violation("V-HIGH", "E-HIGH", Severity.HIGH),
        violation("V-HIGH-2", "E-HIGH-EARLY", Severity.HIGH),
        violation("V-MED", "E-MEDIUM-SITE", Severity.MEDIUM),
        violation("V-LOW", "E-LOW", Severity.LOW),
    ]
    reports = [complaint("R-COMPLAINT", 2), complaint("R-CORROBORATED", 3)]
    return events, violations, reports


def test_the_queue_orders_a_mixed_set_as_documented() -> None:
    items = find_review_items(*mixed_set(), sites=[HOSPITAL])
    assert [i.ref_id for i in order_queue(items)] == [
        "E-CRITICAL",  # critical violation (and near a site, and disputed)
        "E-HIGH-EARLY",  # high violation, the older of two
        "E-HIGH",
        "E-MEDIUM-SITE",  # medium violation beats every reason without a violation
        "E-SITE",  # near a protected site
        "E-DISPUTED",  # p = 0.86, near the threshold of 0.9
        "R-COMPLAINT",  # a party's complaint nobody corroborates
        "E-FIX",  # poor fixes last, by time
        "E-RATIO",
    ]


def test_each_item_names_its_reasons() -> None:
    items = {i.ref_id: i for i in find_review_items(*mixed_set(), sites=[HOSPITAL])}
    assert items["E-CRITICAL"].reasons == (
        Reason.SERIOUS_VIOLATION,
        Reason.NEAR_PROTECTED_SITE,
        Reason.DISPUTED_ATTRIBUTION,
    )
    assert items["E-CRITICAL"].severity == Severity.CRITICAL
    assert items["E-MEDIUM-SITE"].reasons == (Reason.NEAR_PROTECTED_SITE,)
    assert items["R-COMPLAINT"].kind == ItemKind.REPORT
    assert items["R-COMPLAINT"].reasons == (Reason.UNCORROBORATED_COMPLAINT,)
    assert items["E-RATIO"].fix_ratio == 4.0
    assert {"E-FINE", "E-LOW", "E-CORROBORATED", "R-CORROBORATED"}.isdisjoint(items)


def test_without_sites_nothing_is_near_one_unless_a_violation_says_so() -> None:
    events, violations, reports = mixed_set()
    violations.append(
        Violation("V-SITE", ViolationType.FIRE_AT_PROTECTED_SITE, Severity.CRITICAL, T,
                  event_id="E-FINE")
    )  # fmt: skip
    items = {i.ref_id: i for i in find_review_items(events, violations, reports)}
    assert "E-SITE" not in items
    assert Reason.NEAR_PROTECTED_SITE in items["E-FINE"].reasons


def test_an_unattributable_launch_is_disputed_but_an_unattributed_impact_is_not() -> None:
    launch = event("L", 0, p_control=0.55, responsible_party=None)
    impact = event("I", 0, kind=EventKind.IMPACT, p_control=0.55, responsible_party=None)
    unknown = event("U", 0, p_control=None, responsible_party=None)  # never attributed
    found = {i.ref_id for i in find_review_items([launch, impact, unknown], [], [])}
    assert found == {"L"}


def test_priority_score_packs_severity_above_every_reason() -> None:
    every_reason = ReviewItem("event:A", ItemKind.EVENT, "A", T, tuple(Reason), None)
    low_alone = ReviewItem("event:B", ItemKind.EVENT, "B", T, (), Severity.LOW)
    assert priority_score(every_reason) == 15
    assert priority_score(low_alone) == 16
    assert order_queue([every_reason, low_alone])[0] is low_alone


def test_claimed_items_are_hidden_from_other_analysts_until_released_or_expired() -> None:
    items = find_review_items(*mixed_set(), sites=[HOSPITAL])
    claim = Claim("event:E-CRITICAL", "ana", at(0), at(30))
    ids = lambda shown: [i.item_id for i in shown]  # noqa: E731
    for_bob = visible_queue(items, analyst="bob", claims=[claim], decided=[], now=at(10))
    assert "event:E-CRITICAL" not in ids(for_bob)
    assert len(for_bob) == len(items) - 1
    for_ana = visible_queue(items, analyst="ana", claims=[claim], decided=[], now=at(10))
    assert ids(for_ana)[0] == "event:E-CRITICAL"
    after_expiry = visible_queue(items, analyst="bob", claims=[claim], decided=[], now=at(30))
    assert ids(after_expiry)[0] == "event:E-CRITICAL"
    released = visible_queue(items, analyst="bob", claims=[], decided=[], now=at(10))
    assert ids(released)[0] == "event:E-CRITICAL"


def test_decided_items_leave_everyone_s_queue() -> None:
    items = find_review_items(*mixed_set(), sites=[HOSPITAL])
    shown = visible_queue(
        items, analyst="ana", claims=[], decided=["event:E-HIGH", "report:R-COMPLAINT"], now=T
    )
    assert {"event:E-HIGH", "report:R-COMPLAINT"}.isdisjoint(i.item_id for i in shown)
    assert len(shown) == len(items) - 2
