"""The commission's casework behind the API: edit locks, remedies and compliance, members.

No web framework here: the routes (``api/routes/locks.py``, ``remedies.py``, ``members.py``)
only convert. Writes go through ``truceline.app.commission`` (one transaction each, audited,
under the case's edit lock); what this module adds is what the API needs beyond the CLI:
read-only proposals, idempotent retries, and who sees which remedy.

Remedies are addressed to a party: the commission's staff see all of them, a party's liaison
only those addressed to its own party (with their compliance), once adopted. A proposal is
never stored, so nobody outside the commission sees one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine

from truceline.api.roles import Principal, Role
from truceline.app import commission as ops
from truceline.commission import locks, remedies
from truceline.commission.membership import Membership, parse_membership, rules_as_json
from truceline.commission.remedies import RemedyOption
from truceline.commission.votes import CaseParties, is_recused
from truceline.domain import CaseStatus, Remedy
from truceline.domain.commission import CaseLock, Member
from truceline.errors import ConflictError, InputError, NotFoundError
from truceline.redaction import Publication, audience_of_role, redactor_for
from truceline.store import commission as store
from truceline.store import votes as vote_store
from truceline.store.listings import Page, Window, paginate

OPEN, OVERDUE, COMPLIED = "open", "overdue", "complied"
# Who reads a remedy back after writing it: the commission itself.
_STAFF = Principal(name="commission", role=Role.COMMISSIONER)


@dataclass(frozen=True)
class RemedyProposal:
    """What adopting remedies for a case's finding would impose now."""

    case_id: str
    finding_id: str
    party: str
    severity: str
    prior_findings: int
    level: int
    options: tuple[RemedyOption, ...]


@dataclass(frozen=True)
class RemedyRecord:
    """A remedy with the case it came from and the note its compliance was recorded with."""

    remedy_id: str
    finding_id: str
    case_id: str
    kind: str
    party: str
    due_at: datetime | None
    complied_at: datetime | None
    description: str
    compliance_note: str | None


@dataclass(frozen=True)
class CaseMember:
    """A member as seen from one case."""

    member: Member
    recused: bool

    @property
    def eligible(self) -> bool:
        return self.member.active and not self.recused


# --- locks -----------------------------------------------------------------------------------


def held_lock(engine: Engine, *, case_id: str, now: datetime) -> CaseLock | None:
    """The case's lock while it holds (an expired lock is no lock); NotFoundError for no case."""
    with engine.connect() as conn:
        store.get_case(conn, case_id=case_id)
        lock = store.get_lock(conn, case_id=case_id)
    return lock if locks.is_held(lock, now) else None


def release_lock(engine: Engine, *, case_id: str, actor: str, now: datetime) -> None:
    """Release the actor's lock; nothing to do when none holds (a retry, or it expired)."""
    with engine.connect() as conn:
        store.get_case(conn, case_id=case_id)
        lock = store.get_lock(conn, case_id=case_id)
    if lock is None or (lock.holder != actor and not locks.is_held(lock, now)):
        return
    ops.unlock_case(engine, case_id=case_id, actor=actor, now=now)


# --- remedies --------------------------------------------------------------------------------


def propose_remedies(engine: Engine, *, case_id: str) -> RemedyProposal:
    """The catalogue's remedies for the case's finding (severity and recurrence); read only."""
    catalogue = remedies.load_catalogue()
    with engine.connect() as conn:
        case = store.get_case(conn, case_id=case_id)
        if case.status != CaseStatus.FINDING:
            raise ConflictError(
                f"case {case_id} is in {case.status.value!r}: remedies are proposed "
                f"only in {CaseStatus.FINDING.value!r}"
            )
        findings = store.get_findings(conn)
    finding = [f for f in findings if f.case_id == case_id][-1]
    if finding.responsible_party is None:
        raise ConflictError(
            f"finding {finding.finding_id} is not attributable: close case {case_id} instead"
        )
    prior = remedies.count_recurrence(
        [f for f in findings if f.finding_id != finding.finding_id],
        party=finding.responsible_party,
        before=finding.decided_at,
        window=catalogue.recurrence_window,
    )
    level = remedies.remedy_level(catalogue, severity=finding.severity, prior_findings=prior)
    options = remedies.choose_remedies(catalogue, severity=finding.severity, prior_findings=prior)
    return RemedyProposal(
        case_id, finding.finding_id, finding.responsible_party, finding.severity, prior, level,
        tuple(options),
    )  # fmt: skip


def adopt_remedies(
    engine: Engine, *, case_id: str, kinds: Sequence[str], actor: str
) -> tuple[list[RemedyRecord], bool]:
    """Impose the proposed remedies (``kinds`` must be what is proposed); (remedies, new).

    Sent again once adopted with the same kinds, the stored remedies come back (not new).
    """
    adopted = _adopted_remedies(engine, case_id)
    if adopted:
        if sorted(r.kind for r in adopted) != sorted(kinds):
            stored = ", ".join(r.kind for r in adopted)
            raise ConflictError(f"case {case_id} already has remedies adopted: {stored}")
        return adopted, False
    proposed = [o.kind for o in propose_remedies(engine, case_id=case_id).options]
    if sorted(proposed) != sorted(kinds):
        raise ConflictError(
            f"case {case_id}: the catalogue proposes {', '.join(proposed)}, not "
            f"{', '.join(kinds)}; review the proposal again"
        )
    imposed = ops.impose_remedies(engine, case_id=case_id, actor=actor)
    return [_record(r, case_id, None) for r in imposed], True


def remedy_records(
    engine: Engine,
    principal: Principal,
    *,
    party: str | None,
    finding_id: str | None,
    status: str | None,
    window: Window,
    now: datetime,
) -> Page[RemedyRecord]:
    """Remedies by id: all for staff, those addressed to its party for a liaison."""
    with engine.connect() as conn:
        found = [_screened(conn, principal, r) for r in _records(conn) if _may_see(principal, r)]
    found = [
        r
        for r in found
        if (party is None or r.party == party)
        and (finding_id is None or r.finding_id == finding_id)
        and (status is None or _status(r, now) == status)
    ]
    return paginate(found, window)


def remedy_record(engine: Engine, principal: Principal, *, remedy_id: str) -> RemedyRecord:
    """One remedy, if the caller may see it (NotFoundError otherwise, as for a missing one)."""
    with engine.connect() as conn:
        for record in _records(conn):
            if record.remedy_id == remedy_id and _may_see(principal, record):
                return _screened(conn, principal, record)
    raise NotFoundError(f"remedy {remedy_id!r} is not stored")


def record_compliance(
    engine: Engine, *, remedy_id: str, complied_at: datetime, note: str, actor: str, now: datetime
) -> tuple[RemedyRecord, bool]:
    """Record that the party complied; (remedy, new). The same time sent again is not new."""
    if complied_at > now:
        raise InputError("compliance cannot be recorded ahead of time", column="complied_at")
    with engine.connect() as conn:
        remedy = store.get_remedy(conn, remedy_id=remedy_id)
        finding = store.get_finding(conn, finding_id=remedy.finding_id)
    if remedy.complied_at is not None:
        if remedy.complied_at != complied_at:
            raise ConflictError(
                f"remedy {remedy_id}: compliance already recorded at "
                f"{remedy.complied_at.isoformat()}"
            )
        return remedy_record(engine, _STAFF, remedy_id=remedy_id), False
    if complied_at < finding.decided_at:
        raise InputError(
            f"complied_at is before finding {finding.finding_id} was decided "
            f"({finding.decided_at.isoformat()})",
            column="complied_at",
        )
    ops.record_compliance(
        engine, remedy_id=remedy_id, actor=actor, complied_at=complied_at, note=note, now=now
    )
    return remedy_record(engine, _STAFF, remedy_id=remedy_id), True


def _adopted_remedies(engine: Engine, case_id: str) -> list[RemedyRecord]:
    with engine.connect() as conn:
        store.get_case(conn, case_id=case_id)
        return [r for r in _records(conn) if r.case_id == case_id]


def _records(conn: Connection) -> list[RemedyRecord]:
    """Every remedy with its case and compliance note, by id."""
    case_of = {f.finding_id: f.case_id for f in store.get_findings(conn)}
    stored = sorted(store.get_remedies(conn), key=lambda r: r.remedy_id)
    notes = {
        entry.entity_id: str(entry.details.get("note", ""))
        for entry in store.get_audit(conn, entity="remedy")
        if entry.action == "complied"
    }
    return [_record(r, case_of.get(r.finding_id, ""), notes.get(r.remedy_id)) for r in stored]


def _record(remedy: Remedy, case_id: str, note: str | None) -> RemedyRecord:
    return RemedyRecord(
        remedy.remedy_id, remedy.finding_id, case_id, remedy.kind, remedy.party, remedy.due_at,
        remedy.complied_at, remedy.description, note,
    )  # fmt: skip


def _may_see(principal: Principal, record: RemedyRecord) -> bool:
    if principal.is_staff:
        return True
    return principal.role == Role.PARTY_LIAISON and record.party == principal.party


def _screened(conn: Connection, principal: Principal, record: RemedyRecord) -> RemedyRecord:
    """A liaison reads the remedy's description and compliance note screened (names, places,
    numbers of the mechanism's sources withheld, as in every output outside the staff)."""
    if principal.is_staff:
        return record
    redactor = redactor_for(conn, audience_of_role(principal.role.value), Publication.API)
    return replace(
        record,
        description=redactor.text(record.description),
        compliance_note=(
            None if record.compliance_note is None else redactor.text(record.compliance_note)
        ),
    )


def _status(record: RemedyRecord, now: datetime) -> str:
    if record.complied_at is not None:
        return COMPLIED
    return OVERDUE if record.due_at is not None and record.due_at <= now else OPEN


# --- members ---------------------------------------------------------------------------------


def load_membership(
    engine: Engine, *, document: dict[str, Any], actor: str, now: datetime
) -> tuple[Membership, dict[str, list[str]]]:
    """Validate a membership document and store it for its mechanism; what changed."""
    membership = parse_membership(document, file="request body")
    with engine.begin() as conn:
        changes = vote_store.save_membership(
            conn,
            mechanism=membership.mechanism,
            rules=rules_as_json(membership.rules),
            members=membership.members,
            actor=actor,
            at=now,
        )
    return membership, changes


def members(engine: Engine, *, mechanism: str, active: bool | None, window: Window) -> Page[Member]:
    """A mechanism's members by id, optionally only the active (or inactive) ones."""
    with engine.connect() as conn:
        found = vote_store.get_members(conn, mechanism=mechanism)
    return paginate([m for m in found if active is None or m.active == active], window)


def case_members(
    engine: Engine, *, case_id: str, mechanism: str, window: Window
) -> Page[CaseMember]:
    """A mechanism's members as seen from a case: recused when affiliated with a party to it."""
    with engine.connect() as conn:
        case = store.get_case(conn, case_id=case_id)
        found = vote_store.get_members(conn, mechanism=mechanism)
    parties = CaseParties(accused=case.accused_party, alleging=case.alleged_by)
    return paginate([CaseMember(m, is_recused(m, parties)) for m in found], window)
