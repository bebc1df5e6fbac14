"""Declarative CSV tables: a column spec per file, one strict reader and one atomic writer.

Each interchange module declares its columns (name, parser, formatter, required, default)
and gets reading and writing with the rules of shared/spec/interchange.md: UTF-8, a header
row, unknown columns ignored, every bad value an ``InputError`` naming file, line and column.
"""

from __future__ import annotations

import csv
import math
import os
import secrets
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any, Generic, TextIO, TypeVar

from truceline.errors import InputError

R = TypeVar("R")
E = TypeVar("E", bound=Enum)
PathLike = str | os.PathLike[str]
Parser = Callable[[str], Any]
Formatter = Callable[[Any], str]


class ColumnError(ValueError):
    """A check across columns failed; ``column`` is the one to blame."""

    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column


@dataclass(frozen=True, slots=True)
class Column:
    """One CSV column: its parser (``str`` -> value, raising ``ValueError``) and formatter."""

    name: str
    parse: Parser
    format: Formatter = str
    required: bool = False
    default: Any = None
    unique: bool = False


@dataclass(frozen=True, slots=True)
class Table(Generic[R]):
    """A CSV file: its columns, the record type built from them and a cross-column check."""

    record: Callable[..., R]
    columns: tuple[Column, ...]
    check: Callable[[R], None] | None = None

    def replace_parser(self, name: str, parse: Parser) -> Table[R]:
        """Return a copy of this table whose column ``name`` uses ``parse``."""
        columns = tuple(
            Column(c.name, parse, c.format, c.required, c.default, c.unique)
            if c.name == name
            else c
            for c in self.columns
        )
        return Table(self.record, columns, self.check)


def read_table(path: PathLike, table: Table[R]) -> list[R]:
    """Read every record of a CSV file, refusing the first bad value with an ``InputError``."""
    file = os.fsdecode(path)
    with _open_text(path, file) as handle:
        try:
            return _read_rows(csv.reader(handle), table, file)
        except UnicodeDecodeError:
            raise _locate_binary(path, file) from None


def _read_rows(reader: Any, table: Table[R], file: str) -> list[R]:
    """The reader loop: check the header, then parse, check and build each row."""
    header_line, header = _read_header(reader, file)
    plan = _plan(header, table, file, header_line)
    width = len(header)
    record, check = table.record, table.check
    # Per column: name, index in the row, parser, required, default, first line of each value.
    steps: list[tuple[str, int, Parser, bool, Any, dict[Any, int] | None]] = [
        (c.name, i, c.parse, c.required, c.default, {} if c.unique else None) for c, i in plan
    ]
    absent = {c.name: c.default for c in table.columns if c.name not in header}
    records: list[R] = []
    last_line = reader.line_num
    try:
        for row in reader:
            line, last_line = last_line + 1, reader.line_num
            if not row:
                continue
            if len(row) != width:
                raise _ragged(row, header, file, line)
            values = dict(absent)
            for name, index, parse, required, default, seen in steps:
                cell = row[index]
                if cell == "":
                    if required:
                        raise InputError(
                            "required value is empty", file=file, line=line, column=name
                        )
                    values[name] = default
                    continue
                try:
                    value = values[name] = parse(cell)
                except ValueError as exc:
                    raise _bad_value(exc, cell, file, line, name) from None
                if seen is not None:
                    if value in seen:
                        why = f"duplicate {name} (first on line {seen[value]})"
                        raise _bad_value(ValueError(why), cell, file, line, name)
                    seen[value] = line
            item = record(**values)
            if check is not None:
                try:
                    check(item)
                except ColumnError as exc:
                    raise InputError(str(exc), file=file, line=line, column=exc.column) from None
            records.append(item)
    except csv.Error as exc:
        raise InputError(f"malformed CSV ({exc})", file=file, line=last_line + 1) from None
    return records


def write_table(path: PathLike, table: Table[R], records: Iterable[R]) -> None:
    """Write a header and one row per record atomically; invalid records raise ``ValueError``.

    Every cell is checked by parsing it back, so whatever is written can be read again. The
    rows go to a temporary file in the same directory, renamed over ``path`` only on success.
    """
    target = Path(path)
    tmp = target.with_name(f".{target.name}.{secrets.token_hex(6)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with open(fd, "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\r\n")  # RFC 4180; quotes a lone \r too
            writer.writerow([c.name for c in table.columns])
            writer.writerows(_format_rows(os.fsdecode(path), table, records))
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _format_rows(file: str, table: Table[R], records: Iterable[R]) -> Iterable[list[str]]:
    """Format and check each record (the writer's twin of the reader loop)."""
    seen: dict[str, set[Any]] = {c.name: set() for c in table.columns if c.unique}
    for number, item in enumerate(records, start=1):
        row = []
        for column in table.columns:
            value = getattr(item, column.name)
            try:
                cell = "" if value is None else column.format(value)
                if cell == "" and column.required:
                    raise ValueError("required value is empty")
                parsed = column.parse(cell) if cell else None
            except (ValueError, TypeError) as exc:
                raise _bad_record(file, number, column.name, f"{exc}, got {value!r}") from None
            if column.unique:
                if parsed in seen[column.name]:
                    raise _bad_record(file, number, column.name, f"duplicate {value!r}")
                seen[column.name].add(parsed)
            row.append(cell)
        if table.check is not None:
            try:
                table.check(item)
            except ColumnError as exc:
                raise _bad_record(file, number, exc.column, str(exc)) from None
        yield row


def _bad_record(file: str, number: int, column: str, message: str) -> ValueError:
    return ValueError(f"{file}: record {number}, column {column!r}: {message}")


def _open_text(path: PathLike, file: str) -> TextIO:
    """Open a file as UTF-8 text (a BOM is tolerated) after checking it holds no NUL byte."""
    try:
        with open(path, "rb") as raw:
            while chunk := raw.read(1 << 20):
                if b"\x00" in chunk:
                    raise _locate_binary(path, file)
        return open(path, encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise InputError(f"cannot read the file ({exc.strerror})", file=file) from None


def _locate_binary(path: PathLike, file: str) -> InputError:
    """Describe the first NUL byte or undecodable byte of a file, with its line."""
    data = Path(path).read_bytes()
    nul = data.find(b"\x00")
    try:
        data.decode("utf-8-sig")
        bad = len(data)
    except UnicodeDecodeError as exc:
        bad = exc.start
    if 0 <= nul < bad:  # NUL is valid UTF-8 but never part of a text file
        where, message = nul, "binary data (NUL byte), not a CSV file"
    elif bad < len(data):
        where, message = bad, f"not valid UTF-8 (byte {data[bad]:#04x})"
    else:  # the file changed while it was read
        return InputError("binary data or not valid UTF-8", file=file)
    return InputError(message, file=file, line=data.count(b"\n", 0, where) + 1)


def _read_header(reader: Any, file: str) -> tuple[int, list[str]]:
    """Return the line number and the (stripped) names of the first non-blank row."""
    try:
        for row in reader:
            if row:
                return reader.line_num, [name.strip() for name in row]
    except csv.Error as exc:
        raise InputError(f"malformed CSV header ({exc})", file=file, line=1) from None
    raise InputError("empty file: a header row is required", file=file, line=1)


def _plan(header: list[str], table: Table[R], file: str, line: int) -> list[tuple[Column, int]]:
    """Pair each known column present in the header with its index; check required ones."""
    plan = []
    for column in table.columns:
        indices = [i for i, name in enumerate(header) if name == column.name]
        if len(indices) > 1:
            raise InputError(
                "column appears twice in the header", file=file, line=line, column=column.name
            )
        if indices:
            plan.append((column, indices[0]))
        elif column.required:
            raise InputError(
                "required column is missing from the header",
                file=file,
                line=line,
                column=column.name,
            )
    return plan


def _ragged(row: list[str], header: list[str], file: str, line: int) -> InputError:
    column = header[len(row)] if len(row) < len(header) else None
    message = f"row has {len(row)} fields but the header has {len(header)}"
    return InputError(message, file=file, line=line, column=column)


def _bad_value(exc: ValueError, cell: str, file: str, line: int, column: str) -> InputError:
    shown = cell if len(cell) <= 60 else cell[:57] + "..."
    return InputError(f"{exc}, got {shown!r}", file=file, line=line, column=column)


# Parsers and formatters shared by the interchange modules.


def parse_text(cell: str) -> str:
    """Free text or an id: taken as is."""
    return cell


def parse_float(cell: str) -> float:
    """A finite decimal number."""
    try:
        value = float(cell)
    except ValueError:
        raise ValueError("not a number") from None
    if not math.isfinite(value):
        raise ValueError("must be a finite number")
    return value


def float_in(low: float, high: float, *, high_open: bool = False) -> Parser:
    """A finite number in ``[low, high]`` (or ``[low, high)`` when ``high_open``)."""
    bracket = ")" if high_open else "]"
    why = f"must be within [{low:g}, {high:g}{bracket}"

    def parse(cell: str) -> float:
        value = parse_float(cell)
        if value < low or value > high or (high_open and value == high):
            raise ValueError(why)
        return value

    return parse


def nonnegative_float(cell: str) -> float:
    """A finite number >= 0 (sigmas, distances, speeds)."""
    value = parse_float(cell)
    if value < 0:
        raise ValueError("must not be negative")
    return value


def int_at_least(low: int) -> Parser:
    """A decimal integer >= ``low``."""

    def parse(cell: str) -> int:
        try:
            value = int(cell)
        except ValueError:
            raise ValueError("not an integer") from None
        if value < low:
            raise ValueError(f"must be an integer >= {low}")
        return value

    return parse


def one_of(choices: Mapping[str, Any] | Collection[str]) -> Parser:
    """One of a fixed set of spellings (a mapping gives each spelling's value)."""
    table = dict(choices) if isinstance(choices, Mapping) else {c: c for c in choices}
    why = "must be one of " + ", ".join(table)

    def parse(cell: str) -> Any:
        value = table.get(cell)
        if value is None:
            raise ValueError(why)
        return value

    return parse


def enum_parser(enum: type[E]) -> Callable[[str], E]:
    """A member of ``enum`` spelled by its value."""
    parse: Callable[[str], E] = one_of({member.value: member for member in enum})
    return parse


parse_lon = float_in(-180.0, 180.0)
parse_lat = float_in(-90.0, 90.0)
parse_azimuth = float_in(0.0, 360.0, high_open=True)


def format_float(value: float) -> str:
    """Shortest text that reads back as exactly the same float."""
    return repr(float(value))


def format_enum(value: Enum | str) -> str:
    """The member's value (a plain string is written as is and checked like one read)."""
    return str(value.value) if isinstance(value, Enum) else str(value)
