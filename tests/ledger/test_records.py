"""The lines of a log: canonical bytes, and one clear reason for every malformed line."""

from __future__ import annotations

import doctest
import json
from types import ModuleType

import pytest

from truceline.ledger import merkle, records, verify
from truceline.ledger.records import (
    Entry,
    RecordError,
    TreeHead,
    canonical_json,
    parse_entry,
    parse_tree_head,
)

GOOD_ENTRY = b'{"appended_at":"2026-11-21T06:00:00Z","index":3,"kind":"finding","payload":{"a":1}}'
HEAD = TreeHead(4, "2026-11-21T06:00:00Z", b"\xab" * 32, b"\xcd" * 32, b"\x01" * 64)


def test_canonical_json_sorts_keys_drops_spaces_and_keeps_utf8() -> None:
    value = {"z": [1, 2.5, None], "a": {"é": "✓", "b": True}}
    assert canonical_json(value) == '{"a":{"b":true,"é":"✓"},"z":[1,2.5,null]}'.encode()
    with pytest.raises(ValueError):
        canonical_json({"x": float("inf")})


def test_an_entry_round_trips_through_its_line() -> None:
    entry = parse_entry(GOOD_ENTRY)
    assert entry == Entry(3, "finding", {"a": 1}, "2026-11-21T06:00:00Z")
    assert entry.to_bytes() == GOOD_ENTRY


def test_a_head_round_trips_and_signs_everything_but_its_signature() -> None:
    assert parse_tree_head(HEAD.to_bytes()) == HEAD
    signed = json.loads(HEAD.signed_bytes())
    assert signed == {
        "previous_head_hash": "cd" * 32,
        "root_hash": "ab" * 32,
        "timestamp": "2026-11-21T06:00:00Z",
        "tree_size": 4,
    }
    first = TreeHead(0, "2026-11-21T06:00:00Z", b"\x00" * 32, None, b"\x01" * 64)
    assert json.loads(first.to_bytes())["previous_head_hash"] is None


def _entry_with(**changes: object) -> bytes:
    value = json.loads(GOOD_ENTRY)
    value.update(changes)
    return canonical_json(value)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (b"\xff\xfe", "not valid UTF-8"),
        (b'{"index":', "not valid JSON"),
        (b"[1,2]", "not a JSON object"),
        (b'{"index":1}', "wrong fields (missing ['appended_at', 'kind', 'payload']"),
        (_entry_with(extra=1), "unexpected ['extra']"),
        (_entry_with(index=-1), "field 'index' must be a whole number"),
        (_entry_with(index=True), "field 'index' must be a whole number"),
        (_entry_with(index=1.0), "field 'index' must be a whole number"),
        (_entry_with(kind="Finding"), "field 'kind' must be a lower-case word"),
        (_entry_with(payload=[1]), "field 'payload' must be a JSON object"),
        (_entry_with(appended_at="yesterday"), "field 'appended_at' must be an ISO 8601"),
        (_entry_with(appended_at="2026-11-21T06:00:00"), "field 'appended_at' must be an ISO"),
        (GOOD_ENTRY.replace(b",", b", "), "not in canonical form"),
        (GOOD_ENTRY.replace(b'"a"', b'"\\u0061"'), "not in canonical form"),
    ],
)
def test_malformed_entries_are_named(line: bytes, message: str) -> None:
    with pytest.raises(RecordError) as info:
        parse_entry(line)
    assert message in str(info.value)


def _head_with(**changes: object) -> bytes:
    value = json.loads(HEAD.to_bytes())
    value.update(changes)
    return canonical_json(value)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (_head_with(tree_size=-1), "field 'tree_size' must be a whole number"),
        (_head_with(root_hash="AB" * 32), "field 'root_hash' must be 64 lower-case hex digits"),
        (_head_with(root_hash="ab" * 31), "field 'root_hash' must be 64 lower-case hex digits"),
        (_head_with(previous_head_hash=5), "field 'previous_head_hash' must be 64 lower-case"),
        (_head_with(signature="not base64!"), "field 'signature' is not base64"),
        (_head_with(timestamp="2026-11-21T06:00:00+01:00"), "field 'timestamp' must be an ISO"),
        (_head_with(signature="AQE="), None),  # decodes fine: only the signature check fails
    ],
)
def test_malformed_heads_are_named(line: bytes, message: str | None) -> None:
    if message is None:
        assert parse_tree_head(line).signature == b"\x01\x01"
        return
    with pytest.raises(RecordError) as info:
        parse_tree_head(line)
    assert message in str(info.value)


@pytest.mark.parametrize("module", [merkle, records, verify])
def test_docstring_examples(module: ModuleType) -> None:
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0
