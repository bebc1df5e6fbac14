"""Malformed input battery: every refusal names file, line and column and leaves nothing behind."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from truceline.domain import Arrival, Event, EventKind, Report, Sensor, SourceKind, Weather
from truceline.errors import InputError
from truceline.io.arrivals import read_arrivals, write_arrivals
from truceline.io.events import read_events, write_events
from truceline.io.reports import read_reports, write_reports
from truceline.io.sensors import read_sensors, write_sensors
from truceline.io.weather import read_weather, write_weather

T0 = datetime(2026, 3, 1, 4, 12, 33, tzinfo=UTC)

READERS: dict[str, Callable[[Path], list[Any]]] = {
    "sensors": read_sensors,
    "arrivals": lambda path: read_arrivals(path, sensor_ids={"S1", "S2"}),
    "weather": read_weather,
    "reports": read_reports,
    "events": read_events,
}

# A valid row per file; each case writes it on line 2, then a variant of it on line 3.
GOOD: dict[str, dict[str, str]] = {
    "sensors": {
        "sensor_id": "S1",
        "lon": "37.5",
        "lat": "48.25",
        "elev_m": "120",
        "kind": "acoustic",
        "clock_sigma_s": "0.005",
    },
    "arrivals": {
        "arrival_id": "A1",
        "sensor_id": "S1",
        "time": "2026-03-01T04:12:33.123456Z",
        "label": "launch",
        "snr_db": "12.5",
    },
    "weather": {
        "time": "2026-03-01T00:00:00Z",
        "temperature_c": "4.5",
        "wind_speed_ms": "3.0",
        "wind_from_deg": "270",
    },
    "reports": {
        "report_id": "R1",
        "source_id": "team-3",
        "source_kind": "monitor",
        "reliability": "B",
        "credibility": "2",
        "time": "2026-03-01T04:12:40Z",
        "time_sigma_s": "5",
        "observer_lon": "37.6",
        "observer_lat": "48.3",
        "bearing_deg": "225",
        "bearing_sigma_deg": "10",
        "distance_min_m": "3000",
        "distance_max_m": "5000",
        "lon": "",
        "lat": "",
        "loc_sigma_m": "",
        "event_type": "explosion",
        "count": "2",
        "assessment": "incoming",
        "weapon": "mortar_120",
        "accused_party": "",
        "text": 'two explosions, "loud"',
    },
    "events": {
        "event_id": "E1",
        "time": "2026-03-01T04:12:30.5Z",
        "lon": "37.61",
        "lat": "48.02",
        "kind": "launch",
        "n_sensors": "3",
        "err_major_m": "120",
        "err_minor_m": "80",
        "err_azimuth_deg": "45",
        "arrival_ids": "A1;A2;A3",
        "report_ids": "R1",
        "corroboration": "corroborated",
        "party_control": "RU",
        "p_control": "0.93",
        "responsible_party": "RU",
        "p_responsible": "0.93",
        "paired_event_id": "E2",
    },
}
ID_COLUMN = {
    "sensors": "sensor_id",
    "arrivals": "arrival_id",
    "reports": "report_id",
    "events": "event_id",
}


def csv_text(kind: str, change: dict[str, str], drop: str | None = None) -> bytes:
    """Header, a good row (line 2) and the good row with ``change`` (line 3)."""
    first = dict(GOOD[kind])
    second = dict(first)
    if kind in ID_COLUMN:
        second[ID_COLUMN[kind]] += "-b"
    second.update(change)
    out = io.StringIO()
    writer = csv.DictWriter(out, [c for c in first if c != drop], extrasaction="ignore")
    writer.writeheader()
    writer.writerows([first, second])
    return out.getvalue().encode()


# (file kind, cells changed on line 3, expected column, a fragment of the message)
BAD_VALUES = [
    ("sensors", {"lat": "91"}, "lat", "must be within [-90, 90]"),
    ("sensors", {"lat": "-90.0001"}, "lat", "must be within [-90, 90]"),
    ("sensors", {"lon": "180.5"}, "lon", "must be within [-180, 180]"),
    ("sensors", {"lon": "nan"}, "lon", "finite"),
    ("sensors", {"lat": "inf"}, "lat", "finite"),
    ("sensors", {"lat": "48,25"}, "lat", "not a number"),
    ("sensors", {"lat": ""}, "lat", "required value is empty"),
    ("sensors", {"sensor_id": ""}, "sensor_id", "required value is empty"),
    ("sensors", {"sensor_id": "S1"}, "sensor_id", "duplicate sensor_id (first on line 2)"),
    ("sensors", {"clock_sigma_s": "-0.001"}, "clock_sigma_s", "must not be negative"),
    ("sensors", {"elev_m": "high"}, "elev_m", "not a number"),
    ("arrivals", {"time": "2026-03-01T04:12:33"}, "time", "no zone"),
    ("arrivals", {"time": "2026-03-01T06:12:33+02:00"}, "time", "not in UTC"),
    ("arrivals", {"time": "01/03/2026 04:12:33"}, "time", "ISO 8601"),
    ("arrivals", {"time": "2026-03-01T04:12:33.1234567Z"}, "time", "6 fractional digits"),
    ("arrivals", {"time": "2026-02-29T04:12:33Z"}, "time", "invalid time"),
    ("arrivals", {"time": ""}, "time", "required value is empty"),
    ("arrivals", {"sensor_id": "S9"}, "sensor_id", "unknown sensor, got 'S9'"),
    ("arrivals", {"sensor_id": " S1"}, "sensor_id", "unknown sensor"),
    ("arrivals", {"arrival_id": "A1"}, "arrival_id", "duplicate arrival_id"),
    ("arrivals", {"label": "Launch"}, "label", "must be one of launch, impact, unknown"),
    ("arrivals", {"snr_db": "12dB"}, "snr_db", "not a number"),
    ("weather", {"time": "yesterday"}, "time", "ISO 8601"),
    ("weather", {"wind_from_deg": "360"}, "wind_from_deg", "[0, 360)"),
    ("weather", {"wind_from_deg": "-1"}, "wind_from_deg", "[0, 360)"),
    ("weather", {"wind_speed_ms": "-2"}, "wind_speed_ms", "must not be negative"),
    ("weather", {"temperature_c": ""}, "temperature_c", "required value is empty"),
    ("reports", {"report_id": "R1"}, "report_id", "duplicate report_id"),
    ("reports", {"source_kind": "ngo"}, "source_kind", "must be one of monitor, uav"),
    ("reports", {"source_id": ""}, "source_id", "required value is empty"),
    ("reports", {"reliability": "G"}, "reliability", "must be one of A, B, C, D, E, F"),
    ("reports", {"reliability": "b"}, "reliability", "must be one of"),
    ("reports", {"credibility": "7"}, "credibility", "must be one of 1, 2, 3, 4, 5, 6"),
    ("reports", {"time": "2026-03-01"}, "time", "ISO 8601"),
    ("reports", {"time_sigma_s": "-1"}, "time_sigma_s", "must not be negative"),
    ("reports", {"observer_lat": "91"}, "observer_lat", "within [-90, 90]"),
    ("reports", {"observer_lat": ""}, "observer_lat", "required when observer_lon is given"),
    ("reports", {"observer_lon": ""}, "observer_lon", "required when observer_lat is given"),
    ("reports", {"lon": "37.7"}, "lat", "lat is required when lon is given"),
    ("reports", {"bearing_deg": "360"}, "bearing_deg", "[0, 360)"),
    ("reports", {"bearing_sigma_deg": "-5"}, "bearing_sigma_deg", "must not be negative"),
    ("reports", {"distance_min_m": "-1"}, "distance_min_m", "must not be negative"),
    ("reports", {"distance_min_m": "6000"}, "distance_max_m", "less than distance_min_m"),
    ("reports", {"loc_sigma_m": "-3"}, "loc_sigma_m", "must not be negative"),
    ("reports", {"count": "0"}, "count", "integer >= 1"),
    ("reports", {"count": "1.5"}, "count", "not an integer"),
    ("reports", {"assessment": "outbound"}, "assessment", "must be one of outgoing"),
    ("reports", {"event_type": ""}, "event_type", "required value is empty"),
    ("events", {"event_id": "E1"}, "event_id", "duplicate event_id"),
    ("events", {"kind": "explosion"}, "kind", "must be one of launch, impact, unknown"),
    ("events", {"lat": "91"}, "lat", "within [-90, 90]"),
    ("events", {"time": "2026-03-01T04:12:30.5"}, "time", "no zone"),
    ("events", {"n_sensors": "-1"}, "n_sensors", "integer >= 0"),
    ("events", {"err_major_m": "-120"}, "err_major_m", "must not be negative"),
    ("events", {"err_minor_m": "130"}, "err_minor_m", "exceeds err_major_m"),
    ("events", {"err_azimuth_deg": "400"}, "err_azimuth_deg", "[0, 360)"),
    ("events", {"arrival_ids": "A1;;A2"}, "arrival_ids", "empty id"),
    ("events", {"report_ids": "R1;"}, "report_ids", "empty id"),
    ("events", {"corroboration": "confirmed"}, "corroboration", "must be one of single_source"),
    ("events", {"p_control": "1.01"}, "p_control", "within [0, 1]"),
    ("events", {"p_responsible": "-0.1"}, "p_responsible", "within [0, 1]"),
]


def assert_refused(kind: str, tmp_path: Path, data: bytes, line: int, column: str | None) -> str:
    path = tmp_path / f"{kind}.csv"
    path.write_bytes(data)
    with pytest.raises(InputError) as caught:
        READERS[kind](path)
    error = caught.value
    assert (error.file, error.line, error.column) == (str(path), line, column)
    assert str(error).startswith(f"{path}, line {line}")
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # nothing else was written
    return error.message


def test_good_rows_are_good(tmp_path: Path) -> None:
    for kind, reader in READERS.items():
        path = tmp_path / f"{kind}.csv"
        path.write_bytes(csv_text(kind, {}))
        assert len(reader(path)) == 2


@pytest.mark.parametrize(("kind", "change", "column", "fragment"), BAD_VALUES)
def test_bad_value(
    tmp_path: Path, kind: str, change: dict[str, str], column: str, fragment: str
) -> None:
    message = assert_refused(kind, tmp_path, csv_text(kind, change), 3, column)
    assert fragment in message


REQUIRED = {
    "sensors": ["sensor_id", "lon", "lat"],
    "arrivals": ["arrival_id", "sensor_id", "time"],
    "weather": ["time", "temperature_c", "wind_speed_ms", "wind_from_deg"],
    "reports": ["report_id", "source_id", "source_kind", "time", "event_type"],
    "events": ["event_id", "time", "lon", "lat", "kind"],
}


@pytest.mark.parametrize(
    ("kind", "column"), [(k, c) for k, columns in REQUIRED.items() for c in columns]
)
def test_missing_required_column(tmp_path: Path, kind: str, column: str) -> None:
    message = assert_refused(kind, tmp_path, csv_text(kind, {}, drop=column), 1, column)
    assert "required column is missing" in message


GARBAGE = [
    (b"", 1, "empty file"),
    (b"\n\n", 1, "empty file"),
    (b"\x00" * 64, 1, "binary data"),
    (bytes(range(256)) * 8, 1, "binary data"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", 1, "not valid UTF-8"),
    (b"sensor_id\n" + b"\x00\x01\x02\x03" * 16, 2, "binary data"),
    (b"\xff\xfe\x1f\x8b\x08" + b"\xc3" * 40, 1, "not valid UTF-8"),
]


@pytest.mark.parametrize("kind", READERS)
@pytest.mark.parametrize(("data", "line", "fragment"), GARBAGE)
def test_empty_or_binary_file(
    tmp_path: Path, kind: str, data: bytes, line: int, fragment: str
) -> None:
    assert fragment in assert_refused(kind, tmp_path, data, line, None)


@pytest.mark.parametrize("kind", READERS)
def test_undecodable_byte_is_located(tmp_path: Path, kind: str) -> None:
    data = csv_text(kind, {}) + "Kyïv".encode("latin-1") + b"\n"
    assert "not valid UTF-8" in assert_refused(kind, tmp_path, data, 4, None)


@pytest.mark.parametrize("kind", READERS)
def test_nul_byte_is_located(tmp_path: Path, kind: str) -> None:
    lines = csv_text(kind, {}).split(b"\n")
    lines[2] = b"\x00" + lines[2]
    data = b"\n".join(lines)
    assert "binary data" in assert_refused(kind, tmp_path, data, 3, None)


# Invalid records: the writer refuses them with ValueError and leaves no file.
S = Sensor("S1", 37.5, 48.25)
A = Arrival("A1", "S1", T0)
R = Report("R1", "team-3", SourceKind.MONITOR, T0, "explosion")
E = Event("E1", T0, 37.6, 48.0, EventKind.LAUNCH)
BAD_WRITES: list[tuple[Callable[[Path, Any], None], list[Any], str]] = [
    (write_sensors, [S, Sensor("S2", 37.5, 91.0)], "record 2, column 'lat'"),
    (write_sensors, [S, S], "record 2, column 'sensor_id': duplicate"),
    (write_sensors, [Sensor("", 37.5, 48.25)], "column 'sensor_id': required value is empty"),
    (write_sensors, [Sensor("S1", 37.5, 48.25, clock_sigma_s=-1.0)], "'clock_sigma_s'"),
    (write_sensors, [Sensor("S1", float("nan"), 48.25)], "'lon': must be a finite number"),
    (write_arrivals, [Arrival("A1", "S1", datetime(2026, 3, 1))], "'time': naive datetime"),
    (write_arrivals, [A, A], "'arrival_id': duplicate"),
    (write_arrivals, [Arrival("A1", "S1", T0, label="Launch")], "'label': must be one of"),  # type: ignore[arg-type]
    (write_weather, [Weather(T0, 4.5, -1.0, 270.0)], "'wind_speed_ms'"),
    (write_weather, [Weather(T0, 4.5, 1.0, 360.0)], "'wind_from_deg'"),
    (write_reports, [Report("R1", "t", SourceKind.UAV, T0, "x", reliability="Z")], "'reliability'"),
    (write_reports, [Report("R1", "t", SourceKind.UAV, T0, "x", count=0)], "'count'"),
    (write_reports, [Report("R1", "t", SourceKind.UAV, T0, "x", lon=37.0)], "'lat': lat is"),
    (
        write_reports,
        [Report("R1", "t", SourceKind.UAV, T0, "x", distance_min_m=5.0, distance_max_m=3.0)],
        "'distance_max_m'",
    ),
    (write_events, [E, E], "'event_id': duplicate"),
    (write_events, [Event("E1", T0, 37.6, 48.0, EventKind.LAUNCH, arrival_ids=("A;1",))], "';'"),
    (
        write_events,
        [Event("E1", T0, 37.6, 48.0, EventKind.LAUNCH, report_ids=("",))],
        "'report_ids'",
    ),
    (write_events, [Event("E1", T0, 37.6, 48.0, EventKind.LAUNCH, p_control=2.0)], "'p_control'"),
    (
        write_events,
        [Event("E1", T0, 37.6, 48.0, EventKind.LAUNCH, err_major_m=1.0, err_minor_m=2.0)],
        "'err_minor_m'",
    ),
]


@pytest.mark.parametrize(("write", "records", "fragment"), BAD_WRITES)
def test_bad_write_leaves_nothing(
    tmp_path: Path, write: Callable[[Path, Any], None], records: list[Any], fragment: str
) -> None:
    path = tmp_path / "out.csv"
    with pytest.raises(ValueError, match=r"out\.csv: record") as caught:
        write(path, records)
    assert fragment in str(caught.value)
    assert list(tmp_path.iterdir()) == []
