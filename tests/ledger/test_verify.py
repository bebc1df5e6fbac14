"""verify_log on copies of a log: keys, trusted heads, missing files and the report."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from tests.ledger.conftest import BuiltLog, build_log
from truceline.errors import NotFoundError
from truceline.ledger import latest_head, verify_log
from truceline.ledger.files import ENTRIES_FILE, HEADS_FILE, PUBLIC_KEY_FILE
from truceline.ledger.records import parse_tree_head
from truceline.ledger.signing import public_key_pem


def test_an_intact_copy_passes_with_its_counts(tmp_path: Path, small_log: BuiltLog) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(small_log.directory, copy)
    report = verify_log(copy, small_log.public_key)
    assert report.ok and report.problems == () and report.failure_line() == ""
    assert (report.entry_count, report.head_count) == (5, 6)
    assert report.latest_head == latest_head(small_log.directory)


def test_a_replaced_public_key_is_reported(tmp_path: Path, small_log: BuiltLog) -> None:
    stranger = Ed25519PrivateKey.generate().public_key()
    (small_log.directory / PUBLIC_KEY_FILE).write_bytes(public_key_pem(stranger))
    report = verify_log(small_log.directory, small_log.public_key)
    assert report.failure_line().startswith("log.pub is not the public key given")
    own = verify_log(small_log.directory)  # trusting the copy's own log.pub
    assert "tree head 0 (size 0): the signature does not verify" in own.failure_line()


def test_a_log_re_signed_under_another_key_fails_only_against_the_pinned_key(
    tmp_path: Path, small_log: BuiltLog
) -> None:
    """Why a party pins the key: a forger can rebuild a whole log with a key of their own."""
    forged = build_log(tmp_path, [1] * 5, name="forged")
    assert verify_log(forged.directory).ok
    report = verify_log(forged.directory, small_log.public_key)
    assert not report.ok
    assert report.failure_line().startswith("log.pub is not the public key given")


def test_a_trusted_head_passes_while_the_log_only_grows(small_log: BuiltLog) -> None:
    saved = parse_tree_head(small_log.head_lines[3])
    report = verify_log(small_log.directory, small_log.public_key, saved)
    assert report.ok and report.trusted_head == saved


def test_a_trusted_head_exposes_a_rewritten_history(tmp_path: Path, small_log: BuiltLog) -> None:
    """The operator rewrites entry 1 and re-signs every head with the real key."""
    saved = parse_tree_head(small_log.head_lines[-1])
    rebuilt = tmp_path / "rebuilt"
    shutil.copytree(small_log.directory, rebuilt)
    lines = small_log.entry_lines
    (rebuilt / ENTRIES_FILE).write_bytes(lines[0] + b"\n")
    (rebuilt / HEADS_FILE).write_bytes(b"".join(line + b"\n" for line in small_log.head_lines[:2]))
    from truceline.ledger import append_entry

    for i in range(1, 5):
        append_entry(rebuilt, small_log.key_file, "finding", {"rewritten": i})
    assert verify_log(rebuilt, small_log.public_key).ok  # consistent with itself
    report = verify_log(rebuilt, small_log.public_key, saved)
    assert report.failure_line().startswith("the trusted head (size 5, root ")
    assert "not consistent with the log" in report.failure_line()


def test_a_trusted_head_with_a_bad_signature_is_reported(small_log: BuiltLog) -> None:
    genuine = parse_tree_head(small_log.head_lines[2])
    forged = type(genuine)(
        genuine.tree_size, "2030-01-01T00:00:00Z", genuine.root_hash, None, genuine.signature
    )
    report = verify_log(small_log.directory, small_log.public_key, forged)
    assert "the trusted head (size 2" in report.failure_line()
    assert "signature does not verify" in report.failure_line()


@pytest.mark.parametrize("name", [ENTRIES_FILE, HEADS_FILE, PUBLIC_KEY_FILE])
def test_a_missing_file_is_named(small_log: BuiltLog, name: str) -> None:
    (small_log.directory / name).unlink()
    report = verify_log(small_log.directory)
    assert not report.ok
    assert any(problem.startswith(f"{name}: missing") for problem in report.problems)


def test_a_broken_public_key_file_is_named(small_log: BuiltLog) -> None:
    (small_log.directory / PUBLIC_KEY_FILE).write_text("not a key\n")
    report = verify_log(small_log.directory)
    assert report.failure_line().startswith("log.pub: not a PEM public key")


def test_a_missing_directory_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(NotFoundError, match="no such log directory"):
        verify_log(tmp_path / "absent")


def test_the_failure_line_counts_the_other_problems(small_log: BuiltLog) -> None:
    entries = small_log.directory / ENTRIES_FILE
    entries.write_bytes(entries.read_bytes().replace(b'"F-0001"', b'"F-0666"'))
    report = verify_log(small_log.directory)
    assert report.failure_line() == (
        "entry 1: does not match the root signed by tree head 2 (size 2): altered, removed, "
        f"reordered or inserted (and {len(report.problems) - 1} more problems)"
    )
    assert len(report.problems) == 4  # heads 2..5 each no longer match
