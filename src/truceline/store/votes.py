"""Repository of the commission's membership, voting rules, draft findings and votes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update

from truceline.domain import StandardOfProof
from truceline.domain.commission import AffiliationKind, DraftFinding, Member, Vote, VoteChoice
from truceline.errors import ConflictError, NotFoundError
from truceline.store import tables
from truceline.store.commission import fields_of, record_audit, upsert
from truceline.store.writes import as_json


def save_membership(
    conn: Connection,
    *,
    mechanism: str,
    rules: dict[str, Any],
    members: Sequence[Member],
    actor: str,
    at: datetime,
) -> dict[str, list[str]]:
    """Replace a mechanism's rules and members; members left out become inactive (kept for
    the votes they cast). Which member ids were added, updated and deactivated."""
    upsert(
        conn,
        tables.voting_rules,
        "mechanism",
        mechanism,
        {"rules": as_json(rules, what=f"rules of {mechanism!r}"), "updated_at": at},
    )
    stored = {m.member_id: m for m in _all_members(conn)}
    changes: dict[str, list[str]] = {"added": [], "updated": [], "deactivated": []}
    for member in members:
        old = stored.get(member.member_id)
        if old is not None and old.mechanism != mechanism:
            raise ConflictError(
                f"member {member.member_id!r} belongs to mechanism {old.mechanism!r}"
            )
        if old != member:
            values = fields_of(member) | {"affiliation_kind": member.affiliation_kind.value}
            upsert(conn, tables.members, "member_id", member.member_id, values)
            changes["added" if old is None else "updated"].append(member.member_id)
    given = {m.member_id for m in members}
    for old in stored.values():
        if old.mechanism == mechanism and old.active and old.member_id not in given:
            conn.execute(
                update(tables.members)
                .where(tables.members.c.member_id == old.member_id)
                .values(active=False)
            )
            changes["deactivated"].append(old.member_id)
    record_audit(
        conn,
        entity="mechanism",
        entity_id=mechanism,
        action="membership loaded",
        actor=actor,
        at=at,
        details={"rules": rules, **changes},
    )
    return changes


def get_members(conn: Connection, *, mechanism: str) -> list[Member]:
    """A mechanism's members (active or not), by id."""
    return [m for m in _all_members(conn) if m.mechanism == mechanism]


def get_member(conn: Connection, *, member_id: str) -> Member | None:
    """The member with this id, active or not (None when there is none)."""
    return next((m for m in _all_members(conn) if m.member_id == member_id), None)


def get_rules(conn: Connection, *, mechanism: str) -> dict[str, Any]:
    """A mechanism's voting rules as stored JSON (NotFoundError if none were loaded)."""
    table = tables.voting_rules
    rules = conn.execute(select(table.c.rules).where(table.c.mechanism == mechanism)).scalar()
    if rules is None:
        raise NotFoundError(
            f"mechanism {mechanism!r} has no members: load them with `truceline case members`"
        )
    return dict(rules)


def save_draft(conn: Connection, *, draft: DraftFinding) -> None:
    """Store (or replace) a case's draft finding and audit it."""
    values = fields_of(draft) | {"standard_of_proof": draft.standard_of_proof.value}
    upsert(conn, tables.case_drafts, "case_id", draft.case_id, values)
    details = {k: v for k, v in values.items() if k not in ("case_id", "drafted_at", "drafted_by")}
    record_audit(
        conn,
        entity="case",
        entity_id=draft.case_id,
        action="draft saved",
        actor=draft.drafted_by,
        at=draft.drafted_at,
        details=details,
    )


def get_draft(conn: Connection, *, case_id: str) -> DraftFinding | None:
    """A case's draft finding (None when none was drafted)."""
    table = tables.case_drafts
    row = conn.execute(select(table).where(table.c.case_id == case_id)).mappings().one_or_none()
    if row is None:
        return None
    return DraftFinding(
        **(dict(row) | {"standard_of_proof": StandardOfProof(row["standard_of_proof"])})
    )


def add_vote(conn: Connection, *, vote: Vote) -> None:
    """Store a vote (one per member and round: the key refuses a second) and audit it."""
    conn.execute(insert(tables.votes).values(**(fields_of(vote) | {"choice": vote.choice.value})))
    record_audit(
        conn,
        entity="case",
        entity_id=vote.case_id,
        action="vote cast",
        actor=vote.member_id,
        at=vote.cast_at,
        details={"round": vote.round, "choice": vote.choice.value},
    )


def get_votes(conn: Connection, *, case_id: str, round: int | None = None) -> list[Vote]:
    """A case's votes, optionally of one round, in the order they were cast."""
    table = tables.votes
    query = (
        select(table).where(table.c.case_id == case_id).order_by(table.c.cast_at, table.c.member_id)
    )
    if round is not None:
        query = query.where(table.c.round == round)
    return [
        Vote(**(dict(row) | {"choice": VoteChoice(row["choice"])}))
        for row in conn.execute(query).mappings()
    ]


def _all_members(conn: Connection) -> list[Member]:
    query = select(tables.members).order_by(tables.members.c.member_id)
    return [
        Member(**(dict(row) | {"affiliation_kind": AffiliationKind(row["affiliation_kind"])}))
        for row in conn.execute(query).mappings()
    ]
