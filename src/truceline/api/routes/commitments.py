"""/commitments: guarantors' commitments (staff; a guarantor: its own state's)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from truceline.api import visibility
from truceline.api.deps import EngineDep, WindowDep, require
from truceline.api.errors import AUTH_ERRORS
from truceline.api.models.common import Code
from truceline.api.models.guarantees import CommitmentPublic, CommitmentsPublic
from truceline.api.roles import Principal, Role

router = APIRouter(prefix="/commitments", tags=["commitments"])
READERS = (Role.ANALYST, Role.COMMISSIONER, Role.GUARANTOR)


@router.get("", response_model=CommitmentsPublic, responses=AUTH_ERRORS)
def list_commitments(
    caller: Annotated[Principal, require(*READERS)],
    engine: EngineDep,
    window: WindowDep,
    guarantor: Annotated[Code | None, Query(description="Only of this state.")] = None,
) -> CommitmentsPublic:
    """Commitments by id, with their ratification status and deliveries."""
    page = visibility.commitments(engine, caller, guarantor, window)
    return CommitmentsPublic(
        data=[CommitmentPublic.model_validate(c) for c in page.items], count=page.count
    )
