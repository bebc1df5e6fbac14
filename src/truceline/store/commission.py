"""Repository of the commission's work and the guarantees: cases, findings, remedies,
commitments; the case workflow's history, evidence and custody, locks, membership, votes.

The workflow's writes (``open_case`` onwards) each add their rows and one ``audit_log`` row
in the caller's transaction: a refused change rolls back with its audit row.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Table, delete, func, insert, select, update

from truceline.domain import (
    Case,
    CaseStatus,
    Commitment,
    Finding,
    RatificationStatus,
    Remedy,
    Severity,
    StandardOfProof,
    Violation,
    ViolationType,
)
from truceline.domain.commission import (
    AuditEntry,
    CaseLock,
    CaseTransition,
)
from truceline.errors import ConflictError, NotFoundError
from truceline.store import tables
from truceline.store.queries import get_one
from truceline.store.records import AddResult
from truceline.store.writes import (
    Reference,
    Row,
    RowKind,
    add_rows,
    as_json,
    join_ids,
    split_ids,
    text_of,
)

CASES = RowKind("case", tables.cases, "case_id")
FINDINGS = RowKind(
    "finding",
    tables.findings,
    "finding_id",
    references=(Reference("case_id", tables.cases.c.case_id, "case"),),
)
REMEDIES = RowKind(
    "remedy",
    tables.remedies,
    "remedy_id",
    references=(Reference("finding_id", tables.findings.c.finding_id, "finding"),),
)
COMMITMENTS = RowKind("commitment", tables.commitments, "commitment_id")

_FINDING_COLUMNS = tuple(tables.findings.c.keys())
_REMEDY_COLUMNS = tuple(tables.remedies.c.keys())
_COMMITMENT_COLUMNS = tuple(tables.commitments.c.keys())


def add_case(conn: Connection, *, case: Case) -> AddResult:
    """Store a case (its violation ids are not checked against stored violations)."""
    row = {
        "case_id": case.case_id,
        "title": case.title,
        "status": text_of(case.status),
        "opened_at": case.opened_at,
        "violation_ids": join_ids(case.violation_ids, what=f"case {case.case_id!r}"),
        "alleged_by": case.alleged_by,
        "accused_party": case.accused_party,
    }
    return add_rows(conn, CASES, [row])


def add_finding(conn: Connection, *, finding: Finding) -> AddResult:
    """Store a finding on a stored case (else NotFoundError)."""
    row = {column: getattr(finding, column) for column in _FINDING_COLUMNS}
    row["standard_of_proof"] = text_of(finding.standard_of_proof)
    return add_rows(conn, FINDINGS, [row])


def add_remedy(conn: Connection, *, remedy: Remedy) -> AddResult:
    """Store a remedy for a stored finding (else NotFoundError)."""
    return add_rows(conn, REMEDIES, [{c: getattr(remedy, c) for c in _REMEDY_COLUMNS}])


def add_commitments(conn: Connection, *, commitments: Iterable[Commitment]) -> AddResult:
    """Store guarantors' commitments."""
    return add_rows(conn, COMMITMENTS, (_commitment_row(c) for c in commitments))


def get_case(conn: Connection, *, case_id: str) -> Case:
    """The case with this id (NotFoundError if there is none)."""
    return _case(get_one(conn, CASES, case_id))


def get_cases(conn: Connection, *, status: CaseStatus | None = None) -> list[Case]:
    """Cases, optionally in one status, oldest first."""
    query = select(tables.cases).order_by(tables.cases.c.opened_at, tables.cases.c.case_id)
    if status is not None:
        query = query.where(tables.cases.c.status == text_of(status))
    return [_case(row) for row in conn.execute(query).mappings()]


def get_finding(conn: Connection, *, finding_id: str) -> Finding:
    """The finding with this id (NotFoundError if there is none)."""
    return _finding(get_one(conn, FINDINGS, finding_id))


def get_findings(conn: Connection, *, case_id: str | None = None) -> list[Finding]:
    """Findings, optionally of one case, in the order they were decided."""
    table = tables.findings
    query = select(table).order_by(table.c.decided_at, table.c.finding_id)
    if case_id is not None:
        query = query.where(table.c.case_id == case_id)
    return [_finding(row) for row in conn.execute(query).mappings()]


def get_remedies(conn: Connection, *, finding_id: str | None = None) -> list[Remedy]:
    """Remedies, optionally for one finding, by id."""
    query = select(tables.remedies).order_by(tables.remedies.c.remedy_id)
    if finding_id is not None:
        query = query.where(tables.remedies.c.finding_id == finding_id)
    return [Remedy(**row) for row in conn.execute(query).mappings()]


def get_commitments(conn: Connection, *, guarantor: str | None = None) -> list[Commitment]:
    """Commitments, optionally of one guarantor, by id."""
    table = tables.commitments
    query = select(table).order_by(table.c.commitment_id)
    if guarantor is not None:
        query = query.where(table.c.guarantor == guarantor)
    return [_commitment(row) for row in conn.execute(query).mappings()]


def _case(row: Any) -> Case:
    values = dict(row)
    values["status"] = CaseStatus(values["status"])
    values["violation_ids"] = split_ids(values["violation_ids"])
    return Case(**values)


def _finding(row: Any) -> Finding:
    values = dict(row)
    values["standard_of_proof"] = StandardOfProof(values["standard_of_proof"])
    return Finding(**values)


def _commitment_row(commitment: Commitment) -> Row:
    row = {column: getattr(commitment, column) for column in _COMMITMENT_COLUMNS}
    row["status"] = text_of(commitment.status)
    row["notes"] = as_json(commitment.notes, what=f"commitment {commitment.commitment_id!r}")
    return row


def _commitment(row: Any) -> Commitment:
    values = dict(row)
    values["status"] = RatificationStatus(values["status"])
    return Commitment(**values)


# --- the workflow: audit, cases, transitions -------------------------------------------------


def record_audit(
    conn: Connection,
    *,
    entity: str,
    entity_id: str,
    action: str,
    actor: str,
    at: datetime,
    details: Mapping[str, Any] | None = None,
) -> None:
    """Append one row to the audit log (in the caller's transaction)."""
    values = as_json(dict(details or {}), what=f"audit of {entity} {entity_id!r}")
    conn.execute(
        insert(tables.audit_log).values(
            entity=entity, entity_id=entity_id, action=action, actor=actor, at=at, details=values
        )
    )


def get_audit(
    conn: Connection, *, entity: str | None = None, entity_ids: Sequence[str] | None = None
) -> list[AuditEntry]:
    """Audit rows, optionally of one entity kind and of some ids, in the order written."""
    table = tables.audit_log
    query = select(table).order_by(table.c.audit_id)
    if entity is not None:
        query = query.where(table.c.entity == entity)
    if entity_ids is not None:
        query = query.where(table.c.entity_id.in_(entity_ids))
    rows = conn.execute(query).mappings()
    return [AuditEntry(**{k: v for k, v in row.items() if k != "audit_id"}) for row in rows]


def next_id(conn: Connection, *, table: Table, prefix: str, width: int = 4) -> str:
    """The next free id of the form ``<prefix><number>`` in ``table`` (e.g. ``C-0007``)."""
    key = next(iter(table.primary_key.columns))
    taken = conn.execute(select(key).where(key.like(f"{prefix}%"))).scalars()
    numbers = [int(t[len(prefix) :]) for t in taken if t[len(prefix) :].isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1:0{width}d}"


def open_case(conn: Connection, *, case: Case, actor: str, reason: str = "") -> None:
    """Store a new case with its opening transition (ConflictError if the id is taken)."""
    if conn.execute(select(tables.cases.c.case_id).where(_is_case(case.case_id))).first():
        raise ConflictError(f"case {case.case_id!r} is already stored")
    add_case(conn, case=case)
    _add_transition(
        conn, CaseTransition(case.case_id, None, case.status, actor, case.opened_at, reason)
    )
    details: dict[str, Any] = {"title": case.title, "status": case.status.value}
    details |= {"violation_ids": list(case.violation_ids), "alleged_by": case.alleged_by}
    details |= {"accused_party": case.accused_party, "reason": reason}
    record_audit(
        conn,
        entity="case",
        entity_id=case.case_id,
        action="opened",
        actor=actor,
        at=case.opened_at,
        details=details,
    )


def get_case_for_update(conn: Connection, *, case_id: str) -> Case:
    """The case, its row locked until the transaction ends (PostgreSQL; SQLite locks on write)."""
    row = conn.execute(select(tables.cases).where(_is_case(case_id)).with_for_update())
    found = row.mappings().one_or_none()
    if found is None:
        raise NotFoundError(f"case {case_id!r} is not stored")
    return _case(found)


def set_case_status(conn: Connection, *, transition: CaseTransition) -> None:
    """Move a case to its next status, recording the transition (checked by the caller)."""
    if transition.from_status is None:
        raise ValueError("a status change starts from a status")
    changed = conn.execute(
        update(tables.cases)
        .where(_is_case(transition.case_id), tables.cases.c.status == transition.from_status.value)
        .values(status=transition.to_status.value)
    ).rowcount
    if changed != 1:
        raise ConflictError(
            f"case {transition.case_id} is no longer {transition.from_status.value!r}"
        )
    _add_transition(conn, transition)
    details = {"from": transition.from_status.value, "to": transition.to_status.value}
    record_audit(
        conn,
        entity="case",
        entity_id=transition.case_id,
        action="status changed",
        actor=transition.actor,
        at=transition.at,
        details=details | {"reason": transition.reason},
    )


def get_transitions(conn: Connection, *, case_id: str) -> list[CaseTransition]:
    """A case's status history, oldest first."""
    table = tables.case_transitions
    query = select(table).where(table.c.case_id == case_id).order_by(table.c.transition_id)
    return [
        CaseTransition(
            case_id=row["case_id"],
            from_status=None if row["from_status"] is None else CaseStatus(row["from_status"]),
            to_status=CaseStatus(row["to_status"]),
            actor=row["actor"],
            at=row["at"],
            reason=row["reason"],
        )
        for row in conn.execute(query).mappings()
    ]


def voting_round(conn: Connection, *, case_id: str) -> int:
    """The number of the case's current voting round (how often it entered ``vote``)."""
    table = tables.case_transitions
    query = select(func.count()).where(
        table.c.case_id == case_id, table.c.to_status == CaseStatus.VOTE.value
    )
    return int(conn.execute(query).scalar_one())


def get_violations_by_id(conn: Connection, *, violation_ids: Sequence[str]) -> list[Violation]:
    """The stored violations with these ids, in the order given (NotFoundError for any missing)."""
    table = tables.violations
    rows = conn.execute(select(table).where(table.c.violation_id.in_(violation_ids))).mappings()
    found = {row["violation_id"]: row for row in rows}
    for violation_id in violation_ids:
        if violation_id not in found:
            raise NotFoundError(f"violation {violation_id!r} is not stored")
    return [_violation(found[v]) for v in violation_ids]


# --- locks -----------------------------------------------------------------------------------


def get_lock(conn: Connection, *, case_id: str) -> CaseLock | None:
    """The stored lock of a case, expired or not (None when there is none)."""
    query = select(tables.case_locks).where(tables.case_locks.c.case_id == case_id)
    row = conn.execute(query).mappings().one_or_none()
    return None if row is None else CaseLock(**row)


def save_lock(conn: Connection, *, lock: CaseLock, actor: str, action: str, at: datetime) -> None:
    """Store a case's lock (replacing the previous one) and audit it."""
    conn.execute(delete(tables.case_locks).where(tables.case_locks.c.case_id == lock.case_id))
    conn.execute(insert(tables.case_locks).values(**fields_of(lock)))
    record_audit(
        conn,
        entity="case",
        entity_id=lock.case_id,
        action=action,
        actor=actor,
        at=at,
        details={"holder": lock.holder, "expires_at": lock.expires_at.isoformat()},
    )


def delete_lock(conn: Connection, *, case_id: str, actor: str, at: datetime) -> None:
    """Remove a case's lock and audit the release."""
    conn.execute(delete(tables.case_locks).where(tables.case_locks.c.case_id == case_id))
    record_audit(conn, entity="case", entity_id=case_id, action="lock released", actor=actor, at=at)


# --- evidence and custody --------------------------------------------------------------------


# --- findings and remedies -------------------------------------------------------------------


def record_finding(conn: Connection, *, finding: Finding, actor: str) -> None:
    """Store a finding (ConflictError if its id is taken) and audit it."""
    if add_finding(conn, finding=finding).new != 1:
        raise ConflictError(f"finding {finding.finding_id!r} is already stored")
    details = {
        "case_id": finding.case_id,
        "responsible_party": finding.responsible_party,
        "standard_of_proof": finding.standard_of_proof.value,
        "severity": finding.severity,
        "votes": [finding.votes_for, finding.votes_against, finding.abstentions],
    }
    record_audit(
        conn,
        entity="finding",
        entity_id=finding.finding_id,
        action="recorded",
        actor=actor,
        at=finding.decided_at,
        details=details,
    )


def record_remedies(
    conn: Connection, *, remedies: Sequence[Remedy], actor: str, at: datetime
) -> None:
    """Store new remedies (ConflictError if an id is taken), one audit row each."""
    for remedy in remedies:
        if add_remedy(conn, remedy=remedy).new != 1:
            raise ConflictError(f"remedy {remedy.remedy_id!r} is already stored")
        due = None if remedy.due_at is None else remedy.due_at.isoformat()
        record_audit(
            conn,
            entity="remedy",
            entity_id=remedy.remedy_id,
            action="imposed",
            actor=actor,
            at=at,
            details={
                "finding_id": remedy.finding_id,
                "kind": remedy.kind,
                "party": remedy.party,
                "due_at": due,
            },
        )


def get_remedy(conn: Connection, *, remedy_id: str) -> Remedy:
    """The remedy with this id (NotFoundError if there is none)."""
    return Remedy(**get_one(conn, REMEDIES, remedy_id))


def record_compliance(
    conn: Connection, *, remedy: Remedy, actor: str, at: datetime, note: str
) -> None:
    """Store when a remedy was complied with (once) and audit it."""
    if remedy.complied_at is None:
        raise ValueError("record_compliance needs the remedy with its compliance time")
    table = tables.remedies
    changed = conn.execute(
        update(table)
        .where(table.c.remedy_id == remedy.remedy_id, table.c.complied_at.is_(None))
        .values(complied_at=remedy.complied_at)
    ).rowcount
    if changed != 1:
        raise ConflictError(f"remedy {remedy.remedy_id}: compliance is already recorded")
    record_audit(
        conn,
        entity="remedy",
        entity_id=remedy.remedy_id,
        action="complied",
        actor=actor,
        at=at,
        details={"complied_at": remedy.complied_at.isoformat(), "note": note},
    )


def get_open_remedies(conn: Connection) -> list[Remedy]:
    """Remedies with no compliance recorded, by deadline then id."""
    table = tables.remedies
    query = (
        select(table)
        .where(table.c.complied_at.is_(None))
        .order_by(table.c.due_at, table.c.remedy_id)
    )
    return [Remedy(**row) for row in conn.execute(query).mappings()]


# --- helpers ---------------------------------------------------------------------------------


def _is_case(case_id: str) -> Any:
    return tables.cases.c.case_id == case_id


def _add_transition(conn: Connection, transition: CaseTransition) -> None:
    values = fields_of(transition)
    values["from_status"] = text_of(transition.from_status)
    values["to_status"] = transition.to_status.value
    conn.execute(insert(tables.case_transitions).values(**values))


def fields_of(record: Any) -> Row:
    """A dataclass's fields as a row (enumerations left for the caller to convert)."""
    return {name: getattr(record, name) for name in record.__dataclass_fields__}


def upsert(conn: Connection, table: Table, key: str, value: str, values: Row) -> None:
    column = table.c[key]
    if conn.execute(update(table).where(column == value).values(**values)).rowcount == 0:
        conn.execute(insert(table).values({key: value, **values}))


def _violation(row: Any) -> Violation:
    values = dict(row)
    values["type"] = ViolationType(values["type"])
    values["severity"] = Severity(values["severity"])
    return Violation(**values)
