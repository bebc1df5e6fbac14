"""Bulk loading on PostgreSQL: arrivals by COPY into a staging table, then one INSERT.

The contract is ``writes.add_rows``'s: ids are idempotency keys (the same arrival again is
counted as existing), an id given or stored with other content is a ``ConflictError``, an
unknown sensor a ``NotFoundError``, all inside the caller's transaction. Per chunk: COPY the
rows into a temporary table, check them there with set-based queries, insert the new ones
(``ON CONFLICT DO NOTHING``), then compare every id with what is stored, so that a row
stored meanwhile by another writer is compared too.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from itertools import islice
from typing import Any

from sqlalchemy import Connection, text

from truceline.errors import InputError, NotFoundError
from truceline.store.records import AddResult
from truceline.store.writes import RowKind, _require_same, show

Row = dict[str, Any]
STAGE = "arrivals_copy_stage"
COLUMNS = ("arrival_id", "sensor_id", "time", "label", "snr_db")
VALUES = "sensor_id, time, label, snr_db"
NAMES = ", ".join(COLUMNS)
COPY_CHUNK_SIZE = 100_000


def copy_arrivals(
    conn: Connection, kind: RowKind, rows: Iterable[Row], *, chunk_size: int = COPY_CHUNK_SIZE
) -> AddResult:
    """Store arrival rows through COPY (PostgreSQL); the same result as ``add_rows``."""
    names = ", ".join(COLUMNS)
    conn.exec_driver_sql(
        f"CREATE TEMP TABLE IF NOT EXISTS {STAGE} (LIKE arrivals INCLUDING DEFAULTS) ON COMMIT DROP"
    )
    result = AddResult()
    iterator = iter(rows)
    while chunk := list(islice(iterator, max(1, chunk_size))):
        conn.exec_driver_sql(f"TRUNCATE {STAGE}")
        _copy(conn, kind, chunk, names)
        _refuse_twice_given(conn, kind)
        _refuse_unknown_sensors(conn, kind)
        inserted = conn.exec_driver_sql(
            f"INSERT INTO arrivals ({names}) SELECT DISTINCT ON (arrival_id) {names}"
            f" FROM {STAGE} ORDER BY arrival_id ON CONFLICT (arrival_id) DO NOTHING"
        ).rowcount
        _refuse_changed(conn, kind)
        result += AddResult(new=inserted, existing=len(chunk) - inserted)
    return result


def _copy(conn: Connection, kind: RowKind, chunk: list[Row], names: str) -> None:
    raw = conn.connection.driver_connection
    assert raw is not None  # an open connection
    with raw.cursor() as cursor, cursor.copy(f"COPY {STAGE} ({names}) FROM STDIN") as copy:
        for row in chunk:
            snr, time = row["snr_db"], row["time"]
            if type(snr) is float and snr != snr:
                why = "snr_db is NaN (use None for missing)"
                raise InputError(f"{kind.noun} {show(row['arrival_id'])}: {why}")
            if isinstance(time, datetime) and time.utcoffset() is None:
                why = "time is a naive datetime (no zone)"
                raise InputError(f"{kind.noun} {show(row['arrival_id'])}: {why}")
            copy.write_row(tuple(row[c] for c in COLUMNS))


def _refuse_twice_given(conn: Connection, kind: RowKind) -> None:
    twice = conn.exec_driver_sql(
        f"SELECT arrival_id FROM {STAGE} GROUP BY arrival_id"
        f" HAVING count(DISTINCT ({VALUES})) > 1 LIMIT 1"
    ).scalar()
    if twice is not None:
        first, then = conn.execute(
            text(f"SELECT {NAMES} FROM {STAGE} WHERE arrival_id = :id ORDER BY ctid LIMIT 2"),
            {"id": twice},
        ).mappings()
        _require_same(kind, twice, dict(first), dict(then), twice=True)


def _refuse_unknown_sensors(conn: Connection, kind: RowKind) -> None:
    orphan = conn.exec_driver_sql(
        f"SELECT s.arrival_id, s.sensor_id FROM {STAGE} s WHERE NOT EXISTS"
        " (SELECT 1 FROM sensors WHERE sensors.sensor_id = s.sensor_id) LIMIT 1"
    ).first()
    if orphan is not None:
        raise NotFoundError(f"{kind.noun} {show(orphan[0])} refers to unknown sensor {orphan[1]!r}")


def _refuse_changed(conn: Connection, kind: RowKind) -> None:
    pairs = ", ".join(f"s.{c} AS new_{c}, a.{c} AS old_{c}" for c in COLUMNS)
    changed = (
        conn.exec_driver_sql(
            f"SELECT {pairs} FROM {STAGE} s JOIN arrivals a USING (arrival_id)"
            f" WHERE (s.sensor_id, s.time, s.label, s.snr_db)"
            f" IS DISTINCT FROM (a.sensor_id, a.time, a.label, a.snr_db) LIMIT 1"
        )
        .mappings()
        .first()
    )
    if changed is not None:
        old = {c: changed[f"old_{c}"] for c in COLUMNS}
        new = {c: changed[f"new_{c}"] for c in COLUMNS}
        _require_same(kind, new["arrival_id"], old, new)
