"""Events and violations as the analysis stored them."""

from __future__ import annotations

from datetime import datetime

from truceline.api.models.common import PublicModel
from truceline.domain import Corroboration, EventKind, Severity, ViolationType


class EventPublic(PublicModel):
    event_id: str
    time: datetime
    lon: float
    lat: float
    kind: EventKind
    n_sensors: int
    err_major_m: float | None
    err_minor_m: float | None
    err_azimuth_deg: float | None
    arrival_ids: list[str]
    report_ids: list[str]
    corroboration: Corroboration
    party_control: str | None
    p_control: float | None
    responsible_party: str | None
    p_responsible: float | None
    paired_event_id: str | None
    crlb_m: float | None


class EventsPublic(PublicModel):
    data: list[EventPublic]
    count: int


class ViolationPublic(PublicModel):
    violation_id: str
    type: ViolationType
    severity: Severity
    time: datetime
    event_id: str | None
    report_id: str | None
    party: str | None
    p_party: float | None
    lon: float | None
    lat: float | None
    description: str


class ViolationsPublic(PublicModel):
    data: list[ViolationPublic]
    count: int
