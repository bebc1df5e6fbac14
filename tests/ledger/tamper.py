"""Every single alteration of a log's two files, each with the positions its report must name.

A log state is the lines of ``entries.jsonl`` and ``tree_heads.jsonl``. Each `Tamper` is one
change a forger could make (keeping JSON canonical where that is the harder case to catch)
and the entry or head indices an honest report may name for it.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from truceline.ledger.records import canonical_json

Lines = list[bytes]
_ENTRIES_NAMED = re.compile(r"\bentr(?:y|ies) (\d+)(?:\.\.(\d+))?")
_HEADS_NAMED = re.compile(r"\btree heads? (\d+)")


@dataclass(frozen=True)
class Tamper:
    """One altered copy of a log and what its failure line must name."""

    label: str
    entries: Lines
    heads: Lines
    entry: int | None = None  # the entry the failure line names (or a range holding it) ...
    head: int | None = None  # ... or the tree head it names
    near: int = 0  # also accept the entry or head this many places after

    def check_named(self, line: str) -> None:
        """Assert the failure line names the altered entry or head."""
        if self.entry is not None:
            named = entries_named(line)
            wanted = set(range(self.entry, self.entry + self.near + 1))
            assert named & wanted, f"{self.label}: {line!r} names entries {sorted(named)[:5]}"
        if self.head is not None:
            match = _HEADS_NAMED.search(line)
            named_head = int(match.group(1)) if match else None
            wanted = set(range(self.head, self.head + self.near + 1))
            assert named_head in wanted, f"{self.label}: {line!r} does not name head {self.head}"


def entries_named(line: str) -> set[int]:
    """The entries named by the first 'entry N' or 'entries A..B' of a line."""
    match = _ENTRIES_NAMED.search(line)
    if match is None:
        return set()
    first = int(match.group(1))
    last = int(match.group(2)) if match.group(2) else first
    return set(range(first, last + 1))


def entry_tampers(entries: Lines, heads: Lines) -> Iterator[Tamper]:
    """Alter, delete, swap, insert and truncate at every entry position."""
    n = len(entries)
    for i in range(n):
        for label, change in _ENTRY_CHANGES.items():
            altered = change(entries[i])
            yield Tamper(f"{label} of entry {i}", _replace(entries, i, altered), heads, entry=i)
        yield Tamper(f"delete entry {i}", entries[:i] + entries[i + 1 :], heads, entry=i)
        if i + 1 < n:
            swapped = [*entries[:i], entries[i + 1], entries[i], *entries[i + 2 :]]
            yield Tamper(f"swap entries {i} and {i + 1}", swapped, heads, entry=i)
        yield Tamper(f"truncate to {i} entries", entries[:i], heads, entry=i, near=n - i - 1)
    for i in range(n + 1):
        forged = _forged_entry(i, entries[min(i, n - 1)])
        inserted = [*entries[:i], forged, *entries[i:]]
        # the forged line at i, or the genuine entry it pushed to i + 1
        yield Tamper(f"insert a forged entry at {i}", inserted, heads, entry=i, near=1)
        renumbered = [*entries[:i], forged, *(_with_index(e, j + 1) for j, e in
                      enumerate(entries[i:], start=i))]  # fmt: skip
        yield Tamper(f"insert at {i} and renumber", renumbered, heads, entry=i, near=1)
    torn = [*entries[:-1], entries[-1][: len(entries[-1]) // 2]]
    yield Tamper("cut the last entry line short", torn, heads, entry=n - 1)


def head_tampers(entries: Lines, heads: Lines) -> Iterator[Tamper]:
    """Change every field of every head, delete, swap and duplicate heads."""
    last = len(heads) - 1
    for j, line in enumerate(heads):
        for label, change in _HEAD_CHANGES.items():
            yield Tamper(f"{label} of head {j}", entries, _replace(heads, j, change(line)), head=j)
        other = heads[j - 1] if j else heads[j + 1]
        stolen = _set_field(line, "signature", json.loads(other)["signature"])
        yield Tamper(f"signature of another head on head {j}", entries, _replace(heads, j, stolen),
                     head=j)  # fmt: skip
        deleted = heads[:j] + heads[j + 1 :]
        if j < last:
            yield Tamper(f"delete head {j}", entries, deleted, head=j)
        else:
            previous_size = json.loads(heads[j - 1])["tree_size"] if j else 0
            yield Tamper(f"delete head {j}", entries, deleted, entry=previous_size)
        if j < last:
            swapped = [*heads[:j], heads[j + 1], heads[j], *heads[j + 2 :]]
            yield Tamper(f"swap heads {j} and {j + 1}", entries, swapped, head=j)
        duplicated = [*heads[: j + 1], line, *heads[j + 1 :]]
        yield Tamper(f"duplicate head {j}", entries, duplicated, head=j + 1)
    torn = [*heads[:-1], heads[-1][:-10]]
    yield Tamper("cut the last head line short", entries, torn, head=last)


def _replace(lines: Lines, i: int, line: bytes) -> Lines:
    return [*lines[:i], line, *lines[i + 1 :]]


def _edit(line: bytes, edit: Callable[[dict[str, Any]], None]) -> bytes:
    value = json.loads(line)
    edit(value)
    return canonical_json(value)


def _set_field(line: bytes, name: str, new: Any) -> bytes:
    return _edit(line, lambda v: v.__setitem__(name, new))


def _with_index(line: bytes, index: int) -> bytes:
    return _set_field(line, "index", index)


def _forged_entry(index: int, model: bytes) -> bytes:
    value = json.loads(model)
    value["index"] = index
    value["payload"] = {**value["payload"], "responsible_party": "forged", "finding_id": "F-X"}
    return canonical_json(value)


def _field_change(name: str, new_value: Callable[[Any], Any]) -> Callable[[bytes], bytes]:
    """An edit that sets field ``name`` from its old value, keeping the line canonical."""
    return lambda line: _edit(line, lambda v: v.__setitem__(name, new_value(v[name])))


def _payload_change(edit: Callable[[dict[str, Any]], Any]) -> Callable[[bytes], bytes]:
    """An edit of the payload object, keeping the line canonical."""
    return _field_change("payload", lambda p: edit(p) or p)


def _flip_hex(text: str) -> str:
    return ("1" if text[0] == "0" else "0") + text[1:]


def _flip_signature(text: str) -> str:
    raw = bytearray(base64.b64decode(text))
    raw[10] ^= 0x01
    return base64.b64encode(bytes(raw)).decode("ascii")


_ENTRY_CHANGES: dict[str, Callable[[bytes], bytes]] = {
    "payload value": _payload_change(lambda p: p.__setitem__("severity", p["severity"] + 1)),
    "payload field added": _payload_change(lambda p: p.__setitem__("withdrawn", True)),
    "payload field removed": _payload_change(lambda p: p.pop("responsible_party")),
    "payload byte": lambda line: line.replace(b'"F-', b'"G-', 1),
    "kind": _field_change("kind", lambda _: "retracted"),
    "appended_at": _field_change("appended_at", lambda _: "2020-01-01T00:00:00Z"),
    "index": _field_change("index", lambda i: i + 1),
    "spaces": lambda line: line.replace(b",", b", ", 1),
}

_HEAD_CHANGES: dict[str, Callable[[bytes], bytes]] = {
    "root_hash": _field_change("root_hash", _flip_hex),
    "tree_size + 1": _field_change("tree_size", lambda s: s + 1),
    "tree_size - 1": _field_change("tree_size", lambda s: abs(s - 1)),
    "timestamp": _field_change("timestamp", lambda _: "2030-01-01T00:00:00Z"),
    "previous_head_hash": _field_change("previous_head_hash", lambda _: "0" * 64),
    "signature": _field_change("signature", _flip_signature),
}
