"""`truceline report ...`: the daily report and thematic reports, as HTML and PDF."""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from truceline.cli_options import DatabaseOpt
from truceline.errors import InputError
from truceline.i18n import DEFAULT_LANGUAGE, require_language, use_language

report_app = typer.Typer(
    help="Public reports: the daily report and thematic reports (HTML and PDF).",
    no_args_is_help=True,
)
out = Console(soft_wrap=True)

OutOpt = Annotated[Path, typer.Option("--out", help="Directory for the HTML and PDF files.")]
TheatreOpt = Annotated[
    Path | None,
    typer.Option(
        "--theatre",
        help="theatre.geojson (default: the theatre stored in the database, else the demo's).",
    ),
]
LangOpt = Annotated[
    str,
    typer.Option(
        "--lang",
        help="Language of the report: en, uk or ru. Other languages are written as "
        "NAME.LANG.html and NAME.LANG.pdf beside the English files.",
    ),
]
_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)


def parse_day(text: str, option: str) -> date:
    """A calendar day written ``YYYY-MM-DD`` (an InputError naming the option otherwise)."""
    if _DATE_RE.fullmatch(text.strip()) is None:
        raise InputError(f"expected a date like 2026-11-21, got {text!r}", column=option)
    try:
        return date.fromisoformat(text.strip())
    except ValueError as exc:
        raise InputError(f"invalid date {text!r} ({exc})", column=option) from None


@report_app.command("daily")
def daily(
    day: Annotated[str, typer.Option("--date", help="The day (UTC), YYYY-MM-DD.")],
    out_dir: OutOpt,
    database: DatabaseOpt = None,
    theatre: TheatreOpt = None,
    trend_days: Annotated[
        int, typer.Option(min=1, max=366, help="Days in the trend chart, ending with the day.")
    ] = 14,
    lang: LangOpt = DEFAULT_LANGUAGE,
) -> None:
    """The daily report: counts by party, type and area, map, trend, notable violations,
    weapons, denials of access, findings. Prints the paths of the HTML and the PDF."""
    from truceline.reports import write_daily_report

    when = parse_day(day, "--date")
    chosen = require_language(lang)
    html, pdf = write_in_language(
        chosen,
        out_dir,
        lambda folder: write_daily_report(database, when, folder, theatre, trend_days=trend_days),
    )
    out.print(f"HTML: {html}")
    out.print(f"PDF:  {pdf}")


@report_app.command("thematic")
def thematic(
    first: Annotated[str, typer.Option("--from", help="First day (UTC), YYYY-MM-DD.")],
    last: Annotated[str, typer.Option("--to", help="Last day (UTC), YYYY-MM-DD, included.")],
    out_dir: OutOpt,
    area: Annotated[
        str | None,
        typer.Option("--area", help="Only this area (see `truceline report areas`)."),
    ] = None,
    database: DatabaseOpt = None,
    theatre: TheatreOpt = None,
    lang: LangOpt = DEFAULT_LANGUAGE,
) -> None:
    """A report over a period, optionally for one area. Prints the paths of the files."""
    from truceline.reports import write_thematic_report

    start, end = parse_day(first, "--from"), parse_day(last, "--to")
    chosen = require_language(lang)
    html, pdf = write_in_language(
        chosen,
        out_dir,
        lambda folder: write_thematic_report(database, start, end, folder, theatre, area=area),
    )
    out.print(f"HTML: {html}")
    out.print(f"PDF:  {pdf}")


def write_in_language(
    lang: str, out_dir: Path, write: Callable[[Path], tuple[Path, Path]]
) -> tuple[Path, Path]:
    """Run ``write`` (which writes an HTML and a PDF into a folder) worded in ``lang``; a
    language other than English gets its code in the file names, so no English file is lost."""
    with use_language(lang):
        if lang == DEFAULT_LANGUAGE:
            return write(out_dir)
        with tempfile.TemporaryDirectory(prefix="truceline-report-") as scratch:
            written = write(Path(scratch))
            out_dir.mkdir(parents=True, exist_ok=True)
            moved = [
                Path(shutil.move(path, out_dir / f"{path.stem}.{lang}{path.suffix}"))
                for path in written
            ]
    return moved[0], moved[1]


@report_app.command("areas")
def areas(theatre: TheatreOpt = None, database: DatabaseOpt = None) -> None:
    """The areas reports count by (sectors along the line of contact, the rear)."""
    from truceline.reports.areas import divide_theatre
    from truceline.reports.publish import theatre_for_areas

    scheme = divide_theatre(theatre_for_areas(database, theatre))
    for name in scheme.names():
        out.print(f"{name:<10} {scheme.describe(name)}")
