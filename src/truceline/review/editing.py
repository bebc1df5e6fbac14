"""Merge, split and undo of stored events, and re-runs that respect them (one transaction each).

An edit replaces stored events by recomputed ones (:mod:`truceline.review.edits`) and keeps
both sets of rows in ``event_edits``: who, when, why, ``before`` and ``after``. The
violations resting on the replaced events leave with them (they are in ``before``); the next
re-run finds the violations of the new events. Undo writes ``before`` back, row for row, and
removes what the edit wrote; it is refused once a later edit has replaced those events.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, Engine

from truceline.domain import Event
from truceline.engine.pipeline import EngineConfig
from truceline.errors import ConflictError, InputError
from truceline.review.constraints import EditKind, EventEdit
from truceline.review.edits import EditContext, Recomputed, merge_events, split_event
from truceline.review.work import load_theatre, now_utc
from truceline.store import review as store
from truceline.store.commission import record_audit
from truceline.store.observations import get_sensors, get_weather


@dataclass(frozen=True)
class EditResult:
    """A stored edit, and what the analyst should know about it."""

    edit: EventEdit
    dropped_arrivals: tuple[str, ...] = ()


def merge_stored_events(
    engine: Engine,
    *,
    event_ids: Sequence[str],
    actor: str,
    reason: str,
    theatre: str | None = None,
    cfg: EngineConfig | None = None,
    now: datetime | None = None,
) -> EditResult:
    """Merge stored events into one, located and attributed again; recorded as an edit."""
    _require_reason(reason)
    with engine.begin() as conn:
        parts = store.get_events_by_id(conn, event_ids=list(dict.fromkeys(event_ids)))
        ctx = edit_context(conn, parts, theatre, cfg)
        made = merge_events(parts, ctx)
        return _record(conn, EditKind.MERGE, parts, made, actor, reason, now or now_utc())


def split_stored_event(
    engine: Engine,
    *,
    event_id: str,
    arrival_ids: Sequence[str],
    report_ids: Sequence[str],
    actor: str,
    reason: str,
    theatre: str | None = None,
    cfg: EngineConfig | None = None,
    now: datetime | None = None,
) -> EditResult:
    """Move arrivals and reports of a stored event into a new event; recorded as an edit."""
    _require_reason(reason)
    with engine.begin() as conn:
        (event,) = store.get_events_by_id(conn, event_ids=[event_id])
        ctx = edit_context(conn, [event], theatre, cfg)
        made = split_event(event, arrival_ids=arrival_ids, report_ids=report_ids, ctx=ctx)
        return _record(conn, EditKind.SPLIT, [event], made, actor, reason, now or now_utc())


def undo_edit(
    engine: Engine, *, edit_id: str, actor: str, reason: str, now: datetime | None = None
) -> EditResult:
    """Revert a merge or split: its events go, the rows it replaced come back exactly."""
    _require_reason(reason)
    now = now or now_utc()
    with engine.begin() as conn:
        edit, before, after = store.get_edit(conn, edit_id=edit_id)
        _require_undoable(conn, edit, after)
        store.remove_snapshot(conn, snapshot=after)
        store.write_snapshot(conn, snapshot=before)
        undo = EventEdit(
            store.next_edit_id(conn), EditKind.UNDO, actor, now, reason.strip(),
            edit.after, edit.before, undoes=edit.edit_id,
        )  # fmt: skip
        store.add_edit(conn, edit=undo, before=after, after=before)
        store.mark_undone(conn, edit_id=edit.edit_id, undone_by=undo.edit_id)
        _audit(conn, undo, {"undoes": edit.edit_id})
    return EditResult(undo)


def list_edits(engine: Engine) -> list[EventEdit]:
    """Every merge, split and undo, oldest first."""
    with engine.connect() as conn:
        return store.get_edits(conn)


def edit_context(
    conn: Connection, events: Sequence[Event], theatre: str | None, cfg: EngineConfig | None
) -> EditContext:
    """Everything recomputing these events needs, read from the store."""
    arrival_ids = {a for e in events for a in e.arrival_ids}
    report_ids = {r for e in events for r in e.report_ids}
    found, _ = load_theatre(conn, theatre)
    return EditContext(
        sensors=get_sensors(conn),
        arrivals=store.get_arrivals_by_id(conn, arrival_ids=arrival_ids),
        reports=store.get_reports_by_id(conn, report_ids=report_ids),
        weather=get_weather(conn),
        theatre=found,
        cfg=cfg or EngineConfig(),
    )


def _record(
    conn: Connection,
    kind: EditKind,
    replaced: Sequence[Event],
    made: Recomputed,
    actor: str,
    reason: str,
    now: datetime,
) -> EditResult:
    before = store.snapshot_events(conn, event_ids=[e.event_id for e in replaced])
    _require_not_on_case(conn, before)
    after = store.snapshot_of(made.events)
    store.remove_snapshot(conn, snapshot=before)
    _require_free_ids(conn, made.events)
    store.write_snapshot(conn, snapshot=after)
    edit = EventEdit(
        store.next_edit_id(conn), kind, actor, now, reason.strip(),
        tuple(replaced), made.events, notes=made.notes,
    )  # fmt: skip
    store.add_edit(conn, edit=edit, before=before, after=after)
    _audit(conn, edit, {"dropped_arrivals": list(made.dropped_arrivals)})
    return EditResult(edit, made.dropped_arrivals)


def _require_reason(reason: str) -> None:
    if not reason.strip():
        raise InputError("an edit needs a reason (why the events are one, or two)", column="reason")


def _require_not_on_case(conn: Connection, before: store.Snapshot) -> None:
    """A violation cited by a case must not vanish under the commission's feet."""
    cited = store.cases_citing(
        conn, violation_ids=[row["violation_id"] for row in before["violations"]]
    )
    if cited:
        violation_id, case_id = sorted(cited.items())[0]
        raise ConflictError(
            f"violation {violation_id} of these events is on case {case_id}: "
            "events with violations on a case cannot be edited"
        )


def _require_free_ids(conn: Connection, events: Sequence[Event]) -> None:
    ids = [e.event_id for e in events]
    taken = {e.event_id for e in store.get_events_by_id_if_stored(conn, event_ids=ids)}
    if taken:
        raise ConflictError(f"event {sorted(taken)[0]} is already stored: it cannot be made again")


def _require_undoable(conn: Connection, edit: EventEdit, after: store.Snapshot) -> None:
    if edit.kind == EditKind.UNDO:
        raise ConflictError(f"{edit.edit_id} is an undo: merge or split again instead")
    if edit.undone_by is not None:
        raise ConflictError(f"{edit.edit_id} was already undone by {edit.undone_by}")
    ids = [row["event_id"] for row in after["events"]]
    stored = {e.event_id: e for e in store.get_events_by_id_if_stored(conn, event_ids=ids)}
    for made in edit.after:
        now = stored.get(made.event_id)
        same = now is not None and (now.arrival_ids, now.report_ids) == (
            made.arrival_ids,
            made.report_ids,
        )
        if not same:
            raise ConflictError(
                f"event {made.event_id} of {edit.edit_id} was changed since: undo the later "
                "edit first"
            )
    made_ids = {e.event_id for e in edit.after}
    restored = [e.event_id for e in edit.before if e.event_id not in made_ids]
    if store.get_events_by_id_if_stored(conn, event_ids=restored):
        raise ConflictError(f"events replaced by {edit.edit_id} are stored again: cannot undo")


def _audit(conn: Connection, edit: EventEdit, details: dict[str, object]) -> None:
    record_audit(
        conn,
        entity="event_edit",
        entity_id=edit.edit_id,
        action=edit.kind.value,
        actor=edit.actor,
        at=edit.at,
        details={
            "reason": edit.reason,
            "before": [e.event_id for e in edit.before],
            "after": [e.event_id for e in edit.after],
            **details,
        },
    )
