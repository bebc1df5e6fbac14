"""Atomic output: an export appears whole under its name, or not at all."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from truceline.errors import InputError


def check_target(path: Path) -> None:
    """Refuse an output path whose directory does not exist or that names a directory."""
    if path.is_dir():
        raise InputError("is a directory, expected a file to write", file=str(path))
    if not path.parent.is_dir():
        raise InputError(f"directory {path.parent} does not exist", file=str(path))


@contextmanager
def atomic_target(path: Path) -> Iterator[Path]:
    """A temporary path beside ``path``; renamed over it when the block ends without error.

    For writers that open the file themselves (GDAL): the temporary file keeps ``path``'s
    suffix so the driver is recognised, and is removed if the block fails.
    """
    check_target(path)
    tmp = path.with_name(f".{path.stem}.{secrets.token_hex(6)}.tmp{path.suffix}")
    try:
        yield tmp
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename, synced to disk."""
    with atomic_target(path) as tmp:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        with open(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
