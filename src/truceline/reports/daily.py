"""What a report says, as plain data: counts, notable violations, incidents, findings, trend.

Labels and sentences are worded in the current language (:func:`truceline.i18n.use_language`).

``build_context`` turns the material read from the store (:class:`ReportMaterial`) into a
:class:`ReportContext` the templates only format. The same function makes the daily report
(one day, with the preceding days as the trend) and the thematic report (a period, optionally
one area, with the period itself as the trend). No I/O here.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta

from truceline.domain import (
    Activation,
    Case,
    Event,
    Finding,
    Remedy,
    Report,
    Severity,
    Theatre,
    Violation,
    ViolationType,
)
from truceline.i18n import _
from truceline.reports.areas import UNLOCATED, AreaScheme, area_label, assign_areas
from truceline.reports.episodes import (
    NOTABLE_LIMIT,
    Notable,
    describe_notable,
    group_episodes,
    rank_notable,
)
from truceline.reports.formats import (
    UNATTRIBUTED,
    VIOLATION_LABELS,
    likelihood,
    severity_label,
    violation_label,
)
from truceline.reports.summary import summarise

TREND_DAYS = 14  # the daily report's trend: the day and the 13 before it
WEAPON_TYPES = (ViolationType.WEAPON_IN_WITHDRAWAL_ZONE, ViolationType.MISSING_WEAPON)
SEVERITIES = (Severity.CRITICAL, Severity.HIGH, Severity.MEDIUM, Severity.LOW)


@dataclass(frozen=True)
class Period:
    """Whole UTC days from ``first`` to ``last`` inclusive."""

    first: date
    last: date

    @property
    def start(self) -> datetime:
        return datetime.combine(self.first, time(), tzinfo=UTC)

    @property
    def end(self) -> datetime:
        return datetime.combine(self.last + timedelta(days=1), time(), tzinfo=UTC)

    def days(self) -> list[date]:
        return [self.first + timedelta(days=i) for i in range((self.last - self.first).days + 1)]

    def contains(self, moment: datetime) -> bool:
        return self.start <= moment < self.end


@dataclass(frozen=True)
class ReportMaterial:
    """What the store holds for a report: the period's records and the trend window's."""

    period: Period
    trend: Period
    events: tuple[Event, ...]  # in the period
    violations: tuple[Violation, ...]  # in the trend window (which contains the period)
    reports: Mapping[str, Report]  # the reports the period's violations rest on, by id
    findings: tuple[Finding, ...] = ()
    cases: tuple[Case, ...] = ()
    remedies: tuple[Remedy, ...] = ()
    activations: tuple[Activation, ...] = ()


@dataclass(frozen=True)
class CountRow:
    """A row of counts by party: one per column of the report, then the total."""

    label: str
    counts: tuple[int, ...]
    note: str = ""

    @property
    def total(self) -> int:
        return sum(self.counts)


@dataclass(frozen=True)
class Incident:
    """A denial of access or a weapon out of place, from a monitor's report."""

    time: datetime
    label: str
    party: str | None
    likelihood: str
    area: str
    lon: float | None
    lat: float | None
    description: str
    source: str  # the reporting source and its Admiralty grade
    text: str


@dataclass(frozen=True)
class FindingRow:
    """A finding of the commission the report mentions, with its remedies and activations."""

    finding: Finding
    case_title: str
    in_period: bool  # decided within the period (else: later, on the period's violations)
    period_violations: int  # how many of its case's violations fall in the period
    remedies: tuple[str, ...]
    activations: tuple[Activation, ...]


@dataclass(frozen=True)
class ReportContext:
    """Everything a report shows, ready to be formatted."""

    kind: str  # daily | thematic
    period: Period
    trend_period: Period
    area: str | None
    area_description: str
    theatre: Theatre
    columns: tuple[str, ...]  # the parties, then "unattributed"
    totals: CountRow
    by_type: tuple[CountRow, ...]
    by_severity: tuple[CountRow, ...]
    by_area: tuple[CountRow, ...]
    trend: tuple[tuple[date, tuple[int, ...]], ...]
    by_hour: tuple[tuple[int, ...], ...]  # 24 rows of counts by column
    events: Mapping[str, int]  # located events by kind and by corroboration
    notable: tuple[Notable, ...]
    notable_total: int
    denials: tuple[Incident, ...]
    weapons: tuple[Incident, ...]
    findings: tuple[FindingRow, ...]
    period_events: tuple[Event, ...]
    period_violations: tuple[Violation, ...]
    summary: tuple[str, ...] = field(default=())


def build_context(
    material: ReportMaterial, scheme: AreaScheme, kind: str = "daily", area: str | None = None
) -> ReportContext:
    """The report on ``material``; with ``area``, only what lies in that area counts."""
    theatre = scheme.theatre
    events, violations, areas = _in_area(material, scheme, area)
    columns = _columns(theatre, violations)
    in_period = tuple(v for v in violations if material.period.contains(v.time))
    events_by_id = {e.event_id: e for e in material.events}
    episodes = rank_notable(group_episodes(in_period))
    context = ReportContext(
        kind=kind,
        period=material.period,
        trend_period=material.trend,
        area=area,
        area_description=scheme.describe(area) if area else "",
        theatre=theatre,
        columns=columns,
        totals=_row(_("All violations"), in_period, columns),
        by_type=_by_type(in_period, columns),
        by_severity=_by_severity(in_period, columns),
        by_area=_by_area(in_period, areas, scheme, columns),
        trend=_trend(violations, material.trend, columns),
        by_hour=_by_hour(in_period, columns),
        events=_event_counts(events),
        notable=tuple(describe_notable(episodes[:NOTABLE_LIMIT], events_by_id, areas, theatre)),
        notable_total=len(episodes),
        denials=_incidents(in_period, (ViolationType.ACCESS_DENIED,), material.reports, areas),
        weapons=_incidents(in_period, WEAPON_TYPES, material.reports, areas),
        findings=_findings(material, {v.violation_id for v in in_period}, area is not None),
        period_events=events,
        period_violations=in_period,
    )
    return replace(context, summary=tuple(summarise(context)))


def _in_area(
    material: ReportMaterial, scheme: AreaScheme, area: str | None
) -> tuple[tuple[Event, ...], tuple[Violation, ...], dict[str, str]]:
    """The events and violations in the area (all without one), and each violation's area."""
    vs = material.violations
    names = assign_areas(scheme, [v.lon for v in vs], [v.lat for v in vs])
    areas = {v.violation_id: name for v, name in zip(vs, names, strict=True)}
    if area is None:
        return material.events, vs, areas
    es = material.events
    event_areas = assign_areas(scheme, [e.lon for e in es], [e.lat for e in es])
    events = tuple(e for e, name in zip(es, event_areas, strict=True) if name == area)
    return events, tuple(v for v in vs if areas[v.violation_id] == area), areas


def _columns(theatre: Theatre, violations: Sequence[Violation]) -> tuple[str, ...]:
    """The theatre's parties, any other party a violation names, then ``unattributed``."""
    known = theatre.party_ids()
    others = sorted({v.party for v in violations if v.party and v.party not in known})
    return (*known, *others, UNATTRIBUTED)


def _party_column(party: str | None, columns: Sequence[str]) -> str:
    return party if party is not None and party in columns[:-1] else UNATTRIBUTED


def _row(
    label: str, violations: Sequence[Violation], columns: Sequence[str], note: str = ""
) -> CountRow:
    by = Counter(_party_column(v.party, columns) for v in violations)
    return CountRow(label, tuple(by[c] for c in columns), note)


def _by_type(violations: Sequence[Violation], columns: Sequence[str]) -> tuple[CountRow, ...]:
    return tuple(
        _row(violation_label(kind), [v for v in violations if v.type == kind], columns)
        for kind in VIOLATION_LABELS
    )


def _by_severity(violations: Sequence[Violation], columns: Sequence[str]) -> tuple[CountRow, ...]:
    return tuple(
        _row(severity_label(s), [v for v in violations if v.severity == s], columns)
        for s in SEVERITIES
    )


def _by_area(
    violations: Sequence[Violation],
    areas: Mapping[str, str],
    scheme: AreaScheme,
    columns: Sequence[str],
) -> tuple[CountRow, ...]:
    rows = []
    for name in scheme.names():
        chosen = [v for v in violations if areas[v.violation_id] == name]
        if chosen or name != UNLOCATED:
            rows.append(_row(area_label(name), chosen, columns, scheme.describe(name)))
    return tuple(rows)


def _trend(
    violations: Sequence[Violation], trend: Period, columns: Sequence[str]
) -> tuple[tuple[date, tuple[int, ...]], ...]:
    by_day: dict[date, list[Violation]] = {}
    for v in violations:
        by_day.setdefault(v.time.astimezone(UTC).date(), []).append(v)
    return tuple((d, _row("", by_day.get(d, []), columns).counts) for d in trend.days())


def _by_hour(
    violations: Sequence[Violation], columns: Sequence[str]
) -> tuple[tuple[int, ...], ...]:
    by_hour: dict[int, list[Violation]] = {}
    for v in violations:
        by_hour.setdefault(v.time.astimezone(UTC).hour, []).append(v)
    return tuple(_row("", by_hour.get(h, []), columns).counts for h in range(24))


def _event_counts(events: Sequence[Event]) -> dict[str, int]:
    counts = Counter(e.kind.value for e in events) + Counter(e.corroboration.value for e in events)
    return {"total": len(events), **counts}


def _incidents(
    violations: Sequence[Violation],
    kinds: Sequence[ViolationType],
    reports: Mapping[str, Report],
    areas: Mapping[str, str],
) -> tuple[Incident, ...]:
    out = []
    for v in violations:
        if v.type not in kinds:
            continue
        report = reports.get(v.report_id or "")
        out.append(
            Incident(
                time=v.time,
                label=violation_label(v.type),
                party=v.party,
                likelihood=likelihood(v.party, v.p_party),
                area=areas.get(v.violation_id, ""),
                lon=v.lon,
                lat=v.lat,
                description=v.description,
                source=_source(report),
                text=(report.text or "") if report else "",
            )
        )
    return tuple(out)


def _source(report: Report | None) -> str:
    if report is None:
        return "-"
    grade = f"{report.reliability or ''}{report.credibility or ''}"
    return f"{report.source_id} ({grade})" if grade else report.source_id


def _findings(
    material: ReportMaterial, violation_ids: set[str], only_touching: bool
) -> tuple[FindingRow, ...]:
    """Findings decided in the period, and later findings on the period's violations (with
    ``only_touching``, only findings on the period's violations: an area's report)."""
    cases = {c.case_id: c for c in material.cases}
    rows = []
    for finding in material.findings:
        case = cases.get(finding.case_id)
        touched = len(violation_ids & set(case.violation_ids)) if case else 0
        decided_in = material.period.contains(finding.decided_at)
        later = finding.decided_at >= material.period.end and touched > 0
        if not (decided_in or later) or (only_touching and touched == 0):
            continue
        rows.append(
            FindingRow(
                finding=finding,
                case_title=case.title if case else "",
                in_period=decided_in,
                period_violations=touched,
                remedies=tuple(
                    r.kind for r in material.remedies if r.finding_id == finding.finding_id
                ),
                activations=tuple(
                    a for a in material.activations if a.finding_id == finding.finding_id
                ),
            )
        )
    return tuple(rows)
