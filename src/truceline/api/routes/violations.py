"""/violations: all for staff; the published ones (on decided cases) for everyone else."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated

from fastapi import APIRouter, Query

from truceline.api import visibility
from truceline.api.deps import FiltersDep, StateDep, WindowDep, require
from truceline.api.errors import AUTH_ERRORS
from truceline.api.models.analysis import ViolationPublic, ViolationsPublic
from truceline.api.roles import Principal
from truceline.api.routes._shared import EVERYONE
from truceline.domain import ViolationType

router = APIRouter(prefix="/violations", tags=["violations"])


@router.get("", response_model=ViolationsPublic, responses=AUTH_ERRORS)
def list_violations(
    caller: Annotated[Principal, require(*EVERYONE)],
    state: StateDep,
    filters: FiltersDep,
    window: WindowDep,
    type: Annotated[ViolationType | None, Query(description="Only of this type.")] = None,
) -> ViolationsPublic:
    """Violations by time (``party``: the party held responsible)."""
    wanted = replace(filters, kind=None if type is None else type.value)
    page = visibility.violations(state.engine, caller, wanted, window)
    return ViolationsPublic(
        data=[ViolationPublic.model_validate(v) for v in page.items], count=page.count
    )
