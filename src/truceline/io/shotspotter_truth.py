"""Ground truth of the ShotSpotter Pittsburgh 2018 live-fire data, and its truth/*.csv files.

The records hold what the locator must NOT see: the surveyed shooter positions, the
firearm, and the vendor's own choice of pulses per shot (``nlos-tuples.json``). They
are written beside the interchange files as ``truth/shots.csv`` (one row per shot) and
``truth/sensors_local.csv`` (each sensor in the local frame of its firing position).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from truceline.domain import Weather
from truceline.io.csvtable import (
    Column,
    PathLike,
    Table,
    format_float,
    int_at_least,
    nonnegative_float,
    parse_float,
    parse_lat,
    parse_lon,
    parse_text,
    read_table,
    write_table,
)
from truceline.io.timefmt import format_time, parse_time


@dataclass(frozen=True)
class TestTruth:
    """One test (``survey.json`` and ``weather.json``): where, what, how many rounds."""

    __test__ = False  # not a pytest class, despite the name

    test_id: int
    firing_position: str
    num_rounds: int
    firearm: str
    approximate_time: datetime  # noted by the programme manager; not the discharge time
    x: float
    y: float
    z: float
    lon: float
    lat: float
    elev_m: float
    weather: Weather


@dataclass(frozen=True)
class ShotTruth:
    """One round fired: its test's surveyed position and the vendor's pulses for it.

    ``vendor_pulse_ids`` are the pulses of ``nlos-tuples.json`` that exist in the
    allpulses files (so in arrivals.csv); ``vendor_missing_pulse_ids`` those that do not.
    Both are empty for a shot the vendor gave no tuple.
    """

    test_id: int
    shot_index: int
    x: float
    y: float
    z: float
    lon: float
    lat: float
    elev_m: float
    firearm: str
    vendor_pulse_ids: tuple[str, ...]
    firing_position: str
    num_rounds: int
    approximate_time: datetime
    temperature_c: float
    vendor_missing_pulse_ids: tuple[str, ...]


@dataclass(frozen=True)
class SensorSite:
    """A sensor in the local frame: the median of the positions its pulses report.

    Each pulse carries the sensor position of that moment (GPS-based); ``n_positions``
    distinct ones were seen, and ``spread_h_m`` / ``spread_v_m`` are the largest
    horizontal / vertical distances of one of them from the chosen position;
    ``position_rms_m`` is the RMS 3D distance of the pulses' positions from it.
    """

    sensor_id: str
    x: float
    y: float
    z: float
    n_pulses: int
    n_positions: int
    spread_h_m: float
    spread_v_m: float
    position_rms_m: float = 0.0


def _format_ids(ids: tuple[str, ...]) -> str:
    return ";".join(ids)


def _parse_ids(cell: str) -> tuple[str, ...]:
    return tuple(cell.split(";"))


def _ids_column(name: str) -> Column:
    return Column(name, _parse_ids, _format_ids, default=())


SHOTS = Table(
    ShotTruth,
    (
        Column("test_id", int_at_least(0), str, required=True),
        Column("shot_index", int_at_least(0), str, required=True),
        Column("x", parse_float, format_float, required=True),
        Column("y", parse_float, format_float, required=True),
        Column("z", parse_float, format_float, required=True),
        Column("lon", parse_lon, format_float, required=True),
        Column("lat", parse_lat, format_float, required=True),
        Column("elev_m", parse_float, format_float, required=True),
        Column("firearm", parse_text, required=True),
        _ids_column("vendor_pulse_ids"),
        Column("firing_position", parse_text, required=True),
        Column("num_rounds", int_at_least(1), str, required=True),
        Column("approximate_time", parse_time, format_time, required=True),
        Column("temperature_c", parse_float, format_float, required=True),
        _ids_column("vendor_missing_pulse_ids"),
    ),
)

SITES = Table(
    SensorSite,
    (
        Column("sensor_id", parse_text, required=True, unique=True),
        Column("x", parse_float, format_float, required=True),
        Column("y", parse_float, format_float, required=True),
        Column("z", parse_float, format_float, required=True),
        Column("n_pulses", int_at_least(1), str, required=True),
        Column("n_positions", int_at_least(1), str, required=True),
        Column("spread_h_m", nonnegative_float, format_float, required=True),
        Column("spread_v_m", nonnegative_float, format_float, required=True),
        Column("position_rms_m", nonnegative_float, format_float, default=0.0),
    ),
)


def write_shot_truth(path: PathLike, shots: Iterable[ShotTruth]) -> None:
    """Write truth/shots.csv atomically (pulse ids ``;``-joined)."""
    write_table(path, SHOTS, shots)


def read_shot_truth(path: PathLike) -> list[ShotTruth]:
    """Read truth/shots.csv back, as a benchmark does."""
    return read_table(path, SHOTS)


def write_sensor_sites(path: PathLike, sites: Iterable[SensorSite]) -> None:
    """Write truth/sensors_local.csv atomically."""
    write_table(path, SITES, sites)


def read_sensor_sites(path: PathLike) -> list[SensorSite]:
    """Read truth/sensors_local.csv back."""
    return read_table(path, SITES)
