"""Sectors: every point has one owner; a sector's partition holds its core and halo."""

from __future__ import annotations

import doctest
import math

import numpy as np
import pytest

from truceline.geo.demo import load_demo_theatre
from truceline.geo.projection import LocalProjection
from truceline.scale import sectors
from truceline.scale.sectors import (
    Sector,
    default_halo_m,
    plan_sectors,
    sectors_for,
    split_at,
)
from truceline.sim.linepath import LinePath
from truceline.sim.network import place_sensors
from truceline.sim.profiles import PROFILES


@pytest.fixture(scope="module")
def sensors() -> tuple[np.ndarray, np.ndarray]:
    path = LinePath.from_geometry(load_demo_theatre().contact_line)
    network = place_sensors(np.random.default_rng(3), path, PROFILES["busy"])
    return network.lon, network.lat


def test_the_default_halo_covers_two_hearing_ranges() -> None:
    assert default_halo_m(25_000.0) == 55_000.0
    assert default_halo_m(10_000.0) == 25_000.0


@pytest.mark.parametrize("count", [1, 2, 3, 5, 8])
def test_every_point_has_exactly_one_owner(
    sensors: tuple[np.ndarray, np.ndarray], count: int
) -> None:
    lon, lat = sensors
    plan = plan_sectors(lon, lat, count, 55_000.0)
    assert len(plan) == count
    rng = np.random.default_rng(count)
    plon = rng.uniform(lon.min() - 2, lon.max() + 2, 5000)
    plat = rng.uniform(lat.min() - 2, lat.max() + 2, 5000)
    x, y = plan.project(plon, plat)
    inside = np.array([s.contains(x, y) for s in plan.sectors])
    assert (inside.sum(axis=0) == 1).all()
    assert (plan.owner(plon, plat) >= 0).all()


def test_a_point_on_an_edge_belongs_to_the_sector_east_of_it() -> None:
    west, east = Sector(x_max=100.0), Sector(x_min=100.0)
    x, y = np.array([99.999, 100.0]), np.zeros(2)
    assert west.contains(x, y).tolist() == [True, False]
    assert east.contains(x, y).tolist() == [False, True]


def test_sectors_hold_about_as_many_sensors_each(sensors: tuple[np.ndarray, np.ndarray]) -> None:
    lon, lat = sensors
    plan = plan_sectors(lon, lat, 4, 55_000.0)
    owned = np.bincount(plan.owner(lon, lat), minlength=4)
    assert owned.sum() == len(lon)
    assert owned.max() - owned.min() <= 1


def test_a_partition_holds_its_core_and_every_sensor_within_the_halo(
    sensors: tuple[np.ndarray, np.ndarray],
) -> None:
    lon, lat = sensors
    plan = plan_sectors(lon, lat, 3, 55_000.0)
    members = plan.members(lon, lat)
    owner = plan.owner(lon, lat)
    x, y = plan.project(lon, lat)
    for i, sector in enumerate(plan.sectors):
        assert members[i][owner == i].all()
        distance = sector.distance_m(x, y)
        assert (members[i] == (distance <= 55_000.0)).all()
        assert 0 < (members[i] & (owner != i)).sum() < (owner != i).sum()


def test_strips_cut_where_asked(sensors: tuple[np.ndarray, np.ndarray]) -> None:
    lon, lat = sensors
    plan = split_at(plan_sectors(lon, lat, 1, 55_000.0), [0.0, 100_000.0])
    assert [(s.x_min, s.x_max) for s in plan.sectors] == [
        (-math.inf, 0.0),
        (0.0, 100_000.0),
        (100_000.0, math.inf),
    ]
    x = [-1.0, 1.0, 99_999.0, 100_001.0]
    lon_p, lat_p = LocalProjection(plan.lon0, plan.lat0).inverse(x, [0.0] * 4)
    assert plan.owner(lon_p, lat_p).tolist() == [0, 1, 1, 2]


def test_the_sector_count_follows_the_network_size() -> None:
    assert sectors_for(1276, 1500) == 1
    assert sectors_for(1276, 800) == 2
    assert sectors_for(5000, 1500) == 4
    assert sectors_for(0, 1500) == 1


def test_docstring_examples() -> None:
    result = doctest.testmod(sectors, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0
