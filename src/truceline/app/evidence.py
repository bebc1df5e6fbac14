"""Evidence operations: add (with its hash), view, export and verify, each with custody.

Files are copied into the content-addressed evidence directory before the database rows are
written; if the transaction then fails, the copy stays unreferenced (harmless: it is named by
its own hash and is reused if the same file is added again).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlalchemy import Connection, Engine

from truceline.app.commission import hold_lock, now_utc
from truceline.commission import evidence as hashing
from truceline.domain import CaseStatus
from truceline.domain.commission import CustodyAction, CustodyEntry, Evidence, EvidenceKind
from truceline.errors import ConflictError, InputError, NotFoundError
from truceline.settings import get_settings
from truceline.store import commission as store
from truceline.store import evidence as evidence_store
from truceline.store import tables
from truceline.store.commission import next_id


def default_evidence_dir() -> Path:
    """``<output dir>/evidence``: where evidence files are kept unless told otherwise."""
    return get_settings().output_dir / "evidence"


def add_evidence(
    engine: Engine,
    *,
    case_id: str,
    actor: str,
    kind: EvidenceKind,
    target: str,
    evidence_dir: Path,
    description: str = "",
    now: datetime | None = None,
) -> Evidence:
    """Add a file (copied and hashed), a link, or a stored event or report to a case."""
    now = now or now_utc()
    with engine.connect() as conn:  # an unknown case copies no file
        store.get_case(conn, case_id=case_id)
    sha, size, reference = _fix_content(engine, kind, target, evidence_dir)
    with engine.begin() as conn:
        case = store.get_case_for_update(conn, case_id=case_id)
        if case.status == CaseStatus.CLOSED:
            raise ConflictError(f"case {case_id} is closed: no evidence can be added")
        for item in evidence_store.get_evidence(conn, case_id=case_id):
            if item.sha256 == sha and item.kind == kind:
                raise ConflictError(f"case {case_id} already has this as {item.evidence_id}")
        hold_lock(conn, case_id=case_id, actor=actor, now=now)
        item = Evidence(
            evidence_id=next_id(conn, table=tables.evidence, prefix="EV-"),
            case_id=case_id,
            kind=kind,
            reference=reference,
            sha256=sha,
            added_by=actor,
            added_at=now,
            size_bytes=size,
            description=description,
        )
        evidence_store.add_evidence(conn, evidence=item)
    return item


def _fix_content(
    engine: Engine, kind: EvidenceKind, target: str, evidence_dir: Path
) -> tuple[str, int | None, str]:
    """The SHA-256, size and reference that fix an item's content when it is added."""
    if kind == EvidenceKind.FILE:
        sha, size = hashing.store_file(Path(target), evidence_dir)
        return sha, size, Path(target).name
    if kind == EvidenceKind.LINK:
        if "://" not in target or any(c.isspace() for c in target):
            raise InputError(f"{target!r} is not a URL", column="link")
        return hashing.sha256_text(target), None, target
    with engine.connect() as conn:
        text = _record_text(conn, kind, target)
    if text is None:
        raise NotFoundError(f"{kind.value} {target!r} is not stored")
    return hashing.sha256_text(text), None, target


def _record_text(conn: Connection, kind: EvidenceKind, record_id: str) -> str | None:
    row = evidence_store.get_record_row(conn, kind=kind, record_id=record_id)
    return None if row is None else hashing.canonical_json(row)


def view_evidence(
    engine: Engine, *, evidence_id: str, actor: str, now: datetime | None = None
) -> tuple[Evidence, list[CustodyEntry]]:
    """An evidence item and its chain of custody; the viewing is recorded in it."""
    now = now or now_utc()
    with engine.begin() as conn:
        item = evidence_store.get_evidence_item(conn, evidence_id=evidence_id)
        entry = CustodyEntry(evidence_id, actor, CustodyAction.VIEWED, now)
        evidence_store.record_custody(conn, entry=entry)
        return item, evidence_store.get_custody(conn, evidence_id=evidence_id)


def export_evidence(
    engine: Engine,
    *,
    evidence_id: str,
    actor: str,
    evidence_dir: Path,
    destination: Path,
    now: datetime | None = None,
) -> Path:
    """Copy an evidence file out (only if it still has its hash); custody records where."""
    now = now or now_utc()
    with engine.begin() as conn:
        item = evidence_store.get_evidence_item(conn, evidence_id=evidence_id)
        if item.kind != EvidenceKind.FILE:
            raise InputError(f"evidence {evidence_id} is a {item.kind.value}: only files export")
        written = hashing.export_file(item, evidence_dir, destination)
        details = {"to": str(written), "sha256": item.sha256}
        entry = CustodyEntry(evidence_id, actor, CustodyAction.EXPORTED, now, details)
        evidence_store.record_custody(conn, entry=entry)
    return written


def verify_evidence(
    engine: Engine,
    *,
    actor: str,
    evidence_dir: Path,
    case_id: str | None = None,
    now: datetime | None = None,
) -> list[hashing.EvidenceCheck]:
    """Re-hash every evidence item (of one case, or all) and record each check in custody."""
    now = now or now_utc()
    with engine.begin() as conn:
        if case_id is not None:
            store.get_case(conn, case_id=case_id)
        items = evidence_store.get_evidence(conn, case_id=case_id)
        records: dict[tuple[EvidenceKind, str], str | None] = {
            (item.kind, item.reference): _record_text(conn, item.kind, item.reference)
            for item in items
            if item.kind in (EvidenceKind.EVENT, EvidenceKind.REPORT)
        }
        checks = hashing.verify_items(items, evidence_dir, records)
        for check in checks:
            details = {"result": check.result.value, "found": check.found or ""}
            entry = CustodyEntry(check.evidence_id, actor, CustodyAction.VERIFIED, now, details)
            evidence_store.record_custody(conn, entry=entry)
    return checks
