"""The case workflow: which status may follow which, and nothing else.

::

    allegation -> inquiry -> investigation -> draft_finding -> vote -> finding -> remedy -> closed

    allegation | inquiry | investigation -> closed      (no case to answer; reason needed)
    draft_finding -> investigation                      (sent back; reason needed)
    vote -> draft_finding                               (not adopted, withdrawn; reason)
    finding -> closed                                   (not attributable, no remedy; reason)

Besides the main path: an allegation, an inquiry or an investigation may be closed with no
case to answer (inadmissible, unfounded, withdrawn); a draft may be sent back to
investigation; a vote that does not adopt the draft returns it to drafting; a finding of
"not attributable" (or one the commission attaches no remedy to) closes the case directly.
Closing off the main path needs a reason, so the file says why it stopped.
"""

from __future__ import annotations

from truceline.domain.commission import CaseStatus
from truceline.errors import ConflictError, InputError

S = CaseStatus

MAIN_PATH: tuple[CaseStatus, ...] = (
    S.ALLEGATION,
    S.INQUIRY,
    S.INVESTIGATION,
    S.DRAFT_FINDING,
    S.VOTE,
    S.FINDING,
    S.REMEDY,
    S.CLOSED,
)

TRANSITIONS: dict[CaseStatus, frozenset[CaseStatus]] = {
    S.ALLEGATION: frozenset({S.INQUIRY, S.CLOSED}),
    S.INQUIRY: frozenset({S.INVESTIGATION, S.CLOSED}),
    S.INVESTIGATION: frozenset({S.DRAFT_FINDING, S.CLOSED}),
    S.DRAFT_FINDING: frozenset({S.VOTE, S.INVESTIGATION}),
    S.VOTE: frozenset({S.FINDING, S.DRAFT_FINDING}),
    S.FINDING: frozenset({S.REMEDY, S.CLOSED}),
    S.REMEDY: frozenset({S.CLOSED}),
    S.CLOSED: frozenset(),
}

# Transitions off the main path: the case record must say why.
NEEDS_REASON: frozenset[tuple[CaseStatus, CaseStatus]] = frozenset(
    {
        (S.ALLEGATION, S.CLOSED),
        (S.INQUIRY, S.CLOSED),
        (S.INVESTIGATION, S.CLOSED),
        (S.DRAFT_FINDING, S.INVESTIGATION),
        (S.VOTE, S.DRAFT_FINDING),
        (S.FINDING, S.CLOSED),
    }
)


class TransitionError(ConflictError):
    """A status change the workflow does not allow."""


def allowed_next(status: CaseStatus) -> tuple[CaseStatus, ...]:
    """The statuses a case in ``status`` may move to, in workflow order.

    >>> [s.value for s in allowed_next(CaseStatus.INQUIRY)]
    ['investigation', 'closed']
    """
    return tuple(s for s in CaseStatus if s in TRANSITIONS[status])


def check_transition(
    from_status: CaseStatus, to_status: CaseStatus, *, reason: str = "", case_id: str = ""
) -> None:
    """Refuse a transition the workflow does not allow, or one that lacks its reason.

    >>> check_transition(CaseStatus.ALLEGATION, CaseStatus.INQUIRY)
    >>> check_transition(CaseStatus.ALLEGATION, CaseStatus.VOTE)
    Traceback (most recent call last):
    ...
    truceline.commission.workflow.TransitionError: case cannot go from 'allegation' to 'vote' (allowed: inquiry, closed)
    """  # noqa: E501
    who = f"case {case_id}" if case_id else "case"
    if to_status not in TRANSITIONS[from_status]:
        allowed = ", ".join(s.value for s in allowed_next(from_status)) or "none, it is closed"
        raise TransitionError(
            f"{who} cannot go from {from_status.value!r} to {to_status.value!r} "
            f"(allowed: {allowed})"
        )
    if (from_status, to_status) in NEEDS_REASON and not reason.strip():
        raise InputError(
            f"{who}: going from {from_status.value!r} to {to_status.value!r} needs a reason"
        )


def parse_status(text: str) -> CaseStatus:
    """The status named by ``text`` (InputError listing the statuses otherwise)."""
    try:
        return CaseStatus(text.strip().lower())
    except ValueError:
        names = ", ".join(s.value for s in CaseStatus)
        raise InputError(f"unknown case status {text!r} (one of: {names})") from None
