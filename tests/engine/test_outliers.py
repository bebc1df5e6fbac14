"""The leave-one-out second opinion (engine/outliers.py) on synthetic shots with exact truth."""

from __future__ import annotations

import numpy as np
import pytest

from tests.engine.conftest import C10, SensorArray, locate_shots, make_shots
from truceline.engine.locate import LocateConfig
from truceline.engine.outliers import arrival_log_likelihood, recheck_by_leaving_one_out

NO_RECHECK = LocateConfig(recheck_max_arrivals=0)


def test_a_stray_pick_weighs_the_same_however_far_off() -> None:
    cfg = LocateConfig()
    sigma = np.full(3, 0.002)
    ll = arrival_log_likelihood(np.array([-0.5, -5.0, 0.0]), sigma, cfg)
    floor = np.log(cfg.stray_prob / cfg.stray_window_s)
    np.testing.assert_allclose(ll[:2], floor, rtol=1e-9)
    assert ll[2] > floor + 5.0


@pytest.mark.parametrize("early_s", [0.1, 0.2])
def test_an_early_stray_pick_that_is_not_the_earliest_is_dropped(
    array: SensorArray, sources: tuple[np.ndarray, np.ndarray], early_s: float
) -> None:
    """Events of 8-12 arrivals, one pick per event far too early (not the earliest one)."""
    east, north = sources
    shots = make_shots(
        array, east, north, array.median_elev_m, speed_ms=C10, sigma_s=0.002, max_range_m=6000.0
    )
    stray = np.array([g[3] for g in shots.groups])
    times = shots.time_s.copy()
    times[stray] -= early_s
    unchecked = locate_shots(array, shots, time_s=times, cfg=NO_RECHECK)
    assert unchecked.horizontal_error_m.max() > 10.0  # the pick drags the first fit
    located = locate_shots(array, shots, time_s=times)
    assert located.fix.ok.all()
    assert not any(located.kept(int(a)) for a in stray)
    good_dropped = int((located.batch.mask & ~located.fix.mask).sum()) - len(stray)
    assert good_dropped <= 3  # of ~200 good arrivals in the 20 events
    assert located.horizontal_error_m.max() < 3.0


def test_consistent_events_are_left_alone(
    array: SensorArray, sources: tuple[np.ndarray, np.ndarray]
) -> None:
    east, north = sources
    shots = make_shots(array, east, north, array.median_elev_m, speed_ms=C10, sigma_s=0.002)
    first = locate_shots(array, shots, cfg=NO_RECHECK)
    p, mask = recheck_by_leaving_one_out(
        first.batch, first.fix.params, first.fix.mask, LocateConfig()
    )
    np.testing.assert_array_equal(p, first.fix.params)
    np.testing.assert_array_equal(mask, first.fix.mask)


def test_an_event_of_min_arrivals_is_not_rechecked(array: SensorArray) -> None:
    """With one arrival fewer, any four fit exactly: the second opinion would only guess."""
    shots = make_shots(array, [1000.0], [500.0], array.median_elev_m, speed_ms=C10)
    near = np.argsort(np.hypot(array.east - 1000.0, array.north - 500.0))[:5].astype(np.int64)
    times = shots.time_s.copy()
    times[near[2]] += 0.05  # blocked path
    first = locate_shots(array, shots, groups=[near], time_s=times, cfg=NO_RECHECK)
    p, mask = recheck_by_leaving_one_out(
        first.batch, first.fix.params, first.fix.mask, LocateConfig()
    )
    np.testing.assert_array_equal(p, first.fix.params)
    assert mask.sum() == 5
