"""/members and /cases/{case_id}/members: the commission's members, their state, recusal.

Commissioners load the membership (voting rules and members, as `truceline case members`
does from a file); the commission's staff read it. Members affiliated with a party to a case
are recused from voting on it.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from truceline.api import casework
from truceline.api.deps import EngineDep, StateDep, WindowDep, require
from truceline.api.errors import AUTH_ERRORS, BAD_BODY, CONFLICT, NOT_FOUND
from truceline.api.models.casework import (
    CaseMemberPublic,
    CaseMembersPublic,
    MemberPublic,
    MembershipCreate,
    MembershipResultPublic,
    MembersPublic,
)
from truceline.api.models.common import Code, Id
from truceline.api.roles import Principal, Role
from truceline.app.commission import now_utc
from truceline.commission.membership import DEFAULT_MECHANISM

router = APIRouter(tags=["members"])
READERS = (Role.ANALYST, Role.COMMISSIONER)
Mechanism = Annotated[Code, Query(description="The voting body.")]


@router.put(
    "/members",
    response_model=MembershipResultPublic,
    responses=AUTH_ERRORS | BAD_BODY | CONFLICT,
)
def load_members(
    body: MembershipCreate,
    caller: Annotated[Principal, require(Role.COMMISSIONER)],
    state: StateDep,
) -> MembershipResultPublic:
    """Replace a mechanism's voting rules and members (members left out become inactive)."""
    document = body.model_dump(exclude_none=True)
    with state.writing():
        membership, changes = casework.load_membership(
            state.engine, document=document, actor=caller.name, now=now_utc()
        )
    return MembershipResultPublic(
        mechanism=membership.mechanism, members=len(membership.members), **changes
    )


@router.get("/members", response_model=MembersPublic, responses=AUTH_ERRORS)
def list_members(
    _caller: Annotated[Principal, require(*READERS)],
    engine: EngineDep,
    window: WindowDep,
    mechanism: Mechanism = DEFAULT_MECHANISM,
    active: Annotated[bool | None, Query(description="Only active (or inactive) ones.")] = None,
) -> MembersPublic:
    """A mechanism's members by id."""
    page = casework.members(engine, mechanism=mechanism, active=active, window=window)
    return MembersPublic(
        data=[MemberPublic.model_validate(m) for m in page.items], count=page.count
    )


@router.get(
    "/cases/{case_id}/members",
    response_model=CaseMembersPublic,
    responses=AUTH_ERRORS | NOT_FOUND,
)
def list_case_members(
    case_id: Annotated[Id, Path(description="Case id, e.g. C-0001.")],
    _caller: Annotated[Principal, require(*READERS)],
    engine: EngineDep,
    window: WindowDep,
    mechanism: Mechanism = DEFAULT_MECHANISM,
) -> CaseMembersPublic:
    """The members as seen from a case: who is recused, who may vote."""
    page = casework.case_members(engine, case_id=case_id, mechanism=mechanism, window=window)
    data = [
        CaseMemberPublic(
            **MemberPublic.model_validate(m.member).model_dump(),
            recused=m.recused,
            eligible=m.eligible,
        )
        for m in page.items
    ]
    return CaseMembersPublic(data=data, count=page.count)
