"""What comes in: sensors and their arrivals, weather, sources and their reports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class ArrivalLabel(StrEnum):
    LAUNCH = "launch"
    IMPACT = "impact"
    UNKNOWN = "unknown"


class SourceKind(StrEnum):
    MONITOR = "monitor"
    UAV = "uav"
    CAMERA = "camera"
    OSINT = "osint"
    PARTY = "party"


class Assessment(StrEnum):
    OUTGOING = "outgoing"
    INCOMING = "incoming"
    UNDETERMINED = "undetermined"


RELIABILITY_GRADES = ("A", "B", "C", "D", "E", "F")
CREDIBILITY_GRADES = ("1", "2", "3", "4", "5", "6")


@dataclass(frozen=True)
class Sensor:
    """A fixed acoustic (or seismic) station."""

    sensor_id: str
    lon: float
    lat: float
    elev_m: float = 0.0
    kind: str = "acoustic"
    clock_sigma_s: float = 0.005


@dataclass(frozen=True)
class Arrival:
    """One impulse picked by one sensor at one time (not grouped)."""

    arrival_id: str
    sensor_id: str
    time: datetime
    label: ArrivalLabel | None = None
    snr_db: float | None = None


@dataclass(frozen=True)
class Weather:
    """Surface weather; wind_from_deg is where the wind blows from (METAR)."""

    time: datetime
    temperature_c: float
    wind_speed_ms: float
    wind_from_deg: float
    # How well the row gives the speed of sound along the paths (m/s, temperature and wind
    # together: 0.6 m/s per degree C); None: not stated (the locator assumes 1 m/s).
    sound_speed_sigma_ms: float | None = None


@dataclass(frozen=True)
class Source:
    """Who reports: a monitor team, a UAV, a camera, an OSINT account, a party's liaison."""

    source_id: str
    kind: SourceKind
    party: str | None = None


@dataclass(frozen=True)
class Report:
    """An observation by a source, graded with the Admiralty code (see reports.csv)."""

    report_id: str
    source_id: str
    source_kind: SourceKind
    time: datetime
    event_type: str
    reliability: str | None = None
    credibility: str | None = None
    time_sigma_s: float | None = None
    observer_lon: float | None = None
    observer_lat: float | None = None
    bearing_deg: float | None = None
    bearing_sigma_deg: float | None = None
    distance_min_m: float | None = None
    distance_max_m: float | None = None
    lon: float | None = None
    lat: float | None = None
    loc_sigma_m: float | None = None
    count: int = 1
    assessment: Assessment | None = None
    weapon: str | None = None
    accused_party: str | None = None
    text: str | None = None
    serials: tuple[str, ...] = ()  # serial numbers of the weapons seen (register inspections)
