"""Voting on a draft finding: eligibility and recusal, one vote each, quorum, majority.

Rules, as counted here:

- Eligible members: the mechanism's active members who are not recused. A member is recused
  when affiliated with a party to the case (the accused or the alleging party), whatever the
  kind of affiliation: such a member may not vote.
- Quorum: eligible members who voted, abstentions included, against a count or a fraction of
  the eligible members (rounded up, at least one).
- Majority: abstentions count for the quorum only, never for the majority.
  ``simple``: more votes for than against. ``qualified``: votes for are at least the given
  fraction of the votes for and against. ``guarantor_unanimity``: at least one guarantor
  member voted for, none voted against (an abstaining or absent guarantor is no veto), and
  there are more votes for than against overall.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from fractions import Fraction

from truceline.domain.commission import (
    AffiliationKind,
    DraftFinding,
    Finding,
    Member,
    Vote,
    VoteChoice,
)
from truceline.errors import ConflictError, InputError


class MajorityKind(StrEnum):
    SIMPLE = "simple"
    QUALIFIED = "qualified"
    GUARANTOR_UNANIMITY = "guarantor_unanimity"


@dataclass(frozen=True)
class VotingRules:
    """Quorum (a count or a fraction of eligible members) and the majority a finding needs."""

    quorum_count: int | None = None
    quorum_fraction: Fraction | None = Fraction(1, 2)
    majority: MajorityKind = MajorityKind.SIMPLE
    majority_fraction: Fraction = Fraction(2, 3)  # used by ``qualified`` only


@dataclass(frozen=True)
class CaseParties:
    """The parties to a case: whoever alleged and whoever is accused (either may be unknown)."""

    accused: str | None
    alleging: str | None

    def includes(self, state: str | None) -> bool:
        return state is not None and state in (self.accused, self.alleging)


@dataclass(frozen=True)
class Tally:
    """The count of one voting round and whether the draft finding is adopted."""

    eligible: int
    recused: tuple[str, ...]
    votes_for: int
    votes_against: int
    abstentions: int
    quorum_needed: int
    quorum_met: bool
    adopted: bool
    explanation: str


def is_recused(member: Member, parties: CaseParties) -> bool:
    """Whether ``member`` is affiliated with a party to the case and so may not vote.

    >>> m = Member("m1", "Olena", AffiliationKind.PARTY, "UA")
    >>> is_recused(m, CaseParties(accused="RU", alleging="UA"))
    True
    """
    return parties.includes(member.affiliation)


def eligible_members(members: Iterable[Member], parties: CaseParties) -> list[Member]:
    """The active members who may vote on a case between these parties."""
    return [m for m in members if m.active and not is_recused(m, parties)]


def check_vote(
    member: Member | None, *, member_id: str, votes: Sequence[Vote], parties: CaseParties
) -> None:
    """Refuse a vote by an unknown, inactive or recused member, or a second vote."""
    if member is None or not member.active:
        raise InputError(f"{member_id!r} is not an active member of the commission")
    if is_recused(member, parties):
        raise ConflictError(
            f"member {member_id} is recused: affiliated with {member.affiliation}, "
            "a party to the case"
        )
    if any(v.member_id == member_id for v in votes):
        raise ConflictError(f"member {member_id} has already voted in this round")


def quorum_needed(rules: VotingRules, eligible: int) -> int:
    """How many eligible members must vote (abstaining counts) for the vote to stand.

    >>> quorum_needed(VotingRules(quorum_fraction=Fraction(2, 3)), 7)
    5
    """
    if rules.quorum_count is not None:
        return max(1, rules.quorum_count)
    fraction = rules.quorum_fraction if rules.quorum_fraction is not None else Fraction(1, 2)
    return max(1, math.ceil(fraction * eligible))


def tally_votes(
    votes: Iterable[Vote], members: Iterable[Member], rules: VotingRules, parties: CaseParties
) -> Tally:
    """Count a round: only eligible members' votes count; decide quorum and majority.

    >>> from datetime import UTC
    >>> t = datetime(2026, 1, 1, tzinfo=UTC)
    >>> ms = [Member(f"m{i}", f"M{i}", AffiliationKind.NEUTRAL) for i in range(3)]
    >>> vs = [Vote("C1", 1, "m0", VoteChoice.FOR, t), Vote("C1", 1, "m1", VoteChoice.ABSTAIN, t)]
    >>> tally_votes(vs, ms, VotingRules(), CaseParties("RU", "UA")).adopted
    True
    """
    members = list(members)
    eligible = {m.member_id: m for m in eligible_members(members, parties)}
    recused = tuple(m.member_id for m in members if m.active and is_recused(m, parties))
    counted = [v for v in votes if v.member_id in eligible]
    n_for, n_against, n_abstain = (
        sum(1 for v in counted if v.choice == choice) for choice in VoteChoice
    )
    needed = quorum_needed(rules, len(eligible))
    quorum_met = bool(eligible) and len(counted) >= needed
    majority, why = _majority(rules, counted, eligible, n_for, n_against)
    if not quorum_met:
        why = f"quorum not met: {len(counted)} of {len(eligible)} eligible voted, {needed} needed"
    return Tally(
        eligible=len(eligible),
        recused=recused,
        votes_for=n_for,
        votes_against=n_against,
        abstentions=n_abstain,
        quorum_needed=needed,
        quorum_met=quorum_met,
        adopted=quorum_met and majority,
        explanation=why,
    )


def _majority(
    rules: VotingRules, counted: list[Vote], eligible: dict[str, Member], n_for: int, n_against: int
) -> tuple[bool, str]:
    counts = f"{n_for} for, {n_against} against"
    if rules.majority == MajorityKind.QUALIFIED:
        needed = rules.majority_fraction
        met = n_for + n_against > 0 and Fraction(n_for, n_for + n_against) >= needed
        return met, f"qualified majority of {needed} {'met' if met else 'not met'}: {counts}"
    simple = n_for > n_against
    if rules.majority == MajorityKind.GUARANTOR_UNANIMITY:
        guarantor = AffiliationKind.GUARANTOR
        guarantors = [v for v in counted if eligible[v.member_id].affiliation_kind == guarantor]
        g_for = sum(1 for v in guarantors if v.choice == VoteChoice.FOR)
        g_against = sum(1 for v in guarantors if v.choice == VoteChoice.AGAINST)
        met = simple and g_for > 0 and g_against == 0
        detail = f"guarantors {g_for} for, {g_against} against; overall {counts}"
        return met, f"guarantor unanimity {'met' if met else 'not met'}: {detail}"
    return simple, f"simple majority {'met' if simple else 'not met'}: {counts}"


def dissent_text(votes: Iterable[Vote], members: Iterable[Member]) -> str:
    """The statements of the members who voted against, one per line, with their names."""
    names = {m.member_id: m.name for m in members}
    return "\n".join(
        f"{names.get(v.member_id, v.member_id)}: {v.statement}".rstrip(": ")
        for v in votes
        if v.choice == VoteChoice.AGAINST
    )


def finding_from_tally(
    draft: DraftFinding, tally: Tally, *, finding_id: str, decided_at: datetime, dissent: str
) -> Finding:
    """The finding an adopted draft becomes, with its vote counts and dissent."""
    if not tally.adopted:
        why = tally.explanation
        raise ConflictError(f"case {draft.case_id}: the draft was not adopted ({why})")
    return Finding(
        finding_id=finding_id,
        case_id=draft.case_id,
        decided_at=decided_at,
        responsible_party=draft.responsible_party,
        standard_of_proof=draft.standard_of_proof,
        severity=draft.severity,
        votes_for=tally.votes_for,
        votes_against=tally.votes_against,
        abstentions=tally.abstentions,
        dissent=dissent,
    )
