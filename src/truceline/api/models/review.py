"""The analysts' review: the queue, claims, decisions, event edits and re-runs."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import Field

from truceline.api.models.analysis import EventPublic
from truceline.api.models.common import Code, CreateModel, Id, PublicModel, Text, UtcTime
from truceline.domain import EventKind, Severity, ViolationType
from truceline.review.constraints import EditKind
from truceline.review.items import Action, ItemKind, Reason

Reason_ = Annotated[Text, Field(min_length=1, description="Why (kept with the record).")]


class ClaimPublic(PublicModel):
    item_id: str
    analyst: str
    claimed_at: datetime
    expires_at: datetime


class QueueItemPublic(PublicModel):
    """An item of the queue: what it is, why it is there, its priority and your claim."""

    item_id: str
    kind: ItemKind
    ref_id: str
    time: datetime
    reasons: list[Reason]
    severity: Severity | None
    p_attribution: float | None
    fix_ratio: float | None
    summary: str
    priority: int = Field(description="Higher first: severity rank x 16 + reason bits.")
    claim: ClaimPublic | None = Field(description="Your own claim on the item, if any.")


class QueuePublic(PublicModel):
    data: list[QueueItemPublic]
    count: int


class ClaimCreate(CreateModel):
    """How long to hold the item (renewing a claim you hold sets a new expiry)."""

    minutes: Annotated[float, Field(gt=0, le=24 * 60)] = 30.0


class DecisionCreate(CreateModel):
    """Confirm, reject, reclassify (give ``kind``, or ``violation_id`` and
    ``violation_type``) or escalate (a case is opened on the item's violations)."""

    action: Action
    reason: Reason_
    kind: EventKind | None = None
    violation_id: Id | None = None
    violation_type: ViolationType | None = None


class DecisionPublic(PublicModel):
    item_id: str
    action: Action
    actor: str
    at: datetime
    reason: str
    details: dict[str, Any]


class DecisionsPublic(PublicModel):
    data: list[DecisionPublic]
    count: int


class MergeCreate(CreateModel):
    """Merge stored events into one (located and attributed again)."""

    event_ids: Annotated[list[Id], Field(min_length=2, max_length=50)]
    reason: Reason_
    theatre: Code | None = Field(None, description="Stored theatre (default: the only one).")


class SplitCreate(CreateModel):
    """Move arrivals and reports of a stored event into a new event."""

    event_id: Id
    arrival_ids: Annotated[list[Id], Field(default_factory=list, max_length=1000)]
    report_ids: Annotated[list[Id], Field(default_factory=list, max_length=1000)]
    reason: Reason_
    theatre: Code | None = None


class UndoCreate(CreateModel):
    reason: Reason_


class EditPublic(PublicModel):
    """A merge, split or undo with the events it replaced and those it made."""

    edit_id: str
    kind: EditKind
    actor: str
    at: datetime
    reason: str
    before: list[EventPublic]
    after: list[EventPublic]
    undoes: str | None
    undone_by: str | None
    notes: list[str]
    dropped_arrivals: list[str] = Field(
        default_factory=list, description="Arrivals the new fixes did not keep."
    )


class EditsPublic(PublicModel):
    data: list[EditPublic]
    count: int


class RerunCreate(CreateModel):
    """Re-analyse the stored arrivals of a period, keeping analysts' decisions."""

    start: UtcTime
    end: UtcTime
    theatre: Code | None = None


class RerunPublic(PublicModel):
    run_id: str
    events: int
    events_new: int
    events_updated: int
    events_removed: int
    decided_kept: list[str]
    relocated: list[str]
    violations: int | None
    notes: list[str]
