"""Case locks, remedies and their compliance, and the commission's members."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import Field

from truceline.api.models.common import Code, CreateModel, PublicModel, Text, UtcTime
from truceline.commission.membership import DEFAULT_MECHANISM
from truceline.commission.votes import MajorityKind
from truceline.domain.commission import AffiliationKind

# --- locks -----------------------------------------------------------------------------------


class LockRequest(CreateModel):
    """Take (or renew) a case's edit lock for this many minutes (at most a day)."""

    minutes: Annotated[float, Field(gt=0, le=1440, allow_inf_nan=False)] = 30


class LockPublic(PublicModel):
    """Who holds a case's edit lock, and until when (``locked`` false: nobody holds it)."""

    case_id: str
    locked: bool
    holder: str | None = None
    acquired_at: datetime | None = None
    expires_at: datetime | None = None


# --- remedies --------------------------------------------------------------------------------


class RemedyOptionPublic(PublicModel):
    kind: str
    level: int
    deadline_hours: int | None
    description: str


class RemedyProposalPublic(PublicModel):
    """What the catalogue chooses for the case's finding; nothing is stored by proposing."""

    case_id: str
    finding_id: str
    party: str
    severity: str
    prior_findings: int = Field(description="Earlier findings against the party in the window.")
    level: int
    options: list[RemedyOptionPublic]


class RemedyAdopt(CreateModel):
    """Adopt the proposal: the kinds it named (refused with 409 if it changed meanwhile)."""

    kinds: Annotated[list[Code], Field(min_length=1, max_length=50)]


class RemedyStatus(StrEnum):
    OPEN = "open"  # no compliance recorded
    OVERDUE = "overdue"  # open, and its deadline has passed
    COMPLIED = "complied"


class RemedyRecordPublic(PublicModel):
    """A remedy addressed to a party, with its compliance (time and note) once recorded."""

    remedy_id: str
    finding_id: str
    case_id: str
    kind: str
    party: str
    due_at: datetime | None
    complied_at: datetime | None
    description: str
    compliance_note: str | None


class RemedyRecordsPublic(PublicModel):
    data: list[RemedyRecordPublic]
    count: int


class ComplianceCreate(CreateModel):
    """When the party complied (not in the future), and how that was verified."""

    complied_at: UtcTime
    note: Text = ""


# --- members ---------------------------------------------------------------------------------

Fraction = Annotated[str, Field(max_length=32)] | Annotated[float, Field(allow_inf_nan=False)]


class QuorumRules(CreateModel):
    """Exactly one of ``count`` (members) or ``fraction`` (of the eligible, e.g. "2/3")."""

    count: Annotated[int, Field(ge=1, le=10_000)] | None = None
    fraction: Fraction | None = None


class MajorityRules(CreateModel):
    kind: MajorityKind
    fraction: Fraction | None = Field(None, description="Needed with kind qualified.")


class VotingRulesCreate(CreateModel):
    quorum: QuorumRules
    majority: MajorityRules


class MemberCreate(CreateModel):
    """A member; ``state`` is the state code of a party or guarantor member (none if neutral)."""

    id: Code
    name: Annotated[str, Field(min_length=1, max_length=200)]
    affiliation: AffiliationKind
    state: Code | None = None


class MembershipCreate(CreateModel):
    """A mechanism's voting rules and members, as in the membership file (docs/commission.md).

    Members left out become inactive (kept for the votes they cast).
    """

    mechanism: Code = DEFAULT_MECHANISM
    rules: VotingRulesCreate
    members: Annotated[list[MemberCreate], Field(min_length=1, max_length=1000)]


class MembershipResultPublic(PublicModel):
    """What loading the membership changed (all lists empty: it was stored as given)."""

    mechanism: str
    members: int
    added: list[str]
    updated: list[str]
    deactivated: list[str]


class MemberPublic(PublicModel):
    member_id: str
    name: str
    affiliation_kind: AffiliationKind
    affiliation: str | None
    mechanism: str
    active: bool


class MembersPublic(PublicModel):
    data: list[MemberPublic]
    count: int


class CaseMemberPublic(MemberPublic):
    """A member as seen from one case: recused when affiliated with a party to it."""

    recused: bool
    eligible: bool = Field(description="Active and not recused: may vote on the case.")


class CaseMembersPublic(PublicModel):
    data: list[CaseMemberPublic]
    count: int
