"""/events: what the analysis located (staff only)."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated

from fastapi import APIRouter, Query

from truceline.api import visibility
from truceline.api.deps import FiltersDep, StateDep, WindowDep, require
from truceline.api.errors import AUTH_ERRORS
from truceline.api.models.analysis import EventPublic, EventsPublic
from truceline.api.roles import Principal
from truceline.api.routes._shared import STAFF
from truceline.domain import EventKind

router = APIRouter(prefix="/events", tags=["events"])


@router.get("", response_model=EventsPublic, responses=AUTH_ERRORS)
def list_events(
    _caller: Annotated[Principal, require(*STAFF)],
    state: StateDep,
    filters: FiltersDep,
    window: WindowDep,
    kind: Annotated[EventKind | None, Query(description="Only of this kind.")] = None,
) -> EventsPublic:
    """Events by time (``party``: the responsible party)."""
    wanted = replace(filters, kind=None if kind is None else kind.value)
    page = visibility.events(state.engine, wanted, window)
    return EventsPublic(data=[EventPublic.model_validate(e) for e in page.items], count=page.count)
