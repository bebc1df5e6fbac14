"""Membership files: valid ones load; every malformed one is refused naming file and field."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from truceline.commission.jsonfile import Fields
from truceline.commission.membership import (
    load_membership,
    parse_rules,
    rules_as_json,
)
from truceline.commission.votes import MajorityKind
from truceline.domain.commission import AffiliationKind
from truceline.errors import InputError

GOOD: dict[str, Any] = {
    "mechanism": "special-commission",
    "rules": {"quorum": {"fraction": "2/3"}, "majority": {"kind": "qualified", "fraction": 0.75}},
    "members": [
        {"id": "m1", "name": "A. Neutral", "affiliation": "neutral"},
        {"id": "m2", "name": "B. Guarantor", "affiliation": "guarantor", "state": "FR"},
        {"id": "m3", "name": "C. Party", "affiliation": "party", "state": "UA"},
    ],
}


def write(tmp_path: Path, document: Any) -> Path:
    path = tmp_path / "members.json"
    path.write_text(json.dumps(document, indent=1), encoding="utf-8")
    return path


def test_a_valid_file_loads(tmp_path: Path) -> None:
    membership = load_membership(write(tmp_path, GOOD))
    assert membership.mechanism == "special-commission"
    assert membership.rules.quorum_fraction == Fraction(2, 3)
    assert membership.rules.majority == MajorityKind.QUALIFIED
    assert membership.rules.majority_fraction == Fraction(3, 4)
    kinds = [(m.member_id, m.affiliation_kind, m.affiliation) for m in membership.members]
    assert kinds == [
        ("m1", AffiliationKind.NEUTRAL, None),
        ("m2", AffiliationKind.GUARANTOR, "FR"),
        ("m3", AffiliationKind.PARTY, "UA"),
    ]
    assert {m.mechanism for m in membership.members} == {"special-commission"}


def test_rules_round_trip_through_their_json_form(tmp_path: Path) -> None:
    rules = load_membership(write(tmp_path, GOOD)).rules
    stored = json.loads(json.dumps(rules_as_json(rules)))
    assert parse_rules(Fields(stored, file="stored")) == rules


def _with(path: str, value: Any) -> dict[str, Any]:
    """GOOD with the value at a dotted path replaced (None: removed)."""
    document = json.loads(json.dumps(GOOD))
    *parents, last = path.split(".")
    target: Any = document
    for key in parents:
        target = target[int(key)] if key.isdigit() else target[key]
    key: Any = int(last) if last.isdigit() else last
    if value is None:
        del target[key]
    else:
        target[key] = value
    return document


@pytest.mark.parametrize(
    ("document", "field", "message"),
    [
        (_with("members", []), "members", "non-empty list"),
        (_with("members.1.state", None), "members[1].state", "needs the state code"),
        (_with("members.0.state", "FR"), "members[0].state", "neutral member has no state"),
        (_with("members.2.affiliation", "observer"), "members[2].affiliation", "one of party"),
        (_with("members.2.id", "m1"), "members[2].id", "given twice"),
        (_with("members.0.name", ""), "members[0].name", "non-empty text"),
        (_with("rules.quorum", {"count": 3, "fraction": 0.5}), "rules.quorum", "exactly one"),
        (_with("rules.quorum", {"count": 0}), "rules.quorum.count", "integer >= 1"),
        (_with("rules.quorum", {"fraction": 1.5}), "rules.quorum.fraction", "at most 1"),
        (_with("rules.quorum", {"fraction": "two thirds"}), "rules.quorum.fraction", "fraction"),
        (_with("rules.majority.kind", "plurality"), "rules.majority.kind", "one of simple"),
        (_with("rules.majority.fraction", 0.5), "rules.majority.fraction", "above 1/2"),
        (_with("rules", None), "rules", "JSON object"),
        ([1, 2], "(document)", "JSON object"),
    ],
)
def test_malformed_files_name_file_and_field(
    tmp_path: Path, document: Any, field: str, message: str
) -> None:
    path = write(tmp_path, document)
    with pytest.raises(InputError) as caught:
        load_membership(path)
    assert caught.value.file == str(path)
    assert caught.value.column == field
    assert message in caught.value.message


def test_broken_json_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "members.json"
    path.write_text('{\n  "mechanism": "x",\n  "rules": {,}\n}\n', encoding="utf-8")
    with pytest.raises(InputError, match="not valid JSON") as caught:
        load_membership(path)
    assert (caught.value.file, caught.value.line) == (str(path), 3)


def test_a_missing_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read"):
        load_membership(tmp_path / "absent.json")
