"""The commission's work and the guarantees: cases, findings, remedies, commitments."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class CaseStatus(StrEnum):
    ALLEGATION = "allegation"
    INQUIRY = "inquiry"
    INVESTIGATION = "investigation"
    DRAFT_FINDING = "draft_finding"
    VOTE = "vote"
    FINDING = "finding"
    REMEDY = "remedy"
    CLOSED = "closed"


class StandardOfProof(StrEnum):
    REASONABLE_GROUNDS = "reasonable_grounds"
    BALANCE_OF_PROBABILITIES = "balance_of_probabilities"
    CLEAR_AND_CONVINCING = "clear_and_convincing"
    BEYOND_REASONABLE_DOUBT = "beyond_reasonable_doubt"


class RatificationStatus(StrEnum):
    PLEDGED = "pledged"
    APPROVED_BY_GOVERNMENT = "approved_by_government"
    RATIFIED_BY_PARLIAMENT = "ratified_by_parliament"
    IN_FORCE = "in_force"


@dataclass(frozen=True)
class Case:
    """The commission's file on one or more violations."""

    case_id: str
    title: str
    status: CaseStatus
    opened_at: datetime
    violation_ids: tuple[str, ...] = ()
    alleged_by: str | None = None
    accused_party: str | None = None


@dataclass(frozen=True)
class Finding:
    """The commission's decision on a case: a responsible party or not attributable."""

    finding_id: str
    case_id: str
    decided_at: datetime
    responsible_party: str | None
    standard_of_proof: StandardOfProof
    severity: str
    votes_for: int = 0
    votes_against: int = 0
    abstentions: int = 0
    dissent: str = ""

    @property
    def attributable(self) -> bool:
        return self.responsible_party is not None


@dataclass(frozen=True)
class Remedy:
    """A graduated response chosen from the catalogue, with a deadline and compliance."""

    remedy_id: str
    finding_id: str
    kind: str
    party: str
    due_at: datetime | None = None
    complied_at: datetime | None = None
    description: str = ""


@dataclass(frozen=True)
class Commitment:
    """What a guarantor pledged, under which trigger, and how far ratification has gone."""

    commitment_id: str
    guarantor: str
    kind: str
    quantity: float
    unit: str
    trigger: str
    status: RatificationStatus = RatificationStatus.PLEDGED
    delivered: float = 0.0
    notes: dict[str, str] = field(default_factory=dict)


class ActivationStatus(StrEnum):
    ACTIVATED = "activated"  # the commitment is in force: the guarantor is notified to act
    PENDING_RATIFICATION = "pending_ratification"  # met, but ratification is outstanding


@dataclass(frozen=True)
class Activation:
    """A finding that met a commitment's trigger: a notice to that guarantor."""

    activation_id: str
    commitment_id: str
    guarantor: str
    finding_id: str
    status: ActivationStatus
    issued_at: datetime
    reason: str = ""
