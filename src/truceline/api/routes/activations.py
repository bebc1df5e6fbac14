"""/activations: the notices findings set off (published with their finding)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from truceline.api import visibility
from truceline.api.deps import EngineDep, WindowDep, require
from truceline.api.errors import AUTH_ERRORS
from truceline.api.models.common import Code
from truceline.api.models.guarantees import ActivationPublic, ActivationsPublic
from truceline.api.roles import Principal
from truceline.api.routes._shared import EVERYONE
from truceline.domain import ActivationStatus

router = APIRouter(prefix="/activations", tags=["activations"])


@router.get("", response_model=ActivationsPublic, responses=AUTH_ERRORS)
def list_activations(
    _caller: Annotated[Principal, require(*EVERYONE)],
    engine: EngineDep,
    window: WindowDep,
    guarantor: Annotated[Code | None, Query(description="Only to this state.")] = None,
    status: Annotated[ActivationStatus | None, Query(description="Only in this status.")] = None,
) -> ActivationsPublic:
    """Activations and pending notices, in the order issued."""
    page = visibility.activations(engine, guarantor, status, window)
    return ActivationsPublic(
        data=[ActivationPublic.model_validate(a) for a in page.items], count=page.count
    )
