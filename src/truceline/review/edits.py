"""Merge and split of events by an analyst, with the engine's recomputation (pure).

A merge joins the arrivals and reports of two (or more) events into one; where two of them
heard the same sensor, the arrival that fits its own event's fix better is kept (as the
engine's own :func:`~truceline.engine.merge.merge_duplicates` does). A split moves a given
set of arrivals and reports out of an event into a new one. Each resulting event is located
again from its arrivals (``build_batch`` then ``locate_batch``), given its error ellipse,
Cramer-Rao bound, kind and corroboration, and attributed with the theatre when there is one
(without one, its attribution is cleared and a note says so). Arrivals the locator does not
keep leave the event. Pairing with other events is carried over when all parts agreed on it;
the next re-run pairs again.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TypeVar

import numpy as np
from numpy.typing import NDArray

from truceline.domain import (
    Arrival,
    Corroboration,
    Event,
    EventKind,
    Report,
    Sensor,
    Theatre,
    Weather,
)
from truceline.engine.attribute import attribute_events, with_attribution
from truceline.engine.batch import EventBatch, build_batch
from truceline.engine.fuse import fuse_reports
from truceline.engine.locate import Fix, locate_batch, residuals
from truceline.engine.network import Network
from truceline.engine.pipeline import (
    ArrivalColumns,
    EngineConfig,
    events_of_fixes,  # one place builds events
)
from truceline.engine.report_config import SENSOR_SOURCE, FuseConfig
from truceline.engine.report_sources import corroborate, logit, report_evidence
from truceline.engine.soundspeed import WeatherModel
from truceline.errors import InputError, NotFoundError

T = TypeVar("T")
NO_THEATRE_NOTE = "attribution skipped: no theatre is stored"


@dataclass(frozen=True)
class EditContext:
    """What recomputing an event needs: the network, the observations, weather, theatre."""

    sensors: Sequence[Sensor]
    arrivals: Mapping[str, Arrival]
    reports: Mapping[str, Report]
    weather: Sequence[Weather] = ()
    theatre: Theatre | None = None
    cfg: EngineConfig = field(default_factory=EngineConfig)
    fuse: FuseConfig = field(default_factory=FuseConfig)


@dataclass(frozen=True)
class Recomputed:
    """The events an edit produces, the arrivals that left them, and notes for the analyst."""

    events: tuple[Event, ...]
    dropped_arrivals: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()


def merge_events(parts: Sequence[Event], ctx: EditContext) -> Recomputed:
    """One event from ``parts``: their reports, and one arrival per sensor (the better fit).

    Examples
    --------
    >>> from datetime import UTC, datetime
    >>> t = datetime(2026, 1, 1, tzinfo=UTC)
    >>> merge_events([Event("E1", t, 37.0, 48.0, EventKind.LAUNCH)], EditContext([], {}, {}))
    Traceback (most recent call last):
    ...
    truceline.errors.InputError: column 'event_ids': a merge needs at least two different events
    """
    if len({p.event_id for p in parts}) < 2:
        raise InputError("a merge needs at least two different events", column="event_ids")
    arrival_ids = _best_per_sensor(parts, ctx)
    report_ids = sorted({r for p in parts for r in p.report_ids})
    event, kept = recompute_event(arrival_ids, report_ids, ctx, parts=parts)
    every = {a for p in parts for a in p.arrival_ids}
    return Recomputed((event,), tuple(sorted(every - kept)), _notes(ctx))


def split_event(
    event: Event, *, arrival_ids: Sequence[str], report_ids: Sequence[str], ctx: EditContext
) -> Recomputed:
    """``event`` without the given arrivals and reports, and a new event made of them.

    Examples
    --------
    >>> from datetime import UTC, datetime
    >>> t = datetime(2026, 1, 1, tzinfo=UTC)
    >>> e = Event("E1", t, 37.0, 48.0, EventKind.LAUNCH, arrival_ids=("A1", "A2"))
    >>> split_event(e, arrival_ids=["A9"], report_ids=[], ctx=EditContext([], {}, {}))
    Traceback (most recent call last):
    ...
    truceline.errors.InputError: column 'arrival_ids': arrival 'A9' is not part of event E1
    """
    moved_a, moved_r = set(arrival_ids), set(report_ids)
    _require_members(event, moved_a, moved_r)
    if not moved_a and not moved_r:
        raise InputError("a split moves at least one arrival or report", column="arrival_ids")
    rest_a = [a for a in event.arrival_ids if a not in moved_a]
    rest_r = [r for r in event.report_ids if r not in moved_r]
    if not rest_a and not rest_r:
        raise InputError(f"nothing of event {event.event_id} would stay", column="arrival_ids")
    remainder, kept_rest = recompute_event(rest_a, rest_r, ctx, parts=[event])
    new, kept_new = recompute_event(sorted(moved_a), sorted(moved_r), ctx)  # pairs afresh
    if new.event_id == remainder.event_id:
        raise InputError(f"splitting {event.event_id} gives one event twice", column="report_ids")
    dropped = set(event.arrival_ids) - kept_rest - kept_new
    return Recomputed((remainder, new), tuple(sorted(dropped)), _notes(ctx))


def recompute_event(
    arrival_ids: Sequence[str],
    report_ids: Sequence[str],
    ctx: EditContext,
    *,
    parts: Sequence[Event] = (),
) -> tuple[Event, set[str]]:
    """The event made of these arrivals and reports, and the arrivals its fix kept.

    With arrivals, the event is their fix (at least ``cfg.locate.min_arrivals`` needed);
    with reports alone, it is placed from the reports as report fusion places it.
    """
    reports = [_lookup(ctx.reports, r, "report") for r in report_ids]
    if arrival_ids:
        event = _sensor_event(arrival_ids, ctx)
        level = corroboration_of(True, reports, ctx.fuse)
        event = replace(event, report_ids=tuple(sorted(report_ids)), corroboration=level)
    else:
        event = _report_event(reports, ctx)
    event = _attributed(event, ctx.theatre)
    return _carry_pairing(event, parts), set(event.arrival_ids)


def corroboration_of(sensor_fix: bool, reports: Sequence[Report], cfg: FuseConfig) -> Corroboration:
    """Corroboration of an event from a sensor fix (if any) and its reports, as fusion grades it.

    >>> corroboration_of(True, [], FuseConfig())
    <Corroboration.SINGLE_SOURCE: 'single_source'>
    """
    keys = [SENSOR_SOURCE] if sensor_fix else []
    keys += [
        f"{r.source_kind.value}:{cfg.source_groups.get(r.source_id, r.source_id)}" for r in reports
    ]
    if not keys:
        return Corroboration.SINGLE_SOURCE
    evidence = [logit(cfg.sensor_p)] if sensor_fix else []
    evidence += [report_evidence(r, cfg) for r in reports]
    mission = [True] if sensor_fix else []
    mission += [r.source_kind in cfg.mission_kinds for r in reports]
    _, codes = np.unique(np.array(keys), return_inverse=True)
    levels, _ = corroborate(
        np.zeros(len(keys), dtype=np.int64),
        codes.astype(np.int64),
        np.array(evidence, dtype=np.float64),
        np.array(mission, dtype=bool),
        1,
        cfg,
    )
    return levels[0]


def _require_members(event: Event, arrivals: set[str], reports: set[str]) -> None:
    for noun, given, members in (
        ("arrival", arrivals, event.arrival_ids),
        ("report", reports, event.report_ids),
    ):
        strangers = sorted(given - set(members))
        if strangers:
            raise InputError(
                f"{noun} {strangers[0]!r} is not part of event {event.event_id}",
                column=f"{noun}_ids",
            )


def _lookup(found: Mapping[str, T], key: str, noun: str) -> T:
    if key not in found:
        raise NotFoundError(f"{noun} {key!r} is not stored")
    return found[key]


def _columns(arrival_ids: Sequence[str], ctx: EditContext) -> tuple[ArrivalColumns, Network]:
    network = Network.from_sensors(ctx.sensors)
    rows = [_lookup(ctx.arrivals, a, "arrival") for a in arrival_ids]
    return ArrivalColumns.from_arrivals(rows, network), network


def _locate(
    groups: Sequence[NDArray[np.int64]], cols: ArrivalColumns, network: Network, ctx: EditContext
) -> tuple[EventBatch, Fix]:
    model = WeatherModel.from_rows(ctx.weather)
    batch = build_batch(list(groups), network, cols.sensor, cols.time_s, model, cols.snr_db)
    return batch, locate_batch(batch, ctx.cfg.locate)


def _sensor_event(arrival_ids: Sequence[str], ctx: EditContext) -> Event:
    cols, network = _columns(arrival_ids, ctx)
    batch, fix = _locate([np.arange(len(arrival_ids), dtype=np.int64)], cols, network, ctx)
    if not fix.ok[0]:
        raise InputError(
            f"{len(arrival_ids)} arrivals do not give a fix (at least "
            f"{ctx.cfg.locate.min_arrivals} consistent arrivals are needed)",
            column="arrival_ids",
        )
    window = (-np.inf, np.inf)
    (event,) = events_of_fixes(batch, fix, np.array([True]), cols, ctx.cfg, window)
    return event


def _report_event(reports: Sequence[Report], ctx: EditContext) -> Event:
    made = fuse_reports([], reports, ctx.fuse).report_events
    if len(made) != 1:
        names = ", ".join(r.report_id for r in reports)
        raise InputError(
            f"reports {names} do not make one event by themselves ({len(made)} found)",
            column="report_ids",
        )
    return made[0]


def _best_per_sensor(parts: Sequence[Event], ctx: EditContext) -> list[str]:
    """The union of the parts' arrivals, one per sensor: the smallest residual in its own
    part's fix wins (a part that cannot be located loses every tie)."""
    with_arrivals = [p for p in parts if p.arrival_ids]
    if not with_arrivals:
        return []
    ids = [a for p in with_arrivals for a in p.arrival_ids]
    cols, network = _columns(ids, ctx)
    groups, start = [], 0
    for p in with_arrivals:
        groups.append(np.arange(start, start + len(p.arrival_ids), dtype=np.int64))
        start += len(p.arrival_ids)
    batch, fix = _locate(groups, cols, network, ctx)
    score = np.abs(residuals(batch, fix.params) / batch.sigma_s)
    score = np.where(fix.ok[:, None], score, np.inf)
    best: dict[int, tuple[float, str]] = {}
    for i, group in enumerate(groups):
        for slot, row in enumerate(group.tolist()):
            candidate = (float(score[i, slot]), ids[row])
            sensor = int(cols.sensor[row])
            best[sensor] = min(best.get(sensor, candidate), candidate)
    return sorted(arrival for _, arrival in best.values())


def _attributed(event: Event, theatre: Theatre | None) -> Event:
    if theatre is None:
        return replace(
            event, party_control=None, p_control=None, responsible_party=None, p_responsible=None
        )
    return with_attribution([event], attribute_events([event], theatre))[0]


def _carry_pairing(event: Event, parts: Sequence[Event]) -> Event:
    """Keep the parts' pairing (and an impact's responsible party) where they all agree."""
    if not parts or len({(p.paired_event_id, p.responsible_party) for p in parts}) != 1:
        return replace(event, paired_event_id=None)
    first = parts[0]
    event = replace(event, paired_event_id=first.paired_event_id)
    if event.kind == EventKind.IMPACT and first.paired_event_id is not None:
        event = replace(
            event, responsible_party=first.responsible_party, p_responsible=first.p_responsible
        )
    return event


def _notes(ctx: EditContext) -> tuple[str, ...]:
    return () if ctx.theatre is not None else (NO_THEATRE_NOTE,)
