"""/review: the analysts' queue (claim, release, decide) and event edits (merge, split, undo).

Only analysts work the queue and edit events; commissioners may read the decisions and the
edits (their provenance). Party liaisons, guarantors and the public see none of it. The
operations are those of ``truceline.review.work`` and ``truceline.review.editing``.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, Path, Query

from truceline.api.deps import EngineDep, StateDep, WindowDep, require
from truceline.api.errors import AUTH_ERRORS, BAD_BODY, CONFLICT, NOT_FOUND
from truceline.api.models.common import Code, Id, UtcTime
from truceline.api.models.review import (
    ClaimCreate,
    ClaimPublic,
    DecisionCreate,
    DecisionPublic,
    DecisionsPublic,
    EditPublic,
    EditsPublic,
    MergeCreate,
    QueueItemPublic,
    QueuePublic,
    RerunCreate,
    RerunPublic,
    SplitCreate,
    UndoCreate,
)
from truceline.api.roles import Principal, Role
from truceline.review import editing, work
from truceline.review.constraints import EventEdit
from truceline.review.items import parse_item_id
from truceline.review.queue import priority_score
from truceline.review.rerun import rerun_analysis

router = APIRouter(prefix="/review", tags=["review"])
READERS = (Role.ANALYST, Role.COMMISSIONER)
ItemId = Annotated[Id, Path(description="Queue item: event:<event_id> or report:<report_id>.")]
EditId = Annotated[Id, Path(description="Edit id, e.g. ED-0001.")]
THEATRE_HELP = "Stored theatre (default: the only one stored)."
WRITE_ERRORS = AUTH_ERRORS | BAD_BODY | NOT_FOUND | CONFLICT


@router.get("/queue", response_model=QueuePublic, responses=AUTH_ERRORS | BAD_BODY | NOT_FOUND)
def get_queue(
    caller: Annotated[Principal, require(Role.ANALYST)],
    engine: EngineDep,
    window: WindowDep,
    start: Annotated[UtcTime | None, Query(description="Only from this time on.")] = None,
    end: Annotated[UtcTime | None, Query(description="Only before this time.")] = None,
    theatre: Annotated[
        Code | None, Query(description="Stored theatre (default: the only one).")
    ] = None,
) -> QueuePublic:
    """Undecided items not claimed by another analyst, most urgent first."""
    entries = work.review_queue(engine, analyst=caller.name, start=start, end=end, theatre=theatre)
    page = entries[window.offset : window.offset + window.limit]
    data = [
        QueueItemPublic(
            **asdict(e.item),
            priority=priority_score(e.item),
            claim=None if e.claim is None else ClaimPublic.model_validate(e.claim),
        )
        for e in page
    ]
    return QueuePublic(data=data, count=len(entries))


@router.post("/items/{item_id}/claim", response_model=ClaimPublic, responses=WRITE_ERRORS)
def claim_item(
    item_id: ItemId,
    caller: Annotated[Principal, require(Role.ANALYST)],
    state: StateDep,
    body: ClaimCreate | None = None,
) -> ClaimPublic:
    """Claim an item (or renew your claim): the other analysts no longer see it."""
    minutes = (body or ClaimCreate()).minutes
    with state.writing():
        held = work.claim_item(state.engine, item_id=item_id, analyst=caller.name, minutes=minutes)
    return ClaimPublic.model_validate(held)


@router.post("/items/{item_id}/release", status_code=204, responses=WRITE_ERRORS)
def release_item(
    item_id: ItemId, caller: Annotated[Principal, require(Role.ANALYST)], state: StateDep
) -> None:
    """Give the item back to the queue (only the analyst holding the claim may)."""
    parse_item_id(item_id)  # a malformed id is a bad request (422), as for claim and decide
    with state.writing():
        work.release_item(state.engine, item_id=item_id, analyst=caller.name)


@router.post("/items/{item_id}/decision", response_model=DecisionPublic, responses=WRITE_ERRORS)
def decide_item(
    item_id: ItemId,
    body: DecisionCreate,
    caller: Annotated[Principal, require(Role.ANALYST)],
    state: StateDep,
) -> DecisionPublic:
    """Decide an item (yours, or one nobody holds): it leaves the queue for good."""
    with state.writing():
        decision = work.decide_item(
            state.engine,
            item_id=item_id,
            analyst=caller.name,
            action=body.action,
            reason=body.reason,
            kind=body.kind,
            violation_id=body.violation_id,
            violation_type=body.violation_type,
        )
    return DecisionPublic.model_validate(decision)


@router.get("/decisions", response_model=DecisionsPublic, responses=AUTH_ERRORS)
def list_decisions(
    caller: Annotated[Principal, require(*READERS)],
    engine: EngineDep,
    window: WindowDep,
    item_id: Annotated[Id | None, Query(description="Only on this item.")] = None,
) -> DecisionsPublic:
    """Decisions taken, oldest first."""
    found = work.item_decisions(engine, item_id=item_id)
    page = found[window.offset : window.offset + window.limit]
    return DecisionsPublic(data=[DecisionPublic.model_validate(d) for d in page], count=len(found))


@router.post("/merge", response_model=EditPublic, status_code=201, responses=WRITE_ERRORS)
def merge(
    body: MergeCreate, caller: Annotated[Principal, require(Role.ANALYST)], state: StateDep
) -> EditPublic:
    """Merge events into one, located and attributed again (kept as an edit, undoable)."""
    with state.writing():
        done = editing.merge_stored_events(
            state.engine,
            event_ids=body.event_ids,
            actor=caller.name,
            reason=body.reason,
            theatre=body.theatre,
        )
    return _edit(done.edit, done.dropped_arrivals)


@router.post("/split", response_model=EditPublic, status_code=201, responses=WRITE_ERRORS)
def split(
    body: SplitCreate, caller: Annotated[Principal, require(Role.ANALYST)], state: StateDep
) -> EditPublic:
    """Move arrivals and reports of an event into a new one (kept as an edit, undoable)."""
    with state.writing():
        done = editing.split_stored_event(
            state.engine,
            event_id=body.event_id,
            arrival_ids=body.arrival_ids,
            report_ids=body.report_ids,
            actor=caller.name,
            reason=body.reason,
            theatre=body.theatre,
        )
    return _edit(done.edit, done.dropped_arrivals)


@router.post(
    "/edits/{edit_id}/undo", response_model=EditPublic, status_code=201, responses=WRITE_ERRORS
)
def undo(
    edit_id: EditId,
    body: UndoCreate,
    caller: Annotated[Principal, require(Role.ANALYST)],
    state: StateDep,
) -> EditPublic:
    """Undo a merge or split: the events it replaced come back exactly as they were."""
    with state.writing():
        done = editing.undo_edit(
            state.engine, edit_id=edit_id, actor=caller.name, reason=body.reason
        )
    return _edit(done.edit, ())


@router.get("/edits", response_model=EditsPublic, responses=AUTH_ERRORS)
def list_edits(
    caller: Annotated[Principal, require(*READERS)], engine: EngineDep, window: WindowDep
) -> EditsPublic:
    """Every merge, split and undo with who, when, why, before and after; oldest first."""
    found = editing.list_edits(engine)
    page = found[window.offset : window.offset + window.limit]
    return EditsPublic(data=[_edit(e, ()) for e in page], count=len(found))


@router.post("/rerun", response_model=RerunPublic, responses=AUTH_ERRORS | BAD_BODY | NOT_FOUND)
def rerun(
    body: RerunCreate, caller: Annotated[Principal, require(Role.ANALYST)], state: StateDep
) -> RerunPublic:
    """Analyse the period's stored arrivals again, keeping merges, splits and decisions."""
    with state.writing():
        result = rerun_analysis(state.engine, start=body.start, end=body.end, theatre=body.theatre)
    return RerunPublic.model_validate(result)


def _edit(edit: EventEdit, dropped: tuple[str, ...]) -> EditPublic:
    return EditPublic.model_validate({**asdict(edit), "dropped_arrivals": list(dropped)})
