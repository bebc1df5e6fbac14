"""`truceline export ...`: open data from the store (and the alerts outbox) into files."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from truceline.cli_options import DatabaseOpt
from truceline.errors import InputError
from truceline.exports.public import OpenData

export_app = typer.Typer(
    help="Open data: GeoJSON, HXL CSV, KML, GeoPackage, ACLED/UCDP CSV, Atom feed of alerts.",
    no_args_is_help=True,
)
out = Console(soft_wrap=True)


class Layer(StrEnum):
    EVENTS = "events"
    VIOLATIONS = "violations"


OutOpt = Annotated[Path, typer.Option("--out", help="File to write (replaced atomically).")]
FromOpt = Annotated[
    str | None,
    typer.Option("--from", help="From this date (2026-11-21) or ISO 8601 UTC time, included."),
]
ToOpt = Annotated[
    str | None,
    typer.Option("--to", help="To this date (the whole day included) or time (excluded)."),
]
TheatreOpt = Annotated[
    Path | None,
    typer.Option("--theatre", help="theatre.geojson: party names, line of contact, areas."),
]
LayerOpt = Annotated[Layer, typer.Option("--layer", help="Which layer to write.")]
CountryOpt = Annotated[str, typer.Option("--country", help="Country name, e.g. Ukraine.")]
RegionOpt = Annotated[str, typer.Option("--region", help="Region, e.g. Europe.")]
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_bound(text: str | None, option: str, *, end: bool) -> datetime | None:
    """A --from/--to value: a date is the start of that day (for --to, of the next day)."""
    from truceline.io.timefmt import parse_time

    if text is None:
        return None
    try:
        if _DATE.fullmatch(text):
            day = datetime.strptime(text, "%Y-%m-%d").replace(tzinfo=UTC)
            return day + timedelta(days=1) if end else day
        return parse_time(text)
    except ValueError as exc:
        raise InputError(f"{text!r}: {exc}", column=option) from None


def _load(
    database: str | None, theatre: Path | None, start: str | None, end: str | None
) -> OpenData:
    from truceline.exports.source import load_open_data, open_existing_store
    from truceline.io.theatre import read_theatre

    lower = parse_bound(start, "--from", end=False)
    upper = parse_bound(end, "--to", end=True)
    if lower is not None and upper is not None and lower >= upper:
        raise InputError("--from must come before --to", column="--from")
    geography = read_theatre(theatre) if theatre is not None else None
    engine = open_existing_store(database)
    try:
        return load_open_data(engine, start=lower, end=upper, theatre=geography)
    finally:
        engine.dispose()


def _report(data: OpenData, path: Path) -> None:
    unlocated = sum(not f.located for f in data.violations.features)
    out.print(
        f"{len(data.events.features)} events, {len(data.violations.features)} violations "
        f"({unlocated} without a public position) written to {path}"
    )


@export_app.command("geojson")
def geojson(
    out_path: OutOpt,
    layer: LayerOpt = Layer.EVENTS,
    ellipses: Annotated[
        bool, typer.Option("--ellipses", help="Add each event's one-sigma error ellipse.")
    ] = False,
    database: DatabaseOpt = None,
    start: FromOpt = None,
    end: ToOpt = None,
) -> None:
    """A GeoJSON FeatureCollection (RFC 7946) of the events or the violations."""
    from truceline.exports.geojson import write_geojson
    from truceline.exports.public import layer_named

    data = _load(database, None, start, end)
    write_geojson(out_path, layer_named(data, layer.value), ellipses=ellipses)
    _report(data, out_path)


@export_app.command("csv")
def csv(
    out_path: OutOpt,
    layer: LayerOpt = Layer.EVENTS,
    database: DatabaseOpt = None,
    start: FromOpt = None,
    end: ToOpt = None,
) -> None:
    """A CSV of the events or the violations with an HXL hashtag row under the header."""
    from truceline.exports.hxl import write_hxl_csv
    from truceline.exports.public import layer_named

    data = _load(database, None, start, end)
    write_hxl_csv(out_path, layer_named(data, layer.value))
    _report(data, out_path)


@export_app.command("kml")
def kml(
    out_path: OutOpt,
    database: DatabaseOpt = None,
    theatre: TheatreOpt = None,
    start: FromOpt = None,
    end: ToOpt = None,
) -> None:
    """KML 2.2 for Google Earth: events and violations by party, with time stamps."""
    from truceline.exports.kml import write_kml

    data = _load(database, theatre, start, end)
    write_kml(out_path, data)
    _report(data, out_path)


@export_app.command("gpkg")
def gpkg(
    out_path: OutOpt,
    database: DatabaseOpt = None,
    theatre: TheatreOpt = None,
    start: FromOpt = None,
    end: ToOpt = None,
) -> None:
    """A GeoPackage for QGIS: events, violations (and the theatre's line and areas)."""
    from truceline.exports.gpkg import write_gpkg

    data = _load(database, theatre, start, end)
    write_gpkg(out_path, data)
    _report(data, out_path)


@export_app.command("acled")
def acled(
    out_path: OutOpt,
    database: DatabaseOpt = None,
    theatre: TheatreOpt = None,
    start: FromOpt = None,
    end: ToOpt = None,
    country: CountryOpt = "",
    iso: Annotated[
        int | None, typer.Option("--iso", help="ISO 3166-1 numeric code, e.g. 804.")
    ] = None,
    region: RegionOpt = "",
) -> None:
    """The violations as an ACLED-compatible CSV (ACLED's columns and event types)."""
    from truceline.exports.acled import Country, write_acled_csv

    data = _load(database, theatre, start, end)
    place = Country(name=country, iso=iso, region=region)
    rows = write_acled_csv(out_path, data, country=place, generated=datetime.now(UTC))
    out.print(f"{rows} violations written to {out_path} (unlocated ones cannot be ACLED rows)")


@export_app.command("ucdp")
def ucdp(
    out_path: OutOpt,
    database: DatabaseOpt = None,
    theatre: TheatreOpt = None,
    start: FromOpt = None,
    end: ToOpt = None,
    country: CountryOpt = "",
    country_id: Annotated[
        int | None, typer.Option("--country-id", help="Gleditsch-Ward number, e.g. 369.")
    ] = None,
    region: RegionOpt = "",
) -> None:
    """The fire violations as a UCDP GED-compatible CSV (GED's columns)."""
    from truceline.exports.acled import Country
    from truceline.exports.ucdp import write_ucdp_csv

    data = _load(database, theatre, start, end)
    rows = write_ucdp_csv(
        out_path, data, country=Country(name=country, gw_code=country_id, region=region)
    )
    out.print(f"{rows} fire violations written to {out_path}")


@export_app.command("atom")
def atom(
    out_path: OutOpt,
    alerts_dir: Annotated[
        Path | None,
        typer.Option("--alerts-dir", help="The CAP outbox (default: TRUCELINE_ALERTS_DIR)."),
    ] = None,
    base_url: Annotated[
        str | None,
        typer.Option("--base-url", help="Where the alert files are published (http(s) URL)."),
    ] = None,
) -> None:
    """An Atom 1.0 feed (RFC 4287) of the public CAP alerts, one entry per alert file."""
    from truceline.exports.atom import write_atom
    from truceline.settings import get_settings

    directory = alerts_dir or get_settings().alerts_dir
    if directory is None:
        raise InputError("no alerts directory given", column="--alerts-dir")
    if base_url is not None and not re.match(r"https?://[^\s/]+", base_url):
        raise InputError(f"{base_url!r} is not an http(s) URL", column="--base-url")
    entries = write_atom(out_path, directory, base_url=base_url)
    out.print(f"{entries} alerts in the feed written to {out_path}")
