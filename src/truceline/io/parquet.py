"""Arrivals and events as Parquet (pyarrow): the same columns and checks as the CSV files.

Arrivals can be far larger than memory, so they are read in record batches: a first pass
validates every row (and that ``arrival_id`` is unique, through 64-bit hashes of the ids), a
second streams :class:`ArrivalBatch` columns to the engine. Events are few (one per ~50
arrivals) and are read whole, each value checked by the CSV column's own parser.

Errors name the file, the row (1-based, as a data frame would count it from 1) and the column.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from numpy.typing import NDArray

from truceline.domain import Arrival, ArrivalLabel, Event
from truceline.errors import InputError
from truceline.io.csvtable import ColumnError, PathLike
from truceline.io.events import EVENTS

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
BATCH_ROWS = 262_144  # rows per record batch read: ~10 MB of arrival columns
ROW_GROUP_ROWS = 1_000_000  # rows per row group written
TIME = pa.timestamp("us", tz="UTC")
IDS = pa.list_(pa.string())
UTC_ZONES = ("UTC", "+00:00", "Etc/UTC", "Z")
LABELS = pa.array([label.value for label in ArrivalLabel])

ARRIVAL_SCHEMA = pa.schema(
    [
        pa.field("arrival_id", pa.string(), nullable=False),
        pa.field("sensor_id", pa.string(), nullable=False),
        pa.field("time", TIME, nullable=False),
        pa.field("label", pa.string()),
        pa.field("snr_db", pa.float64()),
    ]
)
_EVENT_TYPES: dict[str, pa.DataType] = {
    "time": TIME,
    "n_sensors": pa.int64(),
    "arrival_ids": IDS,
    "report_ids": IDS,
    **{name: pa.float64() for name in ("lon", "lat", "err_major_m", "err_minor_m")},
    **{name: pa.float64() for name in ("err_azimuth_deg", "p_control", "p_responsible")},
    "crlb_m": pa.float64(),
}
EVENT_SCHEMA = pa.schema(
    [pa.field(c.name, _EVENT_TYPES.get(c.name, pa.string())) for c in EVENTS.columns]
)


def is_parquet(path: PathLike) -> bool:
    """True when the file name ends in ``.parquet`` (any case): the format is the extension's."""
    return Path(path).suffix.lower() == ".parquet"


@dataclass(frozen=True)
class ArrivalBatch:
    """Arrivals as columns, with their 0-based row in the file."""

    row: NDArray[np.int64]
    arrival_id: NDArray[np.object_]
    sensor_id: NDArray[np.object_]
    sensor: NDArray[np.int64]  # index into the sensor ids given to the reader (-1: none given)
    time_us: NDArray[np.int64]  # microseconds since 1970-01-01 UTC
    label: NDArray[np.object_]  # "launch", "impact", "unknown" or None
    snr_db: NDArray[np.float64]  # nan where the sensor gave none

    def __len__(self) -> int:
        return len(self.row)


@dataclass(frozen=True)
class ArrivalScan:
    """What the validating pass learnt about an arrivals file."""

    rows: int
    t_min_us: int
    t_max_us: int
    time_sorted: bool  # rows in non-decreasing time: the file can be streamed window by window


def scan_arrivals(path: PathLike, sensor_ids: Sequence[str] | None = None) -> ArrivalScan:
    """Validate every row of an arrivals Parquet file without holding it (one pass, batched).

    Raises ``InputError`` naming file, row and column of the first bad value, including a
    repeated ``arrival_id`` (memory: 8 bytes per row for the ids' hashes).
    """
    rows, t_min, t_max, ordered, last = 0, None, None, True, None
    hashes = []
    for batch in read_arrival_batches(path, sensor_ids):
        if len(batch) == 0:
            continue
        rows += len(batch)
        lo, hi = int(batch.time_us.min()), int(batch.time_us.max())
        t_min = lo if t_min is None else min(t_min, lo)
        t_max = hi if t_max is None else max(t_max, hi)
        ordered = ordered and bool(np.all(np.diff(batch.time_us) >= 0))
        ordered = ordered and (last is None or int(batch.time_us[0]) >= last)
        last = int(batch.time_us[-1])
        hashes.append(np.fromiter(map(hash, batch.arrival_id), np.int64, len(batch)))
    _check_unique_ids(path, np.concatenate(hashes) if hashes else np.zeros(0, np.int64))
    return ArrivalScan(rows, t_min or 0, t_max or 0, ordered)


def read_arrival_batches(
    path: PathLike, sensor_ids: Sequence[str] | None = None, batch_rows: int = BATCH_ROWS
) -> Iterator[ArrivalBatch]:
    """Arrival columns batch by batch, each value checked as arrivals.csv's are.

    ``sensor_ids`` (in the engine's order) both refuses unknown sensors and gives
    ``ArrivalBatch.sensor``. Uniqueness of ``arrival_id`` is checked by :func:`scan_arrivals`.
    """
    file = os.fsdecode(path)
    parquet = _open(path, file)
    names = _present_columns(parquet.schema_arrow, file)
    known = pa.array(list(sensor_ids), pa.string()) if sensor_ids is not None else None
    offset = 0
    try:
        for record in parquet.iter_batches(batch_size=batch_rows, columns=names):
            yield _arrival_batch(record, offset, known, file)
            offset += record.num_rows
    except (pa.ArrowException, OSError) as exc:
        raise InputError(f"unreadable Parquet data ({exc})", file=file) from None


def read_arrivals_parquet(
    path: PathLike, sensor_ids: Collection[str] | None = None
) -> list[Arrival]:
    """Read a whole arrivals Parquet file (for the in-process engine), validated as CSV is."""
    scan_arrivals(path, sorted(sensor_ids) if sensor_ids is not None else None)
    arrivals = []
    for b in read_arrival_batches(path):
        times = [EPOCH + timedelta(microseconds=int(t)) for t in b.time_us]
        for i in range(len(b)):
            label = b.label[i]
            snr = float(b.snr_db[i])
            arrivals.append(
                Arrival(
                    str(b.arrival_id[i]),
                    str(b.sensor_id[i]),
                    times[i],
                    None if label is None else ArrivalLabel(label),
                    None if np.isnan(snr) else snr,
                )
            )
    return arrivals


def write_arrivals_parquet(path: PathLike, arrivals: Iterable[Arrival]) -> None:
    """Write arrivals as Parquet atomically (timestamps in microseconds, UTC)."""
    items = list(arrivals)
    write_arrival_columns(
        path,
        arrival_id=[a.arrival_id for a in items],
        sensor_id=[a.sensor_id for a in items],
        time_us=np.array([_micros(a.time) for a in items], dtype=np.int64),
        label=[None if a.label is None else a.label.value for a in items],
        snr_db=np.array([np.nan if a.snr_db is None else a.snr_db for a in items]),
    )


def write_arrival_columns(
    path: PathLike,
    *,
    arrival_id: Sequence[str] | NDArray[np.object_],
    sensor_id: Sequence[str] | NDArray[np.object_],
    time_us: NDArray[np.int64],
    label: Sequence[str | None] | NDArray[np.object_],
    snr_db: NDArray[np.float64],
    append_to: pq.ParquetWriter | None = None,
) -> None:
    """Write (or, with ``append_to``, append) arrival columns; a nan ``snr_db`` is stored null."""
    table = pa.table(
        {
            "arrival_id": pa.array(arrival_id, pa.string()),
            "sensor_id": pa.array(sensor_id, pa.string()),
            "time": pa.array(np.asarray(time_us, dtype=np.int64), pa.int64()).cast(TIME),
            "label": pa.array(label, pa.string()),
            "snr_db": pa.array(snr_db, pa.float64(), mask=np.isnan(snr_db)),
        },
        schema=ARRIVAL_SCHEMA,
    )
    if append_to is not None:
        append_to.write_table(table, row_group_size=ROW_GROUP_ROWS)
        return
    _write_atomically(path, table)


def read_events_parquet(path: PathLike) -> list[Event]:
    """Read events from Parquet, each value checked by the events.csv column's parser."""
    file = os.fsdecode(path)
    parquet = _open(path, file)
    schema = parquet.schema_arrow
    _check_event_types(schema, file)
    try:
        table = parquet.read(columns=[c.name for c in EVENTS.columns if c.name in schema.names])
    except (pa.ArrowException, OSError) as exc:
        raise InputError(f"unreadable Parquet data ({exc})", file=file) from None
    seen: dict[Any, int] = {}
    return [_event(row, r, file, seen) for r, row in enumerate(table.to_pylist(), start=1)]


def write_events_parquet(path: PathLike, events: Iterable[Event]) -> None:
    """Write events as Parquet atomically; an invalid event raises ValueError, writing nothing."""
    file = os.fsdecode(path)
    columns: dict[str, list[Any]] = {c.name: [] for c in EVENTS.columns}
    seen: set[Any] = set()
    for number, event in enumerate(events, start=1):
        for column in EVENTS.columns:
            value = getattr(event, column.name)
            try:
                cell = "" if value is None else column.format(value)
                if cell == "" and column.required:
                    raise ValueError("required value is empty")
                parsed = column.parse(cell) if cell else None
            except (ValueError, TypeError) as exc:
                raise ValueError(
                    f"{file}: record {number}, column {column.name!r}: {exc}"
                ) from None
            if column.unique:
                if parsed in seen:
                    raise ValueError(f"{file}: record {number}: duplicate {value!r}")
                seen.add(parsed)
            columns[column.name].append(_typed(column.name, parsed))
        if EVENTS.check is not None:
            try:
                EVENTS.check(event)
            except ColumnError as exc:
                raise ValueError(f"{file}: record {number}, column {exc.column!r}: {exc}") from None
    _write_atomically(path, pa.table(columns, schema=EVENT_SCHEMA))


# Arrivals: vectorised checks of one record batch.


def _open(path: PathLike, file: str) -> pq.ParquetFile:
    try:
        return pq.ParquetFile(path)
    except OSError as exc:
        if not Path(path).is_file():
            raise InputError("cannot read the file (no such file)", file=file) from None
        raise InputError(f"not a Parquet file ({exc})", file=file) from None
    except pa.ArrowException as exc:
        raise InputError(f"not a Parquet file ({exc})", file=file) from None


def _present_columns(schema: pa.Schema, file: str) -> list[str]:
    """The arrival columns in the file (unknown ones are ignored), with their types checked."""
    expected = {
        "arrival_id": _is_text,
        "sensor_id": _is_text,
        "time": pa.types.is_timestamp,
        "label": _is_text,
        "snr_db": lambda t: pa.types.is_floating(t) or pa.types.is_integer(t),
    }
    names = []
    for field in ARRIVAL_SCHEMA:
        if field.name not in schema.names:
            if not field.nullable:
                raise InputError("required column is missing", file=file, column=field.name)
            continue
        actual = _value_type(schema.field(field.name).type)
        if not expected[field.name](actual):
            why = f"expected a {_type_name(field.type)} column, got {actual}"
            raise InputError(why, file=file, column=field.name)
        if field.name == "time" and actual.tz not in UTC_ZONES:
            zone = "no zone (naive times are refused)" if actual.tz is None else actual.tz
            raise InputError(f"timestamps must be UTC, got {zone}", file=file, column="time")
        names.append(field.name)
    return names


def _arrival_batch(
    record: pa.RecordBatch, offset: int, known: pa.Array | None, file: str
) -> ArrivalBatch:
    n = record.num_rows
    get = record.schema.get_field_index
    ids = _required_text(_plain(record.column(get("arrival_id"))), offset, "arrival_id", file)
    sensors = _required_text(_plain(record.column(get("sensor_id"))), offset, "sensor_id", file)
    sensor = np.full(n, -1, dtype=np.int64)
    if known is not None:
        index = pc.index_in(sensors, value_set=known)
        _refuse(index.is_null(), sensors, offset, "sensor_id", "unknown sensor", file)
        sensor = index.to_numpy(zero_copy_only=False).astype(np.int64)
    time = _plain(record.column(get("time")))
    _refuse(time.is_null(), time, offset, "time", "required value is empty", file)
    time_us = _micros_of(time, offset, file)
    label = pa.nulls(n, pa.string())
    if get("label") >= 0:
        label = _plain(record.column(get("label")))
        label = pc.if_else(pc.equal(label, ""), pa.scalar(None, pa.string()), label)
        bad = pc.and_(pc.invert(pc.is_in(label, value_set=LABELS)), label.is_valid())
        _refuse(bad, label, offset, "label", "must be one of launch, impact, unknown", file)
    snr = np.full(n, np.nan)
    if get("snr_db") >= 0:
        values = pc.cast(_plain(record.column(get("snr_db"))), pa.float64())
        bad = pc.and_(pc.invert(pc.is_finite(values)), values.is_valid())
        _refuse(bad, values, offset, "snr_db", "must be a finite number", file)
        snr = values.fill_null(np.nan).to_numpy(zero_copy_only=False)
    return ArrivalBatch(
        np.arange(offset, offset + n, dtype=np.int64),
        ids.to_numpy(zero_copy_only=False),
        sensors.to_numpy(zero_copy_only=False),
        sensor,
        time_us,
        label.to_numpy(zero_copy_only=False),
        np.asarray(snr, dtype=np.float64),
    )


def _plain(column: pa.Array) -> pa.Array:
    """A column decoded from a dictionary and with large strings made plain strings."""
    if pa.types.is_dictionary(column.type):
        column = column.dictionary_decode()
    return column.cast(pa.string()) if pa.types.is_large_string(column.type) else column


def _is_text(arrow_type: pa.DataType) -> bool:
    return bool(pa.types.is_string(arrow_type) or pa.types.is_large_string(arrow_type))


def _value_type(arrow_type: pa.DataType) -> pa.DataType:
    return arrow_type.value_type if pa.types.is_dictionary(arrow_type) else arrow_type


def _required_text(column: pa.Array, offset: int, name: str, file: str) -> pa.Array:
    empty = pc.or_kleene(column.is_null(), pc.equal(column, ""))
    _refuse(empty, column, offset, name, "required value is empty", file)
    return column


def _refuse(bad: pa.Array, values: pa.Array, offset: int, column: str, why: str, file: str) -> None:
    """Raise for the first row where ``bad`` is true, naming it and its value."""
    if not pc.any(bad).as_py():
        return
    i = int(pc.index(bad, True).as_py())
    try:
        value: object = values[i].as_py()
    except ValueError:  # a nanosecond timestamp has no Python equivalent without pandas
        value = f"{values[i].value} ns since 1970"
    shown = "" if value is None else f", got {value!r}"
    raise InputError(f"{why} in row {offset + i + 1}{shown}", file=file, column=column)


def _micros_of(time: pa.Array, offset: int, file: str) -> NDArray[np.int64]:
    """Microseconds since the epoch; nanosecond timestamps must be whole microseconds."""
    raw = np.asarray(time.cast(pa.int64()).to_numpy(zero_copy_only=False), dtype=np.int64)
    unit = time.type.unit
    if unit == "ns":
        _refuse(pa.array(raw % 1000 != 0), time, offset, "time", "finer than a microsecond", file)
        return raw // 1000
    return raw * {"s": 1_000_000, "ms": 1000, "us": 1}[unit]


def _check_unique_ids(path: PathLike, hashes: NDArray[np.int64]) -> None:
    """Refuse a repeated arrival_id: equal hashes are confirmed on the ids themselves."""
    order = np.argsort(hashes, kind="stable")
    same = hashes[order][1:] == hashes[order][:-1]
    if not same.any():
        return
    suspects = set(hashes[order][1:][same].tolist())
    first: dict[str, int] = {}
    file = os.fsdecode(path)
    for batch in read_arrival_batches(path):
        own = np.fromiter(map(hash, batch.arrival_id), np.int64, len(batch))
        for i in np.nonzero(np.isin(own, list(suspects)))[0]:
            arrival_id, row = str(batch.arrival_id[i]), int(batch.row[i]) + 1
            if arrival_id in first:
                why = f"duplicate arrival_id (first in row {first[arrival_id]}) in row {row}"
                raise InputError(f"{why}, got {arrival_id!r}", file=file, column="arrival_id")
            first[arrival_id] = row


def _micros(time: datetime) -> int:
    if time.tzinfo is None:
        raise ValueError(f"naive datetime {time.isoformat()!r}: times must be timezone-aware")
    return (time - EPOCH) // timedelta(microseconds=1)


def _write_atomically(path: PathLike, table: pa.Table) -> None:
    """Write to a temporary file beside ``path``, renamed over it only on success."""
    target = Path(path)
    tmp = target.with_name(f".{target.name}.{secrets.token_hex(6)}.tmp")
    try:
        pq.write_table(table, tmp, row_group_size=ROW_GROUP_ROWS)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


# Events: typed values, checked by the CSV columns' parsers.


def _check_event_types(schema: pa.Schema, file: str) -> None:
    for field in EVENT_SCHEMA:
        if field.name not in schema.names:
            column = next(c for c in EVENTS.columns if c.name == field.name)
            if column.required:
                raise InputError("required column is missing", file=file, column=field.name)
            continue
        actual = _value_type(schema.field(field.name).type)
        if not _same_family(field.type, actual):
            why = f"expected a {_type_name(field.type)} column, got {actual}"
            raise InputError(why, file=file, column=field.name)


def _same_family(expected: pa.DataType, actual: pa.DataType) -> bool:
    if pa.types.is_floating(expected):
        return bool(pa.types.is_floating(actual) or pa.types.is_integer(actual))
    if pa.types.is_integer(expected):
        return bool(pa.types.is_integer(actual))
    if pa.types.is_timestamp(expected):
        return bool(pa.types.is_timestamp(actual)) and actual.tz in UTC_ZONES
    if pa.types.is_list(expected):
        return (pa.types.is_list(actual) or pa.types.is_large_list(actual)) and _is_text(
            actual.value_type
        )
    return _is_text(actual)


def _type_name(arrow_type: pa.DataType) -> str:
    if pa.types.is_timestamp(arrow_type):
        return "timestamp (UTC)"
    if pa.types.is_list(arrow_type):
        return "list of strings"
    return "string" if pa.types.is_string(arrow_type) else str(arrow_type)


def _event(row: dict[str, Any], number: int, file: str, seen: dict[Any, int]) -> Event:
    values: dict[str, Any] = {}
    for column in EVENTS.columns:
        value = row.get(column.name)
        try:
            cell = "" if value is None else column.format(value)
            parsed = column.parse(cell) if cell else column.default
        except (ValueError, TypeError) as exc:
            shown = value if not isinstance(value, str) or len(value) <= 60 else value[:57] + "..."
            raise InputError(
                f"{exc} in row {number}, got {shown!r}", file=file, column=column.name
            ) from None
        if cell == "" and column.required:
            why = f"required value is empty in row {number}"
            raise InputError(why, file=file, column=column.name)
        if column.unique:
            if parsed in seen:
                why = f"duplicate {column.name} (first in row {seen[parsed]}) in row {number}"
                raise InputError(why, file=file, column=column.name)
            seen[parsed] = number
        values[column.name] = parsed
    event = Event(**values)
    if EVENTS.check is not None:
        try:
            EVENTS.check(event)
        except ColumnError as exc:
            raise InputError(f"{exc} in row {number}", file=file, column=exc.column) from None
    return event


def _typed(name: str, parsed: Any) -> Any:
    """A parsed value as Parquet stores it (enums as their text, id tuples as lists)."""
    if parsed is None:
        return None
    if name in ("arrival_ids", "report_ids"):
        return list(parsed)
    return parsed.value if hasattr(parsed, "value") else parsed
