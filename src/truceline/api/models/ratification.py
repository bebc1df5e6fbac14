"""A commitment's ratification steps and the deliveries against it."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import Field

from truceline.api.models.common import CreateModel, PublicModel, Text
from truceline.api.models.guarantees import CommitmentPublic
from truceline.domain import RatificationStatus

Quantity = Annotated[float, Field(gt=0, le=1e15, allow_inf_nan=False)]
Delivered = Annotated[float, Field(ge=0, le=1e15, allow_inf_nan=False)]


class RatificationCreate(CreateModel):
    """The next step on the ladder (or withdrawal), with the date it took legal effect."""

    to_status: RatificationStatus
    effective_on: date
    note: Text = ""


class RatificationStepPublic(PublicModel):
    commitment_id: str
    status: RatificationStatus
    previous_status: RatificationStatus | None
    effective_on: date
    recorded_at: datetime
    note: str


class RatificationStepsPublic(PublicModel):
    data: list[RatificationStepPublic]
    count: int


class RatificationOutcomePublic(PublicModel):
    """The step, the commitment after it, and the pending notices it promoted or let lapse."""

    step: RatificationStepPublic
    commitment: CommitmentPublic
    promoted: list[str] = Field(description="Ids of pending notices now activations.")
    lapsed: list[str] = Field(description="Ids of pending notices that lapsed.")


class DeliveryCreate(CreateModel):
    """A quantity delivered (in the pledge's unit) on a date.

    ``delivered_before`` (the commitment's delivered total the client last saw) makes the
    request safe to send again: the same delivery sent twice is recorded once (200).
    """

    quantity: Quantity
    delivered_on: date
    note: Text = ""
    delivered_before: Delivered | None = None


class DeliveryPublic(PublicModel):
    delivery_id: int | None
    commitment_id: str
    delivered_on: date
    quantity: float
    recorded_at: datetime
    note: str


class DeliveriesPublic(PublicModel):
    data: list[DeliveryPublic]
    count: int


class DeliveryOutcomePublic(PublicModel):
    """The delivery recorded and the commitment's totals after it."""

    delivery: DeliveryPublic
    commitment: CommitmentPublic
