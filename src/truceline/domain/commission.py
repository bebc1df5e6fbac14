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
    WITHDRAWN = "withdrawn"  # withdrawn by the guarantor or refused by its parliament: final


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


class AffiliationKind(StrEnum):
    PARTY = "party"  # a side bound by the ceasefire
    GUARANTOR = "guarantor"  # a guarantor state
    NEUTRAL = "neutral"  # neither (e.g. an independent chair)


class VoteChoice(StrEnum):
    FOR = "for"
    AGAINST = "against"
    ABSTAIN = "abstain"


class EvidenceKind(StrEnum):
    FILE = "file"  # a copy kept in the content-addressed evidence directory
    LINK = "link"  # a URL; its text is hashed
    EVENT = "event"  # a stored event; its record is hashed
    REPORT = "report"  # a stored report; its record is hashed


class CustodyAction(StrEnum):
    ADDED = "added"
    VIEWED = "viewed"
    EXPORTED = "exported"
    VERIFIED = "verified"


@dataclass(frozen=True)
class Member:
    """A commission member; ``affiliation`` is a state code (None when neutral)."""

    member_id: str
    name: str
    affiliation_kind: AffiliationKind
    affiliation: str | None = None
    mechanism: str = "commission"
    active: bool = True


@dataclass(frozen=True)
class Vote:
    """One member's vote on a case's draft finding in one voting round."""

    case_id: str
    round: int
    member_id: str
    choice: VoteChoice
    cast_at: datetime
    statement: str = ""


@dataclass(frozen=True)
class DraftFinding:
    """What the commission is asked to vote on: a proposed finding for a case."""

    case_id: str
    responsible_party: str | None
    standard_of_proof: StandardOfProof
    severity: str
    drafted_by: str
    drafted_at: datetime
    summary: str = ""


@dataclass(frozen=True)
class Evidence:
    """An evidence item with the SHA-256 that fixes its content when it was added."""

    evidence_id: str
    case_id: str
    kind: EvidenceKind
    reference: str  # original file name, URL, event id or report id
    sha256: str
    added_by: str
    added_at: datetime
    size_bytes: int | None = None
    description: str = ""


@dataclass(frozen=True)
class CustodyEntry:
    """One link in an evidence item's chain of custody: who did what, when."""

    evidence_id: str
    actor: str
    action: CustodyAction
    at: datetime
    details: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class CaseLock:
    """An edit lock on a case: only ``holder`` writes to it until ``expires_at``."""

    case_id: str
    holder: str
    acquired_at: datetime
    expires_at: datetime


@dataclass(frozen=True)
class CaseTransition:
    """A case moving from one status to the next, with who moved it and why."""

    case_id: str
    from_status: CaseStatus | None  # None when the case was opened
    to_status: CaseStatus
    actor: str
    at: datetime
    reason: str = ""


@dataclass(frozen=True)
class AuditEntry:
    """One audited change: which record, what was done, by whom, when, with details."""

    entity: str
    entity_id: str
    action: str
    actor: str
    at: datetime
    details: dict[str, object] = field(default_factory=dict)


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
    # False where the state's process has no parliamentary step (e.g. an executive agreement)
    requires_parliament: bool = True


class ActivationStatus(StrEnum):
    ACTIVATED = "activated"  # the commitment is in force: the guarantor is notified to act
    PENDING_RATIFICATION = "pending_ratification"  # met, but ratification is outstanding
    LAPSED = "lapsed"  # was pending; the commitment was withdrawn before entering into force


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
    promoted_at: datetime | None = None  # when a pending notice became an activation
    lapsed_at: datetime | None = None  # when a pending notice lapsed (commitment withdrawn)
