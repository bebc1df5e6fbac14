"""Commitment files: a JSON array of objects, or a CSV table, with the same fields.

========================== ========= ===================================================
field                      required  value
========================== ========= ===================================================
commitment_id              yes       unique id, e.g. ``FR-MFU-1``
guarantor                  yes       the guarantor state, e.g. ``FR``
kind                       yes       ``troops``, ``air_policing``, ``funds``, ...
quantity                   yes       the pledge, a positive number
unit                       yes       ``personnel``, ``aircraft``, ``EUR``, ...
trigger                    yes       a rule (:mod:`truceline.guarantees.triggers`); in CSV
                                     its JSON text
pledged_on                 yes       date of the pledge, ``YYYY-MM-DD``
approved_by_government_on  no        date of each later status reached; the dates must
ratified_by_parliament_on            climb the ladder (:mod:`.ratification`)
in_force_on
withdrawn_on
requires_parliament        no        ``true`` (default) or ``false``
notes                      no        an object of texts (in CSV its JSON text)
========================== ========= ===================================================

Unknown fields are refused (a misspelt date must not pass unnoticed). Errors are InputErrors
naming the file, the line (of the object in JSON, of the row in CSV) and the field.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from truceline.domain import Commitment, RatificationStatus
from truceline.errors import ConflictError, InputError
from truceline.guarantees.ratification import RatificationStep, history_from_dates
from truceline.guarantees.triggers import parse_trigger, trigger_text

Status = RatificationStatus
DATE_FIELDS: dict[str, RatificationStatus] = {
    "pledged_on": Status.PLEDGED,
    "approved_by_government_on": Status.APPROVED_BY_GOVERNMENT,
    "ratified_by_parliament_on": Status.RATIFIED_BY_PARLIAMENT,
    "in_force_on": Status.IN_FORCE,
    "withdrawn_on": Status.WITHDRAWN,
}
REQUIRED = ("commitment_id", "guarantor", "kind", "quantity", "unit", "trigger", "pledged_on")
KNOWN = frozenset((*REQUIRED, *DATE_FIELDS, "requires_parliament", "notes"))
_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)


@dataclass(frozen=True)
class Registration:
    """A commitment read from a file, with the ratification history its dates give."""

    commitment: Commitment
    history: tuple[RatificationStep, ...]
    line: int


def read_commitments(path: str | os.PathLike[str], *, at: datetime) -> list[Registration]:
    """Every commitment of a ``.json`` or ``.csv`` file; the first bad value is an InputError."""
    file = os.fsdecode(path)
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"cannot read the file ({error})", file=file) from None
    if file.lower().endswith(".csv"):
        entries = _csv_entries(text, file)
    else:
        entries = _json_entries(text, file)
    registrations: list[Registration] = []
    seen: dict[str, int] = {}
    for line, entry in entries:
        registration = parse_commitment(entry, at=at, file=file, line=line)
        first = seen.setdefault(registration.commitment.commitment_id, line)
        if first != line:
            raise InputError(
                f"duplicate id (first on line {first})",
                file=file,
                line=line,
                column="commitment_id",
            )
        registrations.append(registration)
    return registrations


def parse_commitment(
    entry: Any, *, at: datetime, file: str = "<commitments>", line: int = 1
) -> Registration:
    """One commitment from its JSON object; InputError naming ``file``, ``line`` and field."""
    if not isinstance(entry, dict):
        raise InputError(
            f"each commitment must be a JSON object, got {entry!r}", file=file, line=line
        )
    for name in sorted(entry):
        if name not in KNOWN:
            known = ", ".join(sorted(KNOWN))
            raise InputError(f"unknown field (known: {known})", file=file, line=line, column=name)
    for name in REQUIRED:
        if entry.get(name) is None:
            raise InputError("missing (required)", file=file, line=line, column=name)
    try:
        commitment = _commitment(entry)
        dates = {
            name: _date(entry[name], name) for name in DATE_FIELDS if entry.get(name) is not None
        }
        current, history = _history(commitment, dates, at)
    except InputError as error:
        raise InputError(error.message, file=file, line=line, column=error.column) from None
    return Registration(current, tuple(history), line)


def _commitment(entry: Mapping[str, Any]) -> Commitment:
    trigger = entry["trigger"]
    rule = _rule_from_text(trigger) if isinstance(trigger, str) else parse_trigger(trigger)
    return Commitment(
        commitment_id=_text(entry["commitment_id"], "commitment_id"),
        guarantor=_text(entry["guarantor"], "guarantor"),
        kind=_text(entry["kind"], "kind"),
        unit=_text(entry["unit"], "unit"),
        quantity=_quantity(entry["quantity"]),
        trigger=trigger_text(rule),
        notes=_notes(entry.get("notes")),
        requires_parliament=_flag(entry.get("requires_parliament", True), "requires_parliament"),
    )


def _rule_from_text(text: str) -> Any:
    try:
        data = json.loads(text)
    except ValueError as error:
        raise InputError(f"not a JSON rule ({error})", column="trigger") from None
    return parse_trigger(data)


def _text(value: Any, name: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InputError(f"must be non-empty text, got {value!r}", column=name)
    return value.strip()


def _quantity(value: Any) -> float:
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            raise InputError(f"must be a number, got {value!r}", column="quantity") from None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InputError(f"must be a number, got {value!r}", column="quantity")
    if not math.isfinite(value) or value <= 0:
        raise InputError(f"must be a positive number, got {value!r}", column="quantity")
    return float(value)


def _date(value: Any, name: str) -> date:
    if not isinstance(value, str) or _DATE_RE.fullmatch(value) is None:
        raise InputError(f"must be a date YYYY-MM-DD, got {value!r}", column=name)
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise InputError(f"invalid date {value!r} ({error})", column=name) from None


def _flag(value: Any, name: str) -> bool:
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    if not isinstance(value, bool):
        raise InputError(f"must be true or false, got {value!r}", column=name)
    return value


def _notes(value: Any) -> dict[str, str]:
    if value is None:
        return {}
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError as error:
            raise InputError(f"not a JSON object ({error})", column="notes") from None
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise InputError(f"must be an object of texts, got {value!r}", column="notes")
    return dict(value)


def _history(
    commitment: Commitment, dates: Mapping[str, date], at: datetime
) -> tuple[Commitment, list[RatificationStep]]:
    """Walk the dates up the ladder; a step that fails is blamed on its own field."""
    given: dict[RatificationStatus, date] = {}
    for name, day in dates.items():  # in ladder order, pledged_on first
        given[DATE_FIELDS[name]] = day
        try:
            current, history = history_from_dates(commitment, given, at=at)
        except ConflictError as error:
            raise InputError(f"ratification: {error}", column=name) from None
    return current, history


def _json_entries(text: str, file: str) -> list[tuple[int, Any]]:
    """The array's elements, each with the line it starts on."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError(f"not JSON ({error.msg})", file=file, line=error.lineno) from None
    if not isinstance(data, list):
        raise InputError("must be a JSON array of commitment objects", file=file, line=1)
    decoder, position, entries = json.JSONDecoder(), text.index("[") + 1, []
    for _ in data:
        while text[position] in " \t\r\n,":
            position += 1
        value, end = decoder.raw_decode(text, position)
        entries.append((text.count("\n", 0, position) + 1, value))
        position = end
    return entries


def _csv_entries(text: str, file: str) -> list[tuple[int, Any]]:
    """The rows as objects (empty cells left out), each with its line number."""
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if header is None:
        raise InputError("empty file (a header row is needed)", file=file, line=1)
    names = [name.strip() for name in header]
    entries = []
    for row in reader:
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(names):
            message = f"{len(row)} values for {len(names)} columns"
            raise InputError(message, file=file, line=reader.line_num)
        cells = {name: cell.strip() for name, cell in zip(names, row, strict=True) if cell.strip()}
        entries.append((reader.line_num, cells))
    return entries
