"""Votes: recusal, one vote each, quorum, the majority rules, abstentions, dissent."""

from __future__ import annotations

from datetime import UTC, datetime
from fractions import Fraction

import pytest

from truceline.commission.votes import (
    CaseParties,
    MajorityKind,
    VotingRules,
    check_vote,
    dissent_text,
    eligible_members,
    finding_from_tally,
    is_recused,
    quorum_needed,
    tally_votes,
)
from truceline.domain import StandardOfProof
from truceline.domain.commission import AffiliationKind, DraftFinding, Member, Vote, VoteChoice
from truceline.errors import ConflictError, InputError

T0 = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
K = AffiliationKind
PARTIES = CaseParties(accused="RU", alleging="UA")
MEMBERS = (
    Member("n1", "Chair", K.NEUTRAL),
    Member("n2", "Rapporteur", K.NEUTRAL),
    Member("g1", "France", K.GUARANTOR, "FR"),
    Member("g2", "United Kingdom", K.GUARANTOR, "GB"),
    Member("p1", "Ukraine", K.PARTY, "UA"),
    Member("p2", "Russia", K.PARTY, "RU"),
    Member("p3", "Moldova", K.PARTY, "MD"),
    Member("x1", "Former member", K.NEUTRAL, active=False),
)
DRAFT = DraftFinding("C-0001", "RU", StandardOfProof.CLEAR_AND_CONVINCING, "high", "ana", T0)


def ballots(**choices: str) -> list[Vote]:
    return [
        Vote("C-0001", 1, member, VoteChoice(choice), T0, f"says {member}")
        for member, choice in choices.items()
    ]


def test_members_of_either_party_to_the_case_are_recused() -> None:
    recused = [m.member_id for m in MEMBERS if is_recused(m, PARTIES)]
    assert recused == ["p1", "p2"]  # UA alleged, RU accused; MD is not a party to this case
    assert [m.member_id for m in eligible_members(MEMBERS, PARTIES)] == [
        "n1",
        "n2",
        "g1",
        "g2",
        "p3",
    ]
    guarantor_party = Member("g9", "A guarantor that is a party", K.GUARANTOR, "UA")
    assert is_recused(guarantor_party, PARTIES)
    assert not is_recused(MEMBERS[0], CaseParties(accused=None, alleging=None))


def test_recused_unknown_inactive_and_double_votes_are_refused() -> None:
    by_id = {m.member_id: m for m in MEMBERS}
    with pytest.raises(ConflictError, match="member p2 is recused: affiliated with RU"):
        check_vote(by_id["p2"], member_id="p2", votes=[], parties=PARTIES)
    with pytest.raises(InputError, match="'zz' is not an active member"):
        check_vote(None, member_id="zz", votes=[], parties=PARTIES)
    with pytest.raises(InputError, match="'x1' is not an active member"):
        check_vote(by_id["x1"], member_id="x1", votes=[], parties=PARTIES)
    check_vote(by_id["n1"], member_id="n1", votes=ballots(g1="for"), parties=PARTIES)
    with pytest.raises(ConflictError, match="n1 has already voted in this round"):
        check_vote(by_id["n1"], member_id="n1", votes=ballots(n1="against"), parties=PARTIES)


@pytest.mark.parametrize(
    ("rules", "eligible", "needed"),
    [
        (VotingRules(quorum_count=3, quorum_fraction=None), 5, 3),
        (VotingRules(quorum_fraction=Fraction(1, 2)), 5, 3),
        (VotingRules(quorum_fraction=Fraction(2, 3)), 6, 4),
        (VotingRules(quorum_fraction=Fraction(1, 2)), 0, 1),
    ],
)
def test_quorum_is_a_count_or_a_fraction_rounded_up(
    rules: VotingRules, eligible: int, needed: int
) -> None:
    assert quorum_needed(rules, eligible) == needed


def test_quorum_not_met_adopts_nothing_and_says_why() -> None:
    rules = VotingRules(quorum_count=3, quorum_fraction=None)
    tally = tally_votes(ballots(n1="for", g1="for"), MEMBERS, rules, PARTIES)
    assert (tally.quorum_met, tally.adopted) == (False, False)
    assert tally.explanation == "quorum not met: 2 of 5 eligible voted, 3 needed"
    tally = tally_votes(ballots(n1="for", g1="for", g2="for"), MEMBERS, rules, PARTIES)
    assert (tally.quorum_met, tally.adopted) == (True, True)


def test_abstentions_count_for_quorum_but_not_for_the_majority() -> None:
    rules = VotingRules(quorum_count=4, quorum_fraction=None)
    votes = ballots(n1="for", n2="abstain", g1="abstain", g2="abstain")
    tally = tally_votes(votes, MEMBERS, rules, PARTIES)
    assert tally.quorum_met  # three abstentions make the quorum
    assert (tally.votes_for, tally.votes_against, tally.abstentions) == (1, 0, 3)
    assert tally.adopted  # 1 for, 0 against: abstentions do not dilute the majority


def test_votes_of_recused_or_inactive_members_do_not_count() -> None:
    votes = ballots(n1="for", p1="against", p2="against", x1="against")
    tally = tally_votes(votes, MEMBERS, VotingRules(quorum_count=1, quorum_fraction=None), PARTIES)
    assert (tally.votes_for, tally.votes_against, tally.recused) == (1, 0, ("p1", "p2"))
    assert tally.eligible == 5


@pytest.mark.parametrize(
    ("choices", "adopted"),
    [
        ({"n1": "for", "n2": "for", "g1": "against"}, True),
        ({"n1": "for", "g1": "against"}, False),  # a tie is no majority
        ({"n1": "for", "g1": "against", "g2": "abstain"}, False),
    ],
)
def test_simple_majority(choices: dict[str, str], adopted: bool) -> None:
    rules = VotingRules(quorum_count=1, quorum_fraction=None)
    assert tally_votes(ballots(**choices), MEMBERS, rules, PARTIES).adopted is adopted


@pytest.mark.parametrize(
    ("choices", "adopted"),
    [
        ({"n1": "for", "n2": "for", "g1": "against"}, True),  # exactly 2/3
        ({"n1": "for", "n2": "for", "g1": "against", "g2": "against"}, False),  # 1/2
        ({"n1": "for", "n2": "for", "g1": "for", "g2": "against", "p3": "abstain"}, True),
        ({"n1": "abstain", "n2": "abstain"}, False),  # nobody for
    ],
)
def test_qualified_majority_of_two_thirds(choices: dict[str, str], adopted: bool) -> None:
    rules = VotingRules(
        quorum_count=1,
        quorum_fraction=None,
        majority=MajorityKind.QUALIFIED,
        majority_fraction=Fraction(2, 3),
    )
    tally = tally_votes(ballots(**choices), MEMBERS, rules, PARTIES)
    assert tally.adopted is adopted
    assert "qualified majority of 2/3" in tally.explanation


@pytest.mark.parametrize(
    ("choices", "adopted"),
    [
        ({"g1": "for", "g2": "for", "n1": "against"}, True),
        ({"g1": "for", "g2": "against", "n1": "for", "n2": "for"}, False),  # a guarantor veto
        ({"g1": "for", "g2": "abstain", "n1": "for"}, True),  # abstaining is no veto
        ({"n1": "for", "n2": "for"}, False),  # no guarantor voted for
        ({"g1": "for", "n1": "against", "n2": "against"}, False),  # overall majority against
    ],
)
def test_unanimity_of_guarantor_members(choices: dict[str, str], adopted: bool) -> None:
    rules = VotingRules(
        quorum_count=1, quorum_fraction=None, majority=MajorityKind.GUARANTOR_UNANIMITY
    )
    assert tally_votes(ballots(**choices), MEMBERS, rules, PARTIES).adopted is adopted


def test_an_adopted_draft_becomes_a_finding_with_counts_and_dissent() -> None:
    votes = ballots(n1="for", n2="for", g1="against", g2="abstain")
    tally = tally_votes(votes, MEMBERS, VotingRules(), PARTIES)
    dissent = dissent_text(votes, MEMBERS)
    assert dissent == "France: says g1"
    finding = finding_from_tally(DRAFT, tally, finding_id="F-0001", decided_at=T0, dissent=dissent)
    assert finding.responsible_party == "RU"
    assert finding.standard_of_proof == StandardOfProof.CLEAR_AND_CONVINCING
    assert (finding.votes_for, finding.votes_against, finding.abstentions) == (2, 1, 1)
    assert finding.dissent == "France: says g1"


def test_a_not_attributable_draft_gives_a_not_attributable_finding() -> None:
    draft = DraftFinding("C-0001", None, StandardOfProof.REASONABLE_GROUNDS, "low", "ana", T0)
    tally = tally_votes(ballots(n1="for", n2="for", g1="for"), MEMBERS, VotingRules(), PARTIES)
    finding = finding_from_tally(draft, tally, finding_id="F-1", decided_at=T0, dissent="")
    assert not finding.attributable


def test_a_rejected_draft_makes_no_finding() -> None:
    tally = tally_votes(
        ballots(n1="against", n2="against", g1="for"), MEMBERS, VotingRules(), PARTIES
    )
    assert tally.quorum_met and not tally.adopted
    with pytest.raises(ConflictError, match="the draft was not adopted"):
        finding_from_tally(DRAFT, tally, finding_id="F-0001", decided_at=T0, dissent="")
