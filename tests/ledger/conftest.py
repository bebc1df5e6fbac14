"""Logs built through the real library, with a clock that ticks one second per call."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from truceline.ledger import append_entries, init_log
from truceline.ledger.files import ENTRIES_FILE, HEADS_FILE, PUBLIC_KEY_FILE, split_lines
from truceline.ledger.signing import load_public_key

T0 = datetime(2026, 11, 21, 6, 0, tzinfo=UTC)


def payload(i: int) -> dict[str, Any]:
    """A finding-like payload, with nesting, a float, a list and non-ASCII text."""
    return {
        "finding_id": f"F-{i:04d}",
        "case_id": f"C-{i // 3:03d}",
        "responsible_party": ["north", "south", None][i % 3],
        "severity": i % 5,
        "confidence": 0.5 + i / 100,
        "violations": [f"V-{i}", f"V-{i + 1}"],
        "note": "tir d'artillerie près de Pokrovsk — ✓",
    }


@dataclass(frozen=True)
class BuiltLog:
    """A log on disk, its key file and the lines of its two files."""

    directory: Path
    key_file: Path
    public_key: Ed25519PublicKey
    entry_lines: list[bytes]
    head_lines: list[bytes]


def build_log(root: Path, batches: Sequence[int], *, name: str = "log") -> BuiltLog:
    """A log whose appends add ``batches[i]`` entries each (one signed head per append)."""
    directory, key_file = root / name, root / f"{name}.key"
    init_log(directory, key_file, now=T0)
    index = 0
    for step, count in enumerate(batches, start=1):
        items = [("finding" if (index + j) % 4 else "activation", payload(index + j))
                 for j in range(count)]  # fmt: skip
        append_entries(directory, key_file, items, now=T0 + timedelta(seconds=step))
        index += count
    return read_built(directory, key_file)


def read_built(directory: Path, key_file: Path) -> BuiltLog:
    entries, _ = split_lines((directory / ENTRIES_FILE).read_bytes())
    heads, _ = split_lines((directory / HEADS_FILE).read_bytes())
    key = load_public_key(directory / PUBLIC_KEY_FILE)
    return BuiltLog(directory, key_file, key, entries, heads)


def joined(lines: Sequence[bytes]) -> bytes:
    """The file holding these lines."""
    return b"".join(line + b"\n" for line in lines)


def batches_for(n: int) -> list[int]:
    """Appends of 1, 2, 3, ... entries (the last one cut to reach ``n``): several heads."""
    sizes, total, step = [], 0, 1
    while total < n:
        sizes.append(min(step, n - total))
        total += sizes[-1]
        step += 1
    return sizes


@pytest.fixture()
def small_log(tmp_path: Path) -> BuiltLog:
    """Five entries appended one by one: heads of sizes 0..5."""
    return build_log(tmp_path, [1] * 5)
