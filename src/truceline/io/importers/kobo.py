"""KoboToolbox / ODK form exports (CSV) -> reports, through a column-mapping file.

The mapping (TOML or JSON, see docs/importers.md and docs/examples/kobo-mapping.toml) says
which form column gives which reports.csv field, which fields are the same for every row,
how form choices translate into reports.csv values, and which rows to leave out::

    id_column = "_uuid"            # report_id = "<id_prefix>-<value>"
    id_prefix = "kobo"             # default "kobo"
    delimiter = ";"                # default ","
    time_zone = "Europe/Kyiv"      # for form times without an offset (else refused)
    [columns]                      # reports.csv field = form column
    time = "observed_at"
    geopoint = "location"          # ODK "lat lon altitude accuracy": lat, lon, loc_sigma_m
    [constants]                    # reports.csv field = value
    source_kind = "monitor"
    [values.event_type]            # form choice = reports.csv value
    shelling = "explosion"
    [skip]                         # form column = values whose rows are skipped
    _validation_status = ["validation_status_not_approved"]

Every value goes through the reports.csv parser of its field, so a form value that
reports.csv would refuse is refused here, naming the export's line and form column.
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from truceline.domain import Report
from truceline.errors import InputError
from truceline.io.csvtable import Column, ColumnError
from truceline.io.importers.feed import (
    FeedFile,
    FeedImport,
    PathLike,
    Provenance,
    RawRow,
    first_occurrences,
    read_feed_file,
    span_time,
)
from truceline.io.reports import REPORTS, check_report

FEED = "kobo"
#: Geopoint pseudo-fields: the reports.csv fields they fill (latitude, longitude, sigma).
GEOPOINTS: dict[str, tuple[str, str, str | None]] = {
    "geopoint": ("lat", "lon", "loc_sigma_m"),
    "observer_geopoint": ("observer_lat", "observer_lon", None),
}
FIELDS: dict[str, Column] = {c.name: c for c in REPORTS.columns if c.name != "report_id"}
REQUIRED_FIELDS = tuple(c.name for c in REPORTS.columns if c.required and c.name != "report_id")
_KEYS = frozenset(
    ("id_column", "id_prefix", "delimiter", "time_zone", "columns", "constants", "values", "skip")
)
_OFFSET = re.compile(r"([+-])(\d{2}):?(\d{2})")


@dataclass(frozen=True)
class KoboMapping:
    """How a form export maps to reports.csv (read with :func:`read_mapping`)."""

    id_column: str
    columns: dict[str, str] = field(default_factory=dict)
    constants: dict[str, str] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    skip: dict[str, tuple[str, ...]] = field(default_factory=dict)
    id_prefix: str = FEED
    delimiter: str = ","
    time_zone: tzinfo | None = None
    file: str = "<mapping>"


def read_mapping(path: PathLike) -> KoboMapping:
    """Read and check a mapping file (``.toml`` or ``.json``); errors name the key."""
    file = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read the mapping ({exc})", file=file) from None
    try:
        data = json.loads(text) if file.lower().endswith(".json") else tomllib.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"not valid JSON: {exc.msg}", file=file, line=exc.lineno) from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"not valid TOML: {exc}", file=file) from None
    return parse_mapping(data, file=file)


def parse_mapping(data: Any, *, file: str = "<mapping>") -> KoboMapping:
    """Check parsed mapping content and build the :class:`KoboMapping`."""

    def fail(message: str, key: str) -> InputError:
        return InputError(message, file=file, column=key)

    if not isinstance(data, dict):
        raise fail("the mapping must be a table (object)", "mapping")
    unknown = sorted(set(data) - _KEYS)
    if unknown:
        raise fail(f"unknown key; expected some of {', '.join(sorted(_KEYS))}", unknown[0])
    columns = _str_table(data.get("columns", {}), "columns", fail)
    constants = _str_table(data.get("constants", {}), "constants", fail)
    for section, table in (("columns", columns), ("constants", constants)):
        for name in table:
            if name not in FIELDS and (section == "constants" or name not in GEOPOINTS):
                raise fail(f"not a reports.csv field: {name!r}", f"{section}.{name}")
    values = _value_maps(data.get("values", {}), fail)
    _check_given_values(constants, values, fail)
    given = set(columns) | set(constants)
    given.update(f for g in columns if g in GEOPOINTS for f in GEOPOINTS[g][:2])
    for name in REQUIRED_FIELDS:
        if name not in given:
            raise fail(f"required field {name!r} is neither in [columns] nor in [constants]", name)
    id_column = data.get("id_column")
    if not isinstance(id_column, str) or not id_column:
        raise fail("id_column must name the form column of the submission id", "id_column")
    delimiter = data.get("delimiter", ",")
    if not isinstance(delimiter, str) or len(delimiter) != 1:
        raise fail("delimiter must be one character", "delimiter")
    prefix = data.get("id_prefix", FEED)
    if not isinstance(prefix, str) or not re.fullmatch(r"[A-Za-z0-9_.-]+", prefix):
        raise fail("id_prefix must be letters, digits, '_', '.' or '-'", "id_prefix")
    return KoboMapping(
        id_column=id_column,
        columns=columns,
        constants=constants,
        values=values,
        skip=_skip_table(data.get("skip", {}), fail),
        id_prefix=prefix,
        delimiter=delimiter,
        time_zone=_zone(data.get("time_zone"), fail),
        file=file,
    )


def _str_table(value: Any, key: str, fail: Any) -> dict[str, str]:
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise fail(f"[{key}] must map names to strings", key)
    return dict(value)


def _value_maps(value: Any, fail: Any) -> dict[str, dict[str, str]]:
    if not isinstance(value, dict):
        raise fail("[values] must hold one table per field", "values")
    for name, table in value.items():
        if name not in FIELDS:
            raise fail(f"not a reports.csv field: {name!r}", f"values.{name}")
        _str_table(table, f"values.{name}", fail)
    return {name: dict(table) for name, table in value.items()}


def _check_given_values(
    constants: dict[str, str], values: dict[str, dict[str, str]], fail: Any
) -> None:
    """Constants and value-map targets must be values reports.csv accepts (time aside)."""
    given = [(f"constants.{n}", n, v) for n, v in constants.items()]
    given += [(f"values.{n}.{k}", n, v) for n, table in values.items() for k, v in table.items()]
    for key, name, value in given:
        if name == "time" or value == "":
            continue
        try:
            FIELDS[name].parse(value)
        except ValueError as exc:
            raise fail(f"{exc}, got {value!r}", key) from None


def _skip_table(value: Any, fail: Any) -> dict[str, tuple[str, ...]]:
    if not isinstance(value, dict):
        raise fail("[skip] must map form columns to lists of values", "skip")
    out = {}
    for column, items in value.items():
        if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
            raise fail("must be a list of strings", f"skip.{column}")
        out[column] = tuple(items)
    return out


def _zone(value: Any, fail: Any) -> tzinfo | None:
    """A UTC offset (``+02:00``) or an IANA zone name (``Europe/Kyiv``)."""
    if value is None:
        return None
    if isinstance(value, str):
        match = _OFFSET.fullmatch(value)
        if match:
            sign = -1 if match.group(1) == "-" else 1
            hours, minutes = int(match.group(2)), int(match.group(3))
            return timezone(sign * timedelta(hours=hours, minutes=minutes))
        try:
            return ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    why = f"not a UTC offset (+02:00) or a time zone name (Europe/Kyiv): {value!r}"
    raise fail(why, "time_zone")


def read_kobo(path: PathLike, mapping: KoboMapping) -> FeedImport:
    """Read a form export (CSV) into reports with ``mapping``; refuse the first bad value.

    Raises
    ------
    InputError
        Naming the export, the line and the form column (and the field it feeds).
    """
    needed = [mapping.id_column, *mapping.columns.values(), *mapping.skip]
    feed = read_feed_file(path, list(dict.fromkeys(needed)), delimiter=mapping.delimiter)
    result = FeedImport(mapping.id_prefix, feed.file, feed.sha256, rows=len(feed.rows))
    _, duplicates = first_occurrences(feed.rows, mapping.id_column)
    first_line: dict[str, int] = {}
    for row in feed.rows:
        ident = row.get(mapping.id_column)
        if not ident:
            raise feed.error("required value is empty", row.line, mapping.id_column)
        if row.line in duplicates:
            result.skip(row.line, ident, "duplicate row", f"same as line {duplicates[row.line]}")
            continue
        if ident in first_line:
            why = f"submission {ident!r} repeated with other content (line {first_line[ident]})"
            raise feed.error(why, row.line, mapping.id_column)
        first_line[ident] = row.line
        reason = _skip_reason(row, mapping)
        if reason:
            result.skip(row.line, ident, reason)
            continue
        report = _report(feed, row, mapping, f"{mapping.id_prefix}-{ident}")
        result.add(report, _provenance(feed, row, mapping, report.report_id, ident))
    return result


def _skip_reason(row: RawRow, mapping: KoboMapping) -> str | None:
    for column, values in mapping.skip.items():
        if row.get(column) in values:
            return f"{column} = {row.get(column)}"
    return None


def _report(feed: FeedFile, row: RawRow, mapping: KoboMapping, report_id: str) -> Report:
    values: dict[str, Any] = {name: column.default for name, column in FIELDS.items()}
    where = {**{name: "[constants]" for name in mapping.constants}, **mapping.columns}
    for name, column_name in mapping.columns.items():
        if name in GEOPOINTS:
            values.update(_geopoint(feed, row, column_name, GEOPOINTS[name]))
    for name in FIELDS:
        if name in mapping.columns:
            cell = row.get(mapping.columns[name])
        elif name in mapping.constants:
            cell = mapping.constants[name]
        else:
            continue
        cell = mapping.values.get(name, {}).get(cell, cell)
        located = f"{where[name]} ({name})" if where[name] != name else name
        if cell == "":
            if FIELDS[name].required:
                raise feed.error("required value is empty", row.line, located)
            continue
        parse = FIELDS[name].parse
        try:
            values[name] = _parse_time(cell, mapping, values) if name == "time" else parse(cell)
        except ValueError as exc:
            raise feed.error(f"{exc}, got {cell!r}", row.line, located) from None
    report = Report(report_id=report_id, **values)
    try:
        check_report(report)
    except ColumnError as exc:
        raise feed.error(str(exc), row.line, where.get(exc.column, exc.column)) from None
    return report


def _geopoint(
    feed: FeedFile, row: RawRow, column: str, names: tuple[str, str, str | None]
) -> dict[str, float]:
    """ODK geopoint ``lat lon [altitude [accuracy]]`` -> lat, lon (and accuracy as sigma)."""
    cell = row.get(column)
    if not cell:
        return {}
    parts = cell.split()
    try:
        numbers = [float(p) for p in parts]
    except ValueError:
        numbers = []
    if not 2 <= len(numbers) <= 4 or abs(numbers[0]) > 90 or abs(numbers[1]) > 180:
        why = f"not an ODK geopoint 'lat lon [altitude [accuracy]]', got {cell!r}"
        raise feed.error(why, row.line, column)
    out = {names[0]: numbers[0], names[1]: numbers[1]}
    if names[2] is not None and len(numbers) == 4 and numbers[3] > 0:
        out[names[2]] = numbers[3]
    return out


def _parse_time(cell: str, mapping: KoboMapping, values: dict[str, Any]) -> datetime:
    """A form time with an offset (or the mapping's zone); a date alone is a uniform day."""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", cell):
        day = datetime.fromisoformat(cell).date()
        middle, sigma = span_time(day, day)
        if values.get("time_sigma_s") is None:
            values["time_sigma_s"] = sigma
        return middle
    try:
        moment = datetime.fromisoformat(cell)
    except ValueError:
        raise ValueError("expected an ISO 8601 time like 2026-03-01T04:12:33+02:00") from None
    if moment.tzinfo is None:
        if mapping.time_zone is None:
            raise ValueError("time has no offset; give time_zone in the mapping")
        moment = moment.replace(tzinfo=mapping.time_zone)
    return moment.astimezone(UTC)


def _provenance(
    feed: FeedFile, row: RawRow, mapping: KoboMapping, report_id: str, ident: str
) -> Provenance:
    submitted = row.get("_submission_time")
    return Provenance(
        report_id=report_id,
        feed=mapping.id_prefix,
        file=feed.file,
        file_sha256=feed.sha256,
        line=row.line,
        original_id=ident,
        notes=f"mapping={mapping.file}" + (f"; _submission_time={submitted}" if submitted else ""),
    )
