"""Ingesting interchange files: validate everything first, then store in one transaction."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from rich.console import Console

from truceline.app.progress import step
from truceline.domain import Arrival, Report, Sensor, Weather
from truceline.errors import ConflictError, InputError
from truceline.io.formats import read_arrivals_file
from truceline.io.reports import read_reports
from truceline.io.sensors import read_sensors
from truceline.io.theatre import read_theatre
from truceline.io.weather import read_weather
from truceline.store.database import open_store
from truceline.store.observations import get_sensors, ingest
from truceline.store.records import AddResult, StoredTheatre
from truceline.store.theatres import save_theatre


def ingest_files(
    database_url: str | None,
    *,
    sensors: Path | None = None,
    arrivals: Path | None = None,
    weather: Path | None = None,
    reports: Path | None = None,
    console: Console | None = None,
) -> dict[str, AddResult]:
    """Read and validate the given files, then store them all or nothing.

    Arrivals may refer to sensors in the given sensors file or already in the store.
    """
    if all(f is None for f in (sensors, arrivals, weather, reports)):
        raise InputError(
            "nothing to ingest: give at least one of --sensors, --arrivals, --weather, --reports"
        )
    engine = open_store(database_url)
    new_sensors: list[Sensor] = []
    new_arrivals: list[Arrival] = []
    new_weather: list[Weather] = []
    new_reports: list[Report] = []
    with step(console, "Validating input files"):
        if sensors is not None:
            new_sensors = read_sensors(sensors)
        if arrivals is not None:
            with engine.connect() as conn:
                known = {s.sensor_id for s in get_sensors(conn)}
            known.update(s.sensor_id for s in new_sensors)
            new_arrivals = read_arrivals_file(arrivals, sensor_ids=known)  # CSV or Parquet
        if weather is not None:
            new_weather = read_weather(weather)
        if reports is not None:
            new_reports = read_reports(reports)
    with (
        step(console, "Storing (one transaction)"),
        _naming_files(sensors=sensors, arrivals=arrivals, weather=weather, reports=reports),
    ):
        results = ingest(
            engine,
            sensors=new_sensors,
            arrivals=new_arrivals,
            weather=new_weather,
            reports=new_reports,
        )
    engine.dispose()
    given = {"sensors": sensors, "arrivals": arrivals, "weather": weather, "reports": reports}
    return {name: res for name, res in results.items() if given.get(name) is not None}


@contextmanager
def _naming_files(**paths: Path | None) -> Iterator[None]:
    """A conflict with stored data is bad input: say which files were being stored."""
    try:
        yield
    except ConflictError as exc:
        given = ", ".join(str(p) for p in paths.values() if p is not None)
        raise InputError(f"{exc} (refused; nothing stored)", file=given) from None


def store_theatre_file(
    path: Path, *, name: str | None = None, database_url: str | None = None
) -> StoredTheatre:
    """Validate a theatre.geojson and store it (under ``name``, else the theatre's own name):
    the review's re-runs, the queue's protected sites and the reports use the stored theatre.
    The same text stored again changes nothing; other text under a stored name is refused."""
    theatre = read_theatre(path)
    chosen = name or theatre.name or path.stem
    engine = open_store(database_url)
    try:
        with engine.begin() as conn:
            return save_theatre(conn, name=chosen, geojson=path.read_text(encoding="utf-8"))
    finally:
        engine.dispose()
