"""Reading small JSON configuration files with errors that name file, line and field."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path
from typing import Any

from truceline.errors import InputError


def read_json(path: Path) -> Any:
    """The JSON document in ``path``; InputError naming the file (and line) otherwise."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"cannot read: {error}", file=str(path)) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        message = f"not valid JSON: {error.msg}"
        raise InputError(message, file=str(path), line=error.lineno) from None


class Fields:
    """Typed access to one JSON object; every error names the file and the field's path."""

    def __init__(self, data: Any, *, file: str, path: str = "") -> None:
        self.file = file
        self.path = path
        if not isinstance(data, dict):
            raise self.error("must be a JSON object", path or "(document)")
        self.data: dict[str, Any] = data

    def error(self, message: str, field: str) -> InputError:
        return InputError(message, file=self.file, column=field)

    def where(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def text(self, key: str, default: str | None = None) -> str:
        value = self.data.get(key, default)
        if not isinstance(value, str) or not value.strip():
            raise self.error("must be a non-empty text", self.where(key))
        return value.strip()

    def optional_text(self, key: str) -> str | None:
        return None if self.data.get(key) is None else self.text(key)

    def integer(self, key: str, *, minimum: int = 0) -> int:
        value = self.data.get(key)
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            raise self.error(f"must be an integer >= {minimum}", self.where(key))
        return value

    def optional_integer(self, key: str, *, minimum: int = 0) -> int | None:
        return None if self.data.get(key) is None else self.integer(key, minimum=minimum)

    def fraction(self, key: str) -> Fraction:
        """A number in (0, 1], or a text such as "2/3"."""
        value = self.data.get(key)
        try:
            if isinstance(value, bool) or not isinstance(value, int | float | str):
                raise ValueError
            result = Fraction(str(value))
        except (ValueError, ZeroDivisionError):
            raise self.error('must be a fraction such as 0.5 or "2/3"', self.where(key)) from None
        if not 0 < result <= 1:
            raise self.error(f"must be above 0 and at most 1, not {value}", self.where(key))
        return result

    def choice(self, key: str, options: tuple[str, ...], default: str | None = None) -> str:
        value = self.data.get(key, default)
        if value not in options:
            raise self.error(f"must be one of {', '.join(options)}, not {value!r}", self.where(key))
        return str(value)

    def child(self, key: str) -> Fields:
        return Fields(self.data.get(key), file=self.file, path=self.where(key))

    def items(self, key: str) -> list[Fields]:
        value = self.data.get(key)
        if not isinstance(value, list) or not value:
            raise self.error("must be a non-empty list", self.where(key))
        where = self.where(key)
        return [Fields(v, file=self.file, path=f"{where}[{i}]") for i, v in enumerate(value)]
