"""`truceline case ...`: a case walked end to end on the command line; bad input is one line
and exit status 2, and stores nothing."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from truceline import cli
from truceline.store.database import count_rows, open_store

MEMBERS = {
    "rules": {"quorum": {"count": 2}, "majority": {"kind": "guarantor_unanimity"}},
    "members": [
        {"id": "n1", "name": "Chair", "affiliation": "neutral"},
        {"id": "g1", "name": "France", "affiliation": "guarantor", "state": "FR"},
        {"id": "p1", "name": "Ukraine", "affiliation": "party", "state": "UA"},
    ],
}


class Cli:
    """Runs `truceline case ...` in-process through the real entry point, on one store."""

    def __init__(
        self, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp: Path
    ):
        self.monkeypatch, self.capsys, self.tmp = monkeypatch, capsys, tmp
        self.database = f"sqlite:///{tmp / 'store.db'}"
        monkeypatch.setenv("TRUCELINE_OUTPUT_DIR", str(tmp / "out"))

    def __call__(self, *args: str) -> tuple[int, str, str]:
        self.monkeypatch.setattr(
            sys, "argv", ["truceline", "case", *args, "--database", self.database]
        )
        code = 0
        try:
            cli.main()
        except SystemExit as exc:
            code = int(exc.code or 0)
        captured = self.capsys.readouterr()
        return code, captured.out, captured.err

    def ok(self, *args: str) -> str:
        code, out, err = self(*args)
        assert (code, err) == (0, ""), f"{args}: {err}"
        return out

    def refused(self, *args: str) -> str:
        """The one error line of a refused command (exit 2, nothing stored)."""
        before = self.counts()
        code, out, err = self(*args)
        assert code == 2, f"{args}: exit {code}, {out}{err}"
        assert err.count("\n") == 1 and err.startswith("error: "), err
        assert self.counts() == before
        return err.strip()

    def counts(self) -> dict[str, int]:
        engine = open_store(self.database)
        with engine.connect() as conn:
            counts = count_rows(conn)
        engine.dispose()
        return counts


@pytest.fixture()
def run(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> Cli:
    return Cli(monkeypatch, capsys, tmp_path)


def test_a_case_walks_from_allegation_to_closed(run: Cli, tmp_path: Path) -> None:
    members = tmp_path / "members.json"
    members.write_text(json.dumps(MEMBERS), encoding="utf-8")
    photo = tmp_path / "crater.jpg"
    photo.write_bytes(b"crater")
    assert "3 members (3 added" in run.ok("members", str(members), "--actor", "sec")
    opened = run.ok(
        "open", "--alleged-by", "UA", "--accused", "RU", "--title", "Shelling", "--actor", "ana"
    )
    assert opened.strip() == "Opened case C-0001 (allegation): Shelling"
    assert "C-0001  allegation" in run.ok("list")
    for status in ("inquiry", "investigation"):
        run.ok("advance", "C-0001", status, "--actor", "ana")
    assert "sha256 " in run.ok("evidence-add", "C-0001", "--file", str(photo), "--actor", "ana")
    run.ok("advance", "C-0001", "draft_finding", "--actor", "ana")
    run.ok(
        "draft",
        "C-0001",
        "--actor",
        "ana",
        "--responsible",
        "RU",
        "--standard",
        "clear_and_convincing",
        "--severity",
        "medium",
    )
    run.ok("advance", "C-0001", "vote", "--actor", "ana")
    run.ok("vote", "C-0001", "--member", "n1", "--choice", "for")
    run.ok("vote", "C-0001", "--member", "g1", "--choice", "for")
    decided = run.ok("decide", "C-0001", "--actor", "ana")
    assert "guarantor unanimity met" in decided and "Finding F-0001: RU" in decided
    assert "Remedy RM-0001: withdrawal on RU" in run.ok("remedy", "C-0001", "--actor", "ana")
    assert "RM-0001" in run.ok("reminders", "--now", "2099-01-01T00:00:00Z")
    run.ok("comply", "RM-0001", "--actor", "ana", "--note", "withdrawn")
    assert "No reminders due." in run.ok("reminders", "--now", "2099-01-01T00:00:00Z")
    run.ok("advance", "C-0001", "closed", "--actor", "ana")
    shown = run.ok("show", "C-0001")
    assert "status closed; UA v RU" in shown and "finding F-0001: RU" in shown
    assert "remedy -> closed by ana" in shown
    audit = run.ok("audit", "C-0001")
    assert "vote cast by g1" in audit and "complied by ana" in audit
    assert "EV-0001  intact" in run.ok("evidence-verify", "--actor", "bob")
    assert "added" in run.ok("evidence-view", "EV-0001", "--actor", "bob")
    run.ok("evidence-export", "EV-0001", "--out", str(tmp_path / "copy.jpg"), "--actor", "bob")
    assert (tmp_path / "copy.jpg").read_bytes() == b"crater"


def test_bad_input_is_one_line_exit_2_and_stores_nothing(run: Cli, tmp_path: Path) -> None:
    run.ok("open", "--alleged-by", "UA", "--accused", "RU", "--title", "Shelling", "--actor", "ana")
    assert run.refused("show", "C-9") == "error: case 'C-9' is not stored"
    assert (
        run.refused("advance", "C-9", "inquiry", "--actor", "ana")
        == "error: case 'C-9' is not stored"
    )
    assert "cannot go from 'allegation' to 'vote'" in run.refused(
        "advance", "C-0001", "vote", "--actor", "ana"
    )
    assert "unknown case status 'done'" in run.refused(
        "advance", "C-0001", "done", "--actor", "ana"
    )
    assert "needs a reason" in run.refused("advance", "C-0001", "closed", "--actor", "ana")
    malformed = tmp_path / "members.json"
    malformed.write_text(json.dumps({**MEMBERS, "rules": {"quorum": {}}}), encoding="utf-8")
    message = run.refused("members", str(malformed), "--actor", "sec")
    assert str(malformed) in message and "rules.quorum" in message
    malformed.write_text("{not json", encoding="utf-8")
    assert "line 1" in run.refused("members", str(malformed), "--actor", "sec")
    run.ok("lock", "C-0001", "--actor", "ana")
    assert "locked by ana" in run.refused("advance", "C-0001", "inquiry", "--actor", "bob")
    assert "only the holder" in run.refused("unlock", "C-0001", "--actor", "bob")
    assert "exactly one of --file" in run.refused("evidence-add", "C-0001", "--actor", "ana")
    assert "not a URL" in run.refused("evidence-add", "C-0001", "--link", "nope", "--actor", "ana")
    assert "is not stored" in run.refused("open", "--violation", "V9", "--actor", "ana")
    assert "'maybe' is not one of" in run.refused(
        "vote", "C-0001", "--member", "n1", "--choice", "maybe"
    )
    assert "remedy 'RM-9' is not stored" in run.refused("comply", "RM-9", "--actor", "ana")


def test_a_changed_evidence_file_fails_verification(run: Cli, tmp_path: Path) -> None:
    photo = tmp_path / "crater.jpg"
    photo.write_bytes(b"crater")
    run.ok("open", "--alleged-by", "UA", "--accused", "RU", "--title", "Shelling", "--actor", "ana")
    run.ok("evidence-add", "C-0001", "--file", str(photo), "--actor", "ana")
    [stored] = [p for p in (tmp_path / "out" / "evidence").rglob("*") if p.is_file()]
    stored.chmod(0o644)
    stored.write_bytes(b"cratex")
    code, out, _ = run("evidence-verify", "--actor", "bob", "--case", "C-0001")
    assert code == 1
    assert "EV-0001  changed" in out and "1 changed or missing" in out
