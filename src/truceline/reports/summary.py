"""The summary box: the few sentences a reader who reads nothing else should read.

Each sentence is one message of the catalogue (numbers as placeholders, plural forms by
count), so that a translation can order its words as its grammar needs.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import TYPE_CHECKING

from truceline.domain import ViolationType
from truceline.i18n import _, _n
from truceline.reports.formats import (
    UNATTRIBUTED,
    count,
    day,
    day_range,
    decimal,
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
        return _("On %(day)s") % {"day": day(ctx.period.first)}
    return _("From %(period)s") % {"period": day_range(ctx.period.first, ctx.period.last)}


def _where(ctx: ReportContext) -> str:
    return _(" in area %(area)s") % {"area": ctx.area} if ctx.area else ""


def _and(items: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c`` in the current language."""
    if len(items) < 2:
        return "".join(items)
    return _("%(first)s and %(last)s") % {"first": ", ".join(items[:-1]), "last": items[-1]}


def _by_party(row: CountRow, columns: tuple[str, ...]) -> str:
    """``attributed 725 to UA and 574 to RU; 3 not attributed`` (or ``none of them ...``)."""
    counts = dict(zip(columns, row.counts, strict=True))
    unattributed = counts.pop(UNATTRIBUTED, 0)
    parts = [
        _("%(num)s to %(party)s") % {"num": count(n), "party": party}
        for party, n in counts.items()
        if n
    ]
    if not parts:
        return _("none of them attributed")
    listed = _("attributed %(list)s") % {"list": _and(parts)}
    if not unattributed:
        return listed
    return _("%(attributed)s; %(num)s not attributed") % {
        "attributed": listed,
        "num": count(unattributed),
    }


def _totals(ctx: ReportContext) -> str:
    total = ctx.totals.total
    if not total:
        return _("%(when)s no ceasefire violations were recorded%(where)s.") % {
            "when": _when(ctx),
            "where": _where(ctx),
        }
    return _n(
        "%(when)s the mechanism recorded %(num)s ceasefire violation%(where)s, %(parties)s.",
        "%(when)s the mechanism recorded %(num)s ceasefire violations%(where)s, %(parties)s.",
        total,
    ) % {
        "when": _when(ctx),
        "num": count(total),
        "where": _where(ctx),
        "parties": _by_party(ctx.totals, ctx.columns),
    }


def _severity(ctx: ReportContext) -> str:
    critical, high = (row.total for row in ctx.by_severity[:2])  # critical first, then high
    return _("Of these, %(critical)s were critical and %(high)s high.") % {
        "critical": count(critical),
        "high": count(high),
    }


def _type_total(ctx: ReportContext, kind: ViolationType) -> int:
    return sum(1 for v in ctx.period_violations if v.type == kind)


def _sites(ctx: ReportContext) -> str:
    n = _type_total(ctx, ViolationType.FIRE_AT_PROTECTED_SITE)
    if not n:
        return ""
    return _n(
        "%(num)s impact fell at or near a protected site.",
        "%(num)s impacts fell at or near a protected site.",
        n,
    ) % {"num": count(n)}


def _areas(ctx: ReportContext) -> str:
    busiest = sorted((r for r in ctx.by_area if r.total), key=lambda r: -r.total)[:2]
    if not busiest:
        return ""
    listed = _and([f"{r.label} ({count(r.total)})" for r in busiest])
    return _("Most violations were recorded in %(areas)s.") % {"areas": listed}


def _weapons(ctx: ReportContext) -> str:
    zone = _type_total(ctx, ViolationType.WEAPON_IN_WITHDRAWAL_ZONE)
    missing = _type_total(ctx, ViolationType.MISSING_WEAPON)
    if not zone and not missing:
        return _(
            "No heavy weapon was seen in its withdrawal zone and no declared weapon was "
            "found missing from its holding area."
        )
    seen = _n(
        "Heavy weapons were seen %(num)s time in their withdrawal zones;",
        "Heavy weapons were seen %(num)s times in their withdrawal zones;",
        zone,
    ) % {"num": count(zone)}
    gone = _n(
        "%(num)s declared weapon was missing from its holding area.",
        "%(num)s declared weapons were missing from their holding areas.",
        missing,
    ) % {"num": count(missing)}
    return f"{seen} {gone}"


def _denials(ctx: ReportContext) -> str:
    if not ctx.denials:
        return _("The monitors reported no denial of access.")
    by = Counter(d.party or UNATTRIBUTED for d in ctx.denials)
    who = ", ".join(
        _("%(num)s by %(party)s") % {"num": count(n), "party": _party_name(p)}
        for p, n in sorted(by.items())
    )
    return _n(
        "The monitors were denied access %(num)s time (%(who)s).",
        "The monitors were denied access %(num)s times (%(who)s).",
        len(ctx.denials),
    ) % {"num": count(len(ctx.denials)), "who": who}


def _party_name(party: str) -> str:
    return _("unattributed") if party == UNATTRIBUTED else party


def _trend(ctx: ReportContext) -> str:
    totals = [(d, sum(c)) for d, c in ctx.trend]
    if ctx.kind == "daily":
        return _daily_trend(totals[:-1])
    if len(totals) < 2 or not any(t for _, t in totals):
        return ""
    top_day, top = max(totals, key=lambda dt: dt[1])
    low_day, low = min(totals, key=lambda dt: dt[1])
    return _n(
        "The busiest day was %(top_day)s (%(top)s violation), the quietest %(low_day)s (%(low)s).",
        "The busiest day was %(top_day)s (%(top)s violations), the quietest %(low_day)s (%(low)s).",
        top,
    ) % {"top_day": day(top_day), "top": count(top), "low_day": day(low_day), "low": count(low)}


def _daily_trend(before: list[tuple[date, int]]) -> str:
    if not before:
        return ""
    n = sum(t for _, t in before)
    days = len(before)
    if not n:
        return _n(
            "No violations are recorded in the %(num)s preceding day.",
            "No violations are recorded in the %(num)s preceding days.",
            days,
        ) % {"num": count(days)}
    top_day, top = max(before, key=lambda dt: dt[1])
    return _n(
        "In the %(num)s preceding day the mechanism recorded on average %(mean)s violations a "
        "day (most on %(top_day)s: %(top)s).",
        "In the %(num)s preceding days the mechanism recorded on average %(mean)s violations a "
        "day (most on %(top_day)s: %(top)s).",
        days,
    ) % {"num": count(days), "mean": decimal(n / days), "top_day": day(top_day), "top": count(top)}


def _events(ctx: ReportContext) -> str:
    e = ctx.events
    if not e.get("total"):
        return _("No events were located.")
    return _n(
        "%(num)s event was located%(where)s: %(verified)s verified, %(corroborated)s "
        "corroborated and %(single)s from a single source.",
        "%(num)s events were located%(where)s: %(verified)s verified, %(corroborated)s "
        "corroborated and %(single)s from a single source.",
        e["total"],
    ) % {
        "num": count(e["total"]),
        "where": _where(ctx),
        "verified": count(e.get("verified", 0)),
        "corroborated": count(e.get("corroborated", 0)),
        "single": count(e.get("single_source", 0)),
    }


def _findings(ctx: ReportContext) -> str:
    decided = [f for f in ctx.findings if f.in_period]
    later = [f for f in ctx.findings if not f.in_period]
    daily = ctx.kind == "daily"
    if decided:
        first = (
            _n(
                "The commission decided %(num)s finding on this day",
                "The commission decided %(num)s findings on this day",
                len(decided),
            )
            if daily
            else _n(
                "The commission decided %(num)s finding in this period",
                "The commission decided %(num)s findings in this period",
                len(decided),
            )
        ) % {"num": count(len(decided))}
    else:
        first = (
            _("The commission decided no finding on this day")
            if daily
            else _("The commission decided no finding in this period")
        )
    if not later:
        return first + "."
    ids = ", ".join(f.finding.finding_id for f in later)
    return _n(
        "%(first)s; %(num)s later finding (%(ids)s) concerns its violations.",
        "%(first)s; %(num)s later findings (%(ids)s) concern its violations.",
        len(later),
    ) % {"first": first, "num": count(len(later)), "ids": ids}
