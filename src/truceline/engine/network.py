"""The sensor network as columnar arrays, with earth-centred positions for exact distances."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from truceline.domain import Sensor
from truceline.engine.frames import geodetic_to_ecef

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class Network:
    """Sensors by index: ids, lon/lat/elevation, clock sigma, ECEF position."""

    sensor_id: NDArray[np.str_]
    lon: FloatArray
    lat: FloatArray
    elev_m: FloatArray
    clock_sigma_s: FloatArray
    ecef: FloatArray  # (N, 3)

    @classmethod
    def from_sensors(cls, sensors: Sequence[Sensor]) -> Network:
        lon = np.array([s.lon for s in sensors], dtype=np.float64)
        lat = np.array([s.lat for s in sensors], dtype=np.float64)
        elev = np.array([s.elev_m for s in sensors], dtype=np.float64)
        return cls(
            sensor_id=np.array([s.sensor_id for s in sensors]),
            lon=lon,
            lat=lat,
            elev_m=elev,
            clock_sigma_s=np.array([s.clock_sigma_s for s in sensors], dtype=np.float64),
            ecef=geodetic_to_ecef(lon, lat, elev),
        )

    def __len__(self) -> int:
        return len(self.sensor_id)

    def index(self) -> dict[str, int]:
        return {str(s): i for i, s in enumerate(self.sensor_id)}
