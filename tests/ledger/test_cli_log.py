"""`truceline log ...` through the real entry point: good logs exit 0, tampered ones exit 2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from truceline import cli
from truceline.ledger import check_inclusion_proof
from truceline.ledger.files import ENTRIES_FILE, HEADS_FILE
from truceline.ledger.signing import load_public_key

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def run(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str
) -> tuple[int, str, str]:
    """Run `truceline ARGS` in-process through cli.main (errors become one line, exit 2)."""
    monkeypatch.setattr(sys, "argv", ["truceline", *args])
    code = 0
    try:
        cli.main()
    except SystemExit as exc:
        code = int(exc.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture()
def cli_log(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> tuple[Path, Path]:
    """A log made with `log init` and three `log append`s."""
    directory, key = tmp_path / "published", tmp_path / "operator.key"
    code, out, _ = run(monkeypatch, capsys, "log", "init", str(directory), "--key", str(key))
    assert code == 0 and f"created the log in {directory}" in out
    for i, kind in enumerate(["finding", "activation", "finding"]):
        payload = tmp_path / f"p{i}.json"
        payload.write_text(json.dumps({"finding_id": f"F-{i}", "party": "north"}))
        code, out, err = run(
            monkeypatch, capsys, "log", "append", str(directory), "--key", str(key),
            "--kind", kind, "--payload", str(payload),
        )  # fmt: skip
        assert code == 0, err
        assert out.startswith(f"appended entry {i} ({kind}); signed tree head: size {i + 1}, root ")
    return directory, key


def test_verify_a_good_log_exits_0_with_a_summary(
    cli_log: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    directory, _ = cli_log
    pem = directory.parent / "pinned.pub"
    pem.write_bytes((directory / "log.pub").read_bytes())
    code, out, err = run(
        monkeypatch, capsys, "log", "verify", str(directory), "--public-key", str(pem)
    )
    assert (code, err) == (0, "")
    assert f"{directory}: intact: 3 entries, 4 signed tree heads" in out
    assert "newest head: size 3, root " in out
    assert "pass --public-key" not in out
    code, out, _ = run(monkeypatch, capsys, "log", "verify", str(directory))
    assert code == 0 and "pass --public-key to check against your copy" in out


@pytest.mark.parametrize(
    ("tamper", "named"),
    [
        (lambda e, h: (e.replace(b'"F-1"', b'"F-9"'), h), "entry 1: does not match the root"),
        (lambda e, h: (b"\n".join(e.split(b"\n")[1:]), h), "(entry 0): carries index 1"),
        (lambda e, h: (e, b"\n".join(h.split(b"\n")[:-2]) + b"\n"), "entry 2: not covered"),
        (lambda e, h: (e, h.replace(b'"tree_size":2', b'"tree_size":1')), "tree head 2 (size 1)"),
    ],
    ids=["altered", "deleted", "head removed", "head changed"],
)
def test_verify_a_tampered_log_exits_2_with_one_line(
    cli_log: tuple[Path, Path],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tamper: object,
    named: str,
) -> None:
    directory, _ = cli_log
    entries, heads = (directory / ENTRIES_FILE).read_bytes(), (directory / HEADS_FILE).read_bytes()
    new_entries, new_heads = tamper(entries, heads)  # type: ignore[operator]
    assert (new_entries, new_heads) != (entries, heads)
    (directory / ENTRIES_FILE).write_bytes(new_entries)
    (directory / HEADS_FILE).write_bytes(new_heads)
    code, out, err = run(monkeypatch, capsys, "log", "verify", str(directory))
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith(f"error: {directory}: ")
    assert named in err


def test_head_output_serves_as_a_trusted_head(
    cli_log: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    directory, _ = cli_log
    code, out, _ = run(monkeypatch, capsys, "log", "head", str(directory))
    assert code == 0 and json.loads(out)["tree_size"] == 3
    saved = directory.parent / "head.json"
    saved.write_text(out)
    code, out, _ = run(
        monkeypatch, capsys, "log", "verify", str(directory), "--trusted-head", str(saved)
    )
    assert code == 0 and "the trusted head of size 3 is consistent with the log" in out
    (directory / ENTRIES_FILE).write_bytes(b"")  # roll the whole log back to its first head
    (directory / HEADS_FILE).write_bytes(
        (directory / HEADS_FILE).read_bytes().split(b"\n")[0] + b"\n"
    )
    code, _, err = run(monkeypatch, capsys, "log", "verify", str(directory))
    assert code == 0  # an older state is a valid log on its own ...
    code, _, err = run(
        monkeypatch, capsys, "log", "verify", str(directory), "--trusted-head", str(saved)
    )
    assert code == 2 and "the trusted head (size 3" in err  # ... but not after a saved head


def test_a_malformed_trusted_head_file_is_named(
    cli_log: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    directory, _ = cli_log
    bad = directory.parent / "bad.json"
    bad.write_text('{"tree_size": 3}')
    code, _, err = run(
        monkeypatch, capsys, "log", "verify", str(directory), "--trusted-head", str(bad)
    )
    assert code == 2 and err.startswith(f"error: {bad}: not a tree head: wrong fields")
    bad.write_text('{"tree_size": 3,\n  oops}')
    code, _, err = run(
        monkeypatch, capsys, "log", "verify", str(directory), "--trusted-head", str(bad)
    )
    assert code == 2 and err.startswith(f"error: {bad}, line 2: not valid JSON")


def test_prove_prints_a_proof_a_party_can_check(
    cli_log: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    directory, _ = cli_log
    code, out, _ = run(monkeypatch, capsys, "log", "prove", str(directory), "--index", "1")
    assert code == 0
    proof = json.loads(out)
    assert proof["tree_head"]["tree_size"] == 3 and len(proof["inclusion_path"]) == 2
    entry = check_inclusion_proof(proof, load_public_key(directory / "log.pub"))
    assert (entry.index, entry.kind) == (1, "activation")
    code, out, _ = run(
        monkeypatch, capsys, "log", "prove", str(directory), "--index", "0", "--size", "1"
    )
    assert code == 0 and json.loads(out)["inclusion_path"] == []
    code, _, err = run(monkeypatch, capsys, "log", "prove", str(directory), "--index", "3")
    assert code == 2 and err == "error: no entry 3 in the tree head of size 3\n"


def test_append_with_a_bad_payload_exits_2_and_keeps_the_log(
    cli_log: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    directory, key = cli_log
    before = (directory / ENTRIES_FILE).read_bytes(), (directory / HEADS_FILE).read_bytes()
    payload = directory.parent / "bad.json"
    cases = [
        ('{"a": 1,\n"b": }', f"error: {payload}, line 2: not valid JSON: Expecting value"),
        ("[1, 2]", f"error: {payload}, line 1: must hold one JSON object"),
    ]
    for text, expected in cases:
        payload.write_text(text)
        code, _, err = run(
            monkeypatch, capsys, "log", "append", str(directory), "--key", str(key),
            "--kind", "finding", "--payload", str(payload),
        )  # fmt: skip
        assert code == 2 and err.startswith(expected) and err.count("\n") == 1
    payload.write_text("{}")
    code, _, err = run(
        monkeypatch, capsys, "log", "append", str(directory), "--key", str(key),
        "--kind", "Bad Kind", "--payload", str(payload),
    )  # fmt: skip
    assert code == 2 and "kind must be a lower-case word" in err
    assert (
        (directory / ENTRIES_FILE).read_bytes(),
        (directory / HEADS_FILE).read_bytes(),
    ) == before


def test_the_installed_command_verifies_and_fails_in_one_line(cli_log: tuple[Path, Path]) -> None:
    directory, _ = cli_log
    command = [str(PROJECT_ROOT / ".venv" / "bin" / "truceline"), "log", "verify", str(directory)]
    good = subprocess.run(command, capture_output=True, text=True, check=False)
    assert good.returncode == 0 and "intact: 3 entries" in good.stdout
    entries = directory / ENTRIES_FILE
    entries.write_bytes(entries.read_bytes().replace(b'"north"', b'"south"', 1))
    bad = subprocess.run(command, capture_output=True, text=True, check=False)
    assert bad.returncode == 2 and bad.stdout == ""
    assert bad.stderr.count("\n") == 1 and "entry 0: does not match the root" in bad.stderr
