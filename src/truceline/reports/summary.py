"""The summary box: the few sentences a reader who reads nothing else should read."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from truceline.domain import ViolationType
from truceline.reports.formats import (
    UNATTRIBUTED,
    count,
    day,
    day_range,
    plural,
)

if TYPE_CHECKING:  # the context imports this module to fill its summary
    from truceline.reports.daily import CountRow, ReportContext


def summarise(ctx: ReportContext) -> list[str]:
    """The summary sentences of a report, in reading order."""
    sentences = [_totals(ctx)]
    if ctx.totals.total:
        sentences += [_severity(ctx), _sites(ctx)]
        if ctx.area is None:
            sentences.append(_areas(ctx))
    sentences += [_weapons(ctx), _denials(ctx), _trend(ctx), _events(ctx), _findings(ctx)]
    return [s for s in sentences if s]


def _when(ctx: ReportContext) -> str:
    if ctx.kind == "daily":
        return f"On {day(ctx.period.first)}"
    return f"From {day_range(ctx.period.first, ctx.period.last)}"


def _where(ctx: ReportContext) -> str:
    return f" in area {ctx.area}" if ctx.area else ""


def _by_party(row: CountRow, columns: tuple[str, ...]) -> str:
    """``attributed 725 to UA and 574 to RU; 3 not attributed`` (or ``none of them ...``)."""
    counts = dict(zip(columns, row.counts, strict=True))
    unattributed = counts.pop(UNATTRIBUTED, 0)
    parts = [f"{count(n)} to {party}" for party, n in counts.items() if n]
    if not parts:
        return "none of them attributed"
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return f"attributed {listed}" + (
        f"; {count(unattributed)} not attributed" if unattributed else ""
    )


def _totals(ctx: ReportContext) -> str:
    total = ctx.totals.total
    if not total:
        return f"{_when(ctx)} no ceasefire violations were recorded{_where(ctx)}."
    return (
        f"{_when(ctx)} the mechanism recorded {plural(total, 'ceasefire violation')}"
        f"{_where(ctx)}, {_by_party(ctx.totals, ctx.columns)}."
    )


def _severity(ctx: ReportContext) -> str:
    rows = {row.label.lower(): row.total for row in ctx.by_severity}
    return (
        f"Of these, {count(rows.get('critical', 0))} were critical and "
        f"{count(rows.get('high', 0))} high."
    )


def _type_total(ctx: ReportContext, kind: ViolationType) -> int:
    return sum(1 for v in ctx.period_violations if v.type == kind)


def _sites(ctx: ReportContext) -> str:
    n = _type_total(ctx, ViolationType.FIRE_AT_PROTECTED_SITE)
    return f"{plural(n, 'impact')} fell at or near a protected site." if n else ""


def _areas(ctx: ReportContext) -> str:
    busiest = sorted((r for r in ctx.by_area if r.total), key=lambda r: -r.total)[:2]
    listed = " and ".join(f"{r.label} ({count(r.total)})" for r in busiest)
    return f"Most violations were recorded in {listed}." if busiest else ""


def _weapons(ctx: ReportContext) -> str:
    zone = _type_total(ctx, ViolationType.WEAPON_IN_WITHDRAWAL_ZONE)
    missing = _type_total(ctx, ViolationType.MISSING_WEAPON)
    if not zone and not missing:
        return (
            "No heavy weapon was seen in its withdrawal zone and no declared weapon was "
            "found missing from its holding area."
        )
    return (
        f"Heavy weapons were seen {plural(zone, 'time')} in their withdrawal zones; "
        f"{plural(missing, 'declared weapon was', 'declared weapons were')} missing from "
        f"{'its holding area' if missing == 1 else 'their holding areas'}."
    )


def _denials(ctx: ReportContext) -> str:
    if not ctx.denials:
        return "The monitors reported no denial of access."
    by = Counter(d.party or UNATTRIBUTED for d in ctx.denials)
    who = ", ".join(f"{n} by {p}" for p, n in sorted(by.items()))
    return f"The monitors were denied access {plural(len(ctx.denials), 'time')} ({who})."


def _trend(ctx: ReportContext) -> str:
    totals = [(d, sum(c)) for d, c in ctx.trend]
    if ctx.kind == "daily":
        before = totals[:-1]
        if not before:
            return ""
        n = sum(t for _, t in before)
        if not n:
            return f"No violations are recorded in the {plural(len(before), 'preceding day')}."
        top_day, top = max(before, key=lambda dt: dt[1])
        return (
            f"In the {plural(len(before), 'preceding day')} the mechanism recorded on average "
            f"{n / len(before):,.1f} violations a day (most on {day(top_day)}: {count(top)})."
        )
    if len(totals) < 2 or not any(t for _, t in totals):
        return ""
    top_day, top = max(totals, key=lambda dt: dt[1])
    low_day, low = min(totals, key=lambda dt: dt[1])
    return (
        f"The busiest day was {day(top_day)} ({count(top)} violations), the quietest "
        f"{day(low_day)} ({count(low)})."
    )


def _events(ctx: ReportContext) -> str:
    e = ctx.events
    if not e.get("total"):
        return "No events were located."
    return (
        f"{plural(e['total'], 'event was', 'events were')} located{_where(ctx)}: "
        f"{count(e.get('verified', 0))} verified, {count(e.get('corroborated', 0))} "
        f"corroborated and {count(e.get('single_source', 0))} from a single source."
    )


def _findings(ctx: ReportContext) -> str:
    decided = [f for f in ctx.findings if f.in_period]
    later = [f for f in ctx.findings if not f.in_period]
    span = "on this day" if ctx.kind == "daily" else "in this period"
    first = (
        f"The commission decided {plural(len(decided), 'finding')} {span}"
        if decided
        else f"The commission decided no finding {span}"
    )
    if not later:
        return first + "."
    ids = ", ".join(f.finding.finding_id for f in later)
    return (
        f"{first}; {plural(len(later), 'later finding')} ({ids}) concern"
        f"{'s' if len(later) == 1 else ''} its violations."
    )
