"""/findings: the commission's findings (published: everyone may read them)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from truceline.api import visibility
from truceline.api.deps import EngineDep, WindowDep, require
from truceline.api.errors import AUTH_ERRORS, NOT_FOUND
from truceline.api.models.commission import FindingPublic, FindingsPublic
from truceline.api.models.common import Code, Id
from truceline.api.roles import Principal
from truceline.api.routes._shared import EVERYONE

router = APIRouter(prefix="/findings", tags=["findings"])


@router.get("", response_model=FindingsPublic, responses=AUTH_ERRORS)
def list_findings(
    _caller: Annotated[Principal, require(*EVERYONE)],
    engine: EngineDep,
    window: WindowDep,
    party: Annotated[Code | None, Query(description="Only against this party.")] = None,
) -> FindingsPublic:
    """Findings in the order decided."""
    page = visibility.findings(engine, party, window)
    return FindingsPublic(
        data=[FindingPublic.model_validate(f) for f in page.items], count=page.count
    )


@router.get("/{finding_id}", response_model=FindingPublic, responses=AUTH_ERRORS | NOT_FOUND)
def get_finding(
    finding_id: Annotated[Id, Path(description="Finding id, e.g. F-0001.")],
    _caller: Annotated[Principal, require(*EVERYONE)],
    engine: EngineDep,
) -> FindingPublic:
    """One finding."""
    return FindingPublic.model_validate(visibility.finding(engine, finding_id))
