"""Automatic re-runs of the analysis over stored arrivals, respecting analysts' decisions.

``rerun_analysis`` associates and locates the stored arrivals of a period again, fuses the
period's reports, then applies the decisions (:mod:`truceline.review.constraints`): the
events of standing merges and splits stand as stored, the re-run's events give up their
arrivals and reports, and reclassified kinds and violation types are kept. Attribution,
pairing and the rules run on the re-run's own events (with the stored theatre; without one
they are skipped and the result says so). The stored events and violations of the period
are then brought to the new result (unchanged rows are not touched) and the run recorded.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

import numpy as np
from sqlalchemy import Connection, Engine

from truceline import __version__
from truceline.domain import Event, EventKind, Theatre, ViolationType
from truceline.engine.attribute import attribute_events, with_attribution
from truceline.engine.fuse import fuse_reports
from truceline.engine.pair import Pair, pair_impacts, with_pairs
from truceline.engine.pipeline import EngineConfig, analyze_arrivals
from truceline.engine.rules import detect_violations
from truceline.errors import InputError
from truceline.review.constraints import apply_decisions, decided_events, reclassified, retyped
from truceline.review.edits import EditContext
from truceline.review.items import Action, ItemKind, parse_item_id
from truceline.review.work import load_theatre, now_utc
from truceline.store import review as store
from truceline.store.analysis import record_run
from truceline.store.observations import get_arrivals, get_reports, get_sensors, get_weather
from truceline.store.records import Run


@dataclass(frozen=True)
class RerunResult:
    """What a re-run stored, and how the decisions shaped it."""

    run_id: str
    events: int
    events_new: int
    events_updated: int
    events_removed: int
    decided_kept: tuple[str, ...]  # events of standing edits, kept as the analysts left them
    relocated: tuple[str, ...]  # re-run events located again without the decided arrivals
    violations: int | None  # None: no theatre, the rules did not run
    notes: tuple[str, ...]


def rerun_analysis(
    engine: Engine,
    *,
    start: datetime,
    end: datetime,
    theatre: str | None = None,
    cfg: EngineConfig | None = None,
    now: datetime | None = None,
) -> RerunResult:
    """Analyse the stored arrivals of ``start <= time < end`` again and store the result."""
    if not start < end:
        raise InputError(
            f"the period {start.isoformat()} to {end.isoformat()} is empty", column="end"
        )
    cfg = cfg or EngineConfig()
    with engine.begin() as conn:
        found, theatre_name = load_theatre(conn, theatre)
        ctx = _context(conn, start, end, found, cfg)
        decided = [e for e in decided_events(store.get_edits(conn)) if start <= e.time < end]
        fused = _fresh_events(ctx, start, end)
        constrained = apply_decisions(fused, decided, ctx)
        kinds, types = _reclassifications(conn)
        kept = {e.event_id for e in decided}
        events, pairs = _derive(reclassified(constrained.events, kinds), kept, found)
        counts = store.sync_events_in_period(
            conn, start=start, end=end, events=events, keep_ids=kept
        )
        violations = None
        if found is not None:
            weapons = {p.launch_id: p.weapon for p in pairs}
            reports = list(ctx.reports.values())
            broken = retyped(detect_violations(found, events, reports, weapons), types)
            store.sync_violations_in_period(conn, start=start, end=end, violations=broken)
            violations = len(broken)
        notes = () if found is not None else (NO_THEATRE_NOTE,)
        run_id = _record(conn, start, end, theatre_name, cfg, now or now_utc(), sorted(kept))
    return RerunResult(
        run_id, len(events), counts.new, counts.updated, counts.removed,
        tuple(sorted(kept)), tuple(constrained.relocated), violations, notes,
    )  # fmt: skip


NO_THEATRE_NOTE = "attribution, pairing's parties and rules skipped: no theatre is stored"


def _context(
    conn: Connection, start: datetime, end: datetime, theatre: Theatre | None, cfg: EngineConfig
) -> EditContext:
    """The period's observations (arrivals with a halo either side, as the engine reads)."""
    halo = timedelta(seconds=cfg.halo_s)
    arrivals = get_arrivals(conn, start=_shifted(start, -halo), end=_shifted(end, halo))
    reports = get_reports(conn, start=start, end=end)
    return EditContext(
        sensors=get_sensors(conn),
        arrivals={a.arrival_id: a for a in arrivals},
        reports={r.report_id: r for r in reports},
        weather=get_weather(conn),
        theatre=theatre,
        cfg=cfg,
    )


def _shifted(moment: datetime, by: timedelta) -> datetime | None:
    """``moment + by``, or None (no bound) past the calendar's ends."""
    try:
        return moment + by
    except OverflowError:
        return None


def _fresh_events(ctx: EditContext, start: datetime, end: datetime) -> list[Event]:
    """The engine's events of the period (origin inside it), reports fused."""
    try:
        found = analyze_arrivals(ctx.sensors, list(ctx.arrivals.values()), ctx.weather, ctx.cfg)
    except (ValueError, FloatingPointError, np.linalg.LinAlgError) as error:
        # The engine refuses some degenerate networks (e.g. sensors at absurd coordinates);
        # the caller hears why instead of a server error, and nothing is stored.
        raise InputError(
            f"the arrivals of {start.isoformat()} to {end.isoformat()} cannot be analysed: {error}",
            column="start",
        ) from error
    fresh = [e for e in found.events if start <= e.time < end]
    return fuse_reports(fresh, list(ctx.reports.values())).all_events if ctx.reports else fresh


def _derive(
    events: list[Event], kept: set[str], theatre: Theatre | None
) -> tuple[list[Event], list[Pair]]:
    """Attribution and pairing for the re-run's own events; decided events stay as stored."""
    if theatre is not None:
        own = [e for e in events if e.event_id not in kept]
        attributed = {e.event_id: e for e in with_attribution(own, attribute_events(own, theatre))}
        events = [attributed.get(e.event_id, e) for e in events]
    pairs = pair_impacts(events)
    paired = {e.event_id: e for e in with_pairs(events, pairs)}
    return [e if e.event_id in kept else paired[e.event_id] for e in events], pairs


def _reclassifications(
    conn: Connection,
) -> tuple[dict[str, EventKind], dict[str, ViolationType]]:
    """The kinds and violation types analysts gave, the latest decision winning."""
    kinds: dict[str, EventKind] = {}
    types: dict[str, ViolationType] = {}
    for d in store.get_decisions(conn):
        if d.action != Action.RECLASSIFY:
            continue
        item_kind, ref = parse_item_id(d.item_id)
        if "kind" in d.details and item_kind == ItemKind.EVENT:
            kinds[ref] = EventKind(d.details["kind"])
        if "violation_id" in d.details:
            types[d.details["violation_id"]] = ViolationType(d.details["type"])
    return kinds, types


def _record(
    conn: Connection,
    start: datetime,
    end: datetime,
    theatre: str | None,
    cfg: EngineConfig,
    now: datetime,
    kept: list[str],
) -> str:
    run_id = f"RERUN-{now.strftime('%Y%m%dT%H%M%S%fZ')}"
    parameters = {
        "period": [start.isoformat(), end.isoformat()],
        "theatre": theatre,
        "engine": asdict(cfg),
        "decided_events_kept": kept,
    }
    record_run(conn, run=Run(run_id, now, __version__, {}, parameters))
    return run_id
