"""The one exception hierarchy of Truceline.

::

    TrucelineError                 anything Truceline raises on purpose
    ├── InputError                 bad user input: names file, line and column; CLI exit 2
    ├── NotFoundError              a referenced thing does not exist
    ├── ConflictError              a write that would contradict what is stored
    ├── NotAvailableError          a capability that does not exist yet (never faked)
    └── VerificationError          a check of published data failed (e.g. the transparency log)
"""

from __future__ import annotations


class TrucelineError(Exception):
    """Base of every error Truceline raises on purpose."""


class InputError(TrucelineError):
    """Malformed user input, located as precisely as we can: file, line, column."""

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        column: str | None = None,
    ) -> None:
        self.message = message
        self.file = file
        self.line = line
        self.column = column
        super().__init__(str(self))

    def __str__(self) -> str:
        where = []
        if self.file is not None:
            where.append(self.file)
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.column is not None:
            where.append(f"column {self.column!r}")
        prefix = ", ".join(where)
        return f"{prefix}: {self.message}" if prefix else self.message


class NotFoundError(TrucelineError):
    """A referenced record does not exist."""


class ConflictError(TrucelineError):
    """A write that contradicts stored data (e.g. same id, different content)."""


class NotAvailableError(TrucelineError):
    """A stage or capability that is not implemented yet."""


class VerificationError(TrucelineError):
    """Published data failed a check: the message names the entry, head or file that failed."""
