"""Repository of the HTTP API's users, tokens and report submissions.

Each function works inside the caller's transaction. Secrets never reach this module: the
caller hashes them (``truceline.api.security``) and hands over the hash.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, insert, select, update

from truceline.errors import ConflictError, NotFoundError
from truceline.store import tables
from truceline.store.auth_tables import api_tokens, report_submissions, users


@dataclass(frozen=True)
class User:
    """A user of the API with its role and what the role is bound to."""

    name: str
    role: str
    created_at: datetime
    party: str | None = None
    state: str | None = None
    member_id: str | None = None
    active: bool = True


@dataclass(frozen=True)
class StoredToken:
    """A token as stored: its public id, its owner and the argon2 hash of its secret."""

    token_id: str
    user_name: str
    secret_hash: str
    created_at: datetime
    revoked_at: datetime | None = None


def add_user(conn: Connection, *, user: User) -> None:
    """Store a new user (ConflictError if the name is taken)."""
    if get_user(conn, name=user.name) is not None:
        raise ConflictError(f"user {user.name!r} already exists")
    conn.execute(insert(users).values(**user.__dict__))


def get_user(conn: Connection, *, name: str) -> User | None:
    """The user with this name, or None."""
    row = conn.execute(select(users).where(users.c.name == name)).mappings().one_or_none()
    return None if row is None else User(**row)


def get_users(conn: Connection) -> list[User]:
    """All users, by name."""
    return [User(**row) for row in conn.execute(select(users).order_by(users.c.name)).mappings()]


def add_token(conn: Connection, *, token: StoredToken) -> None:
    """Store a token of a stored user (NotFoundError if the user is unknown)."""
    if get_user(conn, name=token.user_name) is None:
        raise NotFoundError(f"user {token.user_name!r} does not exist")
    conn.execute(insert(api_tokens).values(**token.__dict__))


def get_token(conn: Connection, *, token_id: str) -> tuple[StoredToken, User] | None:
    """The live token with this id and its active user, or None (unknown, revoked, inactive)."""
    query = (
        select(api_tokens, users)
        .join(users, users.c.name == api_tokens.c.user_name)
        .where(
            api_tokens.c.token_id == token_id,
            api_tokens.c.revoked_at.is_(None),
            users.c.active.is_(True),
        )
    )
    row = conn.execute(query).mappings().one_or_none()
    if row is None:
        return None
    token = StoredToken(**{c.name: row[c] for c in api_tokens.c})
    return token, User(**{c.name: row[c] for c in users.c})


def revoke_tokens(conn: Connection, *, user_name: str, at: datetime) -> int:
    """Revoke every live token of a user; how many were revoked."""
    query = (
        update(api_tokens)
        .where(api_tokens.c.user_name == user_name, api_tokens.c.revoked_at.is_(None))
        .values(revoked_at=at)
    )
    return int(conn.execute(query).rowcount)


def submitters_of(conn: Connection, *, report_ids: Collection[str]) -> dict[str, str | None]:
    """For the given report ids that are stored: the party that filed each (None: not a party)."""
    reports = tables.reports
    found: dict[str, str | None] = {}
    for chunk in _chunks(report_ids):
        query = (
            select(reports.c.report_id, report_submissions.c.party)
            .select_from(reports.outerjoin(report_submissions))
            .where(reports.c.report_id.in_(chunk))
        )
        found.update({report_id: party for report_id, party in conn.execute(query)})
    return found


def record_submissions(
    conn: Connection, *, report_ids: Collection[str], party: str, user_name: str, at: datetime
) -> None:
    """Record that ``party`` filed these reports (those already recorded are left as they are)."""
    column = report_submissions.c.report_id
    stored = {
        r
        for chunk in _chunks(report_ids)
        for r in conn.execute(select(column).where(column.in_(chunk))).scalars()
    }
    rows = [
        {"report_id": r, "party": party, "user_name": user_name, "submitted_at": at}
        for r in report_ids
        if r not in stored
    ]
    if rows:
        conn.execute(insert(report_submissions), rows)


def _chunks(ids: Collection[str], size: int = 5_000) -> list[list[str]]:
    """Ids in lists small enough for one ``IN`` (SQLite caps the parameters of a statement)."""
    ordered = list(ids)
    return [ordered[i : i + size] for i in range(0, len(ordered), size)]


__all__ = [
    "StoredToken",
    "User",
    "add_token",
    "add_user",
    "get_token",
    "get_user",
    "get_users",
    "record_submissions",
    "revoke_tokens",
    "submitters_of",
]
