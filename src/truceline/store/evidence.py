"""Repository of evidence items and their chain of custody (audited, keyword-only)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, insert, select

from truceline.domain.commission import CustodyAction, CustodyEntry, Evidence, EvidenceKind
from truceline.errors import NotFoundError
from truceline.store import tables
from truceline.store.commission import fields_of, record_audit
from truceline.store.writes import as_json


def add_evidence(conn: Connection, *, evidence: Evidence) -> None:
    """Store an evidence item with its first custody entry (added) and an audit row."""
    values = fields_of(evidence) | {"kind": evidence.kind.value}
    conn.execute(insert(tables.evidence).values(**values))
    details = {
        "sha256": evidence.sha256,
        "kind": evidence.kind.value,
        "reference": evidence.reference,
    }
    record_custody(
        conn,
        entry=CustodyEntry(
            evidence.evidence_id, evidence.added_by, CustodyAction.ADDED, evidence.added_at, details
        ),
    )
    record_audit(
        conn,
        entity="evidence",
        entity_id=evidence.evidence_id,
        action="added",
        actor=evidence.added_by,
        at=evidence.added_at,
        details=details | {"case_id": evidence.case_id},
    )


def get_evidence(conn: Connection, *, case_id: str | None = None) -> list[Evidence]:
    """Evidence items, optionally of one case, by id."""
    table = tables.evidence
    query = select(table).order_by(table.c.evidence_id)
    if case_id is not None:
        query = query.where(table.c.case_id == case_id)
    return [_evidence(row) for row in conn.execute(query).mappings()]


def get_evidence_item(conn: Connection, *, evidence_id: str) -> Evidence:
    """The evidence item with this id (NotFoundError if there is none)."""
    table = tables.evidence
    row = conn.execute(select(table).where(table.c.evidence_id == evidence_id)).mappings().first()
    if row is None:
        raise NotFoundError(f"evidence {evidence_id!r} is not stored")
    return _evidence(row)


def record_custody(conn: Connection, *, entry: CustodyEntry) -> None:
    """Append one entry to an evidence item's chain of custody."""
    values = fields_of(entry) | {"action": entry.action.value}
    values["details"] = as_json(entry.details, what=f"custody of {entry.evidence_id!r}")
    conn.execute(insert(tables.custody_log).values(**values))


def get_custody(conn: Connection, *, evidence_id: str) -> list[CustodyEntry]:
    """An evidence item's chain of custody, oldest first."""
    table = tables.custody_log
    query = select(table).where(table.c.evidence_id == evidence_id).order_by(table.c.entry_id)
    return [
        CustodyEntry(
            row["evidence_id"],
            row["actor"],
            CustodyAction(row["action"]),
            row["at"],
            dict(row["details"]),
        )
        for row in conn.execute(query).mappings()
    ]


def get_record_row(
    conn: Connection, *, kind: EvidenceKind, record_id: str
) -> dict[str, Any] | None:
    """The stored event or report row an evidence item points at (None when there is none)."""
    table, key = {
        EvidenceKind.EVENT: (tables.events, "event_id"),
        EvidenceKind.REPORT: (tables.reports, "report_id"),
    }[kind]
    row = conn.execute(select(table).where(table.c[key] == record_id)).mappings().one_or_none()
    return None if row is None else dict(row)


def _evidence(row: Any) -> Evidence:
    return Evidence(**(dict(row) | {"kind": EvidenceKind(row["kind"])}))
