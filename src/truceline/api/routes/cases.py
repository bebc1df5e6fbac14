"""/cases: list, file, open, and the workflow (advance, draft, vote, decide).

The operations are those of ``truceline.app.commission`` (the CLI's): each is one
transaction, audited, under the case's edit lock; the actor is the calling user.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from sqlalchemy import Engine

from truceline.api import visibility
from truceline.api.deps import EngineDep, StateDep, WindowDep, require
from truceline.api.errors import AUTH_ERRORS, BAD_BODY, CONFLICT, NOT_FOUND
from truceline.api.models.commission import (
    CaseAdvance,
    CaseCreate,
    CaseFilePublic,
    CasePublic,
    CasesPublic,
    DecideRequest,
    DecisionPublic,
    DraftCreate,
    DraftPublic,
    FindingPublic,
    TransitionPublic,
    VoteCreate,
    VotePublic,
)
from truceline.api.models.common import Id
from truceline.api.roles import Principal, Role
from truceline.app import commission as ops
from truceline.domain import Case, CaseStatus
from truceline.errors import InputError

router = APIRouter(prefix="/cases", tags=["cases"])
READERS = (Role.ANALYST, Role.COMMISSIONER, Role.PARTY_LIAISON)
OPENERS = (Role.ANALYST, Role.COMMISSIONER, Role.PARTY_LIAISON)
WORKERS = (Role.ANALYST, Role.COMMISSIONER)
CaseId = Annotated[Id, Path(description="Case id, e.g. C-0001.")]
WRITE_ERRORS = AUTH_ERRORS | BAD_BODY | NOT_FOUND | CONFLICT


@router.get("", response_model=CasesPublic, responses=AUTH_ERRORS)
def list_cases(
    caller: Annotated[Principal, require(*READERS)],
    engine: EngineDep,
    window: WindowDep,
    status: Annotated[CaseStatus | None, Query(description="Only in this status.")] = None,
) -> CasesPublic:
    """Cases, oldest first (a liaison: those its party alleged)."""
    page = visibility.cases(engine, caller, status, window)
    return CasesPublic(data=[CasePublic.model_validate(c) for c in page.items], count=page.count)


@router.get("/{case_id}", response_model=CaseFilePublic, responses=AUTH_ERRORS | NOT_FOUND)
def get_case(
    case_id: CaseId, caller: Annotated[Principal, require(*READERS)], engine: EngineDep
) -> CaseFilePublic:
    """A case with its history, draft, votes, findings, remedies and evidence ids."""
    return CaseFilePublic.model_validate(visibility.case_file(engine, caller, case_id))


@router.post("", response_model=CasePublic, status_code=201, responses=WRITE_ERRORS)
def open_case(
    body: CaseCreate, caller: Annotated[Principal, require(*OPENERS)], state: StateDep
) -> CasePublic:
    """Open a case on stored violations, or on an allegation (``accused_party`` given)."""
    with state.writing():
        return CasePublic.model_validate(_open(state.engine, body, caller))


def _open(engine: Engine, body: CaseCreate, caller: Principal) -> Case:
    alleged_by = body.alleged_by
    if caller.role == Role.PARTY_LIAISON:
        if body.accused_party is None:
            raise InputError(
                "a party's liaison opens allegations: give accused_party", column="accused_party"
            )
        if alleged_by not in (None, caller.party):
            raise InputError(
                f"a liaison of {caller.party} alleges for {caller.party} only", column="alleged_by"
            )
        alleged_by = caller.party
    if body.accused_party is None:
        return ops.open_case_from_violations(
            engine,
            violation_ids=body.violation_ids,
            actor=caller.name,
            title=body.title,
            alleged_by=alleged_by,
        )
    if alleged_by is None:
        raise InputError("an allegation needs alleged_by", column="alleged_by")
    return ops.open_case_from_allegation(
        engine,
        alleged_by=alleged_by,
        accused_party=body.accused_party,
        title=body.title or "",
        actor=caller.name,
        violation_ids=body.violation_ids,
    )


@router.post("/{case_id}/advance", response_model=TransitionPublic, responses=WRITE_ERRORS)
def advance_case(
    case_id: CaseId,
    body: CaseAdvance,
    caller: Annotated[Principal, require(*WORKERS)],
    state: StateDep,
) -> TransitionPublic:
    """Move a case to an allowed next status (a reason is needed for some moves)."""
    with state.writing():
        moved = ops.advance_case(
            state.engine,
            case_id=case_id,
            to_status=body.to_status,
            actor=caller.name,
            reason=body.reason,
        )
    return TransitionPublic.model_validate(moved)


@router.post("/{case_id}/draft", response_model=DraftPublic, responses=WRITE_ERRORS)
def draft_finding(
    case_id: CaseId,
    body: DraftCreate,
    caller: Annotated[Principal, require(*WORKERS)],
    state: StateDep,
) -> DraftPublic:
    """Write (or rewrite) the draft finding of a case in ``draft_finding``."""
    with state.writing():
        draft = ops.draft_finding(
            state.engine,
            case_id=case_id,
            actor=caller.name,
            responsible_party=body.responsible_party,
            standard_of_proof=body.standard_of_proof,
            severity=body.severity.value,
            summary=body.summary,
        )
    return DraftPublic.model_validate(draft)


@router.post("/{case_id}/votes", response_model=VotePublic, responses=WRITE_ERRORS)
def cast_vote(
    case_id: CaseId,
    body: VoteCreate,
    caller: Annotated[Principal, require(Role.COMMISSIONER)],
    state: StateDep,
) -> VotePublic:
    """Cast the calling commissioner's vote (as the member the user is bound to)."""
    member_id = caller.member_id or caller.name
    with state.writing():
        vote = ops.cast_vote(
            state.engine,
            case_id=case_id,
            member_id=member_id,
            choice=body.choice,
            statement=body.statement,
        )
    return VotePublic.model_validate(vote)


@router.post("/{case_id}/decide", response_model=DecisionPublic, responses=WRITE_ERRORS)
def decide_case(
    case_id: CaseId,
    body: DecideRequest,
    caller: Annotated[Principal, require(Role.COMMISSIONER)],
    state: StateDep,
) -> DecisionPublic:
    """Tally the round: adopted, the finding is recorded and published; else back to draft."""
    with state.writing():
        decision = ops.decide_case(
            state.engine, case_id=case_id, actor=caller.name, mechanism=body.mechanism
        )
    tally = decision.tally
    finding = None if decision.finding is None else FindingPublic.model_validate(decision.finding)
    return DecisionPublic(
        quorum_met=tally.quorum_met,
        adopted=tally.adopted,
        votes_for=tally.votes_for,
        votes_against=tally.votes_against,
        abstentions=tally.abstentions,
        explanation=tally.explanation,
        finding=finding,
    )
