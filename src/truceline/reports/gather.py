"""Read what a report needs from the store (the only module of the package that queries it)."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import Connection

from truceline.reports.daily import TREND_DAYS, Period, ReportMaterial
from truceline.store.analysis import get_events, get_violations
from truceline.store.commission import get_cases, get_findings, get_remedies
from truceline.store.guarantees import get_activations
from truceline.store.observations import get_reports


def daily_periods(day: date, trend_days: int = TREND_DAYS) -> tuple[Period, Period]:
    """The day, and the trend window ending with it."""
    return Period(day, day), Period(day - timedelta(days=trend_days - 1), day)


def gather_material(conn: Connection, period: Period, trend: Period) -> ReportMaterial:
    """The period's events, the trend window's violations, the reports they rest on, and
    the commission's findings, cases, remedies and activations."""
    violations = get_violations(conn, start=trend.start, end=trend.end)
    wanted = {v.report_id for v in violations if v.report_id and period.contains(v.time)}
    reports = {
        r.report_id: r
        for r in (get_reports(conn, start=period.start, end=period.end) if wanted else [])
        if r.report_id in wanted
    }
    return ReportMaterial(
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
