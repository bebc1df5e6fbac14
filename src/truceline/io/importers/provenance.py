"""The provenance sidecar: one row per row of an imported feed file, imported or skipped.

reports.csv has no column for where a report came from, and the contract is kept as it is;
beside it, ``<reports>.provenance.csv`` lists, in file order, every data row of the feed with
its outcome, so that ``imported + skipped == rows`` can be checked from the file alone:

============ ==========================================================================
column       meaning
============ ==========================================================================
line         line of the row in the feed file (its first line for multi-line rows)
original_id  the feed's own id of the row (UCDP ``id``, CIR ``entry``, Kobo ``_uuid``)
outcome      ``imported`` or ``skipped``
report_id    the report made of the row (empty when skipped)
reason       why the row was skipped (empty when imported)
feed         ``ucdp-ged``, ``cir-monitor``, the Kobo mapping's ``id_prefix``
file         the feed file as given
file_sha256  SHA-256 of the feed file's bytes
sources      URLs (space-separated) or the feed's own citation of its sources
notes        feed fields kept verbatim (``key=value; ...``): precision codes, details
============ ==========================================================================
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from truceline.io.csvtable import (
    Column,
    PathLike,
    Table,
    int_at_least,
    one_of,
    parse_text,
    read_table,
    write_table,
)
from truceline.io.importers.feed import FeedImport

OUTCOMES = ("imported", "skipped")


@dataclass(frozen=True)
class RowOutcome:
    """What became of one row of a feed file."""

    line: int
    original_id: str | None
    outcome: str
    report_id: str | None
    reason: str | None
    feed: str
    file: str
    file_sha256: str
    sources: str | None = None
    notes: str | None = None


PROVENANCE = Table(
    RowOutcome,
    (
        Column("line", int_at_least(1), required=True),
        Column("original_id", parse_text),
        Column("outcome", one_of(OUTCOMES), required=True),
        Column("report_id", parse_text),
        Column("reason", parse_text),
        Column("feed", parse_text, required=True),
        Column("file", parse_text, required=True),
        Column("file_sha256", parse_text, required=True),
        Column("sources", parse_text),
        Column("notes", parse_text),
    ),
)


def row_outcomes(result: FeedImport) -> list[RowOutcome]:
    """Every row of the import, imported or skipped, in file order."""
    return sorted(_outcomes(result), key=lambda r: r.line)


def _outcomes(result: FeedImport) -> Iterator[RowOutcome]:
    for p in result.provenance:
        yield RowOutcome(
            line=p.line,
            original_id=p.original_id or None,
            outcome="imported",
            report_id=p.report_id,
            reason=None,
            feed=p.feed,
            file=p.file,
            file_sha256=p.file_sha256,
            sources=p.sources or None,
            notes=p.notes or None,
        )
    for s in result.skipped:
        yield RowOutcome(
            line=s.line,
            original_id=s.original_id or None,
            outcome="skipped",
            report_id=None,
            reason=f"{s.reason} ({s.detail})" if s.detail else s.reason,
            feed=result.feed,
            file=result.file,
            file_sha256=result.sha256,
        )


def write_provenance(path: PathLike, result: FeedImport) -> None:
    """Write the provenance sidecar of an import atomically."""
    write_table(path, PROVENANCE, row_outcomes(result))


def read_provenance(path: PathLike) -> list[RowOutcome]:
    """Read a provenance sidecar back."""
    return read_table(path, PROVENANCE)
