"""Commitment files: the shipped example reads; every bad value names file, line and field."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.guarantees.samples import T0
from truceline.domain import RatificationStatus
from truceline.errors import InputError
from truceline.guarantees.registry import read_commitments

S = RatificationStatus
EXAMPLE = Path(__file__).resolve().parents[2] / "src" / "truceline" / "data"
EXAMPLE = EXAMPLE / "demo_commitments.json"
GOOD: dict[str, Any] = {
    "commitment_id": "K1",
    "guarantor": "FR",
    "kind": "air_policing",
    "quantity": 12,
    "unit": "aircraft",
    "trigger": {"responsible_party": "RU"},
    "pledged_on": "2026-01-06",
}


def _write_json(tmp_path: Path, entries: list[Any]) -> Path:
    path = tmp_path / "commitments.json"
    path.write_text(json.dumps(entries, indent=2), encoding="utf-8")
    return path


def test_the_example_file_reads_with_its_ladder() -> None:
    registrations = read_commitments(EXAMPLE, at=T0)
    status = {r.commitment.commitment_id: r.commitment.status for r in registrations}
    assert status["GB-MFU-1"] is S.IN_FORCE  # no parliament step in its process
    assert status["FR-AIR-1"] is S.RATIFIED_BY_PARLIAMENT
    assert status["CA-TRN-1"] is S.PLEDGED
    assert S.IN_FORCE in status.values() and S.APPROVED_BY_GOVERNMENT in status.values()
    gb = next(r for r in registrations if r.commitment.commitment_id == "GB-MFU-1")
    assert [s.status for s in gb.history] == [S.PLEDGED, S.APPROVED_BY_GOVERNMENT, S.IN_FORCE]
    assert not gb.commitment.requires_parliament
    assert gb.commitment.trigger.startswith('{"all_of": [')


def test_json_errors_name_the_line_of_the_object(tmp_path: Path) -> None:
    path = _write_json(tmp_path, [GOOD, {**GOOD, "commitment_id": "K2", "quantity": -3}])
    with pytest.raises(InputError) as caught:
        read_commitments(path, at=T0)
    error = caught.value
    text = path.read_text(encoding="utf-8").splitlines()
    assert (error.file, error.column) == (str(path), "quantity")
    assert error.line is not None and text[error.line - 1].strip() == "{"
    assert '"K2"' in text[error.line]  # the object starting on that line is the second one


@pytest.mark.parametrize(
    ("change", "column", "message"),
    [
        ({"in_force": "2026-03-01"}, "in_force", "unknown field"),
        ({"unit": None}, "unit", "missing"),
        ({"guarantor": ""}, "guarantor", "non-empty text"),
        ({"quantity": "many"}, "quantity", "must be a number"),
        ({"quantity": True}, "quantity", "must be a number"),
        ({"pledged_on": "06/01/2026"}, "pledged_on", "YYYY-MM-DD"),
        ({"pledged_on": "2026-02-30"}, "pledged_on", "invalid date"),
        ({"trigger": {"min_severity": "serious"}}, "trigger.min_severity", "one of low"),
        ({"trigger": "ceasefire in force"}, "trigger", "not a JSON rule"),
        ({"in_force_on": "2026-03-01"}, "in_force_on", "not in_force"),
        (
            {"approved_by_government_on": "2026-01-01"},
            "approved_by_government_on",
            "cannot take effect earlier",
        ),
        ({"requires_parliament": "no"}, "requires_parliament", "true or false"),
        ({"notes": {"vote": 3}}, "notes", "object of texts"),
    ],
)
def test_bad_values_name_their_field(
    tmp_path: Path, change: dict[str, Any], column: str, message: str
) -> None:
    path = _write_json(tmp_path, [{**GOOD, **change}])
    with pytest.raises(InputError, match=message) as caught:
        read_commitments(path, at=T0)
    assert (caught.value.file, caught.value.line, caught.value.column) == (str(path), 2, column)


def test_duplicate_ids_and_broken_json_are_refused(tmp_path: Path) -> None:
    path = _write_json(tmp_path, [GOOD, GOOD])
    with pytest.raises(InputError, match="duplicate id") as caught:
        read_commitments(path, at=T0)
    assert caught.value.column == "commitment_id"
    broken = tmp_path / "broken.json"
    broken.write_text('[\n  {"commitment_id": "K1",\n  oops}\n]\n', encoding="utf-8")
    with pytest.raises(InputError, match="not JSON") as caught:
        read_commitments(broken, at=T0)
    assert caught.value.line == 3
    not_a_list = _write_json(tmp_path, {"commitments": []})  # type: ignore[arg-type]
    with pytest.raises(InputError, match="JSON array"):
        read_commitments(not_a_list, at=T0)


def test_csv_files_have_the_same_fields(tmp_path: Path) -> None:
    path = tmp_path / "commitments.csv"
    path.write_text(
        "commitment_id,guarantor,kind,quantity,unit,trigger,pledged_on,"
        "approved_by_government_on,in_force_on,requires_parliament,notes\n"
        'GB-1,GB,troops,5000,personnel,"{""responsible_party"": ""RU""}",2026-01-06,'
        '2026-01-20,2026-02-02,false,"{""role"": ""MFU""}"\n'
        'DE-1,DE,funds,2e9,EUR,"{""attributable"": true}",2026-01-06,,,,\n'
        'PL-1,PL,troops,many,personnel,"{""attributable"": true}",2026-01-06,,,,\n',
        encoding="utf-8",
    )
    with pytest.raises(InputError, match="must be a number") as caught:
        read_commitments(path, at=T0)
    assert (caught.value.line, caught.value.column) == (4, "quantity")
    lines = path.read_text(encoding="utf-8").splitlines()[:-1]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    gb, de = (r.commitment for r in read_commitments(path, at=T0))
    assert (gb.status, gb.requires_parliament, gb.notes) == (S.IN_FORCE, False, {"role": "MFU"})
    assert (de.status, de.quantity, de.trigger) == (S.PLEDGED, 2e9, '{"attributable": true}')
