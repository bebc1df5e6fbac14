"""PostGIS on PostgreSQL: point geometry columns and GIST indexes, so QGIS opens the layers.

Each table with a position gets ``geom geometry(Point, 4326)``, a column GENERATED from its
lon/lat (so every insert and update fills it, whatever writes the row, and it can never
disagree with lon/lat; NULL where lon/lat are NULL), and a GIST index ``ix_<table>_geom``.
A typed geometry column is listed by PostGIS in ``geometry_columns`` with its SRID and type:
QGIS finds the layers there. For reports, the point is the observed position (lon/lat), not
the observer's.

SQLite: nothing changes. The columns stay out of the shared SQLAlchemy metadata (SQLite has
no geometry type); repository functions neither read nor write them.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-22
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import context, op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SRID = 4326
POINT_TABLES = ("sensors", "events", "violations", "reports")  # each has lon and lat


def upgrade() -> None:
    if op.get_context().dialect.name != "postgresql":
        return
    gis = _postgis_schema()
    point = f'"{gis}".ST_SetSRID("{gis}".ST_MakePoint(lon, lat), {SRID})'
    for table in POINT_TABLES:
        op.execute(
            f'ALTER TABLE {table} ADD COLUMN geom "{gis}".geometry(Point, {SRID}) '
            f"GENERATED ALWAYS AS ({point}) STORED"
        )
        op.execute(f"CREATE INDEX ix_{table}_geom ON {table} USING GIST (geom)")


def downgrade() -> None:
    if op.get_context().dialect.name != "postgresql":
        return
    for table in POINT_TABLES:
        op.execute(f"DROP INDEX IF EXISTS ix_{table}_geom")
        op.execute(f"ALTER TABLE {table} DROP COLUMN IF EXISTS geom")


def _postgis_schema() -> str:
    """The schema PostGIS lives in, creating the extension when it is available but absent."""
    if context.is_offline_mode():  # emitting SQL: assume a standard installation
        op.execute("CREATE EXTENSION IF NOT EXISTS postgis")
        return "public"
    conn = op.get_bind()
    query = sa.text(
        "SELECT extnamespace::regnamespace::text FROM pg_extension WHERE extname = 'postgis'"
    )
    schema = conn.execute(query).scalar()
    if schema is None:
        available = conn.execute(
            sa.text("SELECT 1 FROM pg_available_extensions WHERE name = 'postgis'")
        ).scalar()
        if available is None:
            raise RuntimeError(
                "PostGIS is required on PostgreSQL and is not installed on the server "
                "(Debian: apt install postgresql-15-postgis-3)"
            )
        conn.execute(sa.text("CREATE EXTENSION IF NOT EXISTS postgis"))
        schema = conn.execute(query).scalar()
    return str(schema).strip('"')
