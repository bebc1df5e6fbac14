"""/reports: batch intake (JSON and reports.csv) and the list (a liaison: its own filings)."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated

from fastapi import APIRouter, Query

from truceline.api import intake, visibility
from truceline.api.deps import FiltersDep, StateDep, WindowDep, require
from truceline.api.errors import AUTH_ERRORS, INTAKE_ERRORS
from truceline.api.models.common import Code, IntakeResult
from truceline.api.models.observations import ReportCreate, ReportPublic, ReportsPublic
from truceline.api.roles import Principal, Role
from truceline.api.routes._shared import CsvBody, csv_body
from truceline.domain import Report
from truceline.io.reports import read_reports

router = APIRouter(prefix="/reports", tags=["reports"])
FILERS = (Role.MONITOR, Role.ANALYST, Role.PARTY_LIAISON)
READERS = (Role.MONITOR, Role.ANALYST, Role.COMMISSIONER, Role.PARTY_LIAISON)


@router.post("", response_model=IntakeResult, responses=INTAKE_ERRORS)
def add_reports(
    body: list[ReportCreate], caller: Annotated[Principal, require(*FILERS)], state: StateDep
) -> IntakeResult:
    """Store a batch of reports (all or none); a liaison's are filed as its party's."""
    intake.check_batch_size(len(body), state.settings.api_max_batch_rows)
    reports = [Report(**item.model_dump()) for item in body]
    with state.writing():
        result = intake.store_reports(state.engine, reports, caller)
    return IntakeResult(new=result.new, existing=result.existing)


@router.post(
    "/csv",
    response_model=IntakeResult,
    responses=INTAKE_ERRORS,
    openapi_extra=csv_body(
        "report_id,source_id,source_kind,time,event_type",
        "R1,OSCE-7,monitor,2026-03-01T04:12:40Z,explosion",
    ),
)
def add_reports_csv(
    body: CsvBody, caller: Annotated[Principal, require(*FILERS)], state: StateDep
) -> IntakeResult:
    """Store reports.csv sent as the body (errors name line and column)."""
    reports = intake.read_csv_body(body, read_reports, name="reports.csv")
    intake.check_batch_size(len(reports), state.settings.api_max_batch_rows)
    with state.writing():
        result = intake.store_reports(state.engine, reports, caller)
    return IntakeResult(new=result.new, existing=result.existing)


@router.get("", response_model=ReportsPublic, responses=AUTH_ERRORS)
def list_reports(
    caller: Annotated[Principal, require(*READERS)],
    state: StateDep,
    filters: FiltersDep,
    window: WindowDep,
    event_type: Annotated[Code | None, Query(description="Only of this event type.")] = None,
) -> ReportsPublic:
    """Reports by time (``party``: the accused party). A liaison sees its party's filings."""
    page = visibility.reports(state.engine, caller, replace(filters, kind=event_type), window)
    return ReportsPublic(
        data=[ReportPublic.model_validate(r) for r in page.items], count=page.count
    )
