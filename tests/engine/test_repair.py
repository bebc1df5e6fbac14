"""Re-association from located events: a phantom gives back what a real event explains, an
event that took an echo gets its direct arrival back, and strong events are served first."""

from __future__ import annotations

import numpy as np

from tests.engine.conftest import C10, grid_array, locate_shots, make_shots, weather_row
from truceline.engine.batch import build_batch, pick_sigma_factor
from truceline.engine.locate import locate_batch
from truceline.engine.repair import reassociate
from truceline.engine.soundspeed import WeatherModel

ARRAY = grid_array(n_side=5, spacing_m=1500.0, sigma_s=0.002, seed=3)


def _shot(east: float = 200.0, north: float = -300.0):  # type: ignore[no-untyped-def]
    return make_shots(ARRAY, [east], [north], ARRAY.median_elev_m, speed_ms=C10, sigma_s=0.001)


def _with_extra(shots, extra_sensor: list[int], extra_time: list[float]):  # type: ignore[no-untyped-def]
    sensor = np.concatenate([shots.sensor, np.array(extra_sensor, dtype=np.int64)])
    time_s = np.concatenate([shots.time_s, np.array(extra_time)])
    return sensor, time_s


def _repair(groups, sensor, time_s):  # type: ignore[no-untyped-def]
    model = WeatherModel.from_rows([])
    batch = build_batch(groups, ARRAY.network, sensor, time_s, model)
    fix = locate_batch(batch)
    return reassociate(batch, fix, ARRAY.network, sensor, time_s)


def test_an_event_that_took_an_echo_gets_its_direct_arrival_back() -> None:
    shots = _shot()
    group = shots.groups[0]
    direct = int(group[7])
    echo_index = len(shots.time_s)  # an echo 0.15 s after the direct arrival at that sensor
    sensor, time_s = _with_extra(shots, [int(shots.sensor[direct])], [shots.time_s[direct] + 0.15])
    took_echo = np.sort(np.concatenate([np.delete(group, 7), [echo_index]]))
    (repaired,) = _repair([took_echo], sensor, time_s)
    assert direct in repaired
    assert echo_index not in repaired
    assert len(repaired) == len(group)


def test_a_phantom_gives_back_the_arrivals_a_real_event_explains_and_dissolves() -> None:
    shots = _shot()
    group = shots.groups[0]
    # The phantom: three direct arrivals of the shot and three late picks (echoes 0.9 s
    # after the direct sound) at three other sensors; the shot's own event kept the rest.
    stolen = group[[2, 9, 16]]
    echoed = [int(shots.sensor[group[k]]) for k in (4, 11, 20)]
    late = [shots.time_s[group[k]] + 0.9 for k in (4, 11, 20)]
    sensor, time_s = _with_extra(shots, echoed, late)
    n0 = len(shots.time_s)
    phantom = np.sort(np.concatenate([stolen, np.arange(n0, n0 + 3)]))
    real = np.setdiff1d(group, stolen)
    repaired = _repair([real, phantom], sensor, time_s)
    assert len(repaired) == 1  # the phantom is gone
    assert sorted(repaired[0].tolist()) == sorted(group.tolist())


def test_repair_leaves_a_clean_event_as_it_was() -> None:
    shots = _shot(-800.0, 650.0)
    (repaired,) = _repair([shots.groups[0]], shots.sensor, shots.time_s)
    assert repaired.tolist() == shots.groups[0].tolist()


def test_faint_pulses_get_a_wider_timing_sigma_and_clear_ones_keep_theirs() -> None:
    factor = pick_sigma_factor(np.array([30.0, 10.0, 4.0, 0.0, np.nan]))
    assert factor.tolist()[:2] == [1.0, 1.0]
    assert np.isclose(factor[2], 10 ** (6 / 20))
    assert np.isclose(factor[3], 10 ** (10 / 20))
    assert factor[4] == 1.0  # unknown SNR: the sensor's own sigma


def test_a_wide_event_in_wind_is_fitted_on_all_its_arrivals() -> None:
    """Closed-form start without wind, then plain least squares before the robust weights:
    a source 5 km outside a 20 km array in 8 m/s of wind, where the start is hundreds of ms
    off at far sensors (robust weights from that start: 590 m off, measured)."""
    array = grid_array(n_side=5, spacing_m=5000.0, sigma_s=0.002, seed=5)
    weather = [weather_row(10.0, speed_ms=8.0, from_deg=250.0)]
    wind = (8.0 * np.sin(np.radians(70.0)), 8.0 * np.cos(np.radians(70.0)))
    shots = make_shots(
        array, [-15000.0], [3000.0], array.median_elev_m, speed_ms=C10, wind_en=wind, sigma_s=0.002
    )
    located = locate_shots(array, shots, weather=weather)
    assert located.fix.ok[0]
    assert located.fix.mask[0].all()
    assert located.horizontal_error_m[0] < 5.0
