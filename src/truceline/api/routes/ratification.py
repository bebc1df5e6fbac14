"""/commitments/{commitment_id}/ratification and /deliveries: a pledge's legal steps and
what was delivered against it.

The staff record and read them for every commitment; a guarantor for its own state's only
(another state's commitment answers 404, like a missing one). None of it is published.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response

from truceline.api import pledges
from truceline.api.deps import StateDep, WindowDep, require
from truceline.api.errors import AUTH_ERRORS, BAD_BODY, CONFLICT, NOT_FOUND
from truceline.api.models.common import Id
from truceline.api.models.guarantees import CommitmentPublic
from truceline.api.models.ratification import (
    DeliveriesPublic,
    DeliveryCreate,
    DeliveryOutcomePublic,
    DeliveryPublic,
    RatificationCreate,
    RatificationOutcomePublic,
    RatificationStepPublic,
    RatificationStepsPublic,
)
from truceline.api.roles import Principal, Role
from truceline.api.routes._shared import stored_as_sent

router = APIRouter(prefix="/commitments/{commitment_id}", tags=["commitments"])
RECORDERS = (Role.ANALYST, Role.COMMISSIONER, Role.GUARANTOR)
CommitmentId = Annotated[Id, Path(description="Commitment id, e.g. FR-1.")]
WRITE_ERRORS = AUTH_ERRORS | BAD_BODY | NOT_FOUND | CONFLICT


@router.get(
    "/ratification", response_model=RatificationStepsPublic, responses=AUTH_ERRORS | NOT_FOUND
)
def list_ratification_steps(
    commitment_id: CommitmentId,
    caller: Annotated[Principal, require(*RECORDERS)],
    state: StateDep,
    window: WindowDep,
) -> RatificationStepsPublic:
    """The commitment's ratification steps, oldest first."""
    page = pledges.ratification_steps(
        state.engine, caller, commitment_id=commitment_id, window=window
    )
    return RatificationStepsPublic(
        data=[RatificationStepPublic.model_validate(s) for s in page.items], count=page.count
    )


@router.post(
    "/ratification",
    response_model=RatificationOutcomePublic,
    status_code=201,
    responses=WRITE_ERRORS | stored_as_sent(RatificationOutcomePublic),
)
def record_ratification_step(
    commitment_id: CommitmentId,
    body: RatificationCreate,
    caller: Annotated[Principal, require(*RECORDERS)],
    state: StateDep,
    response: Response,
) -> RatificationOutcomePublic:
    """Move the commitment one step up the ladder (or withdraw it); 409 for a step the
    ladder does not allow. In force, its pending notices become activations."""
    with state.writing():
        outcome, new = pledges.ratify(
            state.engine,
            caller,
            commitment_id=commitment_id,
            to=body.to_status,
            on=body.effective_on,
            note=body.note,
        )
    response.status_code = 201 if new else 200
    return RatificationOutcomePublic(
        step=RatificationStepPublic.model_validate(outcome.step),
        commitment=CommitmentPublic.model_validate(outcome.commitment),
        promoted=[a.activation_id for a in outcome.promoted],
        lapsed=[a.activation_id for a in outcome.lapsed],
    )


@router.get("/deliveries", response_model=DeliveriesPublic, responses=AUTH_ERRORS | NOT_FOUND)
def list_deliveries(
    commitment_id: CommitmentId,
    caller: Annotated[Principal, require(*RECORDERS)],
    state: StateDep,
    window: WindowDep,
) -> DeliveriesPublic:
    """The deliveries against the commitment, in the order recorded."""
    page = pledges.deliveries(state.engine, caller, commitment_id=commitment_id, window=window)
    return DeliveriesPublic(
        data=[DeliveryPublic.model_validate(d) for d in page.items], count=page.count
    )


@router.post(
    "/deliveries",
    response_model=DeliveryOutcomePublic,
    status_code=201,
    responses=WRITE_ERRORS | stored_as_sent(DeliveryOutcomePublic),
)
def record_delivery(
    commitment_id: CommitmentId,
    body: DeliveryCreate,
    caller: Annotated[Principal, require(*RECORDERS)],
    state: StateDep,
    response: Response,
) -> DeliveryOutcomePublic:
    """Record a delivery; 409 beyond the pledge, on a withdrawn commitment, or when
    ``delivered_before`` is no longer the total."""
    with state.writing():
        outcome, new = pledges.deliver(
            state.engine,
            caller,
            commitment_id=commitment_id,
            quantity=body.quantity,
            on=body.delivered_on,
            note=body.note,
            delivered_before=body.delivered_before,
        )
    response.status_code = 201 if new else 200
    return DeliveryOutcomePublic(
        delivery=DeliveryPublic.model_validate(outcome.delivery),
        commitment=CommitmentPublic.model_validate(outcome.commitment),
    )
