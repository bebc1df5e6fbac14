"""The by-hand recipes of docs/ledger.md work on a real log, with no Truceline code."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from tests.ledger.conftest import BuiltLog
from truceline.ledger.files import ENTRIES_FILE
from truceline.ledger.merkle import leaf_hash

DOC = Path(__file__).resolve().parents[2] / "docs" / "ledger.md"


def doc_block(language: str, containing: str) -> str:
    blocks = re.findall(rf"```{language}\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    (block,) = [b for b in blocks if containing in b]
    return str(block)


def test_the_stdlib_root_script_confirms_and_then_refutes_every_head(
    tmp_path: Path, small_log: BuiltLog
) -> None:
    script = tmp_path / "roots.py"
    script.write_text(doc_block("python", "def mth"))
    command = [sys.executable, "-I", str(script), str(small_log.directory)]
    good = subprocess.run(command, capture_output=True, text=True, check=True)
    assert good.stdout.splitlines() == [f"{n} ok" for n in range(6)]
    entries = small_log.directory / ENTRIES_FILE
    entries.write_bytes(entries.read_bytes().replace(b'"F-0002"', b'"F-0666"'))
    bad = subprocess.run(command, capture_output=True, text=True, check=True)
    assert bad.stdout.splitlines() == [f"{n} ok" for n in range(3)] + [
        f"{n} MISMATCH" for n in range(3, 6)
    ]


def test_the_shell_leaf_recipe_gives_the_leaf_hash(small_log: BuiltLog) -> None:
    recipe = (
        doc_block("sh", "sha256sum").strip().replace("commission-log", str(small_log.directory))
    )
    out = subprocess.run(["bash", "-c", recipe], capture_output=True, text=True, check=True)
    assert out.stdout.split()[0] == leaf_hash(small_log.entry_lines[0]).hex()
