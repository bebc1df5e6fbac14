"""Repository of what comes in: sensors, arrivals, weather and reports."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, select

from truceline.domain import Arrival, ArrivalLabel, Assessment, Report, Sensor, SourceKind, Weather
from truceline.store import tables
from truceline.store.bulk import COPY_CHUNK_SIZE, copy_arrivals
from truceline.store.queries import in_window
from truceline.store.records import AddResult
from truceline.store.writes import (
    DEFAULT_CHUNK_SIZE,
    Reference,
    Row,
    RowKind,
    add_rows,
    join_ids,
    split_ids,
    text_of,
)

SENSORS = RowKind("sensor", tables.sensors, "sensor_id")
ARRIVALS = RowKind(
    "arrival",
    tables.arrivals,
    "arrival_id",
    references=(Reference("sensor_id", tables.sensors.c.sensor_id, "sensor"),),
)
WEATHER = RowKind("weather at", tables.weather, "time")
REPORTS = RowKind("report", tables.reports, "report_id")

_REPORT_COLUMNS = tuple(tables.reports.c.keys())


def add_sensors(conn: Connection, *, sensors: Iterable[Sensor]) -> AddResult:
    """Store sensors; the same sensor again is counted as existing."""
    return add_rows(conn, SENSORS, (_sensor_row(s) for s in sensors))


def add_arrivals(
    conn: Connection, *, arrivals: Iterable[Arrival], chunk_size: int = DEFAULT_CHUNK_SIZE
) -> AddResult:
    """Store arrivals (of stored sensors, else NotFoundError), in chunks of ``chunk_size``."""
    rows = (
        {
            "arrival_id": a.arrival_id,
            "sensor_id": a.sensor_id,
            "time": a.time,
            "label": text_of(a.label),
            "snr_db": a.snr_db,
        }
        for a in arrivals
    )
    if conn.dialect.name == "postgresql":  # COPY: 1.6x faster, 3x on a re-run (docs/scale.md)
        return copy_arrivals(conn, ARRIVALS, rows, chunk_size=max(chunk_size, COPY_CHUNK_SIZE))
    return add_rows(conn, ARRIVALS, rows, chunk_size=chunk_size)


def add_weather(conn: Connection, *, weather: Iterable[Weather]) -> AddResult:
    """Store weather observations; their time is their id."""
    return add_rows(conn, WEATHER, (_weather_row(w) for w in weather))


def add_reports(conn: Connection, *, reports: Iterable[Report]) -> AddResult:
    """Store reports."""
    return add_rows(conn, REPORTS, (_report_row(r) for r in reports))


def ingest(
    engine: Engine,
    *,
    sensors: Iterable[Sensor] = (),
    arrivals: Iterable[Arrival] = (),
    weather: Iterable[Weather] = (),
    reports: Iterable[Report] = (),
) -> dict[str, AddResult]:
    """Store inputs in ONE transaction: all of them, or (on any error) none."""
    with engine.begin() as conn:
        return {
            "sensors": add_sensors(conn, sensors=sensors),
            "arrivals": add_arrivals(conn, arrivals=arrivals),
            "weather": add_weather(conn, weather=weather),
            "reports": add_reports(conn, reports=reports),
        }


def get_sensors(conn: Connection) -> list[Sensor]:
    """All sensors, by id."""
    rows = conn.execute(select(tables.sensors).order_by(tables.sensors.c.sensor_id))
    return [Sensor(**row) for row in rows.mappings()]


def get_arrivals(
    conn: Connection,
    *,
    start: datetime | None = None,
    end: datetime | None = None,
    sensor_id: str | None = None,
) -> list[Arrival]:
    """Arrivals with ``start <= time < end`` (either bound optional), by time then id."""
    query = in_window(select(tables.arrivals), tables.arrivals.c.time, start, end)
    if sensor_id is not None:
        query = query.where(tables.arrivals.c.sensor_id == sensor_id)
    query = query.order_by(tables.arrivals.c.time, tables.arrivals.c.arrival_id)
    return [
        Arrival(
            arrival_id=arrival_id,
            sensor_id=sensor,
            time=time,
            label=None if label is None else ArrivalLabel(label),
            snr_db=snr_db,
        )
        for arrival_id, sensor, time, label, snr_db in conn.execute(query)
    ]


def get_weather(
    conn: Connection, *, start: datetime | None = None, end: datetime | None = None
) -> list[Weather]:
    """Weather observations with ``start <= time < end``, by time."""
    query = in_window(select(tables.weather), tables.weather.c.time, start, end)
    rows = conn.execute(query.order_by(tables.weather.c.time))
    return [Weather(**row) for row in rows.mappings()]


def get_reports(
    conn: Connection, *, start: datetime | None = None, end: datetime | None = None
) -> list[Report]:
    """Reports with ``start <= time < end``, by time then id."""
    query = in_window(select(tables.reports), tables.reports.c.time, start, end)
    query = query.order_by(tables.reports.c.time, tables.reports.c.report_id)
    return [_report(row) for row in conn.execute(query).mappings()]


def _sensor_row(sensor: Sensor) -> Row:
    return {
        "sensor_id": sensor.sensor_id,
        "lon": sensor.lon,
        "lat": sensor.lat,
        "elev_m": sensor.elev_m,
        "kind": sensor.kind,
        "clock_sigma_s": sensor.clock_sigma_s,
    }


def _weather_row(weather: Weather) -> Row:
    return {
        "time": weather.time,
        "temperature_c": weather.temperature_c,
        "wind_speed_ms": weather.wind_speed_ms,
        "wind_from_deg": weather.wind_from_deg,
        "sound_speed_sigma_ms": weather.sound_speed_sigma_ms,
    }


def _report_row(report: Report) -> Row:
    row = {column: getattr(report, column) for column in _REPORT_COLUMNS}
    row["source_kind"] = text_of(report.source_kind)
    row["assessment"] = text_of(report.assessment)
    row["serials"] = join_ids(report.serials, what=f"report {report.report_id} serials")
    return row


def _report(row: Any) -> Report:
    values = dict(row)
    values["source_kind"] = SourceKind(values["source_kind"])
    if values["assessment"] is not None:
        values["assessment"] = Assessment(values["assessment"])
    values["serials"] = split_ids(values["serials"])
    return Report(**values)
