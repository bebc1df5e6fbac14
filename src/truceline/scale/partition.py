"""The per-partition work of the Dask driver: a time window cut into sectors, then joined.

A time window (the in-process engine's own windows, with the same time halo) is analysed
sector by sector with the engine's ``analyze_columns``; each sector keeps the events whose
origin lies in its core. The window's events are then joined and its echoes decided on the
whole window, exactly as the in-process engine decides them, so the results are the same.

Arrivals that joined no event are counted by the window whose own period holds their time;
an arrival used by an event of the next window (its origin before the edge, the arrival
after) is reported back so that it is not counted as unassociated.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import NDArray

from truceline.domain import Event
from truceline.engine.echoes import EchoConfig, find_echoes
from truceline.engine.network import Network
from truceline.engine.pipeline import (
    ArrivalAnalysis,
    ArrivalColumns,
    EngineConfig,
    _first_of_duplicates,  # the same de-duplication as the in-process engine
    analyze_columns,
)
from truceline.engine.soundspeed import WeatherModel
from truceline.engine.windows import time_windows
from truceline.io.parquet import ArrivalBatch
from truceline.scale.sectors import SectorPlan

NO_ECHOES = EchoConfig(window_s=-math.inf)  # echoes are decided once the sectors are joined


@dataclass(frozen=True)
class WindowPart:
    """The arrivals a time window sees (its period plus the halo), in file order."""

    index: int
    lo: float  # the window's own period of origin times, [lo, hi)
    hi: float
    row: NDArray[np.int64]  # row of each arrival in the input
    cols: ArrivalColumns


@dataclass(frozen=True)
class WindowResult:
    """A window's events, its unassociated arrivals, and arrivals it used of other windows."""

    index: int
    events: list[Event]
    unassociated_row: NDArray[np.int64]
    unassociated_id: NDArray[np.object_]
    used_elsewhere: frozenset[str]


def columns_of(batch: ArrivalBatch) -> ArrivalColumns:
    """Engine columns of a batch read from a file (times in POSIX seconds, as the engine's)."""
    return ArrivalColumns(
        batch.sensor,
        batch.time_us / 1e6,
        batch.arrival_id,
        batch.label,
        batch.snr_db,
    )


def analyze_sector(
    part: WindowPart,
    sector: int,
    plan: SectorPlan,
    members: NDArray[np.bool_],
    network: Network,
    model: WeatherModel,
    cfg: EngineConfig,
) -> list[Event]:
    """Events of one sector of one window: those with origin time in the window, position in
    the sector's core (``members``: the sensors of the core and its halo)."""
    cols = part.cols.take(np.nonzero(members[part.cols.sensor])[0])
    cols = cols.take(_first_of_duplicates(cols))
    if len(cols.time_s) == 0:
        return []
    events = analyze_columns(
        network, cols, model, replace(cfg, echoes=NO_ECHOES), (part.lo, part.hi)
    )
    if not events:
        return []
    owner = plan.owner([e.lon for e in events], [e.lat for e in events])
    return [e for e, o in zip(events, owner, strict=True) if o == sector]


def finish_window(
    part: WindowPart, sector_events: Sequence[list[Event]], cfg: EngineConfig
) -> WindowResult:
    """Join a window's sectors, drop echoes (on the whole window) and count what is unused."""
    events = sorted(itertools.chain(*sector_events), key=lambda e: (e.time, e.event_id))
    cols = part.cols.take(_first_of_duplicates(part.cols))
    row_of = {str(a): i for i, a in enumerate(cols.arrival_id)}
    echoes = find_echoes(events, row_of, cols.sensor, cols.time_s, cols.snr_db, cfg.echoes)
    kept = [e for e in events if e.event_id not in echoes]
    used = {a for e in kept for a in e.arrival_ids}
    ids = part.cols.arrival_id
    is_used = np.fromiter((a in used for a in ids), dtype=bool, count=len(ids))
    own = (part.cols.time_s >= part.lo) & (part.cols.time_s < part.hi)
    free = own & ~is_used
    elsewhere = frozenset(str(a) for a in ids[is_used & ~own])
    return WindowResult(part.index, kept, part.row[free], ids[free], elsewhere)


def join_windows(results: Iterable[WindowResult]) -> ArrivalAnalysis:
    """The whole period's events (by time, then id) and unassociated arrivals (in file order)."""
    events: list[Event] = []
    rows, ids, elsewhere = [], [], set[str]()
    for result in results:
        events.extend(result.events)
        rows.append(result.unassociated_row)
        ids.append(result.unassociated_id)
        elsewhere |= result.used_elsewhere
    events.sort(key=lambda e: (e.time, e.event_id))
    if not rows:
        return ArrivalAnalysis(events, [])
    row, arrival_id = np.concatenate(rows), np.concatenate(ids)
    order = np.argsort(row, kind="stable")
    return ArrivalAnalysis(events, [str(a) for a in arrival_id[order] if a not in elsewhere])


def window_parts(
    batches: Iterable[ArrivalBatch],
    t_min_s: float,
    t_max_s: float,
    cfg: EngineConfig,
    time_sorted: bool,
) -> Iterator[WindowPart]:
    """The engine's time windows (as ``engine.windows`` cuts them) with their halos.

    Arrivals in time order are streamed: only about one window and its halos are held at
    once. Otherwise they are all held, and each window taken from them in file order.
    """
    windows = time_windows(t_min_s, t_max_s, cfg.window_s)
    halo = cfg.halo_s
    if not time_sorted:
        everything = list(batches)
        if everything:
            yield from _parts_of(_concat(everything), windows, 0, halo)
        return
    held: ArrivalBatch | None = None
    k = 0
    for batch in batches:
        held = batch if held is None else _concat([held, batch])
        newest = float(held.time_us[-1]) / 1e6 if len(held) else -math.inf
        while k < len(windows) and newest >= windows[k][1] + halo:
            yield from _parts_of(held, windows[k : k + 1], k, halo)
            k += 1
            if k < len(windows):  # keep what later windows still see
                held = _take(held, held.time_us / 1e6 >= windows[k][0] - halo)
    if held is not None and k < len(windows):
        yield from _parts_of(held, windows[k:], k, halo)


def _parts_of(
    held: ArrivalBatch, windows: Sequence[tuple[float, float]], first: int, halo: float
) -> Iterator[WindowPart]:
    time_s = held.time_us / 1e6
    for k, (lo, hi) in enumerate(windows, start=first):
        sel = np.nonzero((time_s >= lo - halo) & (time_s < hi + halo))[0]
        if len(sel):
            part = _take(held, sel)
            yield WindowPart(k, lo, hi, part.row, columns_of(part))


def _take(batch: ArrivalBatch, sel: NDArray[np.bool_] | NDArray[np.int64]) -> ArrivalBatch:
    return ArrivalBatch(
        batch.row[sel],
        batch.arrival_id[sel],
        batch.sensor_id[sel],
        batch.sensor[sel],
        batch.time_us[sel],
        batch.label[sel],
        batch.snr_db[sel],
    )


def _concat(batches: Sequence[ArrivalBatch]) -> ArrivalBatch:
    if len(batches) == 1:
        return batches[0]
    fields = ArrivalBatch.__dataclass_fields__
    return ArrivalBatch(**{f: np.concatenate([getattr(b, f) for b in batches]) for f in fields})
