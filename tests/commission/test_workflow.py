"""The case workflow: the main path walks, every other pair of statuses is refused."""

from __future__ import annotations

import itertools

import pytest

from truceline.commission.workflow import (
    MAIN_PATH,
    NEEDS_REASON,
    TRANSITIONS,
    TransitionError,
    allowed_next,
    check_transition,
    parse_status,
)
from truceline.domain import CaseStatus
from truceline.errors import ConflictError, InputError

S = CaseStatus
# Every transition the workflow allows, written out here so that a change to the table
# has to be made twice (once deliberately).
EXPECTED_ALLOWED = {
    (S.ALLEGATION, S.INQUIRY),
    (S.ALLEGATION, S.CLOSED),
    (S.INQUIRY, S.INVESTIGATION),
    (S.INQUIRY, S.CLOSED),
    (S.INVESTIGATION, S.DRAFT_FINDING),
    (S.INVESTIGATION, S.CLOSED),
    (S.DRAFT_FINDING, S.VOTE),
    (S.DRAFT_FINDING, S.INVESTIGATION),
    (S.VOTE, S.FINDING),
    (S.VOTE, S.DRAFT_FINDING),
    (S.FINDING, S.REMEDY),
    (S.FINDING, S.CLOSED),
    (S.REMEDY, S.CLOSED),
}


def test_the_main_path_walks_from_allegation_to_closed() -> None:
    assert [s.value for s in MAIN_PATH] == [
        "allegation",
        "inquiry",
        "investigation",
        "draft_finding",
        "vote",
        "finding",
        "remedy",
        "closed",
    ]
    for before, after in itertools.pairwise(MAIN_PATH):
        check_transition(before, after)  # no reason needed on the main path


def test_the_table_is_exactly_the_expected_transitions() -> None:
    table = {(a, b) for a, targets in TRANSITIONS.items() for b in targets}
    assert table == EXPECTED_ALLOWED


@pytest.mark.parametrize(
    ("before", "after"),
    [pair for pair in itertools.product(CaseStatus, repeat=2) if pair not in EXPECTED_ALLOWED],
    ids=lambda s: s.value,
)
def test_every_other_transition_is_refused_naming_from_and_to(
    before: CaseStatus, after: CaseStatus
) -> None:
    with pytest.raises(TransitionError) as caught:
        check_transition(before, after, reason="any reason", case_id="C-0001")
    message = str(caught.value)
    assert f"case C-0001 cannot go from {before.value!r} to {after.value!r}" in message
    assert isinstance(caught.value, ConflictError)


def test_a_refusal_lists_what_is_allowed() -> None:
    with pytest.raises(TransitionError, match=r"\(allowed: inquiry, closed\)"):
        check_transition(S.ALLEGATION, S.VOTE)
    with pytest.raises(TransitionError, match="none, it is closed"):
        check_transition(S.CLOSED, S.ALLEGATION)
    assert allowed_next(S.CLOSED) == ()


@pytest.mark.parametrize(("before", "after"), sorted(NEEDS_REASON))
def test_leaving_the_main_path_needs_a_reason(before: CaseStatus, after: CaseStatus) -> None:
    with pytest.raises(InputError, match="needs a reason"):
        check_transition(before, after, reason="  ")
    check_transition(before, after, reason="no case to answer")


def test_statuses_are_parsed_with_a_clear_error() -> None:
    assert parse_status(" Draft_Finding ") == S.DRAFT_FINDING
    with pytest.raises(InputError, match=r"unknown case status 'done'.*allegation, inquiry"):
        parse_status("done")
