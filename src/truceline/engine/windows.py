"""Analysing a long period in parallel: time windows with halos, one process each.

A window sees the arrivals of its own period plus ``halo_s`` either side, so that an event
near its edge is whole in it; it keeps only the events whose origin time falls in its own
period, so that no event is counted twice. The halo is what makes the results independent of
where the period is cut, and so of how many windows there are.
"""

from __future__ import annotations

import itertools
import math
import multiprocessing
from concurrent.futures import ProcessPoolExecutor

import numpy as np

from truceline.domain import Event
from truceline.engine.network import Network
from truceline.engine.pipeline import ArrivalColumns, EngineConfig, analyze_columns
from truceline.engine.soundspeed import WeatherModel

# The shortest window worth cutting, in halos: a window analyses its halos on both sides as
# well as its own period, so a window of 4 halos costs up to 1.5 times its share of the work.
MIN_WINDOW_HALOS = 4


def time_windows(t_min: float, t_max: float, length_s: float) -> list[tuple[float, float]]:
    """Consecutive windows covering [t_min, t_max]; the first and last are open-ended.

    >>> time_windows(0.0, 25.0, 10.0)
    [(-inf, 10.0), (10.0, 20.0), (20.0, inf)]
    """
    # Count first, so that a length of exactly span / n gives n windows despite rounding
    # (np.arange may add an edge a hair below t_max, and with it a needless window).
    count = max(1, math.ceil((t_max - t_min) / length_s * (1 - 1e-9)))
    edges = list(np.arange(t_min + length_s, t_max, length_s)[: count - 1])
    bounds = [-math.inf, *edges, math.inf]
    return [(float(a), float(b)) for a, b in itertools.pairwise(bounds)]


def window_length_s(span_s: float, window_s: float, halo_s: float, workers: int) -> float:
    """Length of the time windows that let ``workers`` processes share a period evenly.

    With one worker, ``window_s``. With more, the period is cut into equal windows, their
    number the smallest multiple of ``workers`` that keeps them within ``window_s``: a period
    shorter than one window would otherwise leave all but one worker idle, and 3 windows for
    2 workers would leave one idle a third of the time. Windows are never cut shorter than
    ``MIN_WINDOW_HALOS`` halos (their halos would cost more than the idle worker), unless
    ``window_s`` itself is shorter.

    Examples
    --------
    1.6 hours for 2 workers: two windows of 48 minutes rather than one of 3 hours.

    >>> window_length_s(1.6 * 3600, 3 * 3600, 300, workers=2) / 60
    48.0

    7.5 hours: four windows of 1.875 hours rather than 3 (two for one worker, one for the
    other); 30 minutes: too short to share.

    >>> window_length_s(7.5 * 3600, 3 * 3600, 300, workers=2) / 3600
    1.875
    >>> window_length_s(1800, 3 * 3600, 300, workers=2) / 60
    30.0
    >>> window_length_s(1800, 3 * 3600, 300, workers=1) / 3600
    3.0
    """
    if workers <= 1 or span_s <= 0:
        return window_s
    fixed = max(1, math.ceil(span_s / window_s))
    count = workers * math.ceil(fixed / workers)
    shortest = MIN_WINDOW_HALOS * halo_s
    if span_s / count < shortest:  # as many windows as are worth their halos
        count = max(fixed, math.floor(span_s / shortest), 1)
    return span_s / count


def plan_windows(t_min: float, t_max: float, cfg: EngineConfig) -> list[tuple[float, float]]:
    """The time windows ``analyze_in_windows`` cuts [t_min, t_max] into for ``cfg.workers``."""
    length = window_length_s(t_max - t_min, cfg.window_s, cfg.halo_s, cfg.workers)
    return time_windows(t_min, t_max, length)


def _run(
    args: tuple[Network, ArrivalColumns, WeatherModel, EngineConfig, tuple[float, float]],
) -> list[Event]:
    network, cols, model, cfg, window = args
    return analyze_columns(network, cols, model, cfg, window)


def analyze_in_windows(
    network: Network, cols: ArrivalColumns, model: WeatherModel, cfg: EngineConfig
) -> list[Event]:
    """Events of the whole period, window by window (by ``cfg.workers`` processes at once).

    The windows depend on the number of workers (``plan_windows``); the results do not,
    since each window's halo holds every arrival of the events it keeps."""
    if len(cols.time_s) == 0:
        return []
    windows = plan_windows(float(cols.time_s.min()), float(cols.time_s.max()), cfg)
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
