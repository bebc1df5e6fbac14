"""Exact Gaussian-over-polygon mass against Monte Carlo with shapely, on the real line too."""

from __future__ import annotations

import doctest
import json
from pathlib import Path

import numpy as np
import pytest
import shapely
from shapely.geometry import MultiPolygon, Point, Polygon, box, shape

from truceline.geo import gaussian_polygon
from truceline.geo.gaussian_polygon import p_in_polygon
from truceline.geo.projection import LocalProjection

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
LINE_2026 = DATA / "frontline" / "deepstatemap_data_20260822.geojson"
SAMPLES = 1_000_000
TOLERANCE = 0.002  # the acceptance bound; Monte Carlo's own sigma is at most 0.0005


def _monte_carlo(mean: np.ndarray, cov: np.ndarray, polygon: object, seed: int = 0) -> float:
    rng = np.random.default_rng(seed)
    xy = rng.multivariate_normal(mean, cov, SAMPLES)
    shapely.prepare(polygon)
    return float(shapely.contains_xy(polygon, xy[:, 0], xy[:, 1]).mean())


def test_docstring_example() -> None:
    result = doctest.testmod(gaussian_polygon)
    assert result.attempted > 0 and result.failed == 0


def test_half_plane_and_whole_plane_are_exact() -> None:
    cov = np.array([[4.0, 1.0], [1.0, 2.0]])
    assert p_in_polygon([[0, 0]], [cov], box(0, -1e3, 1e3, 1e3))[0] == pytest.approx(0.5, abs=1e-12)
    assert p_in_polygon([[0, 0]], [cov], box(-1e3, -1e3, 1e3, 1e3))[0] == pytest.approx(1.0)
    assert p_in_polygon([[5e3, 0]], [cov], box(-1e3, -1e3, 1e3, 1e3))[0] == 0.0


SHAPES = {
    "triangle": Polygon([(0, 0), (3, 1), (1, 1)]),
    "concave": Polygon([(0, 0), (3, 1), (1, 1), (1, 3)]),
    "hole": Point(1, 1).buffer(2).difference(Point(1.5, 1).buffer(0.7)),
    "multipolygon": MultiPolygon([box(-3, -3, -1, -1), box(0.5, 0, 2, 3)]),
    "clockwise": Polygon([(0, 0), (0, 2), (2, 2), (2, 0)]),
}


@pytest.mark.parametrize("name", sorted(SHAPES))
def test_agrees_with_monte_carlo_on_shapes(name: str) -> None:
    mean, cov = np.array([0.7, 0.4]), np.array([[1.5, 0.6], [0.6, 0.8]])
    exact = p_in_polygon([mean], [cov], SHAPES[name])[0]
    assert exact == pytest.approx(_monte_carlo(mean, cov, SHAPES[name]), abs=TOLERANCE)


@pytest.fixture(scope="module")
def real_line() -> tuple[LocalProjection, MultiPolygon]:
    geometry = shape(json.loads(LINE_2026.read_text())["features"][0]["geometry"])
    projection = LocalProjection.centred_on_geometry(geometry)
    return projection, projection.to_metric(geometry)


def _near_boundary(polygon: MultiPolygon, part: int, ring: str, k: int) -> np.ndarray:
    poly = polygon.geoms[part]
    if ring == "interior":  # the one hole (about 25 m across): its centre
        return np.asarray(Polygon(poly.interiors[0]).centroid.coords[0])
    coords = np.asarray(poly.exterior.coords)
    return coords[k % (len(coords) - 1)] + np.array([300.0, -200.0])  # a few hundred metres off


@pytest.mark.parametrize(
    ("part", "ring", "k", "sigmas"),
    [
        (0, "exterior", 500, (800.0, 300.0)),  # on the line of contact, elongated ellipse
        (0, "exterior", 1200, (2000.0, 2000.0)),
        (0, "interior", 0, (20.0, 12.0)),  # at the hole in the occupied area
        (3, "exterior", 0, (3000.0, 1000.0)),  # a small separate part of the multipolygon
    ],
)
def test_agrees_with_monte_carlo_on_the_real_line(
    real_line: tuple[LocalProjection, MultiPolygon],
    part: int,
    ring: str,
    k: int,
    sigmas: tuple[float, float],
) -> None:
    _, polygon = real_line
    mean = _near_boundary(polygon, part, ring, k)
    angle = 0.6
    rot = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    cov = rot @ np.diag(np.square(sigmas)) @ rot.T
    exact = p_in_polygon([mean], [cov], polygon)[0]
    assert 0.01 < exact < 0.99  # really near the edge, where it matters
    assert exact == pytest.approx(_monte_carlo(mean, cov, polygon), abs=TOLERANCE)


def test_many_events_at_once_match_one_at_a_time() -> None:
    rng = np.random.default_rng(3)
    means = rng.uniform(-2, 4, (20, 2))
    covs = np.stack([np.diag(rng.uniform(0.1, 2.0, 2)) for _ in range(20)])
    together = p_in_polygon(means, covs, SHAPES["hole"])
    alone = [p_in_polygon(means[i : i + 1], covs[i : i + 1], SHAPES["hole"])[0] for i in range(20)]
    np.testing.assert_allclose(together, alone)
    assert np.all((together >= 0) & (together <= 1))
