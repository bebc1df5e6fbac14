"""The append-only transparency log kept as a directory a party can copy.

::

    LOG_DIR/entries.jsonl      one canonical JSON entry per line (the Merkle leaves)
    LOG_DIR/tree_heads.jsonl   every signed tree head, oldest first
    LOG_DIR/log.pub            the Ed25519 public key (PEM) that signs the heads

The private key lives elsewhere (mode 0600); only the operator who appends needs it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from truceline.errors import ConflictError, InputError, NotFoundError, VerificationError
from truceline.io.timefmt import format_time, parse_time
from truceline.ledger import files, signing
from truceline.ledger.merkle import EMPTY_ROOT, MerkleTree, leaf_hash
from truceline.ledger.proofs import ConsistencyProof, InclusionProof
from truceline.ledger.records import (
    KIND_RE,
    Entry,
    RecordError,
    TreeHead,
    check_plain_json,
    parse_entry,
    parse_tree_head,
)


@dataclass(frozen=True)
class AppendResult:
    """The indices given to the new entries and the tree head signed over them."""

    indices: tuple[int, ...]
    tree_head: TreeHead


@dataclass(frozen=True)
class _Snapshot:
    """The log as read from disk: entry lines, the Merkle tree over them, the heads."""

    entry_lines: list[bytes]
    tree: MerkleTree
    heads: list[TreeHead]


def init_log(directory: Path, key_file: Path, *, now: datetime | None = None) -> TreeHead:
    """Create an empty log in ``directory`` and its private key at ``key_file`` (mode 0600).

    The key must lie outside the directory, which is meant to be published whole. The log
    starts with a signed head of size 0 so that its key is committed from the first day.
    """
    if key_file.resolve().is_relative_to(directory.resolve()):
        raise InputError(
            "the private key must not be inside the published log directory", file=str(key_file)
        )
    for name in (files.ENTRIES_FILE, files.HEADS_FILE, files.PUBLIC_KEY_FILE):
        if (directory / name).exists():
            raise ConflictError(f"{directory}: already holds a log ({name} exists)")
    directory.mkdir(parents=True, exist_ok=True)
    key = signing.generate_private_key()
    signing.write_private_key(key, key_file)
    head = _sign_head(key, 0, EMPTY_ROOT, None, _timestamp(now, None))
    files.write_new_file(
        directory / files.PUBLIC_KEY_FILE, signing.public_key_pem(key.public_key())
    )
    files.write_new_file(directory / files.ENTRIES_FILE, b"")
    files.write_new_file(directory / files.HEADS_FILE, head.to_bytes() + b"\n")
    return head


def append_entries(
    directory: Path,
    key_file: Path,
    items: Sequence[tuple[str, dict[str, Any]]],
    *,
    now: datetime | None = None,
) -> AppendResult:
    """Append ``(kind, payload)`` items and sign one new tree head over the grown log.

    Refuses (ConflictError) to sign over a log that no longer matches its last signed head,
    so a damaged or tampered log is never blessed by a new signature.
    """
    if not items:
        raise InputError("nothing to append")
    for kind, payload in items:
        _check_item(kind, payload)
    key = _key_for_log(directory, key_file)
    with files.writer_lock(directory):
        snapshot = _read_snapshot(directory)
        last = _last_head_matching(snapshot, directory)
        stamp = _timestamp(now, last.timestamp)
        start = snapshot.tree.size
        entries = [
            Entry(start + i, kind, payload, stamp) for i, (kind, payload) in enumerate(items)
        ]
        lines = [entry.to_bytes() for entry in entries]
        tree = MerkleTree([*(leaf_hash(line) for line in snapshot.entry_lines),
                           *(leaf_hash(line) for line in lines)])  # fmt: skip
        head = _sign_head(key, tree.size, tree.root(), last.line_hash(), stamp)
        files.append_lines(directory / files.ENTRIES_FILE, lines)
        files.append_lines(directory / files.HEADS_FILE, [head.to_bytes()])
    return AppendResult(tuple(entry.index for entry in entries), head)


def append_entry(
    directory: Path,
    key_file: Path,
    kind: str,
    payload: dict[str, Any],
    *,
    now: datetime | None = None,
) -> AppendResult:
    """Append one entry (a published ``finding``, an ``activation``...) and sign a new head."""
    return append_entries(directory, key_file, [(kind, payload)], now=now)


def latest_head(directory: Path) -> TreeHead:
    """The newest signed tree head of the log."""
    return _read_snapshot(directory).heads[-1]


def inclusion_proof(directory: Path, index: int, tree_size: int | None = None) -> InclusionProof:
    """The audit path of entry ``index`` in the signed head of ``tree_size`` (default: newest)."""
    snapshot = _read_snapshot(directory)
    head = _head_of_size(snapshot, tree_size)
    if not 0 <= index < head.tree_size:
        raise NotFoundError(f"no entry {index} in the tree head of size {head.tree_size}")
    _require_root(snapshot, head)
    entry = parse_entry(snapshot.entry_lines[index])
    path = snapshot.tree.inclusion_path(index, head.tree_size)
    return InclusionProof(entry, head, tuple(path))


def consistency_proof(
    directory: Path, first_size: int, second_size: int | None = None
) -> ConsistencyProof:
    """Proof that the signed head of ``second_size`` (default: newest) extends ``first_size``."""
    snapshot = _read_snapshot(directory)
    first = _head_of_size(snapshot, first_size)
    second = _head_of_size(snapshot, second_size)
    if first.tree_size > second.tree_size:
        raise InputError(f"size {first.tree_size} is larger than size {second.tree_size}")
    _require_root(snapshot, first)
    _require_root(snapshot, second)
    path = snapshot.tree.consistency_path(first.tree_size, second.tree_size)
    return ConsistencyProof(first, second, tuple(path))


def _check_item(kind: str, payload: dict[str, Any]) -> None:
    if not isinstance(kind, str) or KIND_RE.fullmatch(kind) is None:
        raise InputError(
            f"kind must be a lower-case word such as 'finding', not {kind!r}", column="kind"
        )
    if not isinstance(payload, dict):
        raise InputError("the payload must be a JSON object", column="payload")
    try:
        check_plain_json(payload, "the payload")
    except RecordError as exc:
        raise InputError(str(exc), column="payload") from None


def _key_for_log(directory: Path, key_file: Path) -> Ed25519PrivateKey:
    """The private key, checked to be the one whose public half the log publishes."""
    key = signing.load_private_key(key_file)
    published = signing.load_public_key(directory / files.PUBLIC_KEY_FILE)
    if not signing.same_public_key(key.public_key(), published):
        raise InputError(f"this key does not sign the log in {directory}", file=str(key_file))
    return key


def _read_snapshot(directory: Path) -> _Snapshot:
    entries_path, heads_path = directory / files.ENTRIES_FILE, directory / files.HEADS_FILE
    if not heads_path.is_file() or not entries_path.is_file():
        raise NotFoundError(f"{directory}: no log here (run `truceline log init` first)")
    entry_lines, entries_torn = files.split_lines(entries_path.read_bytes())
    head_lines, heads_torn = files.split_lines(heads_path.read_bytes())
    if entries_torn or heads_torn or not head_lines:
        raise ConflictError(f"{directory}: a log file ends in an incomplete line; {_RUN_VERIFY}")
    heads = []
    for number, line in enumerate(head_lines):
        try:
            heads.append(parse_tree_head(line))
        except RecordError as exc:
            raise ConflictError(f"{directory}: tree head {number}: {exc}; {_RUN_VERIFY}") from None
    tree = MerkleTree([leaf_hash(line) for line in entry_lines])
    return _Snapshot(entry_lines, tree, heads)


_RUN_VERIFY = "run `truceline log verify` to see what is wrong"


def _last_head_matching(snapshot: _Snapshot, directory: Path) -> TreeHead:
    """The newest head, which must sign exactly the entries on disk."""
    last = snapshot.heads[-1]
    if last.tree_size != snapshot.tree.size:
        raise ConflictError(
            f"{directory}: entries.jsonl has {snapshot.tree.size} entries but the newest tree "
            f"head signs {last.tree_size}; {_RUN_VERIFY}"
        )
    if snapshot.tree.root() != last.root_hash:
        raise ConflictError(
            f"{directory}: the entries no longer match the newest tree head; {_RUN_VERIFY}"
        )
    return last


def _head_of_size(snapshot: _Snapshot, tree_size: int | None) -> TreeHead:
    if tree_size is None:
        return snapshot.heads[-1]
    for head in snapshot.heads:
        if head.tree_size == tree_size:
            return head
    newest = snapshot.heads[-1].tree_size
    raise NotFoundError(f"no signed tree head of size {tree_size} (the newest signs {newest})")


def _require_root(snapshot: _Snapshot, head: TreeHead) -> None:
    """Never hand out a proof against a head the entries no longer match."""
    if head.tree_size > snapshot.tree.size or snapshot.tree.root(head.tree_size) != head.root_hash:
        raise VerificationError(
            f"the entries no longer match the tree head of size {head.tree_size}; {_RUN_VERIFY}"
        )


def _sign_head(
    key: Ed25519PrivateKey, size: int, root: bytes, previous: bytes | None, stamp: str
) -> TreeHead:
    unsigned = TreeHead(size, stamp, root, previous, b"")
    return TreeHead(size, stamp, root, previous, signing.sign(key, unsigned.signed_bytes()))


def _timestamp(now: datetime | None, not_before: str | None) -> str:
    """Now in UTC, never earlier than the previous head (clocks can step back)."""
    moment = now if now is not None else datetime.now(UTC)
    if not_before is not None:
        moment = max(moment, parse_time(not_before))
    return format_time(moment)
