"""Filtered, paginated reads for the HTTP API: one page of records and the count of all.

Filters are optional and combine with AND: a time window (``start <= time < end``), a
bounding box in WGS 84, a party and a kind (event kind, violation type). The converters from
rows to domain objects are those of the repository modules, so a record reads the same here.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

from sqlalchemy import Connection, Select, Table, func, select

from truceline.domain import Arrival, ArrivalLabel, Event, Report, Sensor, Violation
from truceline.store import tables
from truceline.store.analysis import _event, _violation
from truceline.store.auth_tables import report_submissions
from truceline.store.observations import _report
from truceline.store.queries import in_window
from truceline.store.writes import split_ids

T = TypeVar("T")
BBox = tuple[float, float, float, float]  # min_lon, min_lat, max_lon, max_lat


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of records and how many records match the filters in all."""

    items: list[T]
    count: int


@dataclass(frozen=True)
class Filters:
    """What to select: a time window, a bounding box, a party, a kind (all optional)."""

    start: datetime | None = None
    end: datetime | None = None
    bbox: BBox | None = None
    party: str | None = None
    kind: str | None = None


@dataclass(frozen=True)
class Window:
    """Which page: ``limit`` records after skipping ``offset``."""

    limit: int = 100
    offset: int = 0


def list_sensors(conn: Connection, *, window: Window) -> Page[Sensor]:
    """Sensors by id."""
    query = select(tables.sensors)
    rows = _page(conn, query, window, tables.sensors.c.sensor_id)
    return Page([Sensor(**row) for row in rows.items], rows.count)


def list_arrivals(
    conn: Connection, *, filters: Filters, window: Window, sensor_id: str | None = None
) -> Page[Arrival]:
    """Arrivals in the time window (optionally of one sensor), by time then id."""
    table = tables.arrivals
    query = in_window(select(table), table.c.time, filters.start, filters.end)
    if sensor_id is not None:
        query = query.where(table.c.sensor_id == sensor_id)
    rows = _page(conn, query, window, table.c.time, table.c.arrival_id)
    items = [Arrival(**(dict(row) | {"label": _label(row["label"])})) for row in rows.items]
    return Page(items, rows.count)


def list_reports(
    conn: Connection, *, filters: Filters, window: Window, filed_by: str | None = None
) -> Page[Report]:
    """Reports in the window (``party`` filters the accused party); ``filed_by``: only the
    reports that party's liaison filed."""
    table = tables.reports
    query = in_window(select(table), table.c.time, filters.start, filters.end)
    query = _in_bbox(query, table, filters.bbox)
    if filters.party is not None:
        query = query.where(table.c.accused_party == filters.party)
    if filters.kind is not None:
        query = query.where(table.c.event_type == filters.kind)
    if filed_by is not None:
        filed = select(report_submissions.c.report_id).where(report_submissions.c.party == filed_by)
        query = query.where(table.c.report_id.in_(filed))
    rows = _page(conn, query, window, table.c.time, table.c.report_id)
    return Page([_report(row) for row in rows.items], rows.count)


def list_events(conn: Connection, *, filters: Filters, window: Window) -> Page[Event]:
    """Events in the window and box; ``party`` is the responsible party, ``kind`` the kind."""
    table = tables.events
    query = in_window(select(table), table.c.time, filters.start, filters.end)
    query = _in_bbox(query, table, filters.bbox)
    if filters.party is not None:
        query = query.where(table.c.responsible_party == filters.party)
    if filters.kind is not None:
        query = query.where(table.c.kind == filters.kind)
    rows = _page(conn, query, window, table.c.time, table.c.event_id)
    return Page([_event(row) for row in rows.items], rows.count)


def list_violations(
    conn: Connection,
    *,
    filters: Filters,
    window: Window,
    only_ids: Collection[str] | None = None,
) -> Page[Violation]:
    """Violations in the window and box, of a party and a type; ``only_ids`` restricts them."""
    table = tables.violations
    query = in_window(select(table), table.c.time, filters.start, filters.end)
    query = _in_bbox(query, table, filters.bbox)
    if filters.party is not None:
        query = query.where(table.c.party == filters.party)
    if filters.kind is not None:
        query = query.where(table.c.type == filters.kind)
    if only_ids is not None:
        query = query.where(table.c.violation_id.in_(list(only_ids)))
    rows = _page(conn, query, window, table.c.time, table.c.violation_id)
    return Page([_violation(row) for row in rows.items], rows.count)


def published_violation_ids(conn: Connection) -> set[str]:
    """Ids of the violations on cases the commission has decided (a finding is published)."""
    cases, findings = tables.cases, tables.findings
    query = select(cases.c.violation_ids).where(cases.c.case_id.in_(select(findings.c.case_id)))
    return {v for joined in conn.execute(query).scalars() for v in split_ids(joined)}


def paginate(items: list[T], window: Window) -> Page[T]:
    """A page of a list already in memory (small tables: cases, findings, commitments)."""
    return Page(items[window.offset : window.offset + window.limit], len(items))


@dataclass(frozen=True)
class _Rows:
    items: list[Any]
    count: int


def _page(conn: Connection, query: Select[Any], window: Window, *order: Any) -> _Rows:
    count = conn.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    paged = query.order_by(*order).limit(window.limit).offset(window.offset)
    return _Rows(list(conn.execute(paged).mappings()), int(count))


def _in_bbox(query: Select[Any], table: Table, bbox: BBox | None) -> Select[Any]:
    if bbox is None:
        return query
    min_lon, min_lat, max_lon, max_lat = bbox
    return query.where(
        table.c.lon >= min_lon,
        table.c.lon <= max_lon,
        table.c.lat >= min_lat,
        table.c.lat <= max_lat,
    )


def _label(value: str | None) -> ArrivalLabel | None:
    return None if value is None else ArrivalLabel(value)
