"""/cases/{case_id}/remedies and /remedies: propose and adopt remedies, record compliance.

Commissioners run remedies: the proposal is what the catalogue chooses for the case's finding
(severity, raised by recurrence; nothing stored); adopting names the proposed kinds, so a
proposal that changed meanwhile is refused rather than adopted unseen. A party's liaison
reads the remedies addressed to its party, with their compliance, once adopted.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from truceline.api import casework
from truceline.api.deps import EngineDep, StateDep, WindowDep, require
from truceline.api.errors import AUTH_ERRORS, BAD_BODY, CONFLICT, NOT_FOUND
from truceline.api.models.casework import (
    ComplianceCreate,
    RemedyAdopt,
    RemedyOptionPublic,
    RemedyProposalPublic,
    RemedyRecordPublic,
    RemedyRecordsPublic,
    RemedyStatus,
)
from truceline.api.models.common import Code, Id
from truceline.api.roles import Principal, Role
from truceline.api.routes._shared import stored_as_sent
from truceline.app.commission import now_utc

case_router = APIRouter(prefix="/cases/{case_id}/remedies", tags=["remedies"])
router = APIRouter(prefix="/remedies", tags=["remedies"])
PROPOSAL_READERS = (Role.ANALYST, Role.COMMISSIONER)
READERS = (Role.ANALYST, Role.COMMISSIONER, Role.PARTY_LIAISON)
CaseId = Annotated[Id, Path(description="Case id, e.g. C-0001.")]
RemedyId = Annotated[Id, Path(description="Remedy id, e.g. RM-0001.")]
WRITE_ERRORS = AUTH_ERRORS | BAD_BODY | NOT_FOUND | CONFLICT


@case_router.get(
    "/proposal", response_model=RemedyProposalPublic, responses=AUTH_ERRORS | NOT_FOUND | CONFLICT
)
def propose_remedies(
    case_id: CaseId, _caller: Annotated[Principal, require(*PROPOSAL_READERS)], engine: EngineDep
) -> RemedyProposalPublic:
    """The remedies the catalogue chooses for the case's finding (409 unless in ``finding``)."""
    proposal = casework.propose_remedies(engine, case_id=case_id)
    return RemedyProposalPublic(
        case_id=proposal.case_id,
        finding_id=proposal.finding_id,
        party=proposal.party,
        severity=proposal.severity,
        prior_findings=proposal.prior_findings,
        level=proposal.level,
        options=[
            RemedyOptionPublic(
                kind=o.kind,
                level=o.level,
                deadline_hours=o.deadline_hours,
                description=o.describe(),
            )
            for o in proposal.options
        ],
    )


@case_router.post(
    "",
    response_model=RemedyRecordsPublic,
    status_code=201,
    responses=WRITE_ERRORS | stored_as_sent(RemedyRecordsPublic),
)
def adopt_remedies(
    case_id: CaseId,
    body: RemedyAdopt,
    caller: Annotated[Principal, require(Role.COMMISSIONER)],
    state: StateDep,
    response: Response,
) -> RemedyRecordsPublic:
    """Adopt the proposed remedies (case -> ``remedy``); 409 if the proposal is not ``kinds``."""
    with state.writing():
        adopted, new = casework.adopt_remedies(
            state.engine, case_id=case_id, kinds=body.kinds, actor=caller.name
        )
    response.status_code = 201 if new else 200
    data = [RemedyRecordPublic.model_validate(r) for r in adopted]
    return RemedyRecordsPublic(data=data, count=len(data))


@router.get("", response_model=RemedyRecordsPublic, responses=AUTH_ERRORS)
def list_remedies(
    caller: Annotated[Principal, require(*READERS)],
    engine: EngineDep,
    window: WindowDep,
    party: Annotated[Code | None, Query(description="Only addressed to this party.")] = None,
    finding_id: Annotated[Id | None, Query(description="Only of this finding.")] = None,
    status: Annotated[RemedyStatus | None, Query(description="Only in this state.")] = None,
) -> RemedyRecordsPublic:
    """Remedies by id (a liaison: those addressed to its party), with their compliance."""
    page = casework.remedy_records(
        engine,
        caller,
        party=party,
        finding_id=finding_id,
        status=None if status is None else status.value,
        window=window,
        now=now_utc(),
    )
    return RemedyRecordsPublic(
        data=[RemedyRecordPublic.model_validate(r) for r in page.items], count=page.count
    )


@router.get("/{remedy_id}", response_model=RemedyRecordPublic, responses=AUTH_ERRORS | NOT_FOUND)
def get_remedy(
    remedy_id: RemedyId, caller: Annotated[Principal, require(*READERS)], engine: EngineDep
) -> RemedyRecordPublic:
    """One remedy with its compliance."""
    return RemedyRecordPublic.model_validate(
        casework.remedy_record(engine, caller, remedy_id=remedy_id)
    )


@router.post(
    "/{remedy_id}/compliance",
    response_model=RemedyRecordPublic,
    status_code=201,
    responses=WRITE_ERRORS | stored_as_sent(RemedyRecordPublic),
)
def record_compliance(
    remedy_id: RemedyId,
    body: ComplianceCreate,
    caller: Annotated[Principal, require(Role.COMMISSIONER)],
    state: StateDep,
    response: Response,
) -> RemedyRecordPublic:
    """Record that the party complied (once; the same time sent again answers 200)."""
    with state.writing():
        record, new = casework.record_compliance(
            state.engine,
            remedy_id=remedy_id,
            complied_at=body.complied_at,
            note=body.note,
            actor=caller.name,
            now=now_utc(),
        )
    response.status_code = 201 if new else 200
    return RemedyRecordPublic.model_validate(record)
