"""`truceline commitment ...`: add, ratify, deliver, activate, list; bad input is one line."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from truceline import cli
from truceline.domain import Case, CaseStatus, Finding, StandardOfProof
from truceline.store import add_case, add_finding
from truceline.store.database import count_rows, open_store

EXAMPLE = Path(__file__).resolve().parents[2] / "src" / "truceline" / "data"
EXAMPLE = EXAMPLE / "demo_commitments.json"
T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def run(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str
) -> tuple[int, str, str]:
    """Run `truceline ARGS` in-process through the real entry point."""
    monkeypatch.setattr(sys, "argv", ["truceline", *args])
    code = 0
    try:
        cli.main()
    except SystemExit as exc:
        code = int(exc.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture()
def database(tmp_path: Path) -> str:
    """A store holding a case with one finding: Russia responsible, high, clear and convincing."""
    url = f"sqlite:///{tmp_path / 'store.db'}"
    engine = open_store(url)
    with engine.begin() as conn:
        add_case(conn, case=Case("C1", "Shelling of a hub", CaseStatus.FINDING, T0))
        finding = Finding("F1", "C1", T0, "RU", StandardOfProof.CLEAR_AND_CONVINCING, "high")
        add_finding(conn, finding=finding)
    engine.dispose()
    return url


def _counts(url: str) -> dict[str, int]:
    engine = open_store(url)
    with engine.connect() as conn:
        counts = count_rows(conn)
    engine.dispose()
    return counts


def test_add_ratify_deliver_activate_and_list(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], database: str
) -> None:
    def ok(*args: str) -> str:
        code, out, err = run(monkeypatch, capsys, "commitment", *args, "--database", database)
        assert (code, err) == (0, ""), err
        return out

    assert ok("add", str(EXAMPLE)) == "commitments: 6 new, 0 already stored\n"
    assert ok("add", str(EXAMPLE)) == "commitments: 0 new, 6 already stored\n"
    listed = ok("list").splitlines()
    assert len(listed) == 6 and listed[0].startswith("CA-TRN-1")
    assert "ratified_by_parliament" in ok("list", "--guarantor", "FR")

    activated = ok("activate", "--finding", "F1").splitlines()
    assert len(activated) == 3
    assert sum(line.startswith("Activation notice to GB") for line in activated) == 1
    assert sum(line.startswith("Pending notice to") for line in activated) == 2
    assert ok("activate", "--finding", "F1").splitlines() == activated  # nothing doubled

    ratified = ok("ratify", "FR-AIR-1", "--to", "in_force", "--on", "2026-12-05")
    assert ratified.splitlines()[0] == "FR-AIR-1: ratified_by_parliament -> in_force on 2026-12-05"
    assert "is now an activation (finding F1)" in ratified
    notices = ok("activations", "--status", "activated").splitlines()
    assert {line.split("Activation notice to ")[1][:2] for line in notices} == {"FR", "GB"}
    assert "Pending notice to DE" in ok("activations", "--guarantor", "DE")

    delivered = ok("deliver", "GB-MFU-1", "--quantity", "1500", "--on", "2026-03-01")
    assert delivered == (
        "GB-MFU-1: delivered 1,500 personnel on 2026-03-01 (total 1,500 of 5,000, 30%)\n"
    )
    tracker = ok("tracker").splitlines()
    assert tracker[0].split()[:4] == ["guarantor", "kind", "unit", "n"]
    gb = next(line for line in tracker if line.startswith("GB"))
    assert gb.split()[-4:] == ["5,000", "5,000", "1,500", "30%"]
    shown = ok("show", "GB-MFU-1")
    assert "2026-02-02  in_force" in shown and "delivered 1,500 personnel on 2026-03-01" in shown


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["ratify", "CA-TRN-1", "--to", "in_force"], "can go to approved_by_government"),
        (["ratify", "CA-TRN-1", "--to", "approved_by_government", "--on", "2026-1-5"], "--on"),
        (["deliver", "GB-MFU-1", "--quantity", "9000"], "would bring deliveries to 9,000"),
        (["deliver", "GB-MFU-1", "--quantity", "-2"], "positive quantity"),
        (["show", "XX-1"], "commitment 'XX-1' is not stored"),
        (["activate", "--finding", "F9"], "finding 'F9' is not stored"),
    ],
)
def test_bad_commands_are_one_line_and_change_nothing(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    database: str,
    args: list[str],
    message: str,
) -> None:
    run(monkeypatch, capsys, "commitment", "add", str(EXAMPLE), "--database", database)
    before = _counts(database)
    code, out, err = run(monkeypatch, capsys, "commitment", *args, "--database", database)
    assert (code, out) == (2, "")
    assert err.startswith("error: ") and err.count("\n") == 1 and message in err
    assert _counts(database) == before


def test_a_bad_file_is_one_line_naming_file_line_and_field_and_loses_nothing(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    database: str,
    tmp_path: Path,
) -> None:
    run(monkeypatch, capsys, "commitment", "add", str(EXAMPLE), "--database", database)
    before = _counts(database)
    entries = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    new = {**entries[0], "commitment_id": "IT-1"}
    bad = {**entries[0], "commitment_id": "IT-2", "pledged_on": "soon"}
    path = tmp_path / "more.json"
    path.write_text(json.dumps([new, bad], indent=2), encoding="utf-8")
    code, out, err = run(
        monkeypatch, capsys, "commitment", "add", str(path), "--database", database
    )
    bad_line = path.read_text(encoding="utf-8").splitlines().index("  {", 2) + 1
    assert (code, out) == (2, "")
    assert err == (
        f"error: {path}, line {bad_line}, column 'pledged_on': "
        "must be a date YYYY-MM-DD, got 'soon'\n"
    )
    assert _counts(database) == before
