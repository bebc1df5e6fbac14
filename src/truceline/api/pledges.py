"""A commitment's ratification and deliveries behind the API, for staff and its own guarantor.

No web framework here: ``api/routes/ratification.py`` only converts. A guarantor records and
reads the steps and deliveries of its own state's commitments only; another state's
commitment is "not stored" to it, like a missing one (its existence is not revealed). Neither
is published: the public and the parties see none of it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, Engine

from truceline.api.roles import Principal, Role
from truceline.app import guarantees as ops
from truceline.domain import Commitment, RatificationStatus
from truceline.errors import ConflictError, NotFoundError
from truceline.guarantees.deliveries import Delivery, format_quantity
from truceline.guarantees.ratification import RatificationStep
from truceline.store.guarantees import get_commitment, get_deliveries, get_ratification_history
from truceline.store.listings import Page, Window, paginate


@dataclass(frozen=True)
class DeliveryOutcome:
    """A delivery and the commitment's totals after it."""

    delivery: Delivery
    commitment: Commitment


def visible_commitment(conn: Connection, principal: Principal, commitment_id: str) -> Commitment:
    """The commitment if the caller may see it: staff all, a guarantor its own state's."""
    commitment = get_commitment(conn, commitment_id=commitment_id)
    if principal.role == Role.GUARANTOR and commitment.guarantor != principal.state:
        raise NotFoundError(f"commitment {commitment_id!r} is not stored")
    return commitment


def ratification_steps(
    engine: Engine, principal: Principal, *, commitment_id: str, window: Window
) -> Page[RatificationStep]:
    """The commitment's ratification steps, oldest first."""
    with engine.connect() as conn:
        visible_commitment(conn, principal, commitment_id)
        return paginate(get_ratification_history(conn, commitment_id=commitment_id), window)


def ratify(
    engine: Engine,
    principal: Principal,
    *,
    commitment_id: str,
    to: RatificationStatus,
    on: date,
    note: str,
) -> tuple[ops.RatificationOutcome, bool]:
    """Record the next step of the commitment; (outcome, new).

    The step just recorded sent again (same status, date and note) is answered as stored.
    """
    with engine.begin() as conn:
        commitment = visible_commitment(conn, principal, commitment_id)
        history = get_ratification_history(conn, commitment_id=commitment_id)
        last = history[-1] if history else None
        if _is_same_step(last, commitment, to, on, note):
            assert last is not None
            return ops.RatificationOutcome(commitment, last), False
        return ops.advance_ratification(conn, commitment_id, to=to, on=on, note=note), True


def deliveries(
    engine: Engine, principal: Principal, *, commitment_id: str, window: Window
) -> Page[Delivery]:
    """The deliveries against the commitment, in the order recorded."""
    with engine.connect() as conn:
        visible_commitment(conn, principal, commitment_id)
        return paginate(get_deliveries(conn, commitment_id=commitment_id), window)


def deliver(
    engine: Engine,
    principal: Principal,
    *,
    commitment_id: str,
    quantity: float,
    on: date,
    note: str,
    delivered_before: float | None,
) -> tuple[DeliveryOutcome, bool]:
    """Record a delivery; (outcome, new).

    With ``delivered_before`` (the total the client saw), a delivery whose total has moved is
    refused (409), unless the last delivery is this one sent again: it is answered as stored.
    """
    with engine.begin() as conn:
        commitment = visible_commitment(conn, principal, commitment_id)
        if delivered_before is not None and not _same(commitment.delivered, delivered_before):
            last = _last_delivery(conn, commitment_id)
            if _is_retry(last, commitment, quantity, on, note, delivered_before):
                assert last is not None
                return DeliveryOutcome(last, commitment), False
            raise ConflictError(
                f"commitment {commitment_id!r}: {format_quantity(commitment.delivered)} "
                f"{commitment.unit} delivered now, not the {format_quantity(delivered_before)} "
                "given; nothing recorded (reload and send again)"
            )
        delivery = ops.record_delivery(conn, commitment_id, quantity=quantity, on=on, note=note)
        return DeliveryOutcome(delivery, get_commitment(conn, commitment_id=commitment_id)), True


def _is_same_step(
    last: RatificationStep | None,
    commitment: Commitment,
    to: RatificationStatus,
    on: date,
    note: str,
) -> bool:
    """Whether the last step recorded is this one (the commitment still at its status)."""
    if last is None or not commitment.status == to == last.status:
        return False
    return (last.effective_on, last.note) == (on, note)


def _last_delivery(conn: Connection, commitment_id: str) -> Delivery | None:
    stored = get_deliveries(conn, commitment_id=commitment_id)
    return stored[-1] if stored else None


def _is_retry(
    last: Delivery | None,
    commitment: Commitment,
    quantity: float,
    on: date,
    note: str,
    before: float,
) -> bool:
    if last is None:
        return False
    same_delivery = (last.delivered_on, last.note) == (on, note) and _same(last.quantity, quantity)
    return same_delivery and _same(commitment.delivered, before + quantity)


def _same(a: float, b: float) -> bool:
    """Equal up to float rounding of sums (a millionth, as the pledge check allows)."""
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)
