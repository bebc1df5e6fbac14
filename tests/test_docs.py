"""The commands shown in docs/*.md and README.md exist, and every command is shown somewhere."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from truceline.cli import app

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DOC_FILES = (*sorted((PROJECT_ROOT / "docs").glob("*.md")), PROJECT_ROOT / "README.md")
# `truceline` used as a command (also `.venv/bin/truceline`), then up to two words on its line;
# `truceline.db`, `truceline-out/` and `src/truceline/` do not match.
COMMAND_RE = re.compile(r"(?<![\w.-])truceline((?:[ \t]+[a-z][a-z0-9_-]*){1,2})")
ROOT_COMMAND = typer.main.get_command(app)


def _subcommands(command: Any) -> dict[str, Any] | None:
    """The subcommands of a group by name, or None for a plain command."""
    commands = getattr(command, "commands", None)
    return commands if isinstance(commands, dict) else None


def command_path(words: list[str]) -> tuple[str, ...]:
    """The command path named by ``words``: a group takes the next word, a command stops."""
    path: list[str] = []
    command: Any = ROOT_COMMAND
    for word in words:
        subcommands = _subcommands(command)
        if subcommands is None:
            break
        path.append(word)
        command = subcommands.get(word)
        if command is None:
            break
    return tuple(path)


def documented_paths() -> dict[tuple[str, ...], str]:
    """Every command path shown in the docs, with the first file that shows it."""
    found: dict[tuple[str, ...], str] = {}
    for doc in DOC_FILES:
        for match in COMMAND_RE.finditer(doc.read_text(encoding="utf-8")):
            path = command_path(match.group(1).split())
            found.setdefault(path, doc.relative_to(PROJECT_ROOT).as_posix())
    return dict(sorted(found.items()))


def leaf_paths(command: Any = ROOT_COMMAND, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every runnable command of the CLI (not the groups), as a path of names."""
    subcommands = _subcommands(command)
    if subcommands is None:
        return [prefix]
    return [path for name, sub in subcommands.items() for path in leaf_paths(sub, (*prefix, name))]


DOCUMENTED = documented_paths()


@pytest.mark.parametrize(
    ("path", "doc"), list(DOCUMENTED.items()), ids=[" ".join(p) for p in DOCUMENTED]
)
def test_documented_command_exists(path: tuple[str, ...], doc: str) -> None:
    result = CliRunner().invoke(app, [*path, "--help"])
    assert result.exit_code == 0, f"`truceline {' '.join(path)}` (in {doc}): {result.output}"


def test_every_command_is_documented() -> None:
    missing = [" ".join(p) for p in leaf_paths() if p not in DOCUMENTED]
    assert not missing, f"commands not shown in docs/*.md or README.md: {missing}"
