"""Findings and commitments shared by the guarantees tests."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

from truceline.domain import Commitment, Finding, RatificationStatus, StandardOfProof

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
D0 = date(2026, 1, 6)
CEASEFIRE = datetime(2026, 11, 1, tzinfo=UTC)


def finding(
    party: str | None = "RU",
    severity: str = "high",
    proof: StandardOfProof = StandardOfProof.CLEAR_AND_CONVINCING,
    *,
    finding_id: str = "F1",
    decided_at: datetime = T0,
) -> Finding:
    """A finding of the commission with the given responsibility, severity and proof."""
    return Finding(finding_id, "C1", decided_at, party, proof, severity)


def commitment(
    commitment_id: str,
    trigger: dict[str, Any],
    status: RatificationStatus = RatificationStatus.PLEDGED,
    *,
    guarantor: str = "FR",
    requires_parliament: bool = True,
) -> Commitment:
    """A commitment of 100 personnel with this trigger rule and status."""
    return Commitment(
        commitment_id,
        guarantor,
        "troops",
        100.0,
        "personnel",
        json.dumps(trigger),
        status=status,
        requires_parliament=requires_parliament,
    )
