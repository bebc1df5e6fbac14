"""Recruiting unused arrivals: a fix that absorbed a blocked path finds the direct arrivals
that expose it; a good fix is not moved by stray picks; no arrival joins two events."""

from __future__ import annotations

import numpy as np
from pyproj import Geod

from tests.engine.conftest import C10, grid_array, make_shots
from truceline.engine.batch import build_batch
from truceline.engine.locate import LocateConfig, locate_batch
from truceline.engine.pipeline import _positions
from truceline.engine.recruit import RecruitConfig, accepted, recruit, splice
from truceline.engine.soundspeed import WeatherModel

ARRAY = grid_array(n_side=5, spacing_m=1500.0, sigma_s=0.002, seed=3)
MODEL = WeatherModel.from_rows([])
GEOD = Geod(ellps="WGS84")


def _outside_shot():  # type: ignore[no-untyped-def]
    """A source 5 km east of the array's centre, outside it, heard by all 25 sensors."""
    return make_shots(
        ARRAY, [5000.0], [500.0], ARRAY.median_elev_m, speed_ms=C10, sigma_s=0.0005, seed=2
    )


def _nearest(shots, n: int):  # type: ignore[no-untyped-def]
    group = shots.groups[0]
    d = np.linalg.norm(ARRAY.ecef[shots.sensor[group]] - shots.ecef[0], axis=1)
    return group[np.argsort(d)[:n]]


def _error_m(batch, fix, shots) -> float:  # type: ignore[no-untyped-def]
    lon, lat = _positions(batch, fix)
    return float(GEOD.inv(lon[0], lat[0], shots.lon[0], shots.lat[0])[2])


def _locate_and_recruit(group, sensor, time_s):  # type: ignore[no-untyped-def]
    batch = build_batch([np.sort(group)], ARRAY.network, sensor, time_s, MODEL)
    fix = locate_batch(batch)
    after = recruit(
        batch, fix, ARRAY.network, sensor, time_s, None, MODEL, LocateConfig(), RecruitConfig()
    )
    return batch, fix, after


def test_a_fix_resting_on_a_blocked_path_recruits_the_direct_arrivals_that_expose_it() -> None:
    shots = _outside_shot()
    group = _nearest(shots, 5)  # five arrivals: the locator must keep them all
    blocked = int(group[3])
    time_s = shots.time_s.copy()
    time_s[blocked] += 0.05  # a blocked path: 50 ms late
    batch, fix, (batch2, fix2) = _locate_and_recruit(group, shots.sensor, time_s)
    assert _error_m(batch, fix, shots) > 2.0  # the delay moved the fix
    kept = batch2.arrival[0][fix2.mask[0]]
    assert batch2.mask[0].sum() > 5  # direct arrivals at silent sensors were recruited
    assert blocked not in kept  # ... and they expose the blocked path
    assert _error_m(batch2, fix2, shots) < 1.0


def test_a_good_fix_is_not_moved_by_stray_picks_near_its_predictions() -> None:
    shots = _outside_shot()
    group = _nearest(shots, 5)
    others = np.setdiff1d(shots.groups[0], group)
    # The other sensors heard nothing of the shot, only false picks 80-250 ms off its times.
    rng = np.random.default_rng(7)
    time_s = shots.time_s.copy()
    time_s[others] += rng.choice([-1, 1], len(others)) * rng.uniform(0.08, 0.25, len(others))
    batch, fix, (batch2, fix2) = _locate_and_recruit(group, shots.sensor, time_s)
    assert batch2 is batch and fix2 is fix
    assert _error_m(batch, fix, shots) < 1.0


def test_an_unused_arrival_joins_one_event_only_the_one_it_helps_most() -> None:
    rows = np.array([0, 1, 2])
    groups = [np.array([1, 2, 9]), np.array([3, 4, 9]), np.array([5, 6, 7])]
    gain = np.array([5.0, 8.0, 1.0])  # event 2 gains less than the margin
    chosen = accepted(rows, groups, gain, RecruitConfig(margin=2.0))
    assert sorted(chosen) == [1]  # arrival 9 goes to event 1, the larger gain


def test_spliced_events_are_the_trial_events_and_the_others_unchanged() -> None:
    shots = make_shots(
        ARRAY, [0.0, 900.0, -700.0], [0.0, -400.0, 800.0], 200.0, speed_ms=C10, sigma_s=0.001
    )
    short = [g[:8] for g in shots.groups]
    batch = build_batch(short, ARRAY.network, shots.sensor, shots.time_s, MODEL)
    fix = locate_batch(batch)
    trial = build_batch([shots.groups[1]], ARRAY.network, shots.sensor, shots.time_s, MODEL)
    trial_fix = locate_batch(trial)
    batch2, fix2 = splice(batch, fix, np.array([1]), trial, trial_fix)
    assert batch2.arrival.shape[1] == trial.arrival.shape[1]  # padded to the longer group
    assert batch2.arrival[1][batch2.mask[1]].tolist() == shots.groups[1].tolist()
    np.testing.assert_array_equal(fix2.params[1], trial_fix.params[0])
    for i in (0, 2):
        assert batch2.arrival[i][batch2.mask[i]].tolist() == short[i].tolist()
        np.testing.assert_array_equal(fix2.params[i], fix.params[i])
    # The spliced batch locates as a freshly built one would.
    again = locate_batch(batch2)
    np.testing.assert_allclose(again.params[:, :2], fix2.params[:, :2], atol=1e-6)
