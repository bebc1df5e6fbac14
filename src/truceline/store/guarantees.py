"""Repository of the guarantees: commitments with their ratification history, deliveries,
activations. Each function works inside the caller's transaction (one change, one
transaction: open it with ``engine.begin()``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, Insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from truceline.domain import Activation, ActivationStatus, Commitment, RatificationStatus
from truceline.errors import ConflictError, NotAvailableError
from truceline.guarantees.deliveries import RELATIVE_SLACK, Delivery, check_delivery
from truceline.guarantees.ratification import RatificationStep
from truceline.store import tables
from truceline.store.guarantee_tables import (
    activations,
    commitment_deliveries,
    ratification_steps,
)
from truceline.store.queries import get_one
from truceline.store.records import AddResult
from truceline.store.writes import RowKind, as_json, show, text_of

COMMITMENTS = RowKind("commitment", tables.commitments, "commitment_id")
# What a commitment is (its terms); status and delivered change over its life.
_COMMITMENT_COLUMNS = tuple(tables.commitments.c.keys())
_ACTIVATION_COLUMNS = tuple(activations.c.keys())
TERMS = ("guarantor", "kind", "quantity", "unit", "trigger", "notes", "requires_parliament")


def register_commitment(
    conn: Connection, *, commitment: Commitment, history: Iterable[RatificationStep]
) -> bool:
    """Store a new commitment with its history; True if new, False if stored with these terms.

    A commitment stored with other terms is a ConflictError. One already stored keeps its
    status, history and deliveries (later steps go through :func:`record_ratification_step`).
    """
    row = _commitment_row(commitment)
    stored = _stored_commitment(conn, commitment.commitment_id)
    if stored is not None:
        _require_same_terms(commitment.commitment_id, stored, row)
        return False
    conn.execute(tables.commitments.insert(), [row])
    steps = [_step_row(step) for step in history]
    if steps:
        conn.execute(ratification_steps.insert(), steps)
    return True


def get_commitment(conn: Connection, *, commitment_id: str) -> Commitment:
    """The commitment with this id (NotFoundError if there is none)."""
    return _commitment(get_one(conn, COMMITMENTS, commitment_id))


def list_commitments(conn: Connection, *, guarantor: str | None = None) -> list[Commitment]:
    """Commitments, optionally of one guarantor, by id."""
    table = tables.commitments
    query = select(table).order_by(table.c.commitment_id)
    if guarantor is not None:
        query = query.where(table.c.guarantor == guarantor)
    return [_commitment(row) for row in conn.execute(query).mappings()]


def get_ratification_history(conn: Connection, *, commitment_id: str) -> list[RatificationStep]:
    """The commitment's ratification steps, oldest first."""
    table = ratification_steps
    query = select(table).where(table.c.commitment_id == commitment_id).order_by(table.c.step_id)
    return [_step(row) for row in conn.execute(query).mappings()]


def record_ratification_step(conn: Connection, *, step: RatificationStep) -> None:
    """Move the commitment to the step's status and record the step.

    ConflictError if the stored status is no longer the step's previous status (another
    writer moved the commitment meanwhile).
    """
    table = tables.commitments
    moved = conn.execute(
        update(table)
        .where(table.c.commitment_id == step.commitment_id)
        .where(table.c.status == text_of(step.previous_status))
        .values(status=text_of(step.status))
    ).rowcount
    if moved != 1:
        raise ConflictError(
            f"commitment {step.commitment_id!r} is no longer {step.previous_status} "
            "(changed meanwhile); nothing recorded"
        )
    conn.execute(ratification_steps.insert(), [_step_row(step)])


def add_delivery(conn: Connection, *, delivery: Delivery) -> Delivery:
    """Record a delivery and add it to the commitment's delivered total; the stored delivery.

    ConflictError if the commitment is withdrawn or the total would exceed the pledge (checked
    in the same statement that adds it, so concurrent deliveries cannot overshoot together).
    """
    commitment = get_commitment(conn, commitment_id=delivery.commitment_id)
    check_delivery(commitment, delivery.quantity)
    table = tables.commitments
    added = conn.execute(
        update(table)
        .where(table.c.commitment_id == delivery.commitment_id)
        .where(table.c.delivered + delivery.quantity <= table.c.quantity * (1 + RELATIVE_SLACK))
        .values(delivered=table.c.delivered + delivery.quantity)
    ).rowcount
    if added != 1:
        raise ConflictError(
            f"commitment {delivery.commitment_id!r}: deliveries changed meanwhile and this one "
            "would exceed the pledge; nothing recorded"
        )
    row = {k: v for k, v in _delivery_row(delivery).items() if k != "delivery_id"}
    result = conn.execute(
        commitment_deliveries.insert().returning(commitment_deliveries.c.delivery_id), [row]
    )
    return Delivery(**{**row, "delivery_id": result.scalar_one()})


def get_deliveries(conn: Connection, *, commitment_id: str | None = None) -> list[Delivery]:
    """Deliveries, optionally against one commitment, in the order they were recorded."""
    table = commitment_deliveries
    query = select(table).order_by(table.c.delivery_id)
    if commitment_id is not None:
        query = query.where(table.c.commitment_id == commitment_id)
    return [Delivery(**row) for row in conn.execute(query).mappings()]


def record_activations(conn: Connection, *, notices: Iterable[Activation]) -> AddResult:
    """Store the notices not stored yet; those whose id is stored are left as they are.

    The ids are derived from finding and commitment, so evaluating a finding again records
    nothing new (a stored notice keeps its first issue time and any promotion).
    """
    rows = [_activation_row(a) for a in notices]
    if not rows:
        return AddResult()
    inserted = conn.execute(
        _insert_ignoring_stored(conn), rows, execution_options={"preserve_rowcount": True}
    ).rowcount
    return AddResult(new=inserted, existing=len(rows) - inserted)


def settle_pending(conn: Connection, *, settled: Iterable[Activation]) -> int:
    """Store pending notices that were promoted or lapsed; how many changed.

    Only notices still pending are changed, so settling twice changes nothing.
    """
    changed = 0
    for notice in settled:
        changed += conn.execute(
            update(activations)
            .where(activations.c.activation_id == notice.activation_id)
            .where(activations.c.status == text_of(ActivationStatus.PENDING_RATIFICATION))
            .values(
                status=text_of(notice.status),
                promoted_at=notice.promoted_at,
                lapsed_at=notice.lapsed_at,
            )
        ).rowcount
    return changed


def get_activations(
    conn: Connection,
    *,
    finding_id: str | None = None,
    commitment_id: str | None = None,
    guarantor: str | None = None,
    status: ActivationStatus | None = None,
) -> list[Activation]:
    """Notices matching every filter given, in the order they were issued."""
    table = activations
    query = select(table).order_by(
        table.c.issued_at, table.c.guarantor, table.c.commitment_id, table.c.finding_id
    )
    filters: dict[str, Any] = {
        "finding_id": finding_id,
        "commitment_id": commitment_id,
        "guarantor": guarantor,
        "status": text_of(status),
    }
    for column, value in filters.items():
        if value is not None:
            query = query.where(table.c[column] == value)
    return [_activation(row) for row in conn.execute(query).mappings()]


def _insert_ignoring_stored(conn: Connection) -> Insert:
    dialect = conn.dialect.name
    if dialect == "sqlite":
        return sqlite.insert(activations).on_conflict_do_nothing(index_elements=["activation_id"])
    if dialect == "postgresql":
        return postgresql.insert(activations).on_conflict_do_nothing(
            index_elements=["activation_id"]
        )
    raise NotAvailableError(f"the store supports SQLite and PostgreSQL, not {dialect}")


def _stored_commitment(conn: Connection, commitment_id: str) -> dict[str, Any] | None:
    table = tables.commitments
    query = select(table).where(table.c.commitment_id == commitment_id)
    row = conn.execute(query).mappings().one_or_none()
    return None if row is None else dict(row)


def _require_same_terms(commitment_id: str, stored: dict[str, Any], given: dict[str, Any]) -> None:
    for column in TERMS:
        if stored[column] != given[column]:
            raise ConflictError(
                f"commitment {commitment_id!r} is already stored with other terms "
                f"({column}: stored {show(stored[column])}, given {show(given[column])})"
            )


def _commitment_row(commitment: Commitment) -> dict[str, Any]:
    row = {column: getattr(commitment, column) for column in _COMMITMENT_COLUMNS}
    row["status"] = text_of(commitment.status)
    row["notes"] = as_json(commitment.notes, what=f"commitment {commitment.commitment_id!r}")
    return row


def _commitment(row: Any) -> Commitment:
    values = dict(row)
    values["status"] = RatificationStatus(values["status"])
    values["requires_parliament"] = bool(values["requires_parliament"])
    return Commitment(**values)


def _step_row(step: RatificationStep) -> dict[str, Any]:
    return {
        "commitment_id": step.commitment_id,
        "status": text_of(step.status),
        "previous_status": text_of(step.previous_status),
        "effective_on": step.effective_on,
        "recorded_at": step.recorded_at,
        "note": step.note,
    }


def _step(row: Any) -> RatificationStep:
    previous = row["previous_status"]
    return RatificationStep(
        commitment_id=row["commitment_id"],
        status=RatificationStatus(row["status"]),
        previous_status=None if previous is None else RatificationStatus(previous),
        effective_on=row["effective_on"],
        recorded_at=row["recorded_at"],
        note=row["note"],
    )


def _delivery_row(delivery: Delivery) -> dict[str, Any]:
    return {
        "delivery_id": delivery.delivery_id,
        "commitment_id": delivery.commitment_id,
        "delivered_on": delivery.delivered_on,
        "quantity": float(delivery.quantity),
        "recorded_at": delivery.recorded_at,
        "note": delivery.note,
    }


def _activation_row(activation: Activation) -> dict[str, Any]:
    row = {column: getattr(activation, column) for column in _ACTIVATION_COLUMNS}
    row["status"] = text_of(activation.status)
    return row


def _activation(row: Any) -> Activation:
    values = dict(row)
    values["status"] = ActivationStatus(values["status"])
    return Activation(**values)
