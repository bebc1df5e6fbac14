"""Repository of theatres: GeoJSON kept verbatim under a name, with its SHA-256."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime

from sqlalchemy import Connection, select

from truceline.errors import ConflictError, InputError, NotFoundError
from truceline.store import tables
from truceline.store.records import StoredTheatre
from truceline.store.writes import RowKind, add_rows

THEATRES = RowKind("theatre", tables.theatres, "name")


def theatre_sha256(geojson: str) -> str:
    """SHA-256 of the GeoJSON text's UTF-8 bytes (what ``sha256sum`` says of the file)."""
    return hashlib.sha256(geojson.encode("utf-8")).hexdigest()


def save_theatre(
    conn: Connection, *, name: str, geojson: str, created_at: datetime | None = None
) -> StoredTheatre:
    """Store a theatre's GeoJSON under ``name``; the stored theatre is returned.

    Saving the same text under the same name again changes nothing (the first
    ``created_at`` stays); different text under a stored name is a ConflictError.
    """
    try:
        json.loads(geojson)
    except ValueError as error:
        raise InputError(f"theatre {name!r}: not JSON ({error})") from error
    sha256 = theatre_sha256(geojson)
    stored = _stored(conn, name)
    if stored is not None and stored.sha256 != sha256:
        raise ConflictError(
            f"theatre {name!r} is already stored with different content "
            f"(sha256 {stored.sha256} vs {sha256})"
        )
    if stored is not None:
        return stored
    row = {
        "name": name,
        "geojson": geojson,
        "sha256": sha256,
        "created_at": created_at or datetime.now(UTC),
    }
    add_rows(conn, THEATRES, [row])
    return get_theatre(conn, name=name)


def get_theatre(conn: Connection, *, name: str) -> StoredTheatre:
    """The theatre stored under ``name`` (NotFoundError if there is none)."""
    stored = _stored(conn, name)
    if stored is None:
        raise NotFoundError(f"theatre {name!r} is not stored")
    return stored


def get_theatres(conn: Connection) -> list[StoredTheatre]:
    """All stored theatres, by name."""
    rows = conn.execute(select(tables.theatres).order_by(tables.theatres.c.name))
    return [StoredTheatre(**row) for row in rows.mappings()]


def _stored(conn: Connection, name: str) -> StoredTheatre | None:
    query = select(tables.theatres).where(tables.theatres.c.name == name)
    row = conn.execute(query).mappings().one_or_none()
    return None if row is None else StoredTheatre(**row)
