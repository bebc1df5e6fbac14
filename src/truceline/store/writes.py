"""Idempotent batch writes: ids are idempotency keys, different content is a conflict.

Each batch is written in chunks, inside the caller's transaction. Per chunk: duplicates
inside the chunk are merged (or refused if they differ), references to other tables are
checked, stored rows with the same ids are compared, and only new rows are inserted
(``INSERT ... ON CONFLICT DO NOTHING``; if fewer rows than sent were inserted, another
writer stored some meanwhile and those are compared too). On any error the caller's
transaction is to be rolled back, so nothing of the batch stays.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from itertools import islice
from typing import Any

from sqlalchemy import Column, ColumnElement, Connection, Insert, Table, any_, bindparam, select
from sqlalchemy.dialects import postgresql, sqlite

from truceline.errors import ConflictError, InputError, NotAvailableError, NotFoundError
from truceline.store.records import AddResult

Row = dict[str, Any]
DEFAULT_CHUNK_SIZE = 5_000
ID_SEPARATOR = ";"


@dataclass(frozen=True)
class Reference:
    """A column whose values must exist in another table's key column."""

    column: str
    target: Column[Any]
    noun: str


@dataclass(frozen=True)
class RowKind:
    """How to write one kind of record: its table, key column, name and references."""

    noun: str
    table: Table
    key: str
    references: tuple[Reference, ...] = ()


def add_rows(
    conn: Connection, kind: RowKind, rows: Iterable[Row], *, chunk_size: int = DEFAULT_CHUNK_SIZE
) -> AddResult:
    """Store the rows not stored yet; refuse rows whose id is stored with other content."""
    if chunk_size < 1:
        raise ValueError(f"chunk_size must be positive, not {chunk_size}")
    result = AddResult()
    iterator = iter(rows)
    while chunk := list(islice(iterator, chunk_size)):
        result += _add_chunk(conn, kind, chunk)
    return result


def _add_chunk(conn: Connection, kind: RowKind, chunk: list[Row]) -> AddResult:
    unique = _unique_by_key(kind, chunk)
    _check_references(conn, kind, unique)
    stored = _stored_rows(conn, kind, list(unique))
    for key, old in stored.items():
        _require_same(kind, key, old, unique[key])
    fresh = [row for key, row in unique.items() if key not in stored]
    inserted = _insert_new(conn, kind, fresh) if fresh else 0
    if inserted < len(fresh):  # another writer stored some of these ids meanwhile
        for key, old in _stored_rows(conn, kind, [row[kind.key] for row in fresh]).items():
            _require_same(kind, key, old, unique[key])
    return AddResult(new=inserted, existing=len(chunk) - inserted)


def _unique_by_key(kind: RowKind, chunk: list[Row]) -> dict[Any, Row]:
    unique: dict[Any, Row] = {}
    for row in chunk:
        key = row[kind.key]
        _check_values(kind, key, row)
        first = unique.setdefault(key, row)
        if first is not row:
            _require_same(kind, key, first, row, twice=True)
    return unique


def _check_values(kind: RowKind, key: Any, row: Row) -> None:
    """Refuse NaN (SQLite would store NULL) and naive times (their zone is unknown)."""
    for column, value in row.items():
        if type(value) is float and value != value:
            raise InputError(f"{kind.noun} {show(key)}: {column} is NaN (use None for missing)")
        if isinstance(value, datetime) and value.utcoffset() is None:
            raise InputError(f"{kind.noun} {show(key)}: {column} is a naive datetime (no zone)")


def _check_references(conn: Connection, kind: RowKind, rows: Mapping[Any, Row]) -> None:
    for ref in kind.references:
        wanted = {row[ref.column] for row in rows.values()} - {None}
        if not wanted:
            continue
        query = select(ref.target).where(_one_of(conn, ref.target, wanted))
        found = set(conn.execute(query).scalars())
        for key, row in rows.items():
            if row[ref.column] is not None and row[ref.column] not in found:
                raise NotFoundError(
                    f"{kind.noun} {show(key)} refers to unknown {ref.noun} {row[ref.column]!r}"
                )


def _stored_rows(conn: Connection, kind: RowKind, keys: list[Any]) -> dict[Any, Row]:
    if not keys:
        return {}
    query = select(kind.table).where(_one_of(conn, kind.table.c[kind.key], keys))
    result = conn.execute(query)
    return {row[kind.key]: dict(row) for row in result.mappings()}


def _one_of(conn: Connection, column: Column[Any], values: Collection[Any]) -> ColumnElement[bool]:
    """``column IN (values)``; on PostgreSQL ``= ANY(array)``, one parameter however many."""
    if conn.dialect.name == "postgresql":
        array = bindparam(None, list(values), type_=postgresql.ARRAY(column.type))
        return column == any_(array)
    return column.in_(values)


def _require_same(kind: RowKind, key: Any, old: Row, new: Row, *, twice: bool = False) -> None:
    where, first, then = (
        ("given twice", "first", "then") if twice else ("stored", "stored", "given")
    )
    for column, value in new.items():
        if old[column] != value:
            raise ConflictError(
                f"{kind.noun} {show(key)} is already {where} with different content "
                f"({column}: {first} {show(old[column])}, {then} {show(value)})"
            )


def _insert_new(conn: Connection, kind: RowKind, rows: list[Row]) -> int:
    """Insert, skipping ids stored meanwhile; how many rows were inserted."""
    dialect = conn.dialect.name
    insert: Insert
    if dialect == "sqlite":
        insert = sqlite.insert(kind.table).on_conflict_do_nothing(index_elements=[kind.key])
    elif dialect == "postgresql":
        insert = postgresql.insert(kind.table).on_conflict_do_nothing(index_elements=[kind.key])
    else:
        raise NotAvailableError(f"the store supports SQLite and PostgreSQL, not {dialect}")
    return conn.execute(insert, rows, execution_options={"preserve_rowcount": True}).rowcount


def text_of(value: str | None) -> str | None:
    """An enumeration member (or plain text) as the plain ``str`` stored in the database."""
    return None if value is None else str(value)


def as_json(value: Any, *, what: str) -> Any:
    """``value`` as it comes back from a JSON column (tuples become lists, keys strings)."""
    try:
        return json.loads(json.dumps(value, allow_nan=False))
    except (TypeError, ValueError) as error:
        raise InputError(f"{what}: not storable as JSON ({error})") from error


def show(value: Any) -> str:
    """A key or value as it reads in a message: text quoted, times in ISO 8601."""
    return value.isoformat() if isinstance(value, datetime) else repr(value)


def join_ids(ids: Iterable[str], *, what: str) -> str:
    """``;``-joined ids (as in events.csv); refuses ids that are empty or contain ``;``."""
    ids = tuple(ids)
    for one in ids:
        if not one or ID_SEPARATOR in one:
            raise InputError(f"{what}: id {one!r} is empty or contains {ID_SEPARATOR!r}")
    return ID_SEPARATOR.join(ids)


def split_ids(joined: str) -> tuple[str, ...]:
    """The ids of a ``;``-joined text (empty text: no ids)."""
    return tuple(joined.split(ID_SEPARATOR)) if joined else ()
