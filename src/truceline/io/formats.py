"""CSV or Parquet, chosen by the file's extension (``.parquet``; anything else is CSV)."""

from __future__ import annotations

from collections.abc import Collection, Iterable

from truceline.domain import Arrival, Event
from truceline.io.arrivals import read_arrivals, write_arrivals
from truceline.io.csvtable import PathLike
from truceline.io.events import read_events, write_events
from truceline.io.parquet import (
    is_parquet,
    read_arrivals_parquet,
    read_events_parquet,
    write_arrivals_parquet,
    write_events_parquet,
)


def read_arrivals_file(path: PathLike, sensor_ids: Collection[str] | None = None) -> list[Arrival]:
    """Arrivals from arrivals.csv or arrivals.parquet, validated the same way."""
    if is_parquet(path):
        return read_arrivals_parquet(path, sensor_ids)
    return read_arrivals(path, sensor_ids)


def write_arrivals_file(path: PathLike, arrivals: Iterable[Arrival]) -> None:
    """Write arrivals as CSV or Parquet (by extension), atomically."""
    if is_parquet(path):
        write_arrivals_parquet(path, arrivals)
    else:
        write_arrivals(path, arrivals)


def read_events_file(path: PathLike) -> list[Event]:
    """Events from events.csv or events.parquet, validated the same way."""
    return read_events_parquet(path) if is_parquet(path) else read_events(path)


def write_events_file(path: PathLike, events: Iterable[Event]) -> None:
    """Write events as CSV or Parquet (by extension), atomically."""
    if is_parquet(path):
        write_events_parquet(path, events)
    else:
        write_events(path, events)
