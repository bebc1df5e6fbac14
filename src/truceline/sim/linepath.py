"""Walking along the contact line: points, directions and perpendicular offsets (geodesic)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from numpy.typing import NDArray
from pyproj import Geod
from shapely.geometry.base import BaseGeometry

GEOD = Geod(ellps="WGS84")
FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class LinePath:
    """The parts of a contact line laid end to end, addressed by distance along them (m)."""

    lon: FloatArray
    lat: FloatArray
    along_m: FloatArray  # cumulative distance at each vertex; parts are separated by a jump

    @classmethod
    def from_geometry(cls, line: BaseGeometry, min_part_m: float = 20_000.0) -> LinePath:
        """Build from a (Multi)LineString in lon/lat, keeping parts longer than ``min_part_m``."""
        parts = shapely.get_parts(shapely.line_merge(line))
        lons: list[FloatArray] = []
        lats: list[FloatArray] = []
        alongs: list[FloatArray] = []
        offset = 0.0
        for part in parts:
            xy = np.asarray(shapely.get_coordinates(part), dtype=np.float64)
            if len(xy) < 2:
                continue
            _, _, seg = GEOD.inv(xy[:-1, 0], xy[:-1, 1], xy[1:, 0], xy[1:, 1])
            cum = np.concatenate([[0.0], np.cumsum(seg)])
            if cum[-1] < min_part_m:
                continue
            lons.append(xy[:, 0])
            lats.append(xy[:, 1])
            alongs.append(cum + offset)
            offset += cum[-1] + 1.0  # a 1 m jump keeps np.interp from joining parts smoothly
        if not lons:
            raise ValueError("the contact line has no part long enough to simulate along")
        return cls(np.concatenate(lons), np.concatenate(lats), np.concatenate(alongs))

    @property
    def length_m(self) -> float:
        return float(self.along_m[-1])

    def point_at(self, d: FloatArray) -> tuple[FloatArray, FloatArray]:
        """Lon/lat of the points at distances ``d`` along the path."""
        d = np.clip(d, 0.0, self.length_m)
        return np.interp(d, self.along_m, self.lon), np.interp(d, self.along_m, self.lat)

    def azimuth_at(self, d: FloatArray, half_span_m: float = 1_500.0) -> FloatArray:
        """Direction of the line (degrees from north) at distances ``d``."""
        lon1, lat1 = self.point_at(d - half_span_m)
        lon2, lat2 = self.point_at(d + half_span_m)
        az, _, _ = GEOD.inv(lon1, lat1, lon2, lat2)
        return np.asarray(az, dtype=np.float64)

    def offset_points(self, d: FloatArray, offset_m: FloatArray) -> tuple[FloatArray, FloatArray]:
        """Points ``offset_m`` to the right (positive) or left (negative) of the line at ``d``."""
        lon, lat = self.point_at(d)
        az = self.azimuth_at(d) + np.where(offset_m >= 0, 90.0, -90.0)
        lon2, lat2, _ = GEOD.fwd(lon, lat, az, np.abs(offset_m))
        return np.asarray(lon2), np.asarray(lat2)


def geodesic(
    lon1: FloatArray, lat1: FloatArray, lon2: FloatArray, lat2: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """Distance (m) and forward azimuth (deg) from points 1 to points 2, broadcast."""
    lon1, lat1, lon2, lat2 = np.broadcast_arrays(lon1, lat1, lon2, lat2)
    az, _, dist = GEOD.inv(lon1.ravel(), lat1.ravel(), lon2.ravel(), lat2.ravel())
    shape = lon1.shape
    return np.asarray(dist).reshape(shape), np.asarray(az).reshape(shape)
