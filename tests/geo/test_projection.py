"""LocalProjection and geodesic helpers."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from truceline.geo.projection import LocalProjection, geodesic_azimuth_deg, geodesic_distance_m


def test_forward_inverse_round_trip_on_arrays() -> None:
    proj = LocalProjection(31.0, 48.5)
    rng = np.random.default_rng(1)
    lon = rng.uniform(22, 41, size=(50, 4))
    lat = rng.uniform(44, 53, size=(50, 4))
    x, y = proj.forward(lon, lat)
    assert x.shape == lon.shape and y.shape == lat.shape
    back_lon, back_lat = proj.inverse(x, y)
    np.testing.assert_allclose(back_lon, lon, atol=1e-9)
    np.testing.assert_allclose(back_lat, lat, atol=1e-9)


@settings(max_examples=50, deadline=None)
@given(st.floats(22, 41), st.floats(44, 53))
def test_distance_from_the_centre_is_geodesic(lon: float, lat: float) -> None:
    proj = LocalProjection(31.0, 48.5)
    x, y = proj.forward(lon, lat)
    expected = geodesic_distance_m(31.0, 48.5, lon, lat)
    assert float(np.hypot(x, y)) == pytest.approx(float(expected), abs=1e-3)


def test_other_distances_are_close_to_geodesic_across_ukraine() -> None:
    proj = LocalProjection.centred_on([22.1, 40.2], [44.4, 52.4])
    lon1, lat1, lon2, lat2 = 23.0, 48.0, 40.0, 49.0  # Zakarpattia to Luhansk
    x, y = proj.forward([lon1, lon2], [lat1, lat2])
    planar = float(np.hypot(x[1] - x[0], y[1] - y[0]))
    geodesic = float(geodesic_distance_m(lon1, lat1, lon2, lat2))
    assert abs(planar / geodesic - 1) < 0.005


def test_centred_on_takes_the_middle_of_the_bounding_box() -> None:
    proj = LocalProjection.centred_on(np.array([22.0, 30.0, 40.0]), np.array([44.0, 52.0, 50.0]))
    assert (proj.lon0, proj.lat0) == (31.0, 48.0)
    with pytest.raises(ValueError):
        LocalProjection.centred_on([], [])


def test_geometries_project_and_come_back() -> None:
    proj = LocalProjection(30.0, 50.0)
    square = shapely.box(29.9, 49.9, 30.1, 50.1)
    metric = proj.to_metric(square)
    assert metric.area == pytest.approx(14.3e3 * 22.2e3, rel=0.01)
    assert shapely.equals_exact(proj.to_lonlat(metric), square, tolerance=1e-9)


def test_geodesic_distance_and_azimuth_broadcast() -> None:
    d = geodesic_distance_m(30.0, 50.0, [30.0, 31.0, 30.0], [51.0, 50.0, 50.0])
    assert d.shape == (3,)
    assert d[0] == pytest.approx(111_239, abs=5)  # one degree of latitude at 50 N
    assert d[2] == 0.0
    az = geodesic_azimuth_deg(30.0, 50.0, [30.0, 31.0, 30.0, 29.0], [51.0, 50.0, 49.0, 50.0])
    np.testing.assert_allclose(az, [0.0, 89.6, 180.0, 270.4], atol=0.05)
    assert ((az >= 0) & (az < 360)).all()
