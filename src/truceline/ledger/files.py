"""The files of a log directory: durable appends, atomic creation, an exclusive writer lock."""

from __future__ import annotations

import fcntl
import os
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

ENTRIES_FILE = "entries.jsonl"
HEADS_FILE = "tree_heads.jsonl"
PUBLIC_KEY_FILE = "log.pub"


def write_new_file(path: Path, data: bytes) -> None:
    """Create ``path`` with ``data`` all at once (temporary file, fsync, rename, fsync dir)."""
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, 0o644)  # published files: readable by everyone who gets a copy
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    fsync_directory(path.parent)


def append_lines(path: Path, lines: Sequence[bytes]) -> None:
    """Append the lines in one write and fsync before returning (a crash leaves at most a torn
    last line, which readers report and `append_entries` refuses to build on)."""
    data = b"".join(line + b"\n" for line in lines)
    with path.open("ab") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def fsync_directory(directory: Path) -> None:
    """Make a rename or a new file in ``directory`` durable."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextmanager
def writer_lock(directory: Path) -> Iterator[None]:
    """Hold an exclusive lock on the log directory so two appenders never interleave."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def split_lines(data: bytes) -> tuple[list[bytes], bool]:
    """The lines of a file without their newlines, and whether the last one was cut short."""
    if not data:
        return [], False
    lines = data.split(b"\n")
    if lines[-1] == b"":
        return lines[:-1], False
    return lines, True
