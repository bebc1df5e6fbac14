"""distance_to_line_m and side_of: vectorised, on a toy theatre and on the demo theatre."""

from __future__ import annotations

import gc

import numpy as np
import pytest
import shapely

from truceline.domain.theatre import ControlArea, Party, Theatre
from truceline.geo import lines
from truceline.geo.lines import distance_to_line_m, side_of
from truceline.geo.projection import geodesic_distance_m

TOY = Theatre(
    parties=(Party("UA", "Ukraine"), Party("RU", "Russia")),
    control_areas=(
        ControlArea("UA", shapely.box(30.0, 47.0, 31.0, 49.0)),
        ControlArea("RU", shapely.box(31.0, 47.0, 32.0, 49.0)),
    ),
    contact_line=shapely.LineString([(31.0, 47.0), (31.0, 49.0)]),
)


def test_distance_matches_the_geodesic_distance_to_a_meridian() -> None:
    lon = np.array([30.2, 30.8, 31.0, 31.1, 31.9])
    lat = np.full(lon.shape, 48.0)
    d = distance_to_line_m(TOY, lon, lat)
    expected = geodesic_distance_m(lon, lat, 31.0, lat)
    np.testing.assert_allclose(d, expected, rtol=2e-3, atol=1.0)


def test_distance_keeps_the_input_shape_and_handles_scalars() -> None:
    lon = np.full((3, 4), 31.5)
    lat = np.linspace(47.5, 48.5, 12).reshape(3, 4)
    assert distance_to_line_m(TOY, lon, lat).shape == (3, 4)
    assert distance_to_line_m(TOY, 31.0, 48.0).shape == ()
    assert distance_to_line_m(TOY, [], []).shape == (0,)


def test_distance_beyond_the_end_of_the_line_is_to_its_end() -> None:
    d = distance_to_line_m(TOY, 31.0, 49.5)
    assert float(d) == pytest.approx(float(geodesic_distance_m(31.0, 49.0, 31.0, 49.5)), rel=2e-3)


def test_no_contact_line_means_infinitely_far() -> None:
    theatre = Theatre(TOY.parties, TOY.control_areas, None)
    assert np.isinf(distance_to_line_m(theatre, [31.0], [48.0])).all()


def test_prepared_line_is_cached_per_theatre_and_released() -> None:
    theatre = Theatre(TOY.parties, TOY.control_areas, TOY.contact_line)
    distance_to_line_m(theatre, 31.0, 48.0)
    key = id(theatre)
    assert key in lines._CACHE
    del theatre
    gc.collect()
    assert key not in lines._CACHE


def test_side_of_points() -> None:
    sides = side_of(TOY, [30.5, 31.5, 31.0, 35.0], [48.0, 48.0, 48.0, 48.0])
    assert sides.tolist() == ["UA", "RU", "UA", ""]  # on the line: the first party listed


def test_side_of_on_the_demo_theatre(demo: Theatre) -> None:
    places = {  # lon, lat, expected side
        "Kyiv": (30.5234, 50.4501, "UA"),
        "Zaporizhzhia": (35.1396, 47.8388, "UA"),
        "Donetsk": (37.8028, 48.0159, "RU"),
        "Simferopol": (34.1024, 44.9521, "RU"),
        "Moscow": (37.6173, 55.7558, ""),
        "Black Sea": (32.0, 43.5, ""),
    }
    lon, lat, expected = zip(*places.values(), strict=True)
    assert side_of(demo, lon, lat).tolist() == list(expected)
    d = distance_to_line_m(demo, lon, lat)
    assert d[0] > 250_000 and d[1] < 60_000


def test_vectorised_over_many_points(demo: Theatre) -> None:
    rng = np.random.default_rng(7)
    lon, lat = rng.uniform(22, 40.5, 100_000), rng.uniform(44, 52.5, 100_000)
    sides = side_of(demo, lon, lat)
    d = distance_to_line_m(demo, lon, lat)
    assert set(np.unique(sides)) == {"", "UA", "RU"}
    assert np.isfinite(d).all() and (d >= 0).all()
    # Points of either side within 2 km of the line: the buffer zone holds them.
    near = (d < 1_900) & (sides != "")
    buffer = next(z for z in demo.zones if z.rule.value == "buffer")
    assert shapely.contains_xy(buffer.geometry, lon[near], lat[near]).mean() > 0.99
