"""Check a copy of a log independently: every leaf, every root, every signature, every step.

`check_log` works on the bytes of the two files and a public key (no I/O); `verify_log`
reads a log directory. Each problem is one line naming the entry, head or file at fault.
"""

from __future__ import annotations

import hashlib
import itertools
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from truceline.errors import InputError, NotFoundError
from truceline.io.timefmt import parse_time
from truceline.ledger.files import ENTRIES_FILE, HEADS_FILE, PUBLIC_KEY_FILE, split_lines
from truceline.ledger.merkle import MerkleTree, leaf_hash, verify_consistency
from truceline.ledger.records import RecordError, TreeHead, parse_entry, parse_tree_head
from truceline.ledger.signing import parse_public_key, same_public_key, signature_is_valid


@dataclass(frozen=True)
class VerificationReport:
    """What `verify_log` found: the counts, the newest valid head and every problem."""

    entry_count: int
    head_count: int
    latest_head: TreeHead | None
    problems: tuple[str, ...]
    trusted_head: TreeHead | None = None

    @property
    def ok(self) -> bool:
        """True when nothing was wrong."""
        return not self.problems

    def failure_line(self) -> str:
        """The first problem, with how many more there are (empty when the log is intact)."""
        if not self.problems:
            return ""
        more = len(self.problems) - 1
        return self.problems[0] + (f" (and {more} more problem{'s' * (more > 1)})" if more else "")


@dataclass
class _Check:
    """The state of one verification while it walks the heads in order."""

    key: Ed25519PublicKey | None
    tree: MerkleTree
    problems: list[str] = field(default_factory=list)
    valid_heads: list[tuple[int, TreeHead]] = field(default_factory=list)
    verified_size: int = 0  # entries below this are covered by a head whose root matched
    matching: list[tuple[int, TreeHead]] = field(default_factory=list)  # roots recomputed


def check_log(
    entries_data: bytes,
    heads_data: bytes,
    public_key: Ed25519PublicKey | None,
    trusted_head: TreeHead | None = None,
) -> VerificationReport:
    """Verify the bytes of ``entries.jsonl`` and ``tree_heads.jsonl`` against a public key.

    A ``public_key`` of None means no key could be had: every signature is then reported.

    >>> check_log(b"", b"", None).problems
    ('tree_heads.jsonl: there is no signed tree head',)
    """
    entry_lines, entries_torn = split_lines(entries_data)
    check = _Check(public_key, MerkleTree([leaf_hash(line) for line in entry_lines]))
    _check_entries(check, entry_lines, entries_torn)
    _check_heads(check, heads_data)
    _check_coverage(check)
    _check_consistency(check)
    if trusted_head is not None:
        _check_trusted_head(check, trusted_head)
    latest = check.valid_heads[-1][1] if check.valid_heads else None
    return VerificationReport(
        entry_count=check.tree.size,
        head_count=len(check.valid_heads),
        latest_head=latest,
        problems=tuple(check.problems),
        trusted_head=trusted_head,
    )


def verify_log(
    directory: Path,
    public_key: Ed25519PublicKey | None = None,
    trusted_head: TreeHead | None = None,
) -> VerificationReport:
    """Verify the log in ``directory`` with ``public_key`` (default: the log's own ``log.pub``).

    A party should pass the key it obtained independently: a copy re-signed under another key
    carries its own ``log.pub``. ``trusted_head`` is a head the verifier saved earlier; the
    log must still contain exactly the entries it signed.
    """
    if not directory.is_dir():
        raise NotFoundError(f"{directory}: no such log directory")
    key, key_problems = _resolve_key(directory, public_key)
    entries, entry_problems = _read_log_file(directory / ENTRIES_FILE)
    heads, head_problems = _read_log_file(directory / HEADS_FILE)
    report = check_log(entries, heads, key, trusted_head)
    problems = (*key_problems, *entry_problems, *head_problems, *report.problems)
    return VerificationReport(
        report.entry_count, report.head_count, report.latest_head, problems, trusted_head
    )


def _resolve_key(
    directory: Path, given: Ed25519PublicKey | None
) -> tuple[Ed25519PublicKey | None, list[str]]:
    """The key to check signatures with, and any problem with the log's own ``log.pub``."""
    path = directory / PUBLIC_KEY_FILE
    try:
        own: Ed25519PublicKey | None = parse_public_key(path.read_bytes(), PUBLIC_KEY_FILE)
    except FileNotFoundError:
        own, problem = None, f"{PUBLIC_KEY_FILE}: missing"
    except InputError as exc:
        own, problem = None, str(exc)
    else:
        problem = ""
    if given is not None:
        if own is not None and not same_public_key(own, given):
            problem = f"{PUBLIC_KEY_FILE} is not the public key given: the log was re-keyed"
        return given, [problem] if problem else []
    return own, [problem] if problem else []


def _read_log_file(path: Path) -> tuple[bytes, list[str]]:
    try:
        return path.read_bytes(), []
    except FileNotFoundError:
        return b"", [f"{path.name}: missing"]


def _check_entries(check: _Check, lines: list[bytes], torn: bool) -> None:
    """Each entry line is a canonical entry carrying its own position as its index."""
    for position, line in enumerate(lines):
        where = f"{ENTRIES_FILE} line {position + 1} (entry {position})"
        try:
            entry = parse_entry(line)
        except RecordError as exc:
            check.problems.append(f"{where}: {exc}")
            continue
        if entry.index != position:
            check.problems.append(
                f"{where}: carries index {entry.index}: {_shift(entry.index, position)}"
            )
    if torn:
        check.problems.append(
            f"{ENTRIES_FILE} line {len(lines)} (entry {len(lines) - 1}): "
            "the last line is incomplete (no newline)"
        )


def _shift(index: int, position: int) -> str:
    if index > position:
        return "an entry before it was removed, or entries were moved"
    return "an entry was inserted before it, or entries were moved"


def _check_heads(check: _Check, heads_data: bytes) -> None:
    """Each head parses, is signed, names its predecessor, grows the log and matches its root."""
    lines, torn = split_lines(heads_data)
    if torn:
        check.problems.append(
            f"{HEADS_FILE} line {len(lines)} (tree head {len(lines) - 1}): "
            "the last line is incomplete (no newline)"
        )
    if not lines:
        check.problems.append(f"{HEADS_FILE}: there is no signed tree head")
    for number, line in enumerate(lines):
        try:
            head = parse_tree_head(line)
        except RecordError as exc:
            check.problems.append(f"{HEADS_FILE} line {number + 1} (tree head {number}): {exc}")
            continue
        previous_line = lines[number - 1] if number else None
        _check_one_head(check, number, head, previous_line)
        check.valid_heads.append((number, head))


def _check_one_head(
    check: _Check, number: int, head: TreeHead, previous_line: bytes | None
) -> None:
    where = f"tree head {number} (size {head.tree_size})"
    if check.key is None or not signature_is_valid(check.key, head.signature, head.signed_bytes()):
        check.problems.append(f"{where}: the signature does not verify with the log's public key")
    expected_previous = None if previous_line is None else hashlib.sha256(previous_line).digest()
    if head.previous_head_hash != expected_previous:
        check.problems.append(
            f"{where}: previous_head_hash does not match the line before it: "
            "a head was removed, inserted or moved"
        )
    if check.valid_heads:
        _check_growth(check, where, check.valid_heads[-1], head)
    _check_root(check, number, head)


def _check_growth(check: _Check, where: str, before: tuple[int, TreeHead], head: TreeHead) -> None:
    number, previous = before
    if head.tree_size <= previous.tree_size:
        check.problems.append(
            f"{where}: does not grow from tree head {number} (size {previous.tree_size})"
        )
    if parse_time(head.timestamp) < parse_time(previous.timestamp):
        check.problems.append(f"{where}: timestamp is earlier than tree head {number}'s")


def _check_root(check: _Check, number: int, head: TreeHead) -> None:
    """The head's root is the root recomputed from the entries; pinpoint what changed if not."""
    size, count = head.tree_size, check.tree.size
    if size > count:
        check.problems.append(
            f"tree head {number} (size {size}): signs {size} entries but {ENTRIES_FILE} has "
            f"only {count}: {_span(count, size - 1)} removed"
        )
        return
    if check.tree.root(size) == head.root_hash:
        check.verified_size = max(check.verified_size, size)
        check.matching.append((number, head))
        return
    first = min(check.verified_size, size - 1) if size else 0
    check.problems.append(
        f"{_span(first, size - 1)}: does not match the root signed by tree head {number} "
        f"(size {size}): altered, removed, reordered or inserted"
    )


def _check_coverage(check: _Check) -> None:
    """Every entry is covered by the newest head: nothing was appended behind the log's back."""
    if not check.valid_heads:
        return
    number, newest = check.valid_heads[-1]
    if newest.tree_size < check.tree.size:
        check.problems.append(
            f"{_span(newest.tree_size, check.tree.size - 1)}: not covered by any signed tree "
            f"head (the newest, tree head {number}, signs {newest.tree_size}): appended "
            "without the log key, or an append was cut short"
        )


def _check_consistency(check: _Check) -> None:
    """Consecutive heads are consistent: a consistency proof from the entries verifies.

    Heads whose root does not match the entries are reported already and left out here.
    """
    for (n1, h1), (n2, h2) in itertools.pairwise(check.matching):
        if h1.tree_size > h2.tree_size:
            continue  # already reported as not growing
        proof = check.tree.consistency_path(h1.tree_size, h2.tree_size)
        if not verify_consistency(h1.tree_size, h2.tree_size, h1.root_hash, h2.root_hash, proof):
            check.problems.append(
                f"tree heads {n1} and {n2} (sizes {h1.tree_size} and {h2.tree_size}): "
                "the consistency proof fails: the log did not only grow between them"
            )


def _check_trusted_head(check: _Check, trusted: TreeHead) -> None:
    """A head the verifier kept is signed and the current log still extends it."""
    size = trusted.tree_size
    where = f"the trusted head (size {size}, root {trusted.root_hash.hex()[:16]}...)"
    if check.key is None or not signature_is_valid(
        check.key, trusted.signature, trusted.signed_bytes()
    ):
        check.problems.append(f"{where}: the signature does not verify with the log's public key")
    within = [head for _, head in check.valid_heads if head.tree_size <= check.tree.size]
    if not within:
        return
    newest = within[-1]  # heads beyond the entries are reported already
    if size > newest.tree_size:
        check.problems.append(
            f"{where}: the log now signs only {newest.tree_size} entries: entries were removed"
        )
        return
    proof = check.tree.consistency_path(size, newest.tree_size)
    if not verify_consistency(size, newest.tree_size, trusted.root_hash, newest.root_hash, proof):
        check.problems.append(
            f"{where}: not consistent with the log: entries it signed were altered, removed "
            "or reordered since it was saved"
        )


def _span(first: int, last: int) -> str:
    """'entry 3' or 'entries 3..7'."""
    return f"entry {first}" if first == last else f"entries {first}..{last}"
