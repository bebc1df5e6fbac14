"""What the engine concludes: events and the violations they constitute."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class EventKind(StrEnum):
    LAUNCH = "launch"
    IMPACT = "impact"
    UNKNOWN = "unknown"


class Corroboration(StrEnum):
    SINGLE_SOURCE = "single_source"
    CORROBORATED = "corroborated"
    VERIFIED = "verified"


class ViolationType(StrEnum):
    FIRE_ACROSS_LINE = "fire_across_line"
    WEAPON_IN_WITHDRAWAL_ZONE = "weapon_in_withdrawal_zone"
    BUFFER_ZONE_INCURSION = "buffer_zone_incursion"
    FIRE_AT_PROTECTED_SITE = "fire_at_protected_site"
    ACCESS_DENIED = "access_denied"
    MISSING_WEAPON = "missing_weapon"


class Severity(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


@dataclass(frozen=True)
class Event:
    """One physical occurrence with a position and a one-sigma error ellipse (events.csv)."""

    event_id: str
    time: datetime
    lon: float
    lat: float
    kind: EventKind
    n_sensors: int = 0
    err_major_m: float | None = None
    err_minor_m: float | None = None
    err_azimuth_deg: float | None = None
    arrival_ids: tuple[str, ...] = ()
    report_ids: tuple[str, ...] = ()
    corroboration: Corroboration = Corroboration.SINGLE_SOURCE
    party_control: str | None = None
    p_control: float | None = None
    responsible_party: str | None = None
    p_responsible: float | None = None
    paired_event_id: str | None = None
    crlb_m: float | None = None  # Cramer-Rao bound of the horizontal position (RMS, m)


@dataclass(frozen=True)
class Violation:
    """An event or observation that breaks a named rule."""

    violation_id: str
    type: ViolationType
    severity: Severity
    time: datetime
    event_id: str | None = None
    report_id: str | None = None
    party: str | None = None
    p_party: float | None = None
    lon: float | None = None
    lat: float | None = None
    description: str = ""
