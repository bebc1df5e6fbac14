"""A small acoustic scenario for the review tests: a sensor grid, shots, a monitor's report.

Arrival times are exact travel times (tests/engine/conftest.py builds them independently of
the engine) plus a little Gaussian noise, so the engine locates each shot as it would a real one.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np

from tests.engine.conftest import C10, SensorArray, Shots, grid_array, lonlat_of, make_shots
from truceline.domain import Arrival, Report, Sensor, SourceKind
from truceline.sim.clock import to_datetime

SIGMA_S = 0.002


@dataclass(frozen=True)
class Scene:
    """Sensors, arrivals of each shot, and a monitor's report placed away from shot 0."""

    array: SensorArray
    shots: list[Shots]
    arrivals: list[list[Arrival]]  # per shot
    report: Report

    @property
    def sensors(self) -> list[Sensor]:
        return self.array.sensors

    @property
    def all_arrivals(self) -> list[Arrival]:
        return [a for shot in self.arrivals for a in shot]

    @property
    def start(self) -> datetime:
        return to_datetime(float(self.shots[0].origin_s[0])) - timedelta(minutes=5)

    @property
    def end(self) -> datetime:
        return to_datetime(float(self.shots[-1].origin_s[-1])) + timedelta(minutes=5)


def shot_arrivals(array: SensorArray, shots: Shots, prefix: str) -> list[Arrival]:
    """Arrivals of one shot, with ids ``<prefix>-<sensor>``."""
    return [
        Arrival(
            f"{prefix}-{array.sensors[s].sensor_id}", array.sensors[s].sensor_id, to_datetime(t)
        )
        for s, t in zip(shots.sensor.tolist(), shots.time_s.tolist(), strict=True)
    ]


def build_scene() -> Scene:
    """Shot 0 heard by all 16 sensors; shot 1, 10 minutes later, by six, one of them by a
    blocked path (60 ms late) that the locator drops: a poor fix of five."""
    array = grid_array(n_side=4, spacing_m=3000.0, sigma_s=SIGMA_S, seed=3)
    first = make_shots(array, [800.0], [-400.0], 150.0, speed_ms=C10, sigma_s=SIGMA_S, seed=4)
    second = make_shots(
        array, [-3500.0], [3500.0], 150.0, speed_ms=C10, sigma_s=SIGMA_S, seed=5,
        max_range_m=5000.0,
    )  # fmt: skip
    second = _shifted(second, 600.0)
    blocked = second.time_s.copy()
    blocked[4] += 0.06
    second = dataclasses.replace(second, time_s=blocked)
    lon, lat = lonlat_of(np.array([800.0 + 6000.0]), np.array([-400.0]))
    report = Report(
        "R-MON-1", "MON-TEAM-1", SourceKind.MONITOR, to_datetime(float(first.origin_s[0])),
        "explosion", reliability="A", credibility="2", time_sigma_s=5.0,
        lon=float(lon[0]), lat=float(lat[0]), loc_sigma_m=50.0, text="one explosion heard",
    )  # fmt: skip
    arrivals = [shot_arrivals(array, first, "A0"), shot_arrivals(array, second, "A1")]
    return Scene(array, [first, second], arrivals, report)


def _shifted(shots: Shots, seconds: float) -> Shots:
    return Shots(
        shots.groups, shots.sensor, shots.time_s + seconds, shots.origin_s + seconds,
        shots.ecef, shots.lon, shots.lat,
    )  # fmt: skip
