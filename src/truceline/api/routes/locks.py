"""/cases/{case_id}/lock: who is editing a case, and taking or releasing its edit lock.

Every write to a case takes its lock implicitly (``truceline.app.commission``); an explicit
lock keeps the case reserved between writes, for ``minutes``, and only its holder releases it.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response

from truceline.api import casework
from truceline.api.deps import EngineDep, StateDep, require
from truceline.api.errors import AUTH_ERRORS, BAD_BODY, CONFLICT, NOT_FOUND
from truceline.api.models.casework import LockPublic, LockRequest
from truceline.api.models.common import Id
from truceline.api.roles import Principal, Role
from truceline.app import commission as ops
from truceline.domain.commission import CaseLock

router = APIRouter(prefix="/cases/{case_id}/lock", tags=["cases"])
WORKERS = (Role.ANALYST, Role.COMMISSIONER)
CaseId = Annotated[Id, Path(description="Case id, e.g. C-0001.")]


@router.get("", response_model=LockPublic, responses=AUTH_ERRORS | NOT_FOUND)
def get_lock(
    case_id: CaseId, _caller: Annotated[Principal, require(*WORKERS)], engine: EngineDep
) -> LockPublic:
    """Who holds the case's edit lock, until when (an expired lock is no lock)."""
    return _public(case_id, casework.held_lock(engine, case_id=case_id, now=ops.now_utc()))


@router.put("", response_model=LockPublic, responses=AUTH_ERRORS | BAD_BODY | NOT_FOUND | CONFLICT)
def take_lock(
    case_id: CaseId,
    body: LockRequest,
    caller: Annotated[Principal, require(*WORKERS)],
    state: StateDep,
) -> LockPublic:
    """Lock the case for the caller for ``minutes`` (or renew the caller's lock); 409 while
    another user holds it."""
    with state.writing():
        lock = ops.lock_case(state.engine, case_id=case_id, actor=caller.name, minutes=body.minutes)
    return _public(case_id, lock)


@router.delete("", status_code=204, responses=AUTH_ERRORS | NOT_FOUND | CONFLICT)
def release_lock(
    case_id: CaseId, caller: Annotated[Principal, require(*WORKERS)], state: StateDep
) -> Response:
    """Release the caller's lock (nothing to do when none is held); 409 if another holds it."""
    with state.writing():
        casework.release_lock(state.engine, case_id=case_id, actor=caller.name, now=ops.now_utc())
    return Response(status_code=204)


def _public(case_id: str, lock: CaseLock | None) -> LockPublic:
    if lock is None:
        return LockPublic(case_id=case_id, locked=False)
    return LockPublic(
        case_id=case_id,
        locked=True,
        holder=lock.holder,
        acquired_at=lock.acquired_at,
        expires_at=lock.expires_at,
    )
