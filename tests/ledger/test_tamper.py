"""The tamper battery: every alteration of a generated log is detected (100 %) and located.

Exhaustive over positions for logs of 1..40 entries (several heads each), plus every single
byte of small logs, plus a randomised battery of combined changes with hypothesis.
"""

from __future__ import annotations

import base64
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from tests.ledger.conftest import BuiltLog, batches_for, build_log, joined, read_built
from tests.ledger.tamper import Tamper, entry_tampers, head_tampers
from truceline.ledger import append_entries, check_log, head_from_json, verify_log
from truceline.ledger.files import ENTRIES_FILE, HEADS_FILE
from truceline.ledger.records import parse_tree_head

ALL_SIZES = range(1, 41)
# Sizes around the powers of two, where the tree changes shape, for the one-head-per-entry log.
EDGE_SIZES = (1, 2, 3, 4, 5, 7, 8, 9, 16, 17, 32, 33)


@pytest.fixture(scope="session")
def one_by_one(tmp_path_factory: pytest.TempPathFactory) -> BuiltLog:
    """40 entries appended one at a time: a signed head at every size 0..40."""
    return build_log(tmp_path_factory.mktemp("one_by_one"), [1] * 40)


@pytest.fixture(scope="session")
def batched(tmp_path_factory: pytest.TempPathFactory) -> dict[int, BuiltLog]:
    """For every size 1..40, a log grown in appends of 1, 2, 3, ... entries (several heads)."""
    root = tmp_path_factory.mktemp("batched")
    return {n: build_log(root, batches_for(n), name=f"log{n}") for n in ALL_SIZES}


def state_of(log: BuiltLog, n: int) -> tuple[list[bytes], list[bytes]]:
    """The log as it stood when it had ``n`` entries (one head per entry)."""
    return log.entry_lines[:n], log.head_lines[: n + 1]


def assert_detected(log: BuiltLog, tamper: Tamper) -> None:
    report = check_log(joined(tamper.entries), joined(tamper.heads), log.public_key)
    assert not report.ok, f"not detected: {tamper.label}"
    line = report.failure_line()
    assert "\n" not in line
    tamper.check_named(line)


def run_battery(log: BuiltLog, entries: list[bytes], heads: list[bytes], *, heads_too: bool) -> int:
    assert check_log(joined(entries), joined(heads), log.public_key).ok  # the genuine copy
    count = 0
    for tamper in entry_tampers(entries, heads):
        assert_detected(log, tamper)
        count += 1
    if heads_too:
        for tamper in head_tampers(entries, heads):
            assert_detected(log, tamper)
            count += 1
    return count


@pytest.mark.parametrize("n", ALL_SIZES)
def test_every_entry_and_head_tamper_is_detected_with_several_heads(
    batched: dict[int, BuiltLog], n: int
) -> None:
    log = batched[n]
    assert len(log.entry_lines) == n and len(log.head_lines) == len(batches_for(n)) + 1
    count = run_battery(log, log.entry_lines, log.head_lines, heads_too=True)
    assert count > 9 * n  # every position of every kind of change was tried


@pytest.mark.parametrize("n", EDGE_SIZES)
def test_every_tamper_is_detected_and_located_with_a_head_per_entry(
    one_by_one: BuiltLog, n: int
) -> None:
    entries, heads = state_of(one_by_one, n)
    run_battery(one_by_one, entries, heads, heads_too=True)


@pytest.mark.parametrize("n", [1, 2, 4])
def test_every_single_byte_change_is_detected(one_by_one: BuiltLog, n: int) -> None:
    """Flip, delete or double every byte of both files (newlines included)."""
    entries, heads = joined(state_of(one_by_one, n)[0]), joined(state_of(one_by_one, n)[1])
    for name, data in ((ENTRIES_FILE, entries), (HEADS_FILE, heads)):
        for i in range(len(data)):
            for label, altered in (
                ("flip", data[:i] + bytes([data[i] ^ 0x01]) + data[i + 1 :]),
                ("delete", data[:i] + data[i + 1 :]),
                ("double", data[:i] + data[i : i + 1] + data[i:]),
            ):
                pair = (altered, heads) if name == ENTRIES_FILE else (entries, altered)
                report = check_log(*pair, one_by_one.public_key)
                assert not report.ok, f"{label} byte {i} of {name} not detected"


def test_a_signature_spelled_differently_but_decoding_the_same_is_detected(
    one_by_one: BuiltLog,
) -> None:
    """Base64 leaves spare bits in its last character: a second spelling must not pass."""
    entries, heads = state_of(one_by_one, 3)
    line = heads[3]  # the newest head: no later head names its bytes in previous_head_hash
    start = line.index(b'"signature":"') + len(b'"signature":"')
    end = line.index(b'"', start)
    signature = line[start:end]
    assert signature.endswith(b"==")  # 64 bytes: the last character carries 4 spare bits
    alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    last = alphabet.index(signature[-3:-2])  # 2 bits of data, then 4 spare bits
    spare = signature[:-3] + alphabet[last ^ 0x01 : (last ^ 0x01) + 1] + b"=="
    assert base64.b64decode(spare) == base64.b64decode(signature)
    forged = [*heads[:3], line[:start] + spare + line[end:]]
    report = check_log(joined(entries), joined(forged), one_by_one.public_key)
    assert not report.ok
    assert "(tree head 3): not in canonical form" in report.failure_line()


def test_every_tamper_is_detected_on_disk(tmp_path: Path, one_by_one: BuiltLog) -> None:
    """The same battery through verify_log reading a copied directory."""
    copy = tmp_path / "copy"
    shutil.copytree(one_by_one.directory, copy)
    entries, heads = state_of(one_by_one, 6)
    for tamper in [*entry_tampers(entries, heads), *head_tampers(entries, heads)]:
        (copy / ENTRIES_FILE).write_bytes(joined(tamper.entries))
        (copy / HEADS_FILE).write_bytes(joined(tamper.heads))
        report = verify_log(copy, one_by_one.public_key)
        assert not report.ok, tamper.label
        tamper.check_named(report.failure_line())


def test_rolling_back_both_files_needs_a_trusted_head(one_by_one: BuiltLog) -> None:
    """An older state of the log is a valid log; a head saved from the newer one exposes it."""
    entries, heads = state_of(one_by_one, 12)
    saved = parse_tree_head(heads[-1])
    for n in range(12):
        older = state_of(one_by_one, n)
        assert check_log(joined(older[0]), joined(older[1]), one_by_one.public_key).ok
        report = check_log(joined(older[0]), joined(older[1]), one_by_one.public_key, saved)
        assert not report.ok
        assert "trusted head (size 12" in report.failure_line()
        assert "removed" in report.failure_line()
    assert check_log(joined(entries), joined(heads), one_by_one.public_key, saved).ok


@pytest.fixture(scope="session")
def fork(tmp_path_factory: pytest.TempPathFactory, one_by_one: BuiltLog) -> BuiltLog:
    """The same log and key rewritten after entry 20: a split view signed by the operator."""
    root = tmp_path_factory.mktemp("fork")
    directory = root / "fork"
    directory.mkdir()
    (directory / ENTRIES_FILE).write_bytes(joined(one_by_one.entry_lines[:20]))
    (directory / HEADS_FILE).write_bytes(joined(one_by_one.head_lines[:21]))
    shutil.copy(one_by_one.directory / "log.pub", directory / "log.pub")
    key = root / "fork.key"
    shutil.copy(one_by_one.key_file, key)
    for i in range(20, 40):
        append_entries(directory, key, [("finding", {"finding_id": f"F-fork-{i}"})])
    return read_built(directory, key)


def test_a_split_view_is_caught_by_a_head_from_the_other_branch(
    one_by_one: BuiltLog, fork: BuiltLog
) -> None:
    fork_entries, fork_heads = joined(fork.entry_lines), joined(fork.head_lines)
    assert check_log(fork_entries, fork_heads, fork.public_key).ok  # validly signed on its own
    for n in range(21, 41):
        saved = parse_tree_head(one_by_one.head_lines[n])
        report = check_log(fork_entries, fork_heads, fork.public_key, saved)
        assert not report.ok
        assert "not consistent" in report.failure_line()
    for n in range(0, 21):  # heads from before the fork stay consistent with it
        saved = parse_tree_head(one_by_one.head_lines[n])
        assert check_log(fork_entries, fork_heads, fork.public_key, saved).ok


def _mutations() -> st.SearchStrategy[tuple[str, int, int, int]]:
    kinds = st.sampled_from(["flip", "delete_line", "duplicate_line", "swap_lines", "graft"])
    files = st.sampled_from([0, 1])
    return st.tuples(kinds, files, st.integers(0, 10**6), st.integers(0, 10**6))


def _apply(
    files: list[list[bytes]], fork: BuiltLog, mutation: tuple[str, int, int, int]
) -> list[list[bytes]]:
    kind, which, a, b = mutation
    lines = list(files[which])
    if not lines:
        return files
    i, j = a % len(lines), b % len(lines)
    if kind == "flip":
        line = lines[i]
        k = b % len(line)
        lines[i] = line[:k] + bytes([line[k] ^ (1 + a % 255)]) + line[k + 1 :]
    elif kind == "delete_line":
        del lines[i]
    elif kind == "duplicate_line":
        lines.insert(j, lines[i])
    elif kind == "swap_lines":
        lines[i], lines[j] = lines[j], lines[i]
    else:  # graft a validly signed line from the split view
        donor = fork.entry_lines if which == 0 else fork.head_lines
        lines[i] = donor[b % len(donor)]
    return [lines, files[1]] if which == 0 else [files[0], lines]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(n=st.integers(1, 40), mutations=st.lists(_mutations(), min_size=1, max_size=3))
def test_random_combined_changes_are_detected(
    one_by_one: BuiltLog, fork: BuiltLog, n: int, mutations: list[tuple[str, int, int, int]]
) -> None:
    """Any change is caught against a head saved earlier; without it, only a state that some
    honest (or split-view) history really had can pass."""
    original = [*state_of(one_by_one, n)]
    files = original
    for mutation in mutations:
        files = _apply(files, fork, mutation)
    assume(files != original)
    entries, heads = joined(files[0]), joined(files[1])
    saved = head_from_json(parse_tree_head(original[1][-1]).to_json())
    assert not check_log(entries, heads, one_by_one.public_key, saved).ok
    if check_log(entries, heads, one_by_one.public_key).ok:
        honest = [[*state_of(log, k)] for log in (one_by_one, fork) for k in range(41)]
        assert files in honest
