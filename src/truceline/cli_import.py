"""`truceline import ...`: real feeds (UCDP GED, CIR, KoboToolbox/ODK) into reports."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from truceline.cli_options import DatabaseOpt

if TYPE_CHECKING:
    from truceline.io.importers import FeedImport

import_app = typer.Typer(
    help="Import real feeds (UCDP GED, CIR incidents, KoboToolbox/ODK) as reports.",
    no_args_is_help=True,
)
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

FileArg = Annotated[Path, typer.Argument(help="The feed's CSV file.")]
OutOpt = Annotated[
    Path | None,
    typer.Option("--out", help="Also write the reports as reports.csv (and its provenance)."),
]
ProvenanceOpt = Annotated[
    Path | None,
    typer.Option(
        help="Where to write the provenance sidecar (default: <out>.provenance.csv with --out)."
    ),
]
StoreOpt = Annotated[
    bool, typer.Option("--store/--no-store", help="Store the reports in the database.")
]


def _finish(
    result: FeedImport,
    database: str | None,
    out_path: Path | None,
    provenance: Path | None,
    store: bool,
) -> None:
    """Store and write an import, then print its counts."""
    from truceline.app.feeds import import_feed

    summary = import_feed(
        result,
        database_url=database,
        store=store,
        out=out_path,
        provenance=provenance,
        console=err,
    )
    skipped = sum(summary.skipped.values())
    out.print(f"{summary.file} (sha256 {summary.sha256[:12]}): {summary.rows} rows read")
    out.print(f"  imported: {summary.imported}")
    if summary.stored_new is not None:
        new, existing = summary.stored_new, summary.stored_existing
        out.print(f"  stored:   {new} new, {existing} already present")
    out.print(f"  skipped:  {skipped}")
    for reason, n in summary.skipped.items():
        out.print(f"    {n:>6}  {reason}")
    for name, path in summary.written.items():
        out.print(f"  {name} written to {path}")


@import_app.command("ucdp")
def import_ucdp(
    file: FileArg,
    database: DatabaseOpt = None,
    out_path: OutOpt = None,
    provenance: ProvenanceOpt = None,
    store: StoreOpt = True,
) -> None:
    """Import a UCDP GED CSV (one report per event, ids ucdp-<id>)."""
    from truceline.io.importers import read_ucdp

    _finish(read_ucdp(file), database, out_path, provenance, store)


@import_app.command("cir")
def import_cir(
    file: FileArg,
    database: DatabaseOpt = None,
    out_path: OutOpt = None,
    provenance: ProvenanceOpt = None,
    store: StoreOpt = True,
    country: Annotated[
        list[str] | None,
        typer.Option(help="Country in scope (repeat for several; default: Ukraine)."),
    ] = None,
) -> None:
    """Import the CIR incidents CSV (ids cir-<entry>); other countries are skipped."""
    from truceline.io.importers import read_cir
    from truceline.io.importers.osint_cir import DEFAULT_COUNTRIES

    result = read_cir(file, countries=country or DEFAULT_COUNTRIES)
    _finish(result, database, out_path, provenance, store)


@import_app.command("kobo")
def import_kobo(
    file: FileArg,
    mapping: Annotated[Path, typer.Option(help="Column mapping, TOML or JSON.")],
    database: DatabaseOpt = None,
    out_path: OutOpt = None,
    provenance: ProvenanceOpt = None,
    store: StoreOpt = True,
) -> None:
    """Import a KoboToolbox/ODK form export (CSV) through a column mapping."""
    from truceline.io.importers import read_kobo, read_mapping

    _finish(read_kobo(file, read_mapping(mapping)), database, out_path, provenance, store)


@import_app.command("replay-ucdp")
def replay_ucdp(
    file: FileArg,
    line: Annotated[
        Path,
        typer.Option(help="theatre.geojson, or an occupied-area GeoJSON (then give --border)."),
    ],
    out_path: Annotated[Path, typer.Option("--out", help="CSV to write.")],
    border: Annotated[
        Path | None, typer.Option(help="GeoJSON whose union is the national border.")
    ] = None,
    snap_m: Annotated[
        float, typer.Option(min=0.0, help="Points this close outside an area take its side.")
    ] = 1_000.0,
) -> None:
    """Give every UCDP event a side of a contact line and its distance to it."""
    from collections import Counter

    from truceline.app.replay import replay_ucdp_file

    events = replay_ucdp_file(file, line, out_path, border=border, snap_m=snap_m)
    sides = ", ".join(f"{side} {n}" for side, n in Counter(e.side for e in events).most_common())
    out.print(f"{len(events)} events placed ({sides}); written to {out_path}")
