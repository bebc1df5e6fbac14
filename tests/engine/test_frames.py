"""Earth-centred and east-north-up frames: exact to the millimetre, in either direction."""

from __future__ import annotations

import numpy as np
import pytest

from tests.engine.conftest import GEOD, ecef_of
from truceline.engine.frames import (
    ecef_to_geodetic,
    enu_rotation,
    from_enu,
    geodetic_to_ecef,
    to_enu,
)


@pytest.fixture(scope="module")
def points() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(11)
    n = 2000
    lon = rng.uniform(-180.0, 180.0, n)
    lat = np.degrees(np.arcsin(rng.uniform(-1.0, 1.0, n)))  # uniform over the sphere
    h = rng.uniform(-500.0, 9000.0, n)
    # and the awkward places: poles, date line, equator, the sea floor and a balloon
    lon = np.concatenate([lon, [0.0, 180.0, -180.0, 37.7, 37.7, 0.0]])
    lat = np.concatenate([lat, [90.0, 0.0, -89.999, 48.0, 48.0, -90.0]])
    h = np.concatenate([h, [0.0, 0.0, 10.0, -11_000.0, 35_000.0, 100.0]])
    return lon, lat, h


def test_ecef_round_trip_to_a_millimetre(points: tuple[np.ndarray, ...]) -> None:
    lon, lat, h = points
    xyz = geodetic_to_ecef(lon, lat, h)
    lon2, lat2, h2 = ecef_to_geodetic(xyz)
    assert np.max(np.abs(h2 - h)) < 1e-3
    assert np.max(np.abs(lat2 - lat)) < 1e-9
    away_from_poles = np.abs(lat) < 89.9  # longitude is undefined at a pole
    dlon = (lon2 - lon + 180.0) % 360.0 - 180.0
    assert np.max(np.abs(dlon[away_from_poles])) < 1e-9
    # and back again lands on the same point, poles included
    again = geodetic_to_ecef(lon2, lat2, h2)
    assert np.max(np.linalg.norm(again - xyz, axis=-1)) < 1e-3


def test_ecef_agrees_with_pyproj(points: tuple[np.ndarray, ...]) -> None:
    lon, lat, h = points
    ours = geodetic_to_ecef(lon, lat, h)
    theirs = ecef_of(lon, lat, h)
    assert np.max(np.linalg.norm(ours - theirs, axis=-1)) < 1e-3


def test_ecef_of_known_points() -> None:
    equator = geodetic_to_ecef(np.array(0.0), np.array(0.0), np.array(0.0))
    np.testing.assert_allclose(equator, [6_378_137.0, 0.0, 0.0], atol=1e-6)
    pole = geodetic_to_ecef(np.array(0.0), np.array(90.0), np.array(0.0))
    np.testing.assert_allclose(pole, [0.0, 0.0, 6_356_752.314245], atol=1e-3)
    east = geodetic_to_ecef(np.array(90.0), np.array(0.0), np.array(100.0))
    np.testing.assert_allclose(east, [0.0, 6_378_237.0, 0.0], atol=1e-6)


def _enu(lon0: float, lat0: float, lon: float, lat: float, h: float, h0: float = 0.0):
    origin = geodetic_to_ecef(np.array([lon0]), np.array([lat0]), np.array([h0]))
    rot = enu_rotation(np.array([lon0]), np.array([lat0]))
    xyz = geodetic_to_ecef(np.array([[lon]]), np.array([[lat]]), np.array([[h]]))
    return to_enu(xyz, origin, rot)[0, 0], origin, rot


@pytest.mark.parametrize(("lon0", "lat0"), [(37.7, 48.0), (-79.99, 40.44), (0.0, 0.0)])
def test_a_point_one_km_east_is_1000_0_0(lon0: float, lat0: float) -> None:
    """1 km east along the ground: (1000, 0, 0) less the drop of the curved earth (8 cm)."""
    lon, lat, _ = GEOD.fwd(lon0, lat0, 90.0, 1000.0)
    enu, _, _ = _enu(lon0, lat0, lon, lat, 0.0)
    assert enu[0] == pytest.approx(1000.0, abs=0.01)
    assert abs(enu[1]) < 0.1  # an eastward geodesic bends towards the equator by centimetres
    assert enu[2] == pytest.approx(-(1000.0**2) / (2 * 6_378_137.0), abs=0.005)


@pytest.mark.parametrize(
    ("azimuth", "expect"),
    [(0.0, (0.0, 1.0)), (180.0, (0.0, -1.0)), (270.0, (-1.0, 0.0)), (45.0, (0.7071, 0.7071))],
)
def test_enu_axes_point_east_north_up(azimuth: float, expect: tuple[float, float]) -> None:
    lon, lat, _ = GEOD.fwd(37.7, 48.0, azimuth, 2000.0)
    enu, _, _ = _enu(37.7, 48.0, lon, lat, 0.0)
    np.testing.assert_allclose(enu[:2] / 2000.0, expect, atol=1e-4)
    above, _, _ = _enu(37.7, 48.0, 37.7, 48.0, 250.0, h0=100.0)
    np.testing.assert_allclose(above, [0.0, 0.0, 150.0], atol=1e-6)


def test_enu_rotation_is_orthonormal_and_from_enu_inverts_to_enu() -> None:
    rng = np.random.default_rng(3)
    lon0, lat0 = rng.uniform(-180, 180, 50), rng.uniform(-89, 89, 50)
    rot = enu_rotation(lon0, lat0)
    eye = np.einsum("eij,ekj->eik", rot, rot)
    np.testing.assert_allclose(eye, np.broadcast_to(np.eye(3), eye.shape), atol=1e-12)
    assert np.allclose(np.linalg.det(rot), 1.0)  # right-handed: east x north = up
    origin = geodetic_to_ecef(lon0, lat0, rng.uniform(0, 500, 50))
    enu = rng.uniform(-20_000, 20_000, (50, 3))
    xyz = from_enu(enu, origin, rot)
    back = to_enu(xyz[:, None, :], origin, rot)[:, 0, :]
    np.testing.assert_allclose(back, enu, atol=1e-6)
    # distances are preserved exactly: no projection
    np.testing.assert_allclose(
        np.linalg.norm(xyz - origin, axis=1), np.linalg.norm(enu, axis=1), rtol=1e-12
    )
