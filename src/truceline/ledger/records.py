"""The two kinds of line in a log directory, entries and signed tree heads, and their bytes.

Both are canonical JSON: keys sorted, no spaces, UTF-8, no NaN. An entry's line (without the
newline) is the leaf of the Merkle tree, so anyone can recompute the hashes from the file. A
tree head is signed over its canonical JSON without the ``signature`` field.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
from dataclasses import dataclass
from typing import Any

from truceline.io.timefmt import parse_time

KIND_RE = re.compile(r"[a-z][a-z0-9_-]{0,63}", re.ASCII)
_HEX_RE = re.compile(r"[0-9a-f]{64}", re.ASCII)
_ENTRY_FIELDS = frozenset({"index", "kind", "payload", "appended_at"})
_HEAD_FIELDS = frozenset({"tree_size", "timestamp", "root_hash", "previous_head_hash", "signature"})


class RecordError(ValueError):
    """A line that is not a well-formed entry or tree head; the message names the field."""


def canonical_json(value: Any) -> bytes:
    """The canonical bytes of a JSON value: sorted keys, no spaces, UTF-8, no NaN.

    >>> canonical_json({"b": 1, "a": [True, None, "é"]})
    b'{"a":[true,null,"\\xc3\\xa9"],"b":1}'
    """
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False)  # fmt: skip
    return text.encode("utf-8")


def check_plain_json(value: Any, what: str) -> None:
    """Raise RecordError unless ``value`` survives a canonical round trip unchanged."""
    try:
        same = json.loads(canonical_json(value)) == value
    except (TypeError, ValueError) as exc:  # NaN, sets, lone surrogates, ...
        raise RecordError(f"{what} is not plain JSON ({exc})") from None
    if not same:  # e.g. integer keys, tuples: they would read back differently
        raise RecordError(f"{what} is not plain JSON (it would not read back the same)")


@dataclass(frozen=True)
class Entry:
    """One published record: its position, kind (``finding``, ``activation``...) and payload."""

    index: int
    kind: str
    payload: dict[str, Any]
    appended_at: str

    def to_bytes(self) -> bytes:
        """The canonical line, without the newline: the bytes of the Merkle leaf."""
        return canonical_json(
            {
                "index": self.index,
                "kind": self.kind,
                "payload": self.payload,
                "appended_at": self.appended_at,
            }
        )


@dataclass(frozen=True)
class TreeHead:
    """A signed statement that the first ``tree_size`` entries have root hash ``root_hash``."""

    tree_size: int
    timestamp: str
    root_hash: bytes
    previous_head_hash: bytes | None
    signature: bytes

    def signed_bytes(self) -> bytes:
        """The bytes the log key signs: the canonical JSON of every field but the signature."""
        return canonical_json(self._unsigned_fields())

    def to_bytes(self) -> bytes:
        """The canonical line, without the newline."""
        fields = self._unsigned_fields()
        fields["signature"] = base64.b64encode(self.signature).decode("ascii")
        return canonical_json(fields)

    def to_json(self) -> dict[str, Any]:
        """The head as a JSON object, as printed and as stored."""
        parsed: dict[str, Any] = json.loads(self.to_bytes())
        return parsed

    def line_hash(self) -> bytes:
        """SHA-256 of the canonical line: what the next head names as its previous head."""
        return hashlib.sha256(self.to_bytes()).digest()

    def _unsigned_fields(self) -> dict[str, Any]:
        previous = self.previous_head_hash
        return {
            "tree_size": self.tree_size,
            "timestamp": self.timestamp,
            "root_hash": self.root_hash.hex(),
            "previous_head_hash": None if previous is None else previous.hex(),
        }


def parse_entry(line: bytes) -> Entry:
    """An entry from its stored line; RecordError names what is wrong."""
    fields = _parse_object(line, _ENTRY_FIELDS)
    index, kind, payload = fields["index"], fields["kind"], fields["payload"]
    if not _is_int(index) or index < 0:
        raise RecordError(f"field 'index' must be a whole number >= 0, not {index!r}")
    if not isinstance(kind, str) or KIND_RE.fullmatch(kind) is None:
        raise RecordError(f"field 'kind' must be a lower-case word, not {kind!r}")
    if not isinstance(payload, dict):
        raise RecordError("field 'payload' must be a JSON object")
    entry = Entry(index, kind, payload, _parse_timestamp(fields, "appended_at"))
    _require_canonical(line, entry.to_bytes())
    return entry


def parse_tree_head(line: bytes) -> TreeHead:
    """A tree head from its stored line; RecordError names what is wrong."""
    fields = _parse_object(line, _HEAD_FIELDS)
    size = fields["tree_size"]
    if not _is_int(size) or size < 0:
        raise RecordError(f"field 'tree_size' must be a whole number >= 0, not {size!r}")
    previous = fields["previous_head_hash"]
    head = TreeHead(
        tree_size=size,
        timestamp=_parse_timestamp(fields, "timestamp"),
        root_hash=_parse_hash(fields["root_hash"], "root_hash"),
        previous_head_hash=None
        if previous is None
        else _parse_hash(previous, "previous_head_hash"),
        signature=_parse_signature(fields["signature"]),
    )
    _require_canonical(line, head.to_bytes())
    return head


def _parse_object(line: bytes, expected: frozenset[str]) -> dict[str, Any]:
    try:
        value = json.loads(line.decode("utf-8"))
    except UnicodeDecodeError:
        raise RecordError("not valid UTF-8") from None
    except json.JSONDecodeError as exc:
        raise RecordError(f"not valid JSON ({exc.msg} at column {exc.colno})") from None
    if not isinstance(value, dict):
        raise RecordError("not a JSON object")
    if set(value) != expected:
        missing = sorted(expected - set(value))
        extra = sorted(set(value) - expected)
        raise RecordError(f"wrong fields (missing {missing}, unexpected {extra})")
    return value


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _parse_timestamp(fields: dict[str, Any], name: str) -> str:
    value = fields[name]
    try:
        parse_time(value)
    except (TypeError, ValueError):
        raise RecordError(f"field {name!r} must be an ISO 8601 UTC time, not {value!r}") from None
    return str(value)


def _parse_hash(value: Any, name: str) -> bytes:
    if not isinstance(value, str) or _HEX_RE.fullmatch(value) is None:
        raise RecordError(f"field {name!r} must be 64 lower-case hex digits")
    return bytes.fromhex(value)


def _parse_signature(value: Any) -> bytes:
    try:
        return base64.b64decode(str(value), validate=True)
    except (binascii.Error, ValueError):
        raise RecordError("field 'signature' is not base64") from None


def _require_canonical(line: bytes, canonical: bytes) -> None:
    # Two spellings of one record would give two leaf hashes: only the canonical one is valid.
    if line != canonical:
        raise RecordError("not in canonical form (sorted keys, no spaces, UTF-8)")
