"""The mechanism's sensor network along the line, and its observation posts."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from truceline.sim.linepath import LinePath
from truceline.sim.profiles import SimProfile

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class SensorNetwork:
    """Sensor positions (columnar) with their clock accuracy."""

    sensor_id: NDArray[np.str_]
    lon: FloatArray
    lat: FloatArray
    elev_m: FloatArray
    clock_sigma_s: FloatArray

    def __len__(self) -> int:
        return len(self.sensor_id)


def place_sensors(rng: np.random.Generator, path: LinePath, profile: SimProfile) -> SensorNetwork:
    """Rows of sensors parallel to the line, every few km, jittered as real sites are."""
    spacing = profile.sensor_spacing_km * 1000.0
    along = np.arange(spacing / 2, path.length_m, spacing)
    offsets = np.array(profile.sensor_offsets_km) * 1000.0
    d = np.repeat(along, len(offsets)) + rng.normal(0, spacing * 0.15, len(along) * len(offsets))
    off = np.tile(offsets, len(along)) + rng.normal(0, 400.0, len(d))
    lon, lat = path.offset_points(d, off)
    n = len(lon)
    ids = np.array([f"S{i + 1:04d}" for i in range(n)])
    elev = np.round(rng.uniform(100.0, 300.0, n), 1)
    clock = np.round(rng.choice([0.002, 0.003, 0.005], n), 4)
    return SensorNetwork(ids, np.round(lon, 7), np.round(lat, 7), elev, clock)


@dataclass(frozen=True)
class Posts:
    """Fixed observation posts: monitor team bases or cameras."""

    post_id: NDArray[np.str_]
    lon: FloatArray
    lat: FloatArray


def place_posts(
    rng: np.random.Generator, path: LinePath, n: int, prefix: str, offset_km: tuple[float, float]
) -> Posts:
    """Posts scattered along the line, a few km from it on either side."""
    d = rng.uniform(5_000.0, path.length_m - 5_000.0, n)
    off = rng.uniform(*offset_km, n) * 1000.0 * rng.choice([-1.0, 1.0], n)
    lon, lat = path.offset_points(d, off)
    ids = np.array([f"{prefix}{i + 1:02d}" for i in range(n)])
    return Posts(ids, np.round(lon, 6), np.round(lat, 6))
