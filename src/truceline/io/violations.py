"""violations.csv: the breaches the rules found, one row per violation (a Truceline output
beside events.csv; not part of the shared contract's inputs)."""

from __future__ import annotations

from collections.abc import Iterable

from truceline.domain import Severity, Violation, ViolationType
from truceline.io.csvtable import (
    Column,
    PathLike,
    Table,
    enum_parser,
    float_in,
    format_enum,
    format_float,
    parse_lat,
    parse_lon,
    parse_text,
    read_table,
    write_table,
)
from truceline.io.timefmt import format_time, parse_time

VIOLATIONS = Table(
    Violation,
    (
        Column("violation_id", parse_text, required=True, unique=True),
        Column("type", enum_parser(ViolationType), format_enum, required=True),
        Column("severity", enum_parser(Severity), format_enum, required=True),
        Column("time", parse_time, format_time, required=True),
        Column("event_id", parse_text),
        Column("report_id", parse_text),
        Column("party", parse_text),
        Column("p_party", float_in(0.0, 1.0), format_float),
        Column("lon", parse_lon, format_float),
        Column("lat", parse_lat, format_float),
        Column("description", parse_text, default=""),
    ),
)


def read_violations(path: PathLike) -> list[Violation]:
    """Read violations.csv; a bad value raises InputError naming file, line and column."""
    return read_table(path, VIOLATIONS)


def write_violations(path: PathLike, violations: Iterable[Violation]) -> None:
    """Write violations.csv atomically."""
    write_table(path, VIOLATIONS, violations)
