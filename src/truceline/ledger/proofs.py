"""Inclusion and consistency proofs as documents a party can keep, pass on and check alone."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from truceline.errors import VerificationError
from truceline.ledger.merkle import leaf_hash, verify_consistency, verify_inclusion
from truceline.ledger.records import (
    Entry,
    RecordError,
    TreeHead,
    canonical_json,
    parse_entry,
    parse_tree_head,
)
from truceline.ledger.signing import signature_is_valid


@dataclass(frozen=True)
class InclusionProof:
    """Entry ``entry.index`` is in the tree signed by ``tree_head``: the RFC 9162 audit path."""

    entry: Entry
    tree_head: TreeHead
    inclusion_path: tuple[bytes, ...]

    def to_json(self) -> dict[str, Any]:
        """The proof as a JSON object (hashes in lower-case hex)."""
        return {
            "leaf_index": self.entry.index,
            "leaf_hash": leaf_hash(self.entry.to_bytes()).hex(),
            "entry": _entry_json(self.entry),
            "tree_head": self.tree_head.to_json(),
            "inclusion_path": [node.hex() for node in self.inclusion_path],
        }


@dataclass(frozen=True)
class ConsistencyProof:
    """The tree signed by ``second`` extends the one signed by ``first``: RFC 9162 PROOF."""

    first: TreeHead
    second: TreeHead
    consistency_path: tuple[bytes, ...]

    def to_json(self) -> dict[str, Any]:
        """The proof as a JSON object (hashes in lower-case hex)."""
        return {
            "first": self.first.to_json(),
            "second": self.second.to_json(),
            "consistency_path": [node.hex() for node in self.consistency_path],
        }


def check_inclusion_proof(document: dict[str, Any], key: Ed25519PublicKey) -> Entry:
    """Check a proof printed by `truceline log prove`; its entry, or VerificationError."""
    try:
        entry = parse_entry(canonical_json(document["entry"]))
        head = head_from_json(document["tree_head"])
        path = _hashes(document["inclusion_path"])
    except (KeyError, TypeError, ValueError) as exc:
        raise VerificationError(f"not an inclusion proof ({exc})") from None
    _require_signed(head, key, "the proof's tree head")
    leaf = leaf_hash(entry.to_bytes())
    if not verify_inclusion(leaf, entry.index, head.tree_size, path, head.root_hash):
        raise VerificationError(
            f"entry {entry.index} is not proven to be in tree head of size {head.tree_size}"
        )
    return entry


def check_consistency_proof(document: dict[str, Any], key: Ed25519PublicKey) -> None:
    """Check a consistency proof document; raise VerificationError unless it holds."""
    try:
        first = head_from_json(document["first"])
        second = head_from_json(document["second"])
        path = _hashes(document["consistency_path"])
    except (KeyError, TypeError, ValueError) as exc:
        raise VerificationError(f"not a consistency proof ({exc})") from None
    _require_signed(first, key, "the first tree head")
    _require_signed(second, key, "the second tree head")
    sizes = first.tree_size, second.tree_size
    if not verify_consistency(*sizes, first.root_hash, second.root_hash, path):
        raise VerificationError(
            f"the tree head of size {sizes[1]} is not proven to extend the one of size {sizes[0]}"
        )


def head_from_json(value: Any) -> TreeHead:
    """A tree head from a JSON object as `truceline log head` prints it (any layout)."""
    if not isinstance(value, dict):
        raise RecordError("a tree head must be a JSON object")
    try:
        line = canonical_json(value)
    except (TypeError, ValueError) as exc:
        raise RecordError(f"not plain JSON ({exc})") from None
    return parse_tree_head(line)


def _entry_json(entry: Entry) -> dict[str, Any]:
    return {
        "index": entry.index,
        "kind": entry.kind,
        "payload": entry.payload,
        "appended_at": entry.appended_at,
    }


def _hashes(values: Any) -> list[bytes]:
    if not isinstance(values, list):
        raise TypeError("a proof path must be a list of hex hashes")
    return [bytes.fromhex(value) for value in values]


def _require_signed(head: TreeHead, key: Ed25519PublicKey, what: str) -> None:
    if not signature_is_valid(key, head.signature, head.signed_bytes()):
        raise VerificationError(f"{what} (size {head.tree_size}): the signature does not verify")
