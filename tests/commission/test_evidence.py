"""Evidence hashing and the content-addressed store: every change to a file is detected."""

from __future__ import annotations

import hashlib
import os
import random
import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest

from truceline.commission.evidence import (
    CheckResult,
    canonical_json,
    export_file,
    sha256_file,
    sha256_text,
    store_file,
    stored_path,
    verify_file,
    verify_items,
)
from truceline.domain.commission import Evidence, EvidenceKind
from truceline.errors import InputError

T0 = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
CONTENT = bytes(random.Random(5).getrandbits(8) for _ in range(10_000))


def file_item(sha: str, size: int = len(CONTENT)) -> Evidence:
    return Evidence("EV-1", "C-1", EvidenceKind.FILE, "photo.jpg", sha, "ana", T0, size)


@pytest.fixture()
def stored(tmp_path: Path) -> tuple[Evidence, Path]:
    source = tmp_path / "photo.jpg"
    source.write_bytes(CONTENT)
    evidence_dir = tmp_path / "evidence"
    sha, size = store_file(source, evidence_dir)
    return file_item(sha, size), evidence_dir


def test_files_are_hashed_in_chunks_like_hashlib(tmp_path: Path) -> None:
    path = tmp_path / "blob"
    path.write_bytes(CONTENT)
    expected = hashlib.sha256(CONTENT).hexdigest()
    assert sha256_file(path, chunk_bytes=7) == (expected, len(CONTENT))
    assert sha256_file(path) == (expected, len(CONTENT))
    assert sha256_text("é") == hashlib.sha256("é".encode()).hexdigest()


def test_store_is_content_addressed_and_read_only(stored: tuple[Evidence, Path]) -> None:
    item, evidence_dir = stored
    path = stored_path(evidence_dir, item.sha256)
    assert item.sha256 == hashlib.sha256(CONTENT).hexdigest()
    assert path == evidence_dir / item.sha256[:2] / item.sha256
    assert path.read_bytes() == CONTENT
    assert not path.stat().st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)
    assert [p.name for p in evidence_dir.iterdir()] == [item.sha256[:2]]  # no temporary left


def test_storing_the_same_content_again_keeps_one_copy(
    stored: tuple[Evidence, Path], tmp_path: Path
) -> None:
    item, evidence_dir = stored
    again = tmp_path / "copy.jpg"
    again.write_bytes(CONTENT)
    assert store_file(again, evidence_dir) == (item.sha256, len(CONTENT))
    assert len(list(evidence_dir.rglob("*"))) == 2  # the prefix directory and one file


def test_a_missing_source_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        store_file(tmp_path / "absent.jpg", tmp_path / "evidence")


def _tamper(path: Path, rng: random.Random) -> str:
    """Change the file in one random way; what was done."""
    os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)
    data = bytearray(path.read_bytes())
    how = rng.choice(["flip", "truncate", "append", "insert", "delete", "empty"])
    at = rng.randrange(len(data))
    if how == "flip":
        data[at] ^= 1 << rng.randrange(8)
    elif how == "truncate":
        del data[at:]
    elif how == "append":
        data += bytes([rng.randrange(256)])
    elif how == "insert":
        data[at:at] = bytes([rng.randrange(256)])
    elif how == "delete":
        del data[at]
    else:
        data = bytearray()
    path.write_bytes(bytes(data))
    return how


def test_every_change_to_a_stored_file_is_detected(tmp_path: Path) -> None:
    rng = random.Random(2026)
    source = tmp_path / "photo.jpg"
    source.write_bytes(CONTENT)
    for trial in range(200):
        evidence_dir = tmp_path / f"evidence-{trial}"
        sha, size = store_file(source, evidence_dir)
        item = file_item(sha, size)
        assert verify_file(item, evidence_dir).result == CheckResult.INTACT
        how = _tamper(stored_path(evidence_dir, sha), rng)
        check = verify_file(item, evidence_dir)
        assert check.result == CheckResult.CHANGED, f"trial {trial}: {how} not detected"
        assert check.found != check.expected


def test_a_deleted_file_is_reported_missing(stored: tuple[Evidence, Path]) -> None:
    item, evidence_dir = stored
    stored_path(evidence_dir, item.sha256).unlink()
    check = verify_file(item, evidence_dir)
    assert (check.result, check.found) == (CheckResult.MISSING, None)


def test_links_and_records_are_checked_against_their_text(stored: tuple[Evidence, Path]) -> None:
    file, evidence_dir = stored
    url = "https://example.org/crater.jpg"
    record = canonical_json({"event_id": "E1", "lon": 37.5, "time": T0, "crlb_m": None})
    link = Evidence("EV-2", "C-1", EvidenceKind.LINK, url, sha256_text(url), "ana", T0)
    event = Evidence("EV-3", "C-1", EvidenceKind.EVENT, "E1", sha256_text(record), "ana", T0)
    gone = Evidence("EV-4", "C-1", EvidenceKind.REPORT, "R9", sha256_text("{}"), "ana", T0)
    changed_record = record.replace("37.5", "37.6")
    checks = verify_items(
        [file, link, event, gone],
        evidence_dir,
        {(EvidenceKind.EVENT, "E1"): changed_record, (EvidenceKind.REPORT, "R9"): None},
    )
    assert [c.result for c in checks] == [
        CheckResult.INTACT,
        CheckResult.INTACT,
        CheckResult.CHANGED,
        CheckResult.MISSING,
    ]
    tampered_link = Evidence("EV-5", "C-1", EvidenceKind.LINK, url + "x", link.sha256, "ana", T0)
    assert verify_items([tampered_link], evidence_dir, {})[0].result == CheckResult.CHANGED


def test_canonical_json_is_stable_and_leaves_out_empty_fields() -> None:
    assert canonical_json({"b": 2, "a": T0, "c": None}) == '{"a":"2026-11-22T09:00:00+00:00","b":2}'


def test_export_copies_only_intact_files(stored: tuple[Evidence, Path], tmp_path: Path) -> None:
    item, evidence_dir = stored
    out = tmp_path / "out"
    out.mkdir()
    written = export_file(item, evidence_dir, out)
    assert written == out / "photo.jpg"
    assert written.read_bytes() == CONTENT
    _tamper(stored_path(evidence_dir, item.sha256), random.Random(1))
    with pytest.raises(InputError, match="EV-1 is changed; not exported"):
        export_file(item, evidence_dir, tmp_path / "again.jpg")
    assert not (tmp_path / "again.jpg").exists()
