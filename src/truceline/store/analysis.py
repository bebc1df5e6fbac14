"""Repository of what the analysis concludes (events, violations) and of its runs."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select

from truceline.domain import Corroboration, Event, EventKind, Severity, Violation, ViolationType
from truceline.store import tables
from truceline.store.queries import get_one, in_window
from truceline.store.records import AddResult, Run
from truceline.store.writes import (
    Reference,
    Row,
    RowKind,
    add_rows,
    as_json,
    join_ids,
    split_ids,
    text_of,
)

EVENTS = RowKind("event", tables.events, "event_id")
VIOLATIONS = RowKind(
    "violation",
    tables.violations,
    "violation_id",
    references=(
        Reference("event_id", tables.events.c.event_id, "event"),
        Reference("report_id", tables.reports.c.report_id, "report"),
    ),
)
RUNS = RowKind("run", tables.runs, "run_id")

_EVENT_COLUMNS = tuple(tables.events.c.keys())
_VIOLATION_COLUMNS = tuple(tables.violations.c.keys())


def add_events(conn: Connection, *, events: Iterable[Event]) -> AddResult:
    """Store events (their arrival and report ids are not checked against stored rows)."""
    return add_rows(conn, EVENTS, (_event_row(e) for e in events))


def add_violations(conn: Connection, *, violations: Iterable[Violation]) -> AddResult:
    """Store violations; their event and report, if any, must be stored (else NotFoundError)."""
    return add_rows(conn, VIOLATIONS, (_violation_row(v) for v in violations))


def record_run(conn: Connection, *, run: Run) -> AddResult:
    """Store the provenance of an analysis run (the same run again is counted as existing)."""
    row = {
        "run_id": run.run_id,
        "started_at": run.started_at,
        "input_hashes": as_json(run.input_hashes, what=f"run {run.run_id!r} input_hashes"),
        "parameters": as_json(run.parameters, what=f"run {run.run_id!r} parameters"),
        "code_version": run.code_version,
    }
    return add_rows(conn, RUNS, [row])


def get_events(
    conn: Connection, *, start: datetime | None = None, end: datetime | None = None
) -> list[Event]:
    """Events with ``start <= time < end`` (either bound optional), by time then id."""
    table = tables.events
    query = in_window(select(table), table.c.time, start, end)
    query = query.order_by(table.c.time, table.c.event_id)
    return [_event(row) for row in conn.execute(query).mappings()]


def get_violations(
    conn: Connection,
    *,
    start: datetime | None = None,
    end: datetime | None = None,
    party: str | None = None,
) -> list[Violation]:
    """Violations with ``start <= time < end``, optionally of one party, by time then id."""
    table = tables.violations
    query = in_window(select(table), table.c.time, start, end)
    query = query.order_by(table.c.time, table.c.violation_id)
    if party is not None:
        query = query.where(table.c.party == party)
    return [_violation(row) for row in conn.execute(query).mappings()]


def get_run(conn: Connection, *, run_id: str) -> Run:
    """The run with this id (NotFoundError if there is none)."""
    return Run(**get_one(conn, RUNS, run_id))


def get_runs(conn: Connection) -> list[Run]:
    """All runs, oldest first."""
    query = select(tables.runs).order_by(tables.runs.c.started_at, tables.runs.c.run_id)
    return [Run(**row) for row in conn.execute(query).mappings()]


def _event_row(event: Event) -> Row:
    row = {column: getattr(event, column) for column in _EVENT_COLUMNS}
    what = f"event {event.event_id!r}"
    row["arrival_ids"] = join_ids(event.arrival_ids, what=f"{what} arrival_ids")
    row["report_ids"] = join_ids(event.report_ids, what=f"{what} report_ids")
    row["kind"] = text_of(event.kind)
    row["corroboration"] = text_of(event.corroboration)
    return row


def _event(row: Any) -> Event:
    values = dict(row)
    values["arrival_ids"] = split_ids(values["arrival_ids"])
    values["report_ids"] = split_ids(values["report_ids"])
    values["kind"] = EventKind(values["kind"])
    values["corroboration"] = Corroboration(values["corroboration"])
    return Event(**values)


def _violation_row(violation: Violation) -> Row:
    row = {column: getattr(violation, column) for column in _VIOLATION_COLUMNS}
    row["type"] = text_of(violation.type)
    row["severity"] = text_of(violation.severity)
    return row


def _violation(row: Any) -> Violation:
    values = dict(row)
    values["type"] = ViolationType(values["type"])
    values["severity"] = Severity(values["severity"])
    return Violation(**values)
