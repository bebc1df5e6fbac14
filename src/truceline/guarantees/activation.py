"""Activations: a finding that meets a commitment's trigger produces a notice to its guarantor.

The notice is an activation when the commitment is in force, and a pending notice (queued)
while ratification is outstanding; a pending notice becomes an activation when the commitment
enters into force (:func:`promote_pending`) and lapses if it is withdrawn first
(:func:`lapse_pending`). Withdrawn commitments activate nothing. Activation ids are derived
from the finding and the commitment, so evaluating a finding again never doubles a notice.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Iterable
from datetime import datetime

from truceline.domain import (
    Activation,
    ActivationStatus,
    Commitment,
    Finding,
    RatificationStatus,
)
from truceline.errors import InputError
from truceline.guarantees.deliveries import format_quantity
from truceline.guarantees.triggers import (
    Rule,
    TriggerContext,
    evaluate_trigger,
    parse_trigger_text,
)

PENDING = ActivationStatus.PENDING_RATIFICATION


def activation_id(finding_id: str, commitment_id: str) -> str:
    """The id of the notice a finding produces for a commitment: always the same for both.

    >>> activation_id("F1", "K1") == activation_id("F1", "K1") != activation_id("F1", "K2")
    True
    """
    key = json.dumps([finding_id, commitment_id]).encode("utf-8")
    return "A-" + hashlib.sha256(key).hexdigest()[:20]


def activations_for(
    finding: Finding,
    commitments: Iterable[Commitment],
    at: datetime,
    *,
    context: TriggerContext | None = None,
) -> list[Activation]:
    """A notice for every commitment whose trigger ``finding`` meets, issued ``at``.

    ACTIVATED where the commitment is in force, PENDING_RATIFICATION where it is not yet;
    withdrawn commitments and unmet triggers give nothing. A trigger that is not a valid
    rule is an InputError naming the commitment (never silently skipped).

    >>> from datetime import UTC, datetime
    >>> from truceline.domain import StandardOfProof
    >>> at = datetime(2026, 12, 2, tzinfo=UTC)
    >>> finding = Finding("F1", "C1", at, "RU", StandardOfProof.CLEAR_AND_CONVINCING, "high")
    >>> rule = '{"responsible_party": "RU"}'
    >>> commitments = [Commitment("K1", "FR", "troops", 2000, "personnel", rule,
    ...                           status=RatificationStatus.IN_FORCE),
    ...                Commitment("K2", "DE", "funds", 1e9, "EUR", rule)]
    >>> [(a.commitment_id, str(a.status)) for a in activations_for(finding, commitments, at)]
    [('K1', 'activated'), ('K2', 'pending_ratification')]
    """
    notices = []
    for commitment in sorted(commitments, key=lambda c: c.commitment_id):
        if commitment.status is RatificationStatus.WITHDRAWN:
            continue
        verdict = evaluate_trigger(_rule_of(commitment), finding, context)
        if verdict.met:
            notices.append(_notice(finding, commitment, at, f"trigger met: {verdict.text}"))
    return notices


def promote_pending(
    activations: Iterable[Activation], commitment: Commitment, at: datetime
) -> list[Activation]:
    """The commitment's pending notices as activations promoted ``at`` (none unless in force)."""
    if commitment.status is not RatificationStatus.IN_FORCE:
        return []
    return [
        dataclasses.replace(a, status=ActivationStatus.ACTIVATED, promoted_at=at)
        for a in _pending_of(activations, commitment)
    ]


def lapse_pending(
    activations: Iterable[Activation], commitment: Commitment, at: datetime
) -> list[Activation]:
    """The commitment's pending notices as lapsed ``at`` (none unless it is withdrawn)."""
    if commitment.status is not RatificationStatus.WITHDRAWN:
        return []
    return [
        dataclasses.replace(a, status=ActivationStatus.LAPSED, lapsed_at=at)
        for a in _pending_of(activations, commitment)
    ]


def notice_text(activation: Activation, commitment: Commitment) -> str:
    """The notice as one sentence to the guarantor."""
    what = (
        f"commitment {commitment.commitment_id} ({commitment.kind}, "
        f"{format_quantity(commitment.quantity)} {commitment.unit})"
    )
    to, by = f"to {activation.guarantor}", f"finding {activation.finding_id}"
    if activation.status is ActivationStatus.ACTIVATED:
        text = f"Activation notice {to}: {what} is activated by {by}"
        if activation.promoted_at is not None:
            text += f" (queued, promoted {activation.promoted_at.isoformat()})"
    elif activation.status is PENDING:
        text = f"Pending notice {to}: {by} meets the trigger of {what}, {commitment.status}"
        text += ", queued until entry into force"
    else:
        text = (
            f"Lapsed notice {to}: {by} met the trigger of {what}, withdrawn before entry into force"
        )
    return f"{text}; {activation.reason}."


def _rule_of(commitment: Commitment) -> Rule:
    try:
        return parse_trigger_text(commitment.trigger)
    except InputError as error:
        raise InputError(
            f"commitment {commitment.commitment_id!r} has an invalid trigger: {error.message}",
            column=error.column,
        ) from None


def _notice(finding: Finding, commitment: Commitment, at: datetime, reason: str) -> Activation:
    in_force = commitment.status is RatificationStatus.IN_FORCE
    return Activation(
        activation_id=activation_id(finding.finding_id, commitment.commitment_id),
        commitment_id=commitment.commitment_id,
        guarantor=commitment.guarantor,
        finding_id=finding.finding_id,
        status=ActivationStatus.ACTIVATED if in_force else PENDING,
        issued_at=at,
        reason=reason,
    )


def _pending_of(activations: Iterable[Activation], commitment: Commitment) -> list[Activation]:
    return [
        a
        for a in activations
        if a.commitment_id == commitment.commitment_id and a.status is PENDING
    ]
