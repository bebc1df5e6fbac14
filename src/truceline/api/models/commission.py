"""Cases, their workflow (drafts, votes, decisions), evidence and findings."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import Field

from truceline.api.models.common import Code, CreateModel, Id, PublicModel, Text
from truceline.commission.membership import DEFAULT_MECHANISM
from truceline.domain import CaseStatus, Severity, StandardOfProof
from truceline.domain.commission import EvidenceKind, VoteChoice


class CaseCreate(CreateModel):
    """A case on stored violations, or (with ``accused_party``) a party's allegation.

    A party's liaison may only allege: ``alleged_by`` is then its own party.
    """

    violation_ids: Annotated[list[Id], Field(default_factory=list, max_length=1000)]
    title: Text | None = None
    alleged_by: Code | None = None
    accused_party: Code | None = None


class CaseAdvance(CreateModel):
    """Move a case to its next status (finding and remedy have their own operations)."""

    to_status: CaseStatus
    reason: Text = ""


class DraftCreate(CreateModel):
    """The draft finding a case goes to the vote with."""

    responsible_party: Code | None = None
    standard_of_proof: StandardOfProof
    severity: Severity
    summary: Text = ""


class VoteCreate(CreateModel):
    """A commissioner's vote, cast as the commission member the user is bound to."""

    choice: VoteChoice
    statement: Text = ""


class DecideRequest(CreateModel):
    """Tally the current round under the rules of a mechanism."""

    mechanism: Code = DEFAULT_MECHANISM


class CasePublic(PublicModel):
    case_id: str
    title: str
    status: CaseStatus
    opened_at: datetime
    violation_ids: list[str]
    alleged_by: str | None
    accused_party: str | None


class CasesPublic(PublicModel):
    data: list[CasePublic]
    count: int


class TransitionPublic(PublicModel):
    case_id: str
    from_status: CaseStatus | None
    to_status: CaseStatus
    actor: str
    at: datetime
    reason: str


class DraftPublic(PublicModel):
    case_id: str
    responsible_party: str | None
    standard_of_proof: StandardOfProof
    severity: str
    drafted_by: str
    drafted_at: datetime
    summary: str


class VotePublic(PublicModel):
    case_id: str
    round: int
    member_id: str
    choice: VoteChoice
    cast_at: datetime
    statement: str


class FindingPublic(PublicModel):
    finding_id: str
    case_id: str
    decided_at: datetime
    responsible_party: str | None
    standard_of_proof: StandardOfProof
    severity: str
    votes_for: int
    votes_against: int
    abstentions: int
    dissent: str


class FindingsPublic(PublicModel):
    data: list[FindingPublic]
    count: int


class RemedyPublic(PublicModel):
    remedy_id: str
    finding_id: str
    kind: str
    party: str
    due_at: datetime | None
    complied_at: datetime | None
    description: str


class CaseFilePublic(PublicModel):
    """A case with its history, draft, current votes, findings, remedies and evidence ids."""

    case: CasePublic
    transitions: list[TransitionPublic]
    draft: DraftPublic | None
    votes: list[VotePublic]
    findings: list[FindingPublic]
    remedies: list[RemedyPublic]
    evidence_ids: list[str]


class DecisionPublic(PublicModel):
    """The tally of a round, and the finding when the draft was adopted."""

    quorum_met: bool
    adopted: bool
    votes_for: int
    votes_against: int
    abstentions: int
    explanation: str
    finding: FindingPublic | None


class EvidencePublic(PublicModel):
    evidence_id: str
    case_id: str
    kind: EvidenceKind
    reference: str
    sha256: str
    added_by: str
    added_at: datetime
    size_bytes: int | None
    description: str


class EvidenceListPublic(PublicModel):
    data: list[EvidencePublic]
    count: int
