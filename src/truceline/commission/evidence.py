"""Evidence: SHA-256 of files streamed in chunks, a content-addressed store, verification.

A file is copied into the evidence directory under its own hash
(``<dir>/<first two hex digits>/<sha256>``) and made read-only; it is never modified. Links,
events and reports are fixed by the SHA-256 of their text (the URL, or the record as
canonical JSON), so a later change to what they point at is detected too.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, is_dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from truceline.domain.commission import Evidence, EvidenceKind
from truceline.errors import InputError

CHUNK_BYTES = 1 << 20


class CheckResult(StrEnum):
    INTACT = "intact"
    CHANGED = "changed"
    MISSING = "missing"


@dataclass(frozen=True)
class EvidenceCheck:
    """The outcome of re-hashing one evidence item."""

    evidence_id: str
    result: CheckResult
    expected: str
    found: str | None


def sha256_file(path: Path, *, chunk_bytes: int = CHUNK_BYTES) -> tuple[str, int]:
    """SHA-256 (hex) and size of a file, read in chunks (memory stays flat for large files).

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "x"; _ = p.write_bytes(b"abc")
    >>> sha256_file(p)[0][:16], sha256_file(p)[1]
    ('ba7816bf8f01cfea', 3)
    """
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as handle:
        while chunk := handle.read(chunk_bytes):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def sha256_text(text: str) -> str:
    """SHA-256 (hex) of a text's UTF-8 bytes."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def canonical_json(record: Any) -> str:
    """A record (dataclass or mapping) as canonical JSON: sorted keys, no spaces, ISO times.

    Empty (None) fields are left out, so a column added later (empty in old records) does
    not change the hash of a record that was fixed before it existed.

    >>> canonical_json({"b": 1, "a": "x", "c": None})
    '{"a":"x","b":1}'
    """
    values = asdict(record) if is_dataclass(record) and not isinstance(record, type) else record
    present = {key: value for key, value in dict(values).items() if value is not None}
    return json.dumps(present, sort_keys=True, separators=(",", ":"), default=_json_default)


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"not JSON: {type(value).__name__}")


def stored_path(evidence_dir: Path, sha256: str) -> Path:
    """Where the file with this hash lives in the evidence directory."""
    return evidence_dir / sha256[:2] / sha256


def store_file(source: Path, evidence_dir: Path) -> tuple[str, int]:
    """Copy ``source`` into the evidence directory under its hash; its SHA-256 and size.

    The copy is hashed as it is written, then moved into place; a file already stored
    with that hash is kept as it is (the same content).
    """
    if not source.is_file():
        raise InputError("no such file", file=str(source))
    evidence_dir.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    fd, temp_name = tempfile.mkstemp(dir=evidence_dir, prefix=".incoming-")
    try:
        with source.open("rb") as reader, os.fdopen(fd, "wb") as writer:
            while chunk := reader.read(CHUNK_BYTES):
                digest.update(chunk)
                writer.write(chunk)
                size += len(chunk)
        sha = digest.hexdigest()
        target = stored_path(evidence_dir, sha)
        if not target.exists():
            target.parent.mkdir(exist_ok=True)
            os.chmod(temp_name, stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
            os.replace(temp_name, target)
    finally:
        if os.path.exists(temp_name):
            os.unlink(temp_name)
    return sha, size


def export_file(item: Evidence, evidence_dir: Path, destination: Path) -> Path:
    """Copy a stored evidence file out, after checking it still has its hash."""
    check = verify_file(item, evidence_dir)
    if check.result != CheckResult.INTACT:
        raise InputError(
            f"evidence {item.evidence_id} is {check.result.value}; not exported",
            file=str(stored_path(evidence_dir, item.sha256)),
        )
    target = destination / item.reference if destination.is_dir() else destination
    shutil.copyfile(stored_path(evidence_dir, item.sha256), target)
    return target


def verify_file(item: Evidence, evidence_dir: Path) -> EvidenceCheck:
    """Re-hash a file item's stored copy and compare it with the hash recorded."""
    if item.kind != EvidenceKind.FILE:
        raise InputError(f"evidence {item.evidence_id} is a {item.kind.value}, not a file")
    path = stored_path(evidence_dir, item.sha256)
    if not path.is_file():
        return EvidenceCheck(item.evidence_id, CheckResult.MISSING, item.sha256, None)
    found, _ = sha256_file(path)
    return _compare(item, found)


def verify_text(item: Evidence, current_text: str | None) -> EvidenceCheck:
    """Compare a link's URL or a record's canonical JSON (None: gone) with the hash recorded."""
    if current_text is None:
        return EvidenceCheck(item.evidence_id, CheckResult.MISSING, item.sha256, None)
    return _compare(item, sha256_text(current_text))


def verify_items(
    items: Iterable[Evidence],
    evidence_dir: Path,
    records: Mapping[tuple[EvidenceKind, str], str | None],
) -> list[EvidenceCheck]:
    """Check every item: files against their stored copies, the rest against ``records``.

    ``records`` maps (kind, event or report id) to the record's current canonical JSON
    (None when it is gone); a link is checked against its own URL.
    """
    checks = []
    for item in items:
        if item.kind == EvidenceKind.FILE:
            checks.append(verify_file(item, evidence_dir))
        elif item.kind == EvidenceKind.LINK:
            checks.append(verify_text(item, item.reference))
        else:
            checks.append(verify_text(item, records.get((item.kind, item.reference))))
    return checks


def _compare(item: Evidence, found: str) -> EvidenceCheck:
    result = CheckResult.INTACT if found == item.sha256 else CheckResult.CHANGED
    return EvidenceCheck(item.evidence_id, result, item.sha256, found)
