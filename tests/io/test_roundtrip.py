"""Property tests: writing records and reading them back gives equal records."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.io import strategies as s
from truceline.io.arrivals import read_arrivals, write_arrivals
from truceline.io.events import read_events, write_events
from truceline.io.reports import read_reports, write_reports
from truceline.io.sensors import read_sensors, write_sensors
from truceline.io.weather import read_weather, write_weather

# tmp_path is shared by the examples of one test: each example overwrites the same file.
ROUND_TRIP = settings(suppress_health_check=[HealthCheck.function_scoped_fixture])


def round_trip(
    tmp_path: Path,
    write: Callable[[Path, Sequence[Any]], None],
    read: Callable[[Path], list[Any]],
    records: Sequence[Any],
) -> None:
    path = tmp_path / "file.csv"
    write(path, records)
    assert read(path) == list(records)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file.csv"]  # no temporary left


@ROUND_TRIP
@given(st.lists(s.sensors, unique_by=lambda x: x.sensor_id, max_size=8))
def test_sensors_round_trip(tmp_path: Path, sensors: list[Any]) -> None:
    round_trip(tmp_path, write_sensors, read_sensors, sensors)


@ROUND_TRIP
@given(st.lists(s.arrivals, unique_by=lambda x: x.arrival_id, max_size=8))
def test_arrivals_round_trip(tmp_path: Path, arrivals: list[Any]) -> None:
    round_trip(tmp_path, write_arrivals, read_arrivals, arrivals)


@ROUND_TRIP
@given(st.lists(s.arrivals, unique_by=lambda x: x.arrival_id, max_size=8))
def test_arrivals_round_trip_with_known_sensors(tmp_path: Path, arrivals: list[Any]) -> None:
    known = {a.sensor_id for a in arrivals}
    round_trip(tmp_path, write_arrivals, lambda p: read_arrivals(p, sensor_ids=known), arrivals)


@ROUND_TRIP
@given(st.lists(s.weather_rows, max_size=8))
def test_weather_round_trip(tmp_path: Path, rows: list[Any]) -> None:
    round_trip(tmp_path, write_weather, read_weather, rows)


@ROUND_TRIP
@given(st.lists(s.reports(), unique_by=lambda x: x.report_id, max_size=6))
def test_reports_round_trip(tmp_path: Path, reports: list[Any]) -> None:
    round_trip(tmp_path, write_reports, read_reports, reports)


@ROUND_TRIP
@given(st.lists(s.events(), unique_by=lambda x: x.event_id, max_size=6))
def test_events_round_trip(tmp_path: Path, events: list[Any]) -> None:
    round_trip(tmp_path, write_events, read_events, events)
