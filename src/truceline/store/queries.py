"""Small query helpers shared by the repository modules."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Column, Connection, RowMapping, Select, select

from truceline.errors import NotFoundError
from truceline.store.writes import RowKind, show


def in_window(
    query: Select[Any], column: Column[Any], start: datetime | None, end: datetime | None
) -> Select[Any]:
    """``query`` limited to ``start <= column < end`` (either bound optional)."""
    if start is not None:
        query = query.where(column >= start)
    if end is not None:
        query = query.where(column < end)
    return query


def get_one(conn: Connection, kind: RowKind, key: Any) -> RowMapping:
    """The stored row with this key (NotFoundError if there is none)."""
    query = select(kind.table).where(kind.table.c[kind.key] == key)
    row = conn.execute(query).mappings().one_or_none()
    if row is None:
        raise NotFoundError(f"{kind.noun} {show(key)} is not stored")
    return row
