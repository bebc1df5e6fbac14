"""Commitments, activations and what is published."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from truceline.api.models.commission import FindingPublic
from truceline.api.models.common import PublicModel
from truceline.domain import ActivationStatus, RatificationStatus


class CommitmentPublic(PublicModel):
    commitment_id: str
    guarantor: str
    kind: str
    quantity: float
    unit: str
    trigger: str
    status: RatificationStatus
    delivered: float
    notes: dict[str, Any]
    requires_parliament: bool


class CommitmentsPublic(PublicModel):
    data: list[CommitmentPublic]
    count: int


class ActivationPublic(PublicModel):
    activation_id: str
    commitment_id: str
    guarantor: str
    finding_id: str
    status: ActivationStatus
    issued_at: datetime
    reason: str
    promoted_at: datetime | None
    lapsed_at: datetime | None


class ActivationsPublic(PublicModel):
    data: list[ActivationPublic]
    count: int


class PublicationPublic(PublicModel):
    """One published record: a finding or an activation, with the record itself."""

    kind: Literal["finding", "activation"]
    record_id: str
    published_at: datetime
    finding: FindingPublic | None = None
    activation: ActivationPublic | None = None


class PublicationsPublic(PublicModel):
    data: list[PublicationPublic]
    count: int
