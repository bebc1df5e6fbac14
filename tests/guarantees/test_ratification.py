"""The ratification ladder: forward one step at a time, withdrawal final, dates in order."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.guarantees.samples import D0, T0, commitment
from truceline.domain import Commitment, RatificationStatus
from truceline.errors import ConflictError
from truceline.guarantees.ratification import (
    LADDER,
    RatificationStep,
    advance,
    history_from_dates,
    next_statuses,
    pledge,
)

S = RatificationStatus


def _walk(start: Commitment, *statuses: RatificationStatus) -> list[RatificationStep]:
    current, steps = start, [pledge(start, on=D0, at=T0)]
    for n, status in enumerate(statuses, start=1):
        current, step = advance(current, steps[-1], to=status, on=D0 + timedelta(n), at=T0)
        steps.append(step)
    return steps


def test_the_whole_ladder_is_climbed_one_step_at_a_time() -> None:
    steps = _walk(commitment("K1", {"attributable": True}), *LADDER[1:])
    assert [s.status for s in steps] == list(LADDER)
    assert [s.previous_status for s in steps] == [None, *LADDER[:-1]]
    assert [s.effective_on for s in steps] == [D0 + timedelta(n) for n in range(4)]


@pytest.mark.parametrize(
    ("current", "target"),
    [
        (S.PLEDGED, S.RATIFIED_BY_PARLIAMENT),  # skips the government
        (S.PLEDGED, S.IN_FORCE),
        (S.APPROVED_BY_GOVERNMENT, S.IN_FORCE),  # skips parliament where it is required
        (S.RATIFIED_BY_PARLIAMENT, S.APPROVED_BY_GOVERNMENT),  # backwards
        (S.IN_FORCE, S.PLEDGED),
        (S.IN_FORCE, S.IN_FORCE),  # the same status again
        (S.APPROVED_BY_GOVERNMENT, S.PLEDGED),
        (S.WITHDRAWN, S.IN_FORCE),  # withdrawal is final
        (S.WITHDRAWN, S.WITHDRAWN),
    ],
)
def test_illegal_steps_are_refused(current: RatificationStatus, target: RatificationStatus) -> None:
    start = commitment("K1", {"attributable": True}, current)
    with pytest.raises(ConflictError, match=f"is {current}: it can go to .*not {target}"):
        advance(start, None, to=target, on=D0, at=T0)


@pytest.mark.parametrize("current", [*LADDER])
def test_withdrawal_can_follow_any_status(current: RatificationStatus) -> None:
    withdrawn, step = advance(
        commitment("K1", {"attributable": True}, current), None, to=S.WITHDRAWN, on=D0, at=T0
    )
    assert withdrawn.status is S.WITHDRAWN
    assert step.previous_status is current
    assert next_statuses(S.WITHDRAWN) == ()


def test_without_a_parliament_step_government_approval_leads_to_force() -> None:
    executive = commitment("K1", {"attributable": True}, requires_parliament=False)
    steps = _walk(executive, S.APPROVED_BY_GOVERNMENT, S.IN_FORCE)
    assert steps[-1].status is S.IN_FORCE
    approved = commitment("K1", {"attributable": True}, S.APPROVED_BY_GOVERNMENT)
    approved_exec = commitment(
        "K1", {"attributable": True}, S.APPROVED_BY_GOVERNMENT, requires_parliament=False
    )
    with pytest.raises(ConflictError, match="not ratified_by_parliament"):
        advance(approved_exec, None, to=S.RATIFIED_BY_PARLIAMENT, on=D0, at=T0)
    assert next_statuses(approved.status) == (S.RATIFIED_BY_PARLIAMENT, S.WITHDRAWN)


def test_a_step_cannot_take_effect_before_the_previous_one() -> None:
    start = commitment("K1", {"attributable": True})
    first = pledge(start, on=D0, at=T0)
    with pytest.raises(ConflictError, match=r"since 2026-01-06.*earlier, on 2026-01-05"):
        advance(start, first, to=S.APPROVED_BY_GOVERNMENT, on=D0 - timedelta(1), at=T0)
    same_day, _ = advance(start, first, to=S.APPROVED_BY_GOVERNMENT, on=D0, at=T0)
    assert same_day.status is S.APPROVED_BY_GOVERNMENT


def test_history_from_dates_walks_the_ladder_and_refuses_gaps() -> None:
    start = commitment("K1", {"attributable": True})
    dates = {S.PLEDGED: D0, S.APPROVED_BY_GOVERNMENT: D0 + timedelta(3)}
    current, steps = history_from_dates(start, dates, at=T0)
    assert current.status is S.APPROVED_BY_GOVERNMENT
    assert [s.status for s in steps] == [S.PLEDGED, S.APPROVED_BY_GOVERNMENT]
    with pytest.raises(ConflictError, match="not in_force"):
        history_from_dates(start, {S.PLEDGED: D0, S.IN_FORCE: D0}, at=T0)
