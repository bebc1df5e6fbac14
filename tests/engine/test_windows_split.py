"""Short periods are cut so that every worker gets an even share, with the same results."""

from __future__ import annotations

import doctest
import math
from datetime import UTC, datetime
from functools import cache

import numpy as np
import pytest

from truceline.domain import Arrival, Sensor, Weather
from truceline.engine import windows
from truceline.engine.pipeline import ArrivalAnalysis, EngineConfig, analyze_arrivals
from truceline.engine.windows import (
    MIN_WINDOW_HALOS,
    plan_windows,
    time_windows,
    window_length_s,
)
from truceline.geo.demo import load_demo_theatre
from truceline.sim.scenario import simulate

HOUR = 3600.0
DEFAULT = EngineConfig()


def test_docstring_examples() -> None:
    result = doctest.testmod(windows)
    assert result.attempted >= 5
    assert result.failed == 0


@pytest.mark.parametrize(
    ("span_h", "workers", "windows_expected"),
    [
        (1.6, 2, 2),  # shorter than one window: one each instead of one worker alone
        (1.6, 4, 4),  # 24 minutes each, still above the floor of 20
        (7.5, 2, 4),  # 3 windows would give one worker two of them
        (16.5, 2, 6),  # already even: six equal windows instead of five and a half
        (0.5, 2, 1),  # two windows of 15 minutes would cost more in halos than they save
        (1.0, 4, 3),  # four of 15 minutes are too short: three of 20 minutes
        (7.5, 1, 3),  # one worker: the configured 3-hour windows
    ],
)
def test_windows_for_workers(span_h: float, workers: int, windows_expected: int) -> None:
    span = span_h * HOUR
    length = window_length_s(span, DEFAULT.window_s, DEFAULT.halo_s, workers)
    assert len(time_windows(0.0, span, length)) == windows_expected


@pytest.mark.parametrize("workers", [2, 3, 4])
@pytest.mark.parametrize("span_h", [0.4, 0.9, 1.3, 2.0, 5.9, 7.5, 16.5, 31.0, 180.0])
def test_windows_are_shared_evenly_never_longer_than_asked_nor_too_short(
    span_h: float, workers: int
) -> None:
    span, floor_s = span_h * HOUR, MIN_WINDOW_HALOS * DEFAULT.halo_s
    length = window_length_s(span, DEFAULT.window_s, DEFAULT.halo_s, workers)
    count = len(time_windows(1.795e9, 1.795e9 + span, length))
    assert length <= DEFAULT.window_s
    assert length >= min(floor_s, span)
    assert math.isclose(count * length, span)  # equal windows, the last one whole
    if span >= workers * floor_s:
        assert count % workers == 0


def test_windows_shorter_than_the_floor_when_asked_for_are_kept() -> None:
    length = window_length_s(2 * HOUR, 900.0, 300.0, workers=2)
    assert length == 900.0  # eight windows of 15 minutes: already even, as configured


def test_no_workers_or_no_span_give_the_configured_window() -> None:
    assert window_length_s(HOUR, 1800.0, 300.0, workers=0) == 1800.0
    assert window_length_s(0.0, 1800.0, 300.0, workers=2) == 1800.0
    assert time_windows(5.0, 5.0, window_length_s(0.0, 1800.0, 300.0, 2)) == [(-math.inf, math.inf)]


def test_equal_windows_survive_rounding_on_real_timestamps() -> None:
    rng = np.random.default_rng(3)
    for t_min, span, count in zip(
        rng.uniform(1.7e9, 1.8e9, 500),
        rng.uniform(600, 1e6, 500),
        rng.integers(1, 80, 500),
        strict=True,
    ):
        t_max = t_min + span
        assert len(time_windows(t_min, t_max, (t_max - t_min) / count)) == count


@cache
def _busy_two_hours() -> tuple[list[Sensor], list[Arrival], list[Weather]]:
    start = datetime(2026, 11, 21, tzinfo=UTC)
    sc = simulate(load_demo_theatre(), seed=17, profile="busy", start=start, hours=2)
    return sc.sensors(), sc.domain_arrivals(), sc.domain_weather()


@cache
def _analysis(workers: int, halo_s: float = DEFAULT.halo_s) -> ArrivalAnalysis:
    sensors, arrivals, weather = _busy_two_hours()
    cfg = EngineConfig(workers=workers, halo_s=halo_s)
    return analyze_arrivals(sensors, arrivals, weather, cfg)


def test_two_hours_make_even_windows_for_two_workers_and_one_for_one() -> None:
    _, arrivals, _ = _busy_two_hours()
    times = np.array([a.time.timestamp() for a in arrivals])
    t_min, t_max = float(times.min()), float(times.max())
    assert 1.5 * HOUR < t_max - t_min < DEFAULT.window_s
    assert len(plan_windows(t_min, t_max, EngineConfig(workers=1))) == 1
    cut = plan_windows(t_min, t_max, EngineConfig(workers=2))
    assert len(cut) == 2
    own = [int(np.count_nonzero((times >= lo) & (times < hi))) for lo, hi in cut]
    assert sum(own) == len(times)
    assert max(own) <= 1.2 * min(own)  # even-ish shares of the work


def test_two_workers_find_exactly_the_events_of_one() -> None:
    one, two = _analysis(1), _analysis(2)
    assert len(one.events) > 100
    assert [e.event_id for e in two.events] == [e.event_id for e in one.events]
    assert [(e.time, e.lon, e.lat) for e in two.events] == [
        (e.time, e.lon, e.lat) for e in one.events
    ]
    assert [e.arrival_ids for e in two.events] == [e.arrival_ids for e in one.events]
    assert two.events == one.events  # ellipses, kinds, bounds: every field
    assert two.unassociated == one.unassociated


def test_the_equality_has_teeth_a_halo_too_short_changes_the_events() -> None:
    # Same two windows (the floor of 4 halos is 4 s), but a 1 s halo cuts the events at
    # the edge: the halo, not luck, is what keeps two workers' events equal to one's.
    _, arrivals, _ = _busy_two_hours()
    times = [a.time.timestamp() for a in arrivals]
    narrow = EngineConfig(workers=2, halo_s=1.0)
    assert len(plan_windows(min(times), max(times), narrow)) == 2
    assert _analysis(2, halo_s=1.0).events != _analysis(1).events
