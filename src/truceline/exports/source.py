"""Read what may be published from the store: events, violations, located observations."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from truceline.domain import Report, Theatre
from truceline.errors import InputError
from truceline.exports.public import OpenData, build_open_data
from truceline.redaction import (
    Audience,
    PositionRule,
    Protected,
    Publication,
    place,
    redactor_for,
)
from truceline.redaction.apply import report_protection
from truceline.settings import get_settings
from truceline.store.analysis import get_events, get_violations
from truceline.store.database import open_store
from truceline.store.observations import get_reports


def open_existing_store(url: str | None) -> Engine:
    """An engine on an existing store; a SQLite file that does not exist is refused.

    Exporting from a mistyped path must not create (and export) an empty store.
    """
    parsed = make_url(url or get_settings().database_url)
    name = parsed.database
    is_file = parsed.get_backend_name() == "sqlite" and name not in (None, "", ":memory:")
    if is_file and not Path(str(name)).is_file():
        raise InputError(f"no store at {name}", column="--database")
    return open_store(url)


def load_open_data(
    engine: Engine,
    *,
    start: datetime | None = None,
    end: datetime | None = None,
    theatre: Theatre | None = None,
) -> OpenData:
    """The public layers of the events and violations with ``start <= time < end``.

    A report's location is placed as the public export policy says (docs/source-protection.md).
    """
    with engine.connect() as conn:
        policy = redactor_for(conn, Audience.PUBLIC, Publication.EXPORT).policy
        events = get_events(conn, start=start, end=end)
        violations = get_violations(conn, start=start, end=end)
        wanted = {v.report_id for v in violations if v.event_id is None and v.report_id}
        # A report-based violation carries its report's time, so the same window finds it.
        reports = get_reports(conn, start=start, end=end) if wanted else []
    return build_open_data(
        events,
        violations,
        located_reports=located_observations(reports, wanted, policy.rule),
        theatre=theatre,
    )


def located_observations(
    reports: list[Report],
    wanted: set[str],
    rule_of: Callable[[Protected], PositionRule] | None = None,
) -> dict[str, tuple[float, float]]:
    """Report id -> (lon, lat) of what was seen, for the wanted reports that located it.

    Only ``lon``/``lat`` (the located observation) are taken, never ``observer_lon``/``_lat``;
    ``rule_of`` (a redaction policy's rules) coarsens or withholds them by the report's source.
    """
    located = {}
    for r in reports:
        if r.report_id not in wanted or r.lon is None or r.lat is None:
            continue
        lon, lat = place(r.lon, r.lat, rule_of(report_protection(r))) if rule_of else (r.lon, r.lat)
        if lon is not None and lat is not None:
            located[r.report_id] = (lon, lat)
    return located
