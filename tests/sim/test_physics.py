"""The simulator's physics, recomputed independently from its inputs and truth."""

from __future__ import annotations

import numpy as np
from pyproj import Geod
from scipy import stats

from truceline.sim.scenario import Scenario

GEOD = Geod(ellps="WGS84")


def _residuals(sc: Scenario, path: str) -> tuple[np.ndarray, np.ndarray]:
    """Arrival time minus origin time minus distance over effective sound speed, in seconds."""
    a, ev, net, w = sc.arrivals, sc.events, sc.network, sc.weather
    sel = a.path == path
    e, s = a.event[sel], a.sensor[sel]
    az, _, horiz = GEOD.inv(ev.lon[e], ev.lat[e], net.lon[s], net.lat[s])
    dist = np.hypot(horiz, net.elev_m[s] - ev.elev_m[e])
    t = ev.time_s[e]
    temp = np.interp(t, w.time_s, w.temperature_c)
    to = np.radians(w.wind_from_deg + 180.0)
    east = np.interp(t, w.time_s, w.wind_speed_ms * np.sin(to))
    north = np.interp(t, w.time_s, w.wind_speed_ms * np.cos(to))
    c = 331.3 * np.sqrt(1 + temp / 273.15)
    along = east * np.sin(np.radians(az)) + north * np.cos(np.radians(az))
    speed = c + along * horiz / dist
    return a.time_s[sel] - t - dist / speed, net.clock_sigma_s[s]


def test_direct_arrivals_follow_the_noise_model(busy_scenario: Scenario) -> None:
    resid, sigma = _residuals(busy_scenario, "direct")
    z = resid / sigma
    assert len(z) > 1000
    assert abs(z.mean()) < 0.05
    assert 0.95 < z.std() < 1.05
    assert stats.kstest(z, "norm").pvalue > 1e-3


def test_blocked_paths_arrive_late(busy_scenario: Scenario) -> None:
    resid, sigma = _residuals(busy_scenario, "nlos")
    excess = resid - busy_scenario.profile.nlos_mean_delay_s
    assert len(resid) > 50
    assert np.all(resid > -5 * sigma)
    assert abs(excess.mean()) < 0.01  # mean delay as the profile says


def test_echoes_follow_their_direct_arrival(busy_scenario: Scenario) -> None:
    resid, sigma = _residuals(busy_scenario, "echo")
    assert len(resid) > 100
    assert np.all(resid > 0.2 - 5 * sigma)
    assert np.all(resid < 3.0 + 0.5)


def test_truth_delay_and_noise_explain_every_arrival(busy_scenario: Scenario) -> None:
    a = busy_scenario.arrivals
    real = a.event >= 0
    expected = (
        busy_scenario.events.time_s[a.event[real]]
        + a.distance_m[real] / a.sound_speed_ms[real]
        + a.delay_s[real]
        + a.noise_s[real]
    )
    assert np.allclose(a.time_s[real], expected, atol=1e-6)


def test_arrivals_are_sorted_and_within_the_period(busy_scenario: Scenario) -> None:
    t = busy_scenario.arrivals.time_s
    assert np.all(np.diff(t) >= 0)
    false = busy_scenario.arrivals.path == "false"
    start = busy_scenario.start_s
    assert np.all((t[false] >= start) & (t[false] <= start + busy_scenario.duration_s))
