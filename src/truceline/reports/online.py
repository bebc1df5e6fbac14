"""The daily report read in the dashboard: rendered from the store on request, HTML only.

It is the published report (the material passes through the public redaction policy in
``gather``), worded in the caller's language; the provenance names the store without its URL.
"""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime

from sqlalchemy import Engine

from truceline import __version__
from truceline.i18n import _, use_language
from truceline.reports.areas import divide_theatre
from truceline.reports.daily import TREND_DAYS
from truceline.reports.gather import daily_periods, gather_material
from truceline.reports.publish import _records, make_report, resolve_theatre
from truceline.reports.render import Provenance

# matplotlib's pyplot keeps global state: one report is drawn at a time.
_DRAWING = threading.Lock()


def daily_report_html(
    engine: Engine,
    day: date,
    *,
    lang: str,
    now: datetime | None = None,
    trend_days: int = TREND_DAYS,
) -> str:
    """The daily report of ``day`` as one self-contained HTML document in ``lang``."""
    with engine.connect() as conn:
        theatre, source, sha = resolve_theatre(conn, None)
        material = gather_material(conn, *daily_periods(day, trend_days))
    with use_language(lang), _DRAWING:
        provenance = Provenance(
            generated_at=now or datetime.now(UTC),
            code_version=__version__,
            database=_("the mechanism's store"),
            theatre_source=source,
            theatre_sha256=sha,
            records=_records(material),
        )
        _ctx, _figures, html = make_report(material, divide_theatre(theatre), provenance)
    return html
