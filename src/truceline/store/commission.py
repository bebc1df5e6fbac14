"""Repository of the commission's work and the guarantees: cases, findings, remedies,
commitments."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, select

from truceline.domain import (
    Case,
    CaseStatus,
    Commitment,
    Finding,
    RatificationStatus,
    Remedy,
    StandardOfProof,
)
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
