"""/sensors: batch intake (JSON and sensors.csv) and the list."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter

from truceline.api import intake, visibility
from truceline.api.deps import StateDep, WindowDep, require
from truceline.api.errors import AUTH_ERRORS, INTAKE_ERRORS
from truceline.api.models.common import IntakeResult
from truceline.api.models.observations import SensorCreate, SensorPublic, SensorsPublic
from truceline.api.roles import Principal, Role
from truceline.api.routes._shared import CsvBody, csv_body
from truceline.domain import Sensor
from truceline.io.sensors import read_sensors

router = APIRouter(prefix="/sensors", tags=["sensors"])
FEEDS = (Role.SENSOR_FEED, Role.ANALYST)
READERS = (Role.MONITOR, Role.SENSOR_FEED, Role.ANALYST, Role.COMMISSIONER)


@router.post("", response_model=IntakeResult, responses=INTAKE_ERRORS)
def add_sensors(
    body: list[SensorCreate], _caller: Annotated[Principal, require(*FEEDS)], state: StateDep
) -> IntakeResult:
    """Store a batch of sensors (all or none; ids already stored as sent are counted)."""
    intake.check_batch_size(len(body), state.settings.api_max_batch_rows)
    sensors = [Sensor(**item.model_dump()) for item in body]
    with state.writing():
        result = intake.store_sensors(state.engine, sensors)
    return IntakeResult(new=result.new, existing=result.existing)


@router.post(
    "/csv",
    response_model=IntakeResult,
    responses=INTAKE_ERRORS,
    openapi_extra=csv_body("sensor_id,lon,lat", "S1,37.80,48.00"),
)
def add_sensors_csv(
    body: CsvBody, _caller: Annotated[Principal, require(*FEEDS)], state: StateDep
) -> IntakeResult:
    """Store sensors.csv sent as the body (errors name line and column)."""
    sensors = intake.read_csv_body(body, read_sensors, name="sensors.csv")
    intake.check_batch_size(len(sensors), state.settings.api_max_batch_rows)
    with state.writing():
        result = intake.store_sensors(state.engine, sensors)
    return IntakeResult(new=result.new, existing=result.existing)


@router.get("", response_model=SensorsPublic, responses=AUTH_ERRORS)
def list_sensors(
    _caller: Annotated[Principal, require(*READERS)], state: StateDep, window: WindowDep
) -> SensorsPublic:
    """Sensors, by id."""
    page = visibility.sensors(state.engine, window)
    return SensorsPublic(
        data=[SensorPublic.model_validate(s) for s in page.items], count=page.count
    )
