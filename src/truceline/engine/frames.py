"""Earth-centred and local east-north-up frames: exact straight-line distances, no projection."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from pyproj import Transformer

FloatArray = NDArray[np.float64]
WGS84_A = 6_378_137.0
WGS84_E2 = 6.694_379_990_14e-3
EARTH_RADIUS_M = 6_371_000.0
_TO_GEODETIC = Transformer.from_crs("EPSG:4978", "EPSG:4979", always_xy=True)


def geodetic_to_ecef(lon: FloatArray, lat: FloatArray, h: FloatArray) -> FloatArray:
    """ECEF coordinates (..., 3) in metres of WGS 84 lon/lat (degrees) and height (m).

    >>> np.round(geodetic_to_ecef(np.array(0.0), np.array(0.0), np.array(0.0)))
    array([6378137.,       0.,       0.])
    """
    lam, phi = np.radians(lon), np.radians(lat)
    n = WGS84_A / np.sqrt(1.0 - WGS84_E2 * np.sin(phi) ** 2)
    x = (n + h) * np.cos(phi) * np.cos(lam)
    y = (n + h) * np.cos(phi) * np.sin(lam)
    z = (n * (1.0 - WGS84_E2) + h) * np.sin(phi)
    return np.stack([x, y, z], axis=-1)


def ecef_to_geodetic(xyz: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Lon, lat (degrees) and height (m) of ECEF points (..., 3)."""
    lon, lat, h = _TO_GEODETIC.transform(xyz[..., 0], xyz[..., 1], xyz[..., 2])
    return np.asarray(lon), np.asarray(lat), np.asarray(h)


def enu_rotation(lon0: FloatArray, lat0: FloatArray) -> FloatArray:
    """Rotation matrices (..., 3, 3) taking ECEF offsets to east, north, up at lon0/lat0."""
    lam, phi = np.radians(lon0), np.radians(lat0)
    sl, cl, sp, cp = np.sin(lam), np.cos(lam), np.sin(phi), np.cos(phi)
    zero = np.zeros_like(sl)
    rows = [
        np.stack([-sl, cl, zero], axis=-1),
        np.stack([-sp * cl, -sp * sl, cp], axis=-1),
        np.stack([cp * cl, cp * sl, sp], axis=-1),
    ]
    return np.stack(rows, axis=-2)


def to_enu(xyz: FloatArray, origin: FloatArray, rotation: FloatArray) -> FloatArray:
    """ENU coordinates of ECEF points ``xyz`` (E, K, 3) in frames (origin (E, 3), rotation)."""
    return np.asarray(np.einsum("eij,ekj->eki", rotation, xyz - origin[:, None, :]))


def from_enu(enu: FloatArray, origin: FloatArray, rotation: FloatArray) -> FloatArray:
    """ECEF of ENU points (E, 3) in frames (origin (E, 3), rotation (E, 3, 3))."""
    return np.asarray(origin + np.einsum("eji,ej->ei", rotation, enu))
