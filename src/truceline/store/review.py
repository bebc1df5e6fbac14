"""Repository of the analysts' review: claims, decisions, event edits and their snapshots.

A snapshot is the JSON form of stored rows: ``{"events": [...], "violations": [...]}``, each
row with every column, times in ISO 8601. Floats survive JSON exactly (shortest repr), so
writing a snapshot back gives the same rows, which is what undo relies on.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Table, delete, insert, select, update

from truceline.domain import (
    Arrival,
    ArrivalLabel,
    Event,
    EventKind,
    Report,
    Violation,
    ViolationType,
)
from truceline.errors import ConflictError, NotFoundError
from truceline.review.constraints import EditKind, EventEdit
from truceline.review.items import Action, Claim, ReviewDecision
from truceline.store import tables
from truceline.store.analysis import _event as event_of_row  # the one row -> Event mapping
from truceline.store.analysis import _event_row as row_of_event
from truceline.store.analysis import _violation_row as row_of_violation
from truceline.store.commission import next_id
from truceline.store.observations import _report as report_of_row
from truceline.store.review_tables import event_edits, review_claims, review_decisions
from truceline.store.types import UTCDateTime
from truceline.store.writes import as_json, split_ids

Snapshot = dict[str, list[dict[str, Any]]]
EMPTY: Snapshot = {"events": [], "violations": []}


# --- claims and decisions --------------------------------------------------------------------


def get_claim(conn: Connection, *, item_id: str) -> Claim | None:
    """The stored claim on an item (expired or not), or None."""
    query = select(review_claims).where(review_claims.c.item_id == item_id)
    row = conn.execute(query).mappings().one_or_none()
    return None if row is None else Claim(**row)


def get_claims(conn: Connection) -> list[Claim]:
    """Every stored claim (expired ones too), by item."""
    query = select(review_claims).order_by(review_claims.c.item_id)
    return [Claim(**row) for row in conn.execute(query).mappings()]


def save_claim(conn: Connection, *, claim: Claim, replacing: Claim | None) -> None:
    """Store a claim in place of ``replacing``, the item's claim as read in this transaction.

    Compare-and-swap: if another transaction changed the item's claim since it was read (a
    claim made or renewed at the same instant), ConflictError; the insert's primary key
    catches a claim created meanwhile (IntegrityError, for the caller to turn into one).
    """
    if replacing is not None:
        c = review_claims.c
        gone = conn.execute(
            delete(review_claims).where(
                (c.item_id == replacing.item_id)
                & (c.analyst == replacing.analyst)
                & (c.claimed_at == replacing.claimed_at)
                & (c.expires_at == replacing.expires_at)
            )
        ).rowcount
        if gone != 1:
            raise ConflictError(f"{claim.item_id} was claimed by another analyst meanwhile")
    conn.execute(insert(review_claims).values(**claim.__dict__))


def delete_claim(conn: Connection, *, item_id: str) -> None:
    """Remove an item's claim (if any)."""
    conn.execute(delete(review_claims).where(review_claims.c.item_id == item_id))


def add_decision(conn: Connection, *, decision: ReviewDecision) -> None:
    """Append an analyst's decision."""
    values = dict(decision.__dict__)
    values["action"] = decision.action.value
    values["details"] = as_json(decision.details, what=f"decision on {decision.item_id}")
    conn.execute(insert(review_decisions).values(**values))


def get_decisions(
    conn: Connection, *, item_ids: Sequence[str] | None = None
) -> list[ReviewDecision]:
    """Decisions, optionally on some items, in the order they were taken."""
    table = review_decisions
    query = select(table).order_by(table.c.decision_id)
    if item_ids is not None:
        query = query.where(table.c.item_id.in_(list(item_ids)))
    out = []
    for row in conn.execute(query).mappings():
        values = {k: v for k, v in row.items() if k != "decision_id"}
        values["action"] = Action(values["action"])
        out.append(ReviewDecision(**values))
    return out


def set_event_kind(conn: Connection, *, event_id: str, kind: EventKind) -> None:
    """Change a stored event's kind (NotFoundError if it is not stored)."""
    _update_one(conn, tables.events, "event_id", event_id, {"kind": kind.value}, "event")


def set_violation_type(conn: Connection, *, violation_id: str, type: ViolationType) -> None:
    """Change a stored violation's type (NotFoundError if it is not stored)."""
    values = {"type": type.value}
    _update_one(conn, tables.violations, "violation_id", violation_id, values, "violation")


def _update_one(
    conn: Connection, table: Table, key: str, value: str, values: dict[str, Any], noun: str
) -> None:
    if conn.execute(update(table).where(table.c[key] == value).values(**values)).rowcount == 0:
        raise NotFoundError(f"{noun} {value!r} is not stored")


# --- records by id ---------------------------------------------------------------------------


def get_events_by_id(conn: Connection, *, event_ids: Sequence[str]) -> list[Event]:
    """The stored events with these ids, in the order given (NotFoundError for a missing one)."""
    query = select(tables.events).where(tables.events.c.event_id.in_(list(event_ids)))
    found = {row["event_id"]: event_of_row(row) for row in conn.execute(query).mappings()}
    return [_found(found, event_id, "event") for event_id in event_ids]


def get_events_by_id_if_stored(conn: Connection, *, event_ids: Sequence[str]) -> list[Event]:
    """The stored events among these ids, by id."""
    table = tables.events
    query = select(table).where(table.c.event_id.in_(list(event_ids))).order_by(table.c.event_id)
    return [event_of_row(row) for row in conn.execute(query).mappings()]


def get_arrivals_by_id(conn: Connection, *, arrival_ids: Iterable[str]) -> dict[str, Arrival]:
    """The stored arrivals with these ids, by id (missing ones are left out)."""
    table = tables.arrivals
    query = select(table).where(table.c.arrival_id.in_(list(arrival_ids)))
    return {
        row["arrival_id"]: Arrival(
            row["arrival_id"],
            row["sensor_id"],
            row["time"],
            None if row["label"] is None else ArrivalLabel(row["label"]),
            row["snr_db"],
        )
        for row in conn.execute(query).mappings()
    }


def get_reports_by_id(conn: Connection, *, report_ids: Iterable[str]) -> dict[str, Report]:
    """The stored reports with these ids, by id (missing ones are left out)."""
    query = select(tables.reports).where(tables.reports.c.report_id.in_(list(report_ids)))
    return {row["report_id"]: report_of_row(row) for row in conn.execute(query).mappings()}


def cases_citing(conn: Connection, *, violation_ids: Iterable[str]) -> dict[str, str]:
    """Violation id -> the case that cites it, for those of ``violation_ids`` on a case."""
    wanted = set(violation_ids)
    cited: dict[str, str] = {}
    rows = conn.execute(select(tables.cases.c.case_id, tables.cases.c.violation_ids))
    for case_id, joined in rows:
        for violation_id in wanted.intersection(split_ids(joined)):
            cited.setdefault(violation_id, case_id)
    return cited


def _found(found: dict[str, Any], key: str, noun: str) -> Any:
    if key not in found:
        raise NotFoundError(f"{noun} {key!r} is not stored")
    return found[key]


# --- snapshots: stored rows as JSON, and back ------------------------------------------------


def snapshot_events(conn: Connection, *, event_ids: Sequence[str]) -> Snapshot:
    """The stored rows of these events and of the violations resting on them."""
    get_events_by_id(conn, event_ids=event_ids)  # every one must be stored
    ev, vi = tables.events, tables.violations
    ids = list(event_ids)
    events = conn.execute(select(ev).where(ev.c.event_id.in_(ids)).order_by(ev.c.event_id))
    violations = conn.execute(select(vi).where(vi.c.event_id.in_(ids)).order_by(vi.c.violation_id))
    return {
        "events": [_to_json(ev, row) for row in events.mappings()],
        "violations": [_to_json(vi, row) for row in violations.mappings()],
    }


def snapshot_of(events: Iterable[Event]) -> Snapshot:
    """The snapshot that storing these (new) events would give."""
    return {"events": [_to_json(tables.events, row_of_event(e)) for e in events], "violations": []}


def events_of(snapshot: Snapshot) -> tuple[Event, ...]:
    """The events of a snapshot."""
    return tuple(event_of_row(_from_json(tables.events, row)) for row in snapshot["events"])


def remove_snapshot(conn: Connection, *, snapshot: Snapshot) -> None:
    """Delete the violations and events of a snapshot (those stored now under its ids)."""
    violation_ids = [row["violation_id"] for row in snapshot["violations"]]
    event_ids = [row["event_id"] for row in snapshot["events"]]
    vi, ev = tables.violations, tables.events
    conn.execute(delete(vi).where(vi.c.violation_id.in_(violation_ids)))
    conn.execute(delete(ev).where(ev.c.event_id.in_(event_ids)))


def write_snapshot(conn: Connection, *, snapshot: Snapshot) -> None:
    """Insert the rows of a snapshot as they are (events first: violations refer to them)."""
    for table, key in ((tables.events, "events"), (tables.violations, "violations")):
        rows = [_from_json(table, row) for row in snapshot[key]]
        if rows:
            conn.execute(insert(table), rows)


def _to_json(table: Table, row: Any) -> dict[str, Any]:
    out = {}
    for column in table.columns:
        value = row[column.name]
        out[column.name] = value.isoformat() if isinstance(value, datetime) else value
    return out


def _from_json(table: Table, row: dict[str, Any]) -> dict[str, Any]:
    out = dict(row)
    for column in table.columns:
        if isinstance(column.type, UTCDateTime) and out[column.name] is not None:
            out[column.name] = datetime.fromisoformat(out[column.name])
    return out


# --- edits -----------------------------------------------------------------------------------


def next_edit_id(conn: Connection) -> str:
    """The next free edit id (``ED-0001``, ``ED-0002``, ...)."""
    return next_id(conn, table=event_edits, prefix="ED-")


def add_edit(
    conn: Connection,
    *,
    edit: EventEdit,
    before: Snapshot,
    after: Snapshot,
) -> None:
    """Store an edit with the snapshots of the rows it replaced and wrote."""
    conn.execute(
        insert(event_edits).values(
            edit_id=edit.edit_id,
            kind=edit.kind.value,
            actor=edit.actor,
            at=edit.at,
            reason=edit.reason,
            before=as_json(before, what=f"edit {edit.edit_id} before"),
            after=as_json(after, what=f"edit {edit.edit_id} after"),
            undoes=edit.undoes,
            undone_by=edit.undone_by,
            notes=list(edit.notes),
        )
    )


def mark_undone(conn: Connection, *, edit_id: str, undone_by: str) -> None:
    """Record that an edit was reverted by an undo."""
    table = event_edits
    conn.execute(update(table).where(table.c.edit_id == edit_id).values(undone_by=undone_by))


def get_edit(conn: Connection, *, edit_id: str) -> tuple[EventEdit, Snapshot, Snapshot]:
    """An edit with its before and after snapshots (NotFoundError if it is not stored)."""
    query = select(event_edits).where(event_edits.c.edit_id == edit_id)
    row = conn.execute(query).mappings().one_or_none()
    if row is None:
        raise NotFoundError(f"edit {edit_id!r} is not stored")
    return _edit(row), row["before"], row["after"]


def get_edits(conn: Connection) -> list[EventEdit]:
    """Every edit, oldest first."""
    query = select(event_edits).order_by(event_edits.c.at, event_edits.c.edit_id)
    return [_edit(row) for row in conn.execute(query).mappings()]


def _edit(row: Any) -> EventEdit:
    return EventEdit(
        edit_id=row["edit_id"],
        kind=EditKind(row["kind"]),
        actor=row["actor"],
        at=row["at"],
        reason=row["reason"],
        before=events_of(row["before"]),
        after=events_of(row["after"]),
        undoes=row["undoes"],
        undone_by=row["undone_by"],
        notes=tuple(row["notes"]),
    )


# --- re-runs: the stored events and violations of a period brought to a new result -----------


@dataclass(frozen=True)
class SyncCounts:
    """What bringing a table to a new set of rows did."""

    new: int = 0
    updated: int = 0
    removed: int = 0


def sync_events_in_period(
    conn: Connection,
    *,
    start: datetime,
    end: datetime,
    events: Sequence[Event],
    keep_ids: Iterable[str] = (),
) -> SyncCounts:
    """Make the stored events with ``start <= time < end`` (but those in ``keep_ids``) be
    ``events``: unchanged rows stay, changed ones are updated, the rest removed (with the
    violations resting on them) or added."""
    ev = tables.events
    keep = set(keep_ids)
    query = select(ev).where(ev.c.time >= start, ev.c.time < end)
    old = {
        r["event_id"]: dict(r) for r in conn.execute(query).mappings() if r["event_id"] not in keep
    }
    new = {e.event_id: row_of_event(e) for e in events if e.event_id not in keep}
    gone = sorted(set(old) - set(new))
    vi = tables.violations
    conn.execute(delete(vi).where(vi.c.event_id.in_(gone)))
    return _sync(conn, ev, "event_id", old, new)


def sync_violations_in_period(
    conn: Connection, *, start: datetime, end: datetime, violations: Sequence[Violation]
) -> SyncCounts:
    """Make the stored violations with ``start <= time < end`` be ``violations``."""
    vi = tables.violations
    query = select(vi).where(vi.c.time >= start, vi.c.time < end)
    old = {r["violation_id"]: dict(r) for r in conn.execute(query).mappings()}
    new = {v.violation_id: row_of_violation(v) for v in violations}
    return _sync(conn, vi, "violation_id", old, new)


def _sync(
    conn: Connection,
    table: Table,
    key: str,
    old: dict[str, dict[str, Any]],
    new: dict[str, dict[str, Any]],
) -> SyncCounts:
    gone = sorted(set(old) - set(new))
    added = [row for k, row in new.items() if k not in old]
    changed = [row for k, row in new.items() if k in old and old[k] != row]
    conn.execute(delete(table).where(table.c[key].in_(gone)))
    if added:
        conn.execute(insert(table), added)
    for row in changed:
        conn.execute(update(table).where(table.c[key] == row[key]).values(**row))
    return SyncCounts(new=len(added), updated=len(changed), removed=len(gone))


__all__ = [
    "EMPTY",
    "Snapshot",
    "SyncCounts",
    "add_decision",
    "add_edit",
    "cases_citing",
    "delete_claim",
    "events_of",
    "get_arrivals_by_id",
    "get_claim",
    "get_claims",
    "get_decisions",
    "get_edit",
    "get_edits",
    "get_events_by_id",
    "get_events_by_id_if_stored",
    "get_reports_by_id",
    "mark_undone",
    "next_edit_id",
    "remove_snapshot",
    "save_claim",
    "set_event_kind",
    "set_violation_type",
    "snapshot_events",
    "snapshot_of",
    "sync_events_in_period",
    "sync_violations_in_period",
    "write_snapshot",
]
