"""Analysing a long period in parallel: time windows with halos, one process each.

A window sees the arrivals of its own period plus ``halo_s`` either side, so that an event
near its edge is whole in it; it keeps only the events whose origin time falls in its own
period, so that no event is counted twice.
"""

from __future__ import annotations

import itertools
import multiprocessing
from concurrent.futures import ProcessPoolExecutor

import numpy as np

from truceline.domain import Event
from truceline.engine.network import Network
from truceline.engine.pipeline import ArrivalColumns, EngineConfig, analyze_columns
from truceline.engine.soundspeed import WeatherModel


def time_windows(t_min: float, t_max: float, length_s: float) -> list[tuple[float, float]]:
    """Consecutive windows covering [t_min, t_max]; the first and last are open-ended.

    >>> time_windows(0.0, 25.0, 10.0)
    [(-inf, 10.0), (10.0, 20.0), (20.0, inf)]
    """
    edges = list(np.arange(t_min + length_s, t_max, length_s))
    bounds = [-np.inf, *edges, np.inf]
    return [(float(a), float(b)) for a, b in itertools.pairwise(bounds)]


def _run(
    args: tuple[Network, ArrivalColumns, WeatherModel, EngineConfig, tuple[float, float]],
) -> list[Event]:
    network, cols, model, cfg, window = args
    return analyze_columns(network, cols, model, cfg, window)


def analyze_in_windows(
    network: Network, cols: ArrivalColumns, model: WeatherModel, cfg: EngineConfig
) -> list[Event]:
    """Events of the whole period, window by window (by ``cfg.workers`` processes at once).

    The windows do not depend on the number of workers, so neither do the results."""
    if len(cols.time_s) == 0:
        return []
    windows = time_windows(float(cols.time_s.min()), float(cols.time_s.max()), cfg.window_s)
    tasks = []
    for lo, hi in windows:
        sel = np.nonzero((cols.time_s >= lo - cfg.halo_s) & (cols.time_s < hi + cfg.halo_s))[0]
        tasks.append((network, cols.take(sel), model, cfg, (lo, hi)))
    if cfg.workers <= 1 or len(tasks) == 1:
        results = [_run(task) for task in tasks]
    else:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=cfg.workers, mp_context=context) as pool:
            results = list(pool.map(_run, tasks))
    return [event for events in results for event in events]
