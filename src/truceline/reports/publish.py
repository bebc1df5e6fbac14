"""Write a daily or thematic report from a store to HTML and PDF files (the I/O edge)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import Connection, Engine
from sqlalchemy.engine import make_url

from truceline import __version__
from truceline.domain import Theatre
from truceline.errors import InputError
from truceline.geo.demo import load_demo_theatre
from truceline.io.theatre import parse_theatre, read_theatre
from truceline.reports.areas import AreaScheme, divide_theatre
from truceline.reports.charts import Figure, report_charts
from truceline.reports.daily import (
    TREND_DAYS,
    Period,
    ReportContext,
    ReportMaterial,
    build_context,
)
from truceline.reports.gather import daily_periods, gather_material
from truceline.reports.maps import map_frame, report_map
from truceline.reports.render import (
    MECHANISM,
    Provenance,
    render_html,
    render_pdf,
    report_title,
)
from truceline.settings import get_settings
from truceline.store.database import open_store
from truceline.store.theatres import get_theatres

MAX_THEMATIC_DAYS = 366
TheatreArg = str | Path | Theatre | None


@dataclass(frozen=True)
class _Job:
    """Which report to write: its kind, period, trend window, area and file name stem."""

    kind: str
    period: Period
    trend: Period
    stem: str
    area: str | None = None


def write_daily_report(
    database_url: str | None,
    day: date,
    out_dir: str | Path,
    theatre: TheatreArg = None,
    *,
    trend_days: int = TREND_DAYS,
    now: datetime | None = None,
    mechanism: str = MECHANISM,
) -> tuple[Path, Path]:
    """Write ``daily-YYYY-MM-DD.html`` and ``.pdf`` into ``out_dir``; return their paths."""
    job = _Job("daily", *daily_periods(day, trend_days), f"daily-{day.isoformat()}")
    return _write(database_url, job, out_dir, theatre, now, mechanism)


def write_thematic_report(
    database_url: str | None,
    first: date,
    last: date,
    out_dir: str | Path,
    theatre: TheatreArg = None,
    *,
    area: str | None = None,
    now: datetime | None = None,
    mechanism: str = MECHANISM,
) -> tuple[Path, Path]:
    """Write ``thematic-FIRST_LAST[-AREA].html`` and ``.pdf``; return their paths."""
    if last < first:
        raise InputError(f"the period ends ({last}) before it starts ({first})", column="--to")
    if (last - first).days + 1 > MAX_THEMATIC_DAYS:
        raise InputError(
            f"a thematic report covers at most {MAX_THEMATIC_DAYS} days", column="--to"
        )
    period = Period(first, last)
    job = _Job("thematic", period, period, f"thematic-{first}_{last}", area)
    return _write(database_url, job, out_dir, theatre, now, mechanism)


def make_report(
    material: ReportMaterial,
    scheme: AreaScheme,
    provenance: Provenance,
    *,
    kind: str = "daily",
    area: str | None = None,
    mechanism: str = MECHANISM,
) -> tuple[ReportContext, dict[str, Figure], str]:
    """The context, the figures (``map`` and the charts) and the HTML of a report."""
    ctx = build_context(material, scheme, kind=kind, area=area)
    events, violations = ctx.period_events, ctx.period_violations
    frame = map_frame(scheme, events, violations, area)
    figures = {"map": report_map(scheme, events, violations, ctx.columns, frame, report_title(ctx))}
    figures.update({fig.name: fig for fig in report_charts(ctx)})
    html = render_html(ctx, scheme, figures, frame, provenance, mechanism)
    return ctx, figures, html


def _write(
    database_url: str | None,
    job: _Job,
    out_dir: str | Path,
    theatre: TheatreArg,
    now: datetime | None,
    mechanism: str,
) -> tuple[Path, Path]:
    """Read the store, make the report, write ``STEM[-AREA].html`` and ``.pdf``."""
    url = database_url or get_settings().database_url
    engine = _open_existing(url)
    try:
        with engine.connect() as conn:
            resolved, source, sha = resolve_theatre(conn, theatre)
            scheme = divide_theatre(resolved)
            area = scheme.require(job.area) if job.area is not None else None
            material = gather_material(conn, job.period, job.trend)
    finally:
        engine.dispose()
    provenance = Provenance(
        generated_at=now or datetime.now(UTC),
        code_version=__version__,
        database=make_url(url).render_as_string(hide_password=True),
        theatre_source=source,
        theatre_sha256=sha,
        records=_records(material),
    )
    _, _, html = make_report(
        material, scheme, provenance, kind=job.kind, area=area, mechanism=mechanism
    )
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    name = job.stem + (f"-{area}" if area else "")
    html_path, pdf_path = out / f"{name}.html", out / f"{name}.pdf"
    html_path.write_text(html, encoding="utf-8")
    pdf_path.write_bytes(render_pdf(html))
    return html_path, pdf_path


def resolve_theatre(conn: Connection, theatre: TheatreArg) -> tuple[Theatre, str, str | None]:
    """The theatre to report on, where it came from and its SHA-256: the one given, else the
    newest stored in the database, else the built-in demo theatre."""
    if isinstance(theatre, Theatre):
        return theatre, f"given by the caller: {theatre.name or 'unnamed'}", None
    if theatre is not None:
        path = Path(theatre)
        return _theatre_file(path), f"file {path}", hashlib.sha256(path.read_bytes()).hexdigest()
    stored = sorted(get_theatres(conn), key=lambda t: (t.created_at, t.name))
    if stored:
        newest = stored[-1]
        parsed = parse_theatre(json.loads(newest.geojson), file=f"stored theatre {newest.name!r}")
        return parsed, f"stored in the database as {newest.name!r}", newest.sha256
    demo = load_demo_theatre()
    return demo, f"built-in demo theatre: {demo.name}", None


def theatre_for_areas(database_url: str | None, theatre: TheatreArg = None) -> Theatre:
    """The theatre a report would use: the one given (the database is then not opened), else
    the database's."""
    if isinstance(theatre, Theatre):
        return theatre
    if theatre is not None:
        return _theatre_file(Path(theatre))
    engine = _open_existing(database_url or get_settings().database_url)
    try:
        with engine.connect() as conn:
            return resolve_theatre(conn, None)[0]
    finally:
        engine.dispose()


def _theatre_file(path: Path) -> Theatre:
    if not path.is_file():
        raise InputError("no such theatre file", file=str(path), column="--theatre")
    return read_theatre(path)


def _open_existing(url: str) -> Engine:
    """The store at ``url``; a report never creates one, so a mistyped SQLite path is an
    error rather than an empty report."""
    parsed = make_url(url)
    local = parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:")
    if local and not Path(str(parsed.database)).is_file():
        raise InputError("no database at this path", file=parsed.database, column="--database")
    return open_store(url)


def _records(material: ReportMaterial) -> Mapping[str, int]:
    in_period = sum(1 for v in material.violations if material.period.contains(v.time))
    return {
        "events": len(material.events),
        "violations in the period": in_period,
        "violations in the trend window": len(material.violations),
        "reports": len(material.reports),
        "findings": len(material.findings),
    }
