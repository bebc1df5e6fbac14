"""Init, append and proofs: what an operator and the commission code rely on."""

from __future__ import annotations

import hashlib
import json
import stat
import threading
from datetime import timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from tests.ledger.conftest import T0, BuiltLog, build_log
from truceline.errors import ConflictError, InputError, NotFoundError, VerificationError
from truceline.ledger import (
    append_entries,
    append_entry,
    check_consistency_proof,
    check_inclusion_proof,
    consistency_proof,
    inclusion_proof,
    init_log,
    latest_head,
    verify_log,
)
from truceline.ledger.files import ENTRIES_FILE, HEADS_FILE, PUBLIC_KEY_FILE
from truceline.ledger.merkle import EMPTY_ROOT
from truceline.ledger.signing import load_public_key


def snapshot(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir())}


def test_init_creates_the_published_files_and_a_private_key_outside(tmp_path: Path) -> None:
    (tmp_path / "keys").mkdir()
    head = init_log(tmp_path / "log", tmp_path / "keys" / "log.key", now=T0)
    assert sorted(p.name for p in (tmp_path / "log").iterdir()) == [
        ENTRIES_FILE,
        PUBLIC_KEY_FILE,
        HEADS_FILE,
    ]
    assert (tmp_path / "log" / ENTRIES_FILE).read_bytes() == b""
    assert (tmp_path / "log" / PUBLIC_KEY_FILE).read_bytes().startswith(b"-----BEGIN PUBLIC KEY")
    key_mode = stat.S_IMODE((tmp_path / "keys" / "log.key").stat().st_mode)
    assert key_mode == 0o600
    assert (head.tree_size, head.root_hash, head.previous_head_hash) == (0, EMPTY_ROOT, None)
    assert head.timestamp == "2026-11-21T06:00:00Z"
    assert verify_log(tmp_path / "log").ok


def test_init_refuses_a_key_inside_the_log_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="must not be inside the published log directory"):
        init_log(tmp_path / "log", tmp_path / "log" / "sub" / "log.key")
    assert not (tmp_path / "log").exists()


def test_init_never_overwrites_a_log_or_a_key(tmp_path: Path, small_log: BuiltLog) -> None:
    before = snapshot(small_log.directory)
    key_before = small_log.key_file.read_bytes()
    with pytest.raises(ConflictError, match="already holds a log"):
        init_log(small_log.directory, tmp_path / "other.key")
    with pytest.raises(ConflictError, match="refusing to overwrite"):
        init_log(tmp_path / "fresh", small_log.key_file)
    assert snapshot(small_log.directory) == before
    assert small_log.key_file.read_bytes() == key_before


def test_append_numbers_entries_and_signs_a_chained_head(small_log: BuiltLog) -> None:
    result = append_entries(
        small_log.directory,
        small_log.key_file,
        [("finding", {"finding_id": "F-9"}), ("activation", {"guarantor": "G1"})],
        now=T0 + timedelta(hours=1),
    )
    assert result.indices == (5, 6)
    head = result.tree_head
    assert head.tree_size == 7
    assert head.previous_head_hash == hashlib.sha256(small_log.head_lines[-1]).digest()
    assert head == latest_head(small_log.directory)
    lines = (small_log.directory / ENTRIES_FILE).read_text(encoding="utf-8").splitlines()
    assert json.loads(lines[6]) == {
        "index": 6,
        "kind": "activation",
        "payload": {"guarantor": "G1"},
        "appended_at": "2026-11-21T07:00:00Z",
    }
    assert lines[6] == '{"appended_at":"2026-11-21T07:00:00Z","index":6,"kind":"activation",' + (
        '"payload":{"guarantor":"G1"}}'
    )
    report = verify_log(small_log.directory, small_log.public_key)
    assert report.ok and (report.entry_count, report.head_count) == (7, 7)


def test_timestamps_never_go_back_when_the_clock_does(small_log: BuiltLog) -> None:
    newest = latest_head(small_log.directory).timestamp
    result = append_entry(
        small_log.directory, small_log.key_file, "finding", {"x": 1}, now=T0 - timedelta(days=1)
    )
    assert result.tree_head.timestamp == newest
    assert verify_log(small_log.directory).ok


@pytest.mark.parametrize(
    ("kind", "payload", "message"),
    [
        ("Finding", {"a": 1}, "kind must be a lower-case word"),
        ("", {"a": 1}, "kind must be a lower-case word"),
        ("finding", [1, 2], "payload must be a JSON object"),
        ("finding", {"a": float("nan")}, "not plain JSON"),
        ("finding", {1: "integer key"}, "not plain JSON"),
        ("finding", {"a": (1, 2)}, "not plain JSON"),
        ("finding", {"a": "\ud800"}, "not plain JSON"),
    ],
)
def test_bad_items_are_refused_and_nothing_is_written(
    small_log: BuiltLog, kind: str, payload: object, message: str
) -> None:
    before = snapshot(small_log.directory)
    with pytest.raises(InputError, match=message):
        append_entry(small_log.directory, small_log.key_file, kind, payload)  # type: ignore[arg-type]
    assert snapshot(small_log.directory) == before


def test_a_key_of_another_log_is_refused(tmp_path: Path, small_log: BuiltLog) -> None:
    other = build_log(tmp_path, [1], name="other")
    before = snapshot(small_log.directory)
    with pytest.raises(InputError, match="this key does not sign the log"):
        append_entry(small_log.directory, other.key_file, "finding", {"a": 1})
    assert snapshot(small_log.directory) == before


def test_a_key_readable_by_others_is_refused(small_log: BuiltLog) -> None:
    small_log.key_file.chmod(0o644)
    with pytest.raises(InputError, match=r"readable by others \(mode 0644\)"):
        append_entry(small_log.directory, small_log.key_file, "finding", {"a": 1})


def test_a_missing_key_file_is_named(small_log: BuiltLog, tmp_path: Path) -> None:
    with pytest.raises(NotFoundError, match="no such key file"):
        append_entry(small_log.directory, tmp_path / "nope.key", "finding", {"a": 1})


def test_append_refuses_to_sign_over_a_tampered_log(small_log: BuiltLog) -> None:
    entries = small_log.directory / ENTRIES_FILE
    entries.write_bytes(entries.read_bytes().replace(b'"F-0002"', b'"F-0666"'))
    before = snapshot(small_log.directory)
    with pytest.raises(ConflictError, match="no longer match the newest tree head"):
        append_entry(small_log.directory, small_log.key_file, "finding", {"a": 1})
    assert snapshot(small_log.directory) == before


def test_append_refuses_entries_no_head_signs(small_log: BuiltLog) -> None:
    with (small_log.directory / ENTRIES_FILE).open("ab") as handle:
        handle.write(small_log.entry_lines[0] + b"\n")
    with pytest.raises(ConflictError, match="has 6 entries but the newest tree head signs 5"):
        append_entry(small_log.directory, small_log.key_file, "finding", {"a": 1})


def test_append_refuses_a_torn_last_line(small_log: BuiltLog) -> None:
    with (small_log.directory / ENTRIES_FILE).open("ab") as handle:
        handle.write(b'{"appended_at":')
    with pytest.raises(ConflictError, match="incomplete line"):
        append_entry(small_log.directory, small_log.key_file, "finding", {"a": 1})


def test_concurrent_appends_never_interleave(small_log: BuiltLog) -> None:
    errors: list[BaseException] = []

    def worker(w: int) -> None:
        try:
            for i in range(8):
                append_entry(small_log.directory, small_log.key_file, "finding", {"w": w, "i": i})
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(w,)) for w in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    report = verify_log(small_log.directory, small_log.public_key)
    assert report.ok, report.problems
    assert (report.entry_count, report.head_count) == (5 + 32, 6 + 32)


def test_inclusion_proofs_check_for_every_entry_and_head(tmp_path: Path) -> None:
    log = build_log(tmp_path, [1, 2, 3, 1])
    key = load_public_key(log.directory / PUBLIC_KEY_FILE)
    for size in (1, 3, 6, 7):
        for index in range(size):
            proof = inclusion_proof(log.directory, index, size)
            document = json.loads(json.dumps(proof.to_json()))  # as printed and read back
            assert check_inclusion_proof(document, key).index == index
            assert document["tree_head"]["tree_size"] == size
    newest = inclusion_proof(log.directory, 2)
    assert newest.tree_head.tree_size == 7


def test_an_inclusion_proof_does_not_survive_a_changed_entry(small_log: BuiltLog) -> None:
    document = inclusion_proof(small_log.directory, 3).to_json()
    document["entry"]["payload"]["severity"] = 99
    with pytest.raises(VerificationError, match="entry 3 is not proven"):
        check_inclusion_proof(document, small_log.public_key)
    document = inclusion_proof(small_log.directory, 3).to_json()
    document["tree_head"]["tree_size"] = 6
    with pytest.raises(VerificationError, match="signature does not verify"):
        check_inclusion_proof(document, small_log.public_key)
    with pytest.raises(VerificationError, match="not an inclusion proof"):
        check_inclusion_proof({"entry": {}}, small_log.public_key)


def test_an_inclusion_proof_needs_the_log_key(small_log: BuiltLog) -> None:
    document = inclusion_proof(small_log.directory, 1).to_json()
    with pytest.raises(VerificationError, match="signature does not verify"):
        check_inclusion_proof(document, Ed25519PublicKey.from_public_bytes(b"\x01" * 32))


def test_consistency_proofs_between_every_pair_of_heads(small_log: BuiltLog) -> None:
    for first in range(6):
        for second in range(first, 6):
            proof = consistency_proof(small_log.directory, first, second)
            check_consistency_proof(proof.to_json(), small_log.public_key)
    document = consistency_proof(small_log.directory, 2).to_json()
    assert document["second"]["tree_size"] == 5
    document["consistency_path"][0] = "00" * 32
    with pytest.raises(VerificationError, match="not proven to extend"):
        check_consistency_proof(document, small_log.public_key)


def test_proof_requests_for_missing_things_are_named(small_log: BuiltLog) -> None:
    with pytest.raises(NotFoundError, match="no entry 5 in the tree head of size 5"):
        inclusion_proof(small_log.directory, 5)
    with pytest.raises(
        NotFoundError, match=r"no signed tree head of size 9 \(the newest signs 5\)"
    ):
        inclusion_proof(small_log.directory, 0, 9)
    with pytest.raises(InputError, match="larger than size 2"):
        consistency_proof(small_log.directory, 4, 2)
    with pytest.raises(NotFoundError, match="no log here"):
        latest_head(small_log.directory.parent / "elsewhere")


def test_no_proof_is_handed_out_from_a_tampered_log(small_log: BuiltLog) -> None:
    entries = small_log.directory / ENTRIES_FILE
    entries.write_bytes(entries.read_bytes().replace(b'"F-0001"', b'"F-0666"'))
    with pytest.raises(VerificationError, match="no longer match the tree head of size 5"):
        inclusion_proof(small_log.directory, 0)
    assert inclusion_proof(small_log.directory, 0, 1).entry.index == 0  # before the change
