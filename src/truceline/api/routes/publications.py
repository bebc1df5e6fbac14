"""/publications: everything published, in one list (findings and activations)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter

from truceline.api import visibility
from truceline.api.deps import EngineDep, WindowDep, require
from truceline.api.errors import AUTH_ERRORS
from truceline.api.models.commission import FindingPublic
from truceline.api.models.guarantees import (
    ActivationPublic,
    PublicationPublic,
    PublicationsPublic,
)
from truceline.api.roles import Principal
from truceline.api.routes._shared import EVERYONE
from truceline.domain import Activation, Finding

router = APIRouter(prefix="/publications", tags=["publications"])


@router.get("", response_model=PublicationsPublic, responses=AUTH_ERRORS)
def list_publications(
    _caller: Annotated[Principal, require(*EVERYONE)], engine: EngineDep, window: WindowDep
) -> PublicationsPublic:
    """Findings and the activations they set off, oldest first."""
    page = visibility.publications(engine, window)
    return PublicationsPublic(data=[_item(*item) for item in page.items], count=page.count)


def _item(kind: str, at: object, record: Finding | Activation) -> PublicationPublic:
    if isinstance(record, Finding):
        return PublicationPublic(
            kind="finding",
            record_id=record.finding_id,
            published_at=record.decided_at,
            finding=FindingPublic.model_validate(record),
        )
    return PublicationPublic(
        kind="activation",
        record_id=record.activation_id,
        published_at=record.issued_at,
        activation=ActivationPublic.model_validate(record),
    )
