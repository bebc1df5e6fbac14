"""The legal-status ladder of a commitment, with its dated history.

``pledged -> approved_by_government -> ratified_by_parliament -> in_force``, forward only and
one step at a time. Where a state's process has no parliamentary step
(``Commitment.requires_parliament`` is false, e.g. an executive agreement), the commitment goes
from ``approved_by_government`` straight to ``in_force`` and can never be
``ratified_by_parliament``. ``withdrawn`` (the guarantor withdrew the pledge, or its parliament
refused it) can follow any status and is final. Every step records the date it took legal
effect (``effective_on``, never earlier than the previous step's) and when it was recorded.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from truceline.domain import Commitment, RatificationStatus
from truceline.errors import ConflictError

Status = RatificationStatus
LADDER: tuple[RatificationStatus, ...] = (
    Status.PLEDGED,
    Status.APPROVED_BY_GOVERNMENT,
    Status.RATIFIED_BY_PARLIAMENT,
    Status.IN_FORCE,
)


@dataclass(frozen=True)
class RatificationStep:
    """One step of a commitment's legal status: to which status, effective when."""

    commitment_id: str
    status: RatificationStatus
    previous_status: RatificationStatus | None  # None for the pledge itself
    effective_on: date
    recorded_at: datetime
    note: str = ""


def next_statuses(
    current: RatificationStatus, *, requires_parliament: bool = True
) -> tuple[RatificationStatus, ...]:
    """The statuses a commitment may move to from ``current``.

    >>> [str(s) for s in next_statuses(RatificationStatus.APPROVED_BY_GOVERNMENT)]
    ['ratified_by_parliament', 'withdrawn']
    >>> [str(s) for s in next_statuses(RatificationStatus.APPROVED_BY_GOVERNMENT,
    ...                                requires_parliament=False)]
    ['in_force', 'withdrawn']
    """
    if current is Status.WITHDRAWN:
        return ()
    ladder = [s for s in LADDER if requires_parliament or s is not Status.RATIFIED_BY_PARLIAMENT]
    position = ladder.index(current) if current in ladder else None
    if position is None:  # ratified although no parliament step is declared: only go on
        return (Status.IN_FORCE, Status.WITHDRAWN)
    forward = ladder[position + 1 : position + 2]
    return (*forward, Status.WITHDRAWN)


def pledge(commitment: Commitment, *, on: date, at: datetime, note: str = "") -> RatificationStep:
    """The first step of every commitment's history: pledged on ``on``."""
    return RatificationStep(commitment.commitment_id, Status.PLEDGED, None, on, at, note)


def advance(
    commitment: Commitment,
    last_step: RatificationStep | None,
    *,
    to: RatificationStatus,
    on: date,
    at: datetime,
    note: str = "",
) -> tuple[Commitment, RatificationStep]:
    """The commitment at status ``to`` and the step that records it; ConflictError if illegal.

    >>> from datetime import UTC, date, datetime
    >>> pledged = Commitment("K1", "FR", "troops", 2000, "personnel", "{}")
    >>> now = datetime(2026, 2, 1, tzinfo=UTC)
    >>> approved, step = advance(pledged, None, to=RatificationStatus.APPROVED_BY_GOVERNMENT,
    ...                          on=date(2026, 1, 20), at=now)
    >>> str(approved.status), str(step.previous_status)
    ('approved_by_government', 'pledged')
    >>> advance(approved, step, to=RatificationStatus.IN_FORCE, on=date(2026, 3, 1), at=now)
    Traceback (most recent call last):
    ...
    truceline.errors.ConflictError: commitment 'K1' is approved_by_government: it can go to \
ratified_by_parliament or withdrawn, not in_force
    """
    allowed = next_statuses(commitment.status, requires_parliament=commitment.requires_parliament)
    where = f"commitment {commitment.commitment_id!r} is {commitment.status}"
    if to not in allowed:
        options = " or ".join(allowed) if allowed else "nowhere (withdrawal is final)"
        raise ConflictError(f"{where}: it can go to {options}, not {to}")
    if last_step is not None and on < last_step.effective_on:
        raise ConflictError(
            f"{where} since {last_step.effective_on.isoformat()}: "
            f"{to} cannot take effect earlier, on {on.isoformat()}"
        )
    step = RatificationStep(commitment.commitment_id, to, commitment.status, on, at, note)
    return dataclasses.replace(commitment, status=to), step


def history_from_dates(
    commitment: Commitment, dates: Mapping[RatificationStatus, date], *, at: datetime
) -> tuple[Commitment, list[RatificationStep]]:
    """A registered commitment's history from the date of each status it reached.

    ``dates`` must hold the pledge date; the other statuses are walked up the ladder in
    order, each checked as by :func:`advance` (ConflictError naming the status that fails).
    """
    steps = [pledge(commitment, on=dates[Status.PLEDGED], at=at)]
    current = dataclasses.replace(commitment, status=Status.PLEDGED)
    for status in (*LADDER[1:], Status.WITHDRAWN):
        if status in dates:
            current, step = advance(current, steps[-1], to=status, on=dates[status], at=at)
            steps.append(step)
    return current, steps
