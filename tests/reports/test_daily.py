"""What a report says matches what the store holds: counts, notable fire, incidents, findings."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest

from truceline.domain import Finding, Severity, Violation, ViolationType
from truceline.engine.attribute import likelihood_words
from truceline.geo.demo import load_demo_theatre
from truceline.reports.areas import divide_theatre
from truceline.reports.daily import Period, ReportContext, ReportMaterial, build_context
from truceline.reports.episodes import group_episodes, is_notable
from truceline.reports.formats import VIOLATION_LABELS
from truceline.reports.gather import daily_periods, gather_material
from truceline.store.analysis import get_violations
from truceline.store.commission import get_findings
from truceline.store.database import open_store

from .conftest import DEMO_DAY

SCHEME = divide_theatre(load_demo_theatre())


@dataclass(frozen=True)
class Stored:
    violations: list[Violation]
    findings: list[Finding]


@pytest.fixture(scope="module")
def stored(demo_db: str) -> Stored:
    """The demo day's violations and every finding, read straight from the store."""
    engine = open_store(demo_db)
    with engine.connect() as conn:
        start = datetime(2026, 11, 21, tzinfo=UTC)
        data = Stored(
            get_violations(conn, start=start, end=start + timedelta(days=1)), get_findings(conn)
        )
    engine.dispose()
    return data


def context_for(url: str, day: date, area: str | None = None) -> ReportContext:
    engine = open_store(url)
    with engine.connect() as conn:
        material = gather_material(conn, *daily_periods(day))
    engine.dispose()
    return build_context(material, SCHEME, area=area)


@pytest.fixture(scope="module")
def ctx(demo_db: str) -> ReportContext:
    return context_for(demo_db, DEMO_DAY)


def test_counts_by_party_type_severity_and_area_match_the_store(
    ctx: ReportContext, stored: Stored
) -> None:
    violations = stored.violations
    assert len(violations) > 50  # the demo's three hours are busy
    by_party = Counter(v.party or "unattributed" for v in violations)
    assert dict(zip(ctx.columns, ctx.totals.counts, strict=True)) == {
        c: by_party[c] for c in ctx.columns
    }
    by_type = Counter(v.type for v in violations)
    assert {row.label: row.total for row in ctx.by_type} == {
        VIOLATION_LABELS[t]: by_type[t] for t in ViolationType
    }
    by_severity = Counter(v.severity.value for v in violations)
    assert {row.label.lower(): row.total for row in ctx.by_severity} == {
        s.value: by_severity[s.value] for s in Severity
    }
    assert sum(row.total for row in ctx.by_area) == len(violations)
    assert sum(map(sum, ctx.by_hour)) == len(violations)
    assert sum(ctx.by_hour[h][0] for h in range(3, 24)) == 0  # three hours simulated


def test_trend_ends_with_the_day_and_is_empty_before(ctx: ReportContext) -> None:
    days = [d for d, _ in ctx.trend]
    assert days[-1] == DEMO_DAY and days[0] == DEMO_DAY - timedelta(days=13)
    assert ctx.trend[-1][1] == ctx.totals.counts
    assert all(sum(counts) == 0 for _, counts in ctx.trend[:-1])
    assert "No violations are recorded in the 13 preceding days." in ctx.summary


def test_notable_violations_are_the_serious_fire_worded_by_their_weakest_probability(
    ctx: ReportContext, stored: Stored
) -> None:
    serious = [
        v
        for v in stored.violations
        if v.type == ViolationType.FIRE_ACROSS_LINE
        and v.severity in (Severity.HIGH, Severity.CRITICAL)
    ]
    assert serious and ctx.notable
    assert ctx.notable_total == sum(is_notable(e) for e in group_episodes(stored.violations))
    by_id = {v.violation_id: v for v in stored.violations}
    for n in ctx.notable:
        first = by_id[n.violation_id]
        assert first.severity in (Severity.HIGH, Severity.CRITICAL)
        assert n.party == first.party and n.likelihood.startswith(f"{first.party}: ")
        p = float(n.likelihood.rsplit("p = ", 1)[1].rstrip(")"))
        assert p <= (first.p_party or 0.0) + 0.005  # never firmer than the first violation
        assert likelihood_words(p) in n.likelihood
        assert "sensor" in n.basis and "from the line of contact" in n.basis
    ranks = [n.severity for n in ctx.notable]
    assert ranks == sorted(ranks, key=[Severity.CRITICAL, Severity.HIGH].index)


def test_denials_weapons_and_findings_come_from_the_store(
    ctx: ReportContext, stored: Stored
) -> None:
    violations = stored.violations
    denials = [v for v in violations if v.type == ViolationType.ACCESS_DENIED]
    weapons = [
        v
        for v in violations
        if v.type in (ViolationType.WEAPON_IN_WITHDRAWAL_ZONE, ViolationType.MISSING_WEAPON)
    ]
    assert [d.time for d in ctx.denials] == [v.time for v in denials]
    # As published: the report id in a description may name a team (source protection).
    assert [w.description for w in ctx.weapons] == [
        v.description.replace(v.report_id or "", "[withheld]") for v in weapons
    ]
    assert all(d.source != "-" for d in ctx.denials + ctx.weapons)  # the report behind each
    # The demo decides its one finding the next day, on a violation of this day.
    (finding,) = stored.findings
    assert [row.finding.finding_id for row in ctx.findings] == [finding.finding_id]
    row = ctx.findings[0]
    assert not row.in_period and row.period_violations == 1 and row.activations


def test_an_area_report_counts_only_that_area(demo_db: str, ctx: ReportContext) -> None:
    busiest = max(ctx.by_area, key=lambda row: row.total)
    area_ctx = context_for(demo_db, DEMO_DAY, area=busiest.label)
    assert area_ctx.totals.counts == busiest.counts
    assert [r.total for r in area_ctx.by_area if r.label != busiest.label] == [0] * (
        len(area_ctx.by_area) - 1
    )
    assert f"in area {busiest.label}" in area_ctx.summary[0]


def test_a_day_without_data_says_so(demo_db: str) -> None:
    empty = context_for(demo_db, date(2026, 12, 25))
    assert empty.totals.total == 0 and not empty.notable and not empty.denials
    assert empty.summary[0] == "On 25 December 2026 no ceasefire violations were recorded."
    assert "The monitors reported no denial of access." in empty.summary
    assert empty.findings == ()


def test_episodes_split_on_time_place_and_party() -> None:
    t0 = datetime(2026, 11, 21, 6, tzinfo=UTC)

    def fire(i: int, minutes: float, party: str = "RU", lon: float = 37.0) -> Violation:
        return Violation(
            f"V{i}",
            ViolationType.FIRE_ACROSS_LINE,
            Severity.HIGH,
            t0 + timedelta(minutes=minutes),
            party=party,
            p_party=0.9 + i / 100,
            lon=lon,
            lat=48.0,
        )

    violations = [
        fire(0, 0),
        fire(1, 10),
        fire(2, 25),
        fire(3, 60),
        fire(4, 61, "UA"),
        fire(5, 62, lon=37.2),
    ]
    groups = [[v.violation_id for v in e.violations] for e in group_episodes(violations)]
    # 25 min is within 20 min of the previous; 60 is not; UA is apart; 15 km is apart
    assert groups == [["V0", "V1", "V2"], ["V3"], ["V4"], ["V5"]]
    assert group_episodes(violations)[0].p_min == pytest.approx(0.9)


def test_a_period_holds_whole_utc_days() -> None:
    period = Period(date(2026, 11, 20), date(2026, 11, 21))
    assert period.start == datetime(2026, 11, 20, tzinfo=UTC)
    assert period.contains(datetime(2026, 11, 21, 23, 59, 59, tzinfo=UTC))
    assert not period.contains(datetime(2026, 11, 22, tzinfo=UTC))
    assert len(period.days()) == 2


def test_a_party_outside_the_theatre_gets_its_own_column() -> None:
    t0 = datetime(2026, 11, 21, 6, tzinfo=UTC)
    violations = (
        Violation("V1", ViolationType.FIRE_ACROSS_LINE, Severity.HIGH, t0, party="BY",
                  p_party=0.95, lon=37.5, lat=49.0),
        Violation("V2", ViolationType.ACCESS_DENIED, Severity.MEDIUM, t0),
    )  # fmt: skip
    day = Period(DEMO_DAY, DEMO_DAY)
    ctx = build_context(ReportMaterial(day, day, (), violations, {}), SCHEME)
    assert ctx.columns == ("UA", "RU", "BY", "unattributed")
    assert ctx.totals.counts == (0, 0, 1, 1)
    assert ctx.summary[0].endswith("2 ceasefire violations, attributed 1 to BY; 1 not attributed.")
    assert [r.label for r in ctx.by_area if r.total] == ["S03", "unlocated"]
