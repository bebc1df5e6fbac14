"""/arrivals: batch intake (JSON and arrivals.csv) and the list."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from truceline.api import intake, visibility
from truceline.api.deps import FiltersDep, StateDep, WindowDep, require
from truceline.api.errors import AUTH_ERRORS, INTAKE_ERRORS
from truceline.api.models.common import Id, IntakeResult
from truceline.api.models.observations import ArrivalCreate, ArrivalPublic, ArrivalsPublic
from truceline.api.roles import Principal, Role
from truceline.api.routes._shared import CsvBody, csv_body
from truceline.domain import Arrival
from truceline.io.arrivals import read_arrivals

router = APIRouter(prefix="/arrivals", tags=["arrivals"])
FEEDS = (Role.SENSOR_FEED, Role.ANALYST)
READERS = (Role.MONITOR, Role.SENSOR_FEED, Role.ANALYST, Role.COMMISSIONER)


@router.post("", response_model=IntakeResult, responses=INTAKE_ERRORS)
def add_arrivals(
    body: list[ArrivalCreate], _caller: Annotated[Principal, require(*FEEDS)], state: StateDep
) -> IntakeResult:
    """Store a batch of arrivals of stored sensors (all or none, one transaction)."""
    intake.check_batch_size(len(body), state.settings.api_max_batch_rows)
    arrivals = [Arrival(**item.model_dump()) for item in body]
    with state.writing():
        result = intake.store_arrivals(state.engine, arrivals)
    return IntakeResult(new=result.new, existing=result.existing)


@router.post(
    "/csv",
    response_model=IntakeResult,
    responses=INTAKE_ERRORS,
    openapi_extra=csv_body("arrival_id,sensor_id,time", "A1,S1,2026-03-01T04:12:33.25Z"),
)
def add_arrivals_csv(
    body: CsvBody, _caller: Annotated[Principal, require(*FEEDS)], state: StateDep
) -> IntakeResult:
    """Store arrivals.csv sent as the body (errors name line and column)."""
    arrivals = intake.read_csv_body(body, read_arrivals, name="arrivals.csv")
    intake.check_batch_size(len(arrivals), state.settings.api_max_batch_rows)
    with state.writing():
        result = intake.store_arrivals(state.engine, arrivals)
    return IntakeResult(new=result.new, existing=result.existing)


@router.get("", response_model=ArrivalsPublic, responses=AUTH_ERRORS)
def list_arrivals(
    _caller: Annotated[Principal, require(*READERS)],
    state: StateDep,
    filters: FiltersDep,
    window: WindowDep,
    sensor_id: Annotated[Id | None, Query(description="Only of this sensor.")] = None,
) -> ArrivalsPublic:
    """Arrivals by time (``bbox`` and ``party`` do not apply to arrivals)."""
    page = visibility.arrivals(state.engine, filters, window, sensor_id)
    return ArrivalsPublic(
        data=[ArrivalPublic.model_validate(a) for a in page.items], count=page.count
    )
