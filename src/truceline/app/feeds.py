"""Importing real feeds: read and validate the whole file, store it in one transaction,
write the interchange reports and the provenance sidecar."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console

from truceline.app.progress import step
from truceline.errors import ConflictError, InputError
from truceline.io.importers.feed import FeedImport
from truceline.io.importers.provenance import write_provenance
from truceline.io.reports import write_reports
from truceline.store.database import open_store
from truceline.store.observations import ingest


@dataclass(frozen=True)
class ImportSummary:
    """What an import did: rows read, reports made, stored now or before, skipped by reason."""

    feed: str
    file: str
    sha256: str
    rows: int
    imported: int
    skipped: dict[str, int]
    stored_new: int | None = None  # None when nothing was stored
    stored_existing: int | None = None
    written: dict[str, Path] = field(default_factory=dict)


def provenance_path_for(out: Path) -> Path:
    """``reports.csv`` -> ``reports.provenance.csv`` (beside it)."""
    return out.with_name(f"{out.stem}.provenance.csv")


def import_feed(
    result: FeedImport,
    *,
    database_url: str | None,
    store: bool = True,
    out: Path | None = None,
    provenance: Path | None = None,
    console: Console | None = None,
) -> ImportSummary:
    """Store the reports of a validated feed (all or nothing) and write the files asked for.

    Storing is idempotent: a report already stored with the same content counts as existing;
    the same id with other content is refused and nothing of the file is stored.
    """
    new = existing = None
    if store:
        with step(console, f"Storing {len(result.reports)} reports (one transaction)"):
            new, existing = _store(result, database_url)
    written: dict[str, Path] = {}
    if out is not None:
        write_reports(out, result.reports)
        written["reports"] = out
        provenance = provenance or provenance_path_for(out)
    if provenance is not None:
        write_provenance(provenance, result)
        written["provenance"] = provenance
    return ImportSummary(
        feed=result.feed,
        file=result.file,
        sha256=result.sha256,
        rows=result.rows,
        imported=len(result.reports),
        skipped=result.skipped_by_reason(),
        stored_new=new,
        stored_existing=existing,
        written=written,
    )


def _store(result: FeedImport, database_url: str | None) -> tuple[int, int]:
    engine = open_store(database_url)
    try:
        added = ingest(engine, reports=result.reports)["reports"]
    except ConflictError as exc:
        raise InputError(f"{exc} (refused; nothing stored)", file=result.file) from None
    finally:
        engine.dispose()
    return added.new, added.existing
