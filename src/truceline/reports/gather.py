"""Read what a report needs from the store (the only module of the package that queries it).

A report is a public output: what it reads passes through the redaction policy of its
audience (the public by default) before anything is formatted (docs/source-protection.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date, timedelta

from sqlalchemy import Connection

from truceline.domain import Report, Violation
from truceline.redaction import Audience, Publication, Redactor, redactor_for
from truceline.reports.daily import TREND_DAYS, Period, ReportMaterial
from truceline.store.analysis import get_events, get_violations
from truceline.store.commission import get_cases, get_findings, get_remedies
from truceline.store.guarantees import get_activations
from truceline.store.observations import get_reports


def daily_periods(day: date, trend_days: int = TREND_DAYS) -> tuple[Period, Period]:
    """The day, and the trend window ending with it."""
    return Period(day, day), Period(day - timedelta(days=trend_days - 1), day)


def gather_material(
    conn: Connection, period: Period, trend: Period, audience: Audience = Audience.PUBLIC
) -> ReportMaterial:
    """The period's events, the trend window's violations, the reports they rest on, and
    the commission's findings, cases, remedies and activations, as ``audience`` may read them."""
    violations = get_violations(conn, start=trend.start, end=trend.end)
    wanted = {v.report_id for v in violations if v.report_id and period.contains(v.time)}
    reports = {
        r.report_id: r
        for r in (get_reports(conn, start=period.start, end=period.end) if wanted else [])
        if r.report_id in wanted
    }
    material = ReportMaterial(
        period=period,
        trend=trend,
        events=tuple(get_events(conn, start=period.start, end=period.end)),
        violations=tuple(violations),
        reports=reports,
        findings=tuple(get_findings(conn)),
        cases=tuple(get_cases(conn)),
        remedies=tuple(get_remedies(conn)),
        activations=tuple(get_activations(conn)),
    )
    return redact_material(material, redactor_for(conn, audience, Publication.REPORT))


def redact_material(material: ReportMaterial, redactor: Redactor) -> ReportMaterial:
    """The material as the redactor publishes it.

    A violation and its report stay linked through a token that is only the report's rank in
    this material (``report-1``, ...): the report's own id may name the team that filed it.
    """
    if redactor.is_exact:
        return material
    tokens = {rid: f"report-{i}" for i, rid in enumerate(sorted(material.reports), start=1)}
    return replace(
        material,
        events=tuple(redactor.event(e) for e in material.events),
        violations=tuple(
            _violation(v, material.reports, tokens, redactor) for v in material.violations
        ),
        reports={
            tokens[rid]: replace(redactor.report(r), report_id=tokens[rid])
            for rid, r in material.reports.items()
        },
        findings=tuple(redactor.finding(f) for f in material.findings),
        cases=tuple(redactor.case(c) for c in material.cases),
        remedies=tuple(redactor.remedy(r) for r in material.remedies),
        activations=tuple(redactor.activation(a) for a in material.activations),
    )


def _violation(
    violation: Violation,
    reports: Mapping[str, Report],
    tokens: Mapping[str, str],
    redactor: Redactor,
) -> Violation:
    """The redacted violation, pointing at its report's token (if the report is in hand)."""
    report = reports.get(violation.report_id or "")
    redacted = redactor.violation(violation, report)
    return replace(redacted, report_id=tokens.get(violation.report_id or ""))
