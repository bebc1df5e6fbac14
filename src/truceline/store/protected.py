"""Repository reads for source protection: the names public outputs must never carry."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import Connection, select

from truceline.domain import Report
from truceline.store import tables
from truceline.store.auth_tables import users
from truceline.store.observations import _report


def protected_names(conn: Connection) -> frozenset[str]:
    """Sensor ids, source ids of every report, and the names of the API's users."""
    sensor_ids = conn.execute(select(tables.sensors.c.sensor_id)).scalars()
    source_ids = conn.execute(select(tables.reports.c.source_id).distinct()).scalars()
    user_names = conn.execute(select(users.c.name)).scalars()
    return frozenset((*sensor_ids, *source_ids, *user_names))


def reports_by_id(conn: Connection, report_ids: Collection[str]) -> dict[str, Report]:
    """The stored reports among ``report_ids``, by id (what a violation's position rests on)."""
    if not report_ids:
        return {}
    query = select(tables.reports).where(tables.reports.c.report_id.in_(list(report_ids)))
    return {row["report_id"]: _report(row) for row in conn.execute(query).mappings()}
