"""Who calls the API: roles, the principal of a request, and who may see which party's data.

Pure: no web framework here. The routes declare their allowed roles with
``truceline.api.deps.require``; what a role then *sees* is decided by the functions below.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    MONITOR = "monitor"  # the mechanism's field monitors: file reports, read observations
    SENSOR_FEED = "sensor_feed"  # a sensor network's machine feed: sensors and arrivals
    ANALYST = "analyst"  # HQ analysts: everything, open cases
    COMMISSIONER = "commissioner"  # commission members: cases, votes, decisions
    PARTY_LIAISON = "party_liaison"  # a party's liaison officer (bound to one party)
    GUARANTOR = "guarantor"  # a guarantor state's officer (bound to one state)
    PUBLIC = "public"  # no token


# The mechanism's own staff: they see everything that is stored.
STAFF = frozenset({Role.MONITOR, Role.ANALYST, Role.COMMISSIONER})
EVERYONE = frozenset(Role)


@dataclass(frozen=True)
class Principal:
    """The caller of one request: a user with its role and binding, or the public."""

    name: str
    role: Role
    party: str | None = None
    state: str | None = None
    member_id: str | None = None
    token_id: str | None = None

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF


PUBLIC = Principal(name="public", role=Role.PUBLIC)


def check_binding(
    role: Role, *, party: str | None, state: str | None, member_id: str | None
) -> str | None:
    """Why this binding does not fit the role (None when it does).

    >>> check_binding(Role.PARTY_LIAISON, party=None, state=None, member_id=None)
    'a party_liaison is bound to one party (--party)'
    >>> check_binding(Role.GUARANTOR, party=None, state="FR", member_id=None) is None
    True
    """
    if role == Role.PUBLIC:
        return "the public has no users: it calls the API without a token"
    wanted = {
        Role.PARTY_LIAISON: ("party", party),
        Role.GUARANTOR: ("state", state),
    }.get(role)
    if wanted is not None and not wanted[1]:
        return f"a {role.value} is bound to one {wanted[0]} (--{wanted[0]})"
    given = {"party": party, "state": state}
    for name, value in given.items():
        if value and (wanted is None or wanted[0] != name):
            return f"a {role.value} is not bound to a {name} (--{name})"
    if member_id and role != Role.COMMISSIONER:
        return f"a {role.value} is not a commission member (--member)"
    return None
