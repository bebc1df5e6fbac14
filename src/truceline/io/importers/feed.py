"""What every feed importer shares: raw rows with line numbers, outcomes, provenance, dates.

An importer reads a feed's own CSV, turns each row into a :class:`~truceline.domain.Report`
or a :class:`Skipped` entry (valid but out of scope, with the reason), and refuses a malformed
row with an :class:`~truceline.errors.InputError` naming file, line and column. So for every
import ``len(reports) + len(skipped) == rows``: no row is lost without a trace.
"""

from __future__ import annotations

import csv
import hashlib
import io
import math
import os
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from truceline.domain import Report
from truceline.errors import InputError

PathLike = str | os.PathLike[str]
SECONDS_PER_DAY = 86_400.0
#: One sigma of a time known only to lie somewhere in a span, uniformly: span / sqrt(12).
UNIFORM_SIGMA_FACTOR = 1.0 / math.sqrt(12.0)


@dataclass(frozen=True)
class Provenance:
    """Where one imported report came from (one row of the provenance sidecar)."""

    report_id: str
    feed: str
    file: str
    file_sha256: str
    line: int
    original_id: str
    sources: str = ""  # URLs separated by spaces, or the feed's own citation text
    notes: str = ""  # precision codes and other feed fields kept verbatim (key=value; ...)


@dataclass(frozen=True)
class Skipped:
    """A valid row left out on purpose, with the reason (counted, never silently dropped)."""

    line: int
    original_id: str
    reason: str
    detail: str = ""


@dataclass
class FeedImport:
    """The outcome of reading one feed file: reports, their provenance and skipped rows."""

    feed: str
    file: str
    sha256: str
    rows: int = 0
    reports: list[Report] = field(default_factory=list)
    provenance: list[Provenance] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)

    def add(self, report: Report, provenance: Provenance) -> None:
        """Keep one imported report with its provenance."""
        self.reports.append(report)
        self.provenance.append(provenance)

    def skip(self, line: int, original_id: str, reason: str, detail: str = "") -> None:
        """Record a row left out on purpose."""
        self.skipped.append(Skipped(line, original_id, reason, detail))

    def skipped_by_reason(self) -> dict[str, int]:
        """How many rows were skipped for each reason, most frequent first."""
        return dict(Counter(s.reason for s in self.skipped).most_common())


@dataclass(frozen=True)
class RawRow:
    """One data row of a feed file: its first line number and its cells by column name."""

    line: int
    cells: dict[str, str]

    def get(self, column: str) -> str:
        """The cell, stripped ('' when the column is absent)."""
        return self.cells.get(column, "").strip()

    def content_key(self) -> str:
        """A short, stable digest of the whole row (to tell duplicate rows apart)."""
        joined = "\x1f".join(f"{k}\x1e{v}" for k, v in self.cells.items())
        return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:10]


@dataclass
class FeedFile:
    """A feed CSV read into memory: name, SHA-256 of its bytes, header and rows."""

    file: str
    sha256: str
    header: list[str]
    rows: list[RawRow]

    def error(self, message: str, line: int | None = None, column: str | None = None) -> InputError:
        """An InputError located in this file."""
        return InputError(message, file=self.file, line=line, column=column)


def read_feed_file(path: PathLike, required: Sequence[str], *, delimiter: str = ",") -> FeedFile:
    """Read a UTF-8 CSV feed; refuse binary data, a missing column or a ragged row."""
    file = os.fsdecode(path)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read the file ({exc.strerror})", file=file) from None
    if b"\x00" in data:
        line = data.count(b"\n", 0, data.find(b"\x00")) + 1
        raise InputError("binary data (NUL byte), not a CSV file", file=file, line=line)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError(f"not valid UTF-8 (byte {exc.start})", file=file, line=line) from None
    feed = FeedFile(file, hashlib.sha256(data).hexdigest(), [], [])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        feed.header, feed.rows = _header_and_rows(reader, feed)
    except csv.Error as exc:
        raise feed.error(f"malformed CSV ({exc})", reader.line_num + 1) from None
    missing = [name for name in required if name not in feed.header]
    if missing:
        raise feed.error("required column is missing from the header", 1, missing[0])
    return feed


def _header_and_rows(reader: Iterator[list[str]], feed: FeedFile) -> tuple[list[str], list[RawRow]]:
    header: list[str] | None = None
    rows: list[RawRow] = []
    last = 0
    for row in reader:
        line, last = last + 1, reader.line_num  # type: ignore[attr-defined]
        if not row or (len(row) == 1 and not row[0].strip()):
            continue
        if header is None:
            header = [name.strip() for name in row]
            if len(set(header)) != len(header):
                twice = next(n for n in header if header.count(n) > 1)
                raise feed.error("column appears twice in the header", line, twice)
            continue
        if len(row) != len(header):
            column = header[len(row)] if len(row) < len(header) else None
            message = f"row has {len(row)} fields but the header has {len(header)}"
            raise feed.error(message, line, column)
        rows.append(RawRow(line, dict(zip(header, row, strict=True))))
    if header is None:
        raise feed.error("empty file: a header row is required", 1)
    return header, rows


def parse_coordinate(feed: FeedFile, row: RawRow, column: str, limit: float) -> float | None:
    """A finite number within ``[-limit, limit]`` or None when the cell is empty."""
    cell = row.get(column)
    if not cell:
        return None
    try:
        value = float(cell)
    except ValueError:
        raise feed.error(f"not a number, got {cell!r}", row.line, column) from None
    if not math.isfinite(value) or abs(value) > limit:
        raise feed.error(f"must be within [-{limit:g}, {limit:g}], got {cell!r}", row.line, column)
    return value


def parse_date(feed: FeedFile, row: RawRow, column: str, cell: str | None = None) -> date:
    """A calendar date ``YYYY-MM-DD`` (the cell of ``column`` unless ``cell`` is given)."""
    text = row.get(column) if cell is None else cell
    try:
        if len(text) != 10:
            raise ValueError("expected YYYY-MM-DD")
        return date.fromisoformat(text)
    except ValueError as exc:
        raise feed.error(f"not a date ({exc}), got {text!r}", row.line, column) from None


def parse_int_in(feed: FeedFile, row: RawRow, column: str, low: int, high: int) -> int:
    """An integer in ``[low, high]`` (codes such as UCDP's where_prec)."""
    cell = row.get(column)
    try:
        value = int(cell)
    except ValueError:
        raise feed.error(f"not an integer, got {cell!r}", row.line, column) from None
    if not low <= value <= high:
        raise feed.error(f"must be within [{low}, {high}], got {cell!r}", row.line, column)
    return value


def span_time(first: date, last: date) -> tuple[datetime, float]:
    """The middle of the UTC days ``first`` to ``last`` (inclusive) and its one sigma, s.

    A time known only to the day is taken as uniform over the span of days: its mean is
    the span's middle (noon UTC for a single day) and its sigma ``span / sqrt(12)``.

    >>> span_time(date(2022, 3, 1), date(2022, 3, 1))
    (datetime.datetime(2022, 3, 1, 12, 0, tzinfo=datetime.timezone.utc), 24941.53...)
    """
    start = datetime.combine(first, time(), tzinfo=UTC)
    days = (last - first).days + 1
    middle = start + timedelta(days=days / 2)
    return middle, days * SECONDS_PER_DAY * UNIFORM_SIGMA_FACTOR


def first_occurrences(rows: Sequence[RawRow], key: str) -> tuple[dict[str, int], dict[int, int]]:
    """Count each id of column ``key``; map each exact duplicate row to its first line.

    Returns ``(distinct_rows_per_id, duplicate_line -> first_line)``: an id is shared when
    more than one distinct row carries it.
    """
    first_line: dict[tuple[str, str], int] = {}
    duplicates: dict[int, int] = {}
    per_id: Counter[str] = Counter()
    for row in rows:
        ident = (row.get(key), row.content_key())
        if ident in first_line:
            duplicates[row.line] = first_line[ident]
            continue
        first_line[ident] = row.line
        per_id[ident[0]] += 1
    return dict(per_id), duplicates
