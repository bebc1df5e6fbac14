"""The `truceline` command: a thin layer that converts arguments and prints results."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from sqlalchemy.exc import SQLAlchemyError

from truceline import __version__
from truceline.cli_alert import alert_app
from truceline.cli_case import case_app
from truceline.cli_commitment import commitment_app
from truceline.cli_export import export_app
from truceline.cli_import import import_app
from truceline.cli_log import log_app
from truceline.cli_options import DatabaseOpt
from truceline.cli_report import report_app
from truceline.cli_user import user_app
from truceline.errors import InputError, TrucelineError

app = typer.Typer(
    help="Truceline: ceasefire monitoring and verification.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
theatre_app = typer.Typer(help="Build and inspect theatres.", no_args_is_help=True)
db_app = typer.Typer(help="The store: migrations and counts.", no_args_is_help=True)
app.add_typer(theatre_app, name="theatre")
app.add_typer(db_app, name="db")
app.add_typer(case_app, name="case")
app.add_typer(alert_app, name="alert")
app.add_typer(log_app, name="log")
app.add_typer(commitment_app, name="commitment")
app.add_typer(export_app, name="export")
app.add_typer(import_app, name="import")
app.add_typer(user_app, name="user")
app.add_typer(report_app, name="report")
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)


def _version(value: bool) -> None:
    if value:
        out.print(f"truceline {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """Truceline: ceasefire monitoring and verification."""


def _parse_time_option(text: str, option: str) -> datetime:
    from truceline.io.timefmt import parse_time

    try:
        return parse_time(text)
    except ValueError as exc:
        raise InputError(str(exc), column=option) from None


@app.command()
def simulate(
    out_dir: Annotated[Path, typer.Option("--out", help="Directory for the scenario files.")],
    seed: Annotated[
        int, typer.Option(help="Random seed; the same seed gives the same scenario.")
    ] = 1,
    profile: Annotated[str, typer.Option(help="quiet or busy.")] = "busy",
    theatre: Annotated[
        Path | None, typer.Option(help="theatre.geojson (default: the built-in demo theatre).")
    ] = None,
    start: Annotated[str, typer.Option(help="Start time, ISO 8601 UTC.")] = "2026-11-21T00:00:00Z",
    hours: Annotated[int, typer.Option(min=1, max=24 * 31, help="Length of the scenario.")] = 24,
) -> None:
    """Simulate a scenario with complete ground truth; write interchange files and truth/."""
    from truceline.app.scenarios import simulate_to_files

    paths = simulate_to_files(
        out_dir,
        seed=seed,
        profile=profile,
        theatre_path=theatre,
        start=_parse_time_option(start, "--start"),
        hours=hours,
        console=err,
    )
    out.print(
        f"Scenario written to {out_dir}/ ({', '.join(p.name for p in paths.values())}, truth/)"
    )


@app.command()
def ingest(
    sensors: Annotated[Path | None, typer.Option(help="sensors.csv")] = None,
    arrivals: Annotated[Path | None, typer.Option(help="arrivals.csv")] = None,
    weather: Annotated[Path | None, typer.Option(help="weather.csv")] = None,
    reports: Annotated[Path | None, typer.Option(help="reports.csv")] = None,
    database: DatabaseOpt = None,
) -> None:
    """Validate interchange files and store them in one transaction (all or nothing)."""
    from truceline.app.intake import ingest_files

    results = ingest_files(
        database, sensors=sensors, arrivals=arrivals, weather=weather, reports=reports, console=err
    )
    for name, res in results.items():
        out.print(f"{name}: {res.new} new, {res.existing} already stored")


@app.command()
def analyze(
    sensors: Annotated[Path, typer.Option(help="sensors.csv")],
    arrivals: Annotated[Path, typer.Option(help="arrivals.csv")],
    out_dir: Annotated[Path, typer.Option("--out", help="Directory for events.csv and run.json.")],
    weather: Annotated[Path | None, typer.Option(help="weather.csv (sound speed, wind).")] = None,
    theatre: Annotated[
        Path | None, typer.Option(help="theatre.geojson: attribution, pairing and the rules.")
    ] = None,
    reports: Annotated[Path | None, typer.Option(help="reports.csv: fused into events.")] = None,
    register: Annotated[
        Path | None, typer.Option(help="register.json: declared weapons (missing-weapon rule).")
    ] = None,
    workers: Annotated[
        int, typer.Option(min=1, help="Processes (time windows in parallel; same results).")
    ] = 1,
    engine: Annotated[
        str, typer.Option(help="local (in-process) or dask (a Dask cluster; same results).")
    ] = "local",
    scheduler: Annotated[
        str | None,
        typer.Option(help="With --engine dask: tcp://HOST:PORT (default: --workers locally)."),
    ] = None,
) -> None:
    """Group sensor arrivals into events and locate them, with error ellipses and the CRLB;
    with --theatre, attribute them, pair impacts with launches and apply the rules."""
    from truceline.app.analysis import analyze_files
    from truceline.engine.pipeline import EngineConfig
    from truceline.scale.engines import engine_config

    result, paths = analyze_files(
        cfg=EngineConfig(workers=workers),
        engine=engine_config(engine, scheduler, workers),
        sensors=sensors,
        arrivals=arrivals,
        out_dir=out_dir,
        weather=weather,
        theatre=theatre,
        reports=reports,
        register=register,
        console=err,
    )
    kinds = {
        k: sum(1 for e in result.events if e.kind == k) for k in ("launch", "impact", "unknown")
    }
    out.print(
        f"{len(result.events)} events ({kinds['launch']} launch, {kinds['impact']} impact, "
        f"{kinds['unknown']} unknown); {len(result.unassociated)} arrivals unassociated"
    )
    out.print(f"Events: {paths['events']}  (provenance: {paths['run']})")
    if "violations" in paths:
        out.print(f"Violations: {paths['violations']}  (daily ledger: {paths['ledger']})")


@app.command()
def crlb(
    sensors: Annotated[Path, typer.Option(help="sensors.csv")],
    lon: Annotated[float, typer.Option(help="Source longitude.")],
    lat: Annotated[float, typer.Option(help="Source latitude.")],
    elev: Annotated[
        float | None, typer.Option(help="Source elevation (default: median sensor).")
    ] = None,
    max_range: Annotated[
        float, typer.Option(help="Sensors within this many metres hear it.")
    ] = 25_000.0,
    sigma: Annotated[
        float | None, typer.Option(help="Timing sigma, s (default: each sensor's).")
    ] = None,
    temperature: Annotated[float, typer.Option(help="Air temperature, deg C.")] = 10.0,
    height_sigma: Annotated[
        float | None, typer.Option(help="Prior sigma of the source height, m (default: known).")
    ] = None,
) -> None:
    """The Cramer-Rao bound on the horizontal position for a source heard by the network."""
    from truceline.app.analysis import crlb_at

    bound, n = crlb_at(
        sensors=sensors,
        lon=lon,
        lat=lat,
        elev_m=elev,
        max_range_m=max_range,
        sigma_s=sigma,
        temperature_c=temperature,
        height_sigma_m=height_sigma,
    )
    out.print(f"CRLB {bound:.3f} m RMS horizontal, from {n} sensors")


@theatre_app.command("build")
def theatre_build(
    occupied: Annotated[Path, typer.Option(help="GeoJSON of one party's (occupied) area.")],
    border: Annotated[Path, typer.Option(help="GeoJSON whose union is the national border.")],
    out_path: Annotated[Path, typer.Option("--out", help="theatre.geojson to write.")],
    in_force: Annotated[
        str | None, typer.Option(help="When the ceasefire enters into force (ISO 8601 UTC).")
    ] = None,
    name: Annotated[str, typer.Option(help="Name of the theatre.")] = "",
    attribution: Annotated[
        str, typer.Option(help="Credit for the source data (kept in the file).")
    ] = "",
) -> None:
    """Derive a theatre (control areas, contact line, zones, sites) for any date."""
    from truceline.geo.theatre_build import build_theatre_files

    moment = _parse_time_option(in_force, "--in-force") if in_force else None
    build_theatre_files(
        occupied, border, out_path, in_force=moment, name=name, attribution=attribution
    )
    out.print(f"Theatre written to {out_path}")


@theatre_app.command("demo")
def theatre_demo(
    out_path: Annotated[Path, typer.Option("--out", help="Where to write the demo theatre.")],
) -> None:
    """Write the built-in demo theatre (real line of contact, 2026-08-22) to a file."""
    from truceline.geo.demo import load_demo_theatre
    from truceline.io.theatre import write_theatre

    write_theatre(out_path, load_demo_theatre())
    out.print(f"Demo theatre written to {out_path}")


@theatre_app.command("store")
def theatre_store(
    path: Annotated[Path, typer.Argument(help="theatre.geojson to store.")],
    name: Annotated[
        str | None, typer.Option(help="Name to store it under (default: its own name).")
    ] = None,
    database: DatabaseOpt = None,
) -> None:
    """Store a theatre in the database (review re-runs and the queue use the stored one)."""
    from truceline.app.intake import store_theatre_file

    stored = store_theatre_file(path, name=name, database_url=database)
    out.print(f"Theatre {stored.name!r} stored (sha256 {stored.sha256[:12]})")


@db_app.command("migrate")
def db_migrate(database: DatabaseOpt = None) -> None:
    """Create or upgrade the store's schema (Alembic)."""
    from truceline.store.database import open_store

    open_store(database)
    out.print("Store is at the latest schema.")


@db_app.command("counts")
def db_counts(database: DatabaseOpt = None) -> None:
    """Rows per table."""
    from truceline.store.database import count_rows, open_store

    with open_store(database).connect() as conn:
        for table, n in count_rows(conn).items():
            out.print(f"{table:<12} {n}")


@app.command()
def demo(
    out_dir: Annotated[
        Path, typer.Option("--out", help="Where the demo writes everything.")
    ] = Path("truceline-out"),
    seed: Annotated[int, typer.Option(help="Seed of the simulated day.")] = 2026,
) -> None:
    """Run the mechanism end to end on a simulated busy day over the real line of contact."""
    from truceline.app.demo import print_summary, run_demo
    from truceline.settings import get_settings

    target = out_dir if out_dir is not None else get_settings().output_dir
    print_summary(run_demo(target, seed=seed, console=err), out)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
) -> None:
    """Run the HTTP API (store: TRUCELINE_DATABASE_URL; see docs/api.md)."""
    from truceline.api.serve import serve as run_api

    run_api(host=host, port=port)


def main() -> None:
    """Entry point: user errors become one line on stderr and exit status 2."""
    try:
        app()
    except TrucelineError as exc:  # InputError and the rest: exit 2, one line
        _fail(str(exc), 2)
    except SQLAlchemyError as exc:  # the store cannot be reached or used
        _fail(
            f"the database failed: {exc.__class__.__name__}: {exc.args[0] if exc.args else exc}", 1
        )


def _fail(message: str, status: int) -> None:
    one_line = " ".join(message.split())  # exactly one line, however the cause was worded
    print(f"error: {one_line}", file=sys.stderr)
    sys.exit(status)
