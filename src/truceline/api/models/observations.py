"""Sensors, arrivals and reports: what intake accepts and what reads return."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import Field

from truceline.api.models.common import (
    Code,
    CreateModel,
    Finite,
    Id,
    Lat,
    Lon,
    NonNegative,
    PublicModel,
    Text,
    UtcTime,
)
from truceline.domain import ArrivalLabel, Assessment, SourceKind

Reliability = Annotated[str, Field(pattern=r"^[A-F]$", description="Admiralty reliability A-F.")]
Credibility = Annotated[str, Field(pattern=r"^[1-6]$", description="Admiralty credibility 1-6.")]
Bearing = Annotated[float, Field(ge=0, lt=360, allow_inf_nan=False)]


class SensorCreate(CreateModel):
    """A sensor as sensors.csv has it."""

    sensor_id: Id
    lon: Lon
    lat: Lat
    elev_m: Finite = 0.0
    kind: Code = "acoustic"
    clock_sigma_s: NonNegative = 0.005


class SensorPublic(PublicModel):
    sensor_id: str
    lon: float
    lat: float
    elev_m: float
    kind: str
    clock_sigma_s: float


class SensorsPublic(PublicModel):
    data: list[SensorPublic]
    count: int


class ArrivalCreate(CreateModel):
    """An arrival as arrivals.csv has it; its sensor must be stored (or in the same batch
    of sensors sent before)."""

    arrival_id: Id
    sensor_id: Id
    time: UtcTime
    label: ArrivalLabel | None = None
    snr_db: Finite | None = None


class ArrivalPublic(PublicModel):
    arrival_id: str
    sensor_id: str
    time: datetime
    label: ArrivalLabel | None
    snr_db: float | None


class ArrivalsPublic(PublicModel):
    data: list[ArrivalPublic]
    count: int


class ReportCreate(CreateModel):
    """A report as reports.csv has it (a party's liaison files source_kind ``party``)."""

    report_id: Id
    source_id: Id
    source_kind: SourceKind
    time: UtcTime
    event_type: Code
    reliability: Reliability | None = None
    credibility: Credibility | None = None
    time_sigma_s: NonNegative | None = None
    observer_lon: Lon | None = None
    observer_lat: Lat | None = None
    bearing_deg: Bearing | None = None
    bearing_sigma_deg: NonNegative | None = None
    distance_min_m: NonNegative | None = None
    distance_max_m: NonNegative | None = None
    lon: Lon | None = None
    lat: Lat | None = None
    loc_sigma_m: NonNegative | None = None
    count: Annotated[int, Field(ge=1, le=1_000_000)] = 1
    assessment: Assessment | None = None
    weapon: Code | None = None
    accused_party: Code | None = None
    text: Text | None = None
    serials: Annotated[tuple[Id, ...], Field(max_length=1000)] = ()  # weapons seen, by serial


class ReportPublic(PublicModel):
    report_id: str
    source_id: str
    source_kind: SourceKind
    time: datetime
    event_type: str
    reliability: str | None
    credibility: str | None
    time_sigma_s: float | None
    observer_lon: float | None
    observer_lat: float | None
    bearing_deg: float | None
    bearing_sigma_deg: float | None
    distance_min_m: float | None
    distance_max_m: float | None
    lon: float | None
    lat: float | None
    loc_sigma_m: float | None
    count: int
    assessment: Assessment | None
    weapon: str | None
    accused_party: str | None
    text: str | None
    serials: tuple[str, ...] = ()


class ReportsPublic(PublicModel):
    data: list[ReportPublic]
    count: int
