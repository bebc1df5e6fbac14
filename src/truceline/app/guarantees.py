"""The guarantees as the commands use them: register, ratify, deliver, activate, list.

Every function works inside the caller's transaction (``with engine.begin() as conn``), so a
change is stored whole or not at all. Files are validated completely before anything is written.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import Connection

from truceline.domain import Activation, ActivationStatus, Commitment, RatificationStatus
from truceline.errors import ConflictError, InputError
from truceline.guarantees.activation import (
    activations_for,
    lapse_pending,
    notice_text,
    promote_pending,
)
from truceline.guarantees.deliveries import Delivery, TrackerLine, kind_totals, tracker_lines
from truceline.guarantees.ratification import RatificationStep, advance
from truceline.guarantees.registry import read_commitments
from truceline.guarantees.triggers import TriggerContext
from truceline.io.timefmt import parse_time
from truceline.store.commission import get_finding
from truceline.store.guarantees import (
    add_delivery,
    get_activations,
    get_commitment,
    get_deliveries,
    get_ratification_history,
    list_commitments,
    record_activations,
    record_ratification_step,
    register_commitment,
    settle_pending,
)
from truceline.store.records import AddResult
from truceline.store.theatres import get_theatres

PENDING = ActivationStatus.PENDING_RATIFICATION


@dataclass(frozen=True)
class RatificationOutcome:
    """A ratification step and the pending notices it promoted or let lapse."""

    commitment: Commitment
    step: RatificationStep
    promoted: tuple[Activation, ...] = ()
    lapsed: tuple[Activation, ...] = ()


@dataclass(frozen=True)
class CommitmentRecord:
    """Everything stored about one commitment."""

    commitment: Commitment
    history: tuple[RatificationStep, ...]
    deliveries: tuple[Delivery, ...]
    activations: tuple[Activation, ...]


@dataclass(frozen=True)
class Notice:
    """A stored activation with its text to the guarantor."""

    activation: Activation
    text: str


def register_commitments_file(
    conn: Connection, path: str | os.PathLike[str], *, at: datetime | None = None
) -> AddResult:
    """Validate a commitments file whole, then store its new commitments with their history.

    A commitment already stored with the same terms is counted as existing and left as it is;
    with other terms it is an InputError naming the file and line (nothing is stored).
    """
    registrations = read_commitments(path, at=at or _now())
    new = 0
    for registration in registrations:
        try:
            stored = register_commitment(
                conn, commitment=registration.commitment, history=registration.history
            )
        except ConflictError as error:
            raise InputError(
                f"{error} (refused; nothing stored)", file=os.fsdecode(path), line=registration.line
            ) from None
        new += int(stored)
    return AddResult(new=new, existing=len(registrations) - new)


def advance_ratification(
    conn: Connection,
    commitment_id: str,
    *,
    to: RatificationStatus,
    on: date,
    at: datetime | None = None,
    note: str = "",
) -> RatificationOutcome:
    """Move a commitment one step up the ladder (or withdraw it), settling pending notices.

    Entering into force promotes its pending notices to activations; withdrawal lets them
    lapse. ConflictError for a step the ladder does not allow.
    """
    at = at or _now()
    commitment = get_commitment(conn, commitment_id=commitment_id)
    history = get_ratification_history(conn, commitment_id=commitment_id)
    moved, step = advance(
        commitment, history[-1] if history else None, to=to, on=on, at=at, note=note
    )
    record_ratification_step(conn, step=step)
    pending = get_activations(conn, commitment_id=commitment_id, status=PENDING)
    promoted = promote_pending(pending, moved, at)
    lapsed = lapse_pending(pending, moved, at)
    settle_pending(conn, settled=[*promoted, *lapsed])
    return RatificationOutcome(moved, step, tuple(promoted), tuple(lapsed))


def record_delivery(
    conn: Connection,
    commitment_id: str,
    *,
    quantity: float,
    on: date,
    note: str = "",
    at: datetime | None = None,
) -> Delivery:
    """Record a delivery against a commitment; ConflictError beyond the pledge or if withdrawn."""
    delivery = Delivery(commitment_id, on, quantity, at or _now(), note)
    return add_delivery(conn, delivery=delivery)


def activate_for_finding(
    conn: Connection,
    finding_id: str,
    *,
    at: datetime | None = None,
    ceasefire_in_force: datetime | None = None,
) -> list[Activation]:
    """Evaluate a stored finding against every stored commitment and store the notices.

    Returns every notice of the finding as stored (running it again adds nothing).
    ``ceasefire_in_force`` defaults to the earliest ``ceasefire.in_force`` of the stored
    theatres (none stored: no ceasefire in force).
    """
    finding = get_finding(conn, finding_id=finding_id)
    since = ceasefire_in_force or stored_ceasefire_in_force(conn)
    notices = activations_for(
        finding, list_commitments(conn), at or _now(), context=TriggerContext(since)
    )
    record_activations(conn, notices=notices)
    return get_activations(conn, finding_id=finding_id)


def stored_ceasefire_in_force(conn: Connection) -> datetime | None:
    """The earliest time a stored theatre says the ceasefire entered into force."""
    times = []
    for theatre in get_theatres(conn):
        data = json.loads(theatre.geojson)
        ceasefire = data.get("ceasefire") if isinstance(data, dict) else None
        value = ceasefire.get("in_force") if isinstance(ceasefire, dict) else None
        if value is None:
            continue
        try:
            times.append(parse_time(value))
        except (TypeError, ValueError) as error:
            raise InputError(
                f"stored theatre {theatre.name!r}: {error}", column="ceasefire.in_force"
            ) from None
    return min(times, default=None)


def list_notices(
    conn: Connection, *, guarantor: str | None = None, status: ActivationStatus | None = None
) -> list[Notice]:
    """Stored notices (activations, pending and lapsed), in the order they were issued."""
    commitments = {c.commitment_id: c for c in list_commitments(conn)}
    return [
        Notice(a, notice_text(a, commitments[a.commitment_id]))
        for a in get_activations(conn, guarantor=guarantor, status=status)
    ]


def commitment_record(conn: Connection, commitment_id: str) -> CommitmentRecord:
    """A commitment with its ratification history, deliveries and notices."""
    return CommitmentRecord(
        get_commitment(conn, commitment_id=commitment_id),
        tuple(get_ratification_history(conn, commitment_id=commitment_id)),
        tuple(get_deliveries(conn, commitment_id=commitment_id)),
        tuple(get_activations(conn, commitment_id=commitment_id)),
    )


def tracker(conn: Connection) -> tuple[list[TrackerLine], list[TrackerLine]]:
    """Pledged, in force and delivered per guarantor and kind, and per kind over all."""
    commitments = list_commitments(conn)
    return tracker_lines(commitments), kind_totals(commitments)


def _now() -> datetime:
    return datetime.now(UTC)
