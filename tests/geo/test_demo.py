"""The shipped demo theatre: valid, consistent, small, and reproducible from the real data."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

import numpy as np
import pytest
import shapely

from truceline.domain.theatre import Theatre, ZoneRule
from truceline.geo.demo import build_demo_theatre, load_demo_theatre, regenerate_demo_theatre
from truceline.geo.lines import distance_to_line_m
from truceline.geo.projection import LocalProjection
from truceline.geo.theatre_build import read_polygons
from truceline.geo.zones import WITHDRAWAL_DISTANCES_KM
from truceline.io.theatre import read_theatre

from .conftest import DATA_DIR, OBLASTS

PACKAGED = resources.files("truceline") / "data"
SIMPLIFY_TOLERANCE_M = 250.0 + 50.0
GRID_DEG = 2e-5  # two grid cells (~2 m): snap rounding may move an edge by less


def _metric(geometry: shapely.Geometry, proj: LocalProjection) -> shapely.Geometry:
    return proj.to_metric(geometry)


def test_load_is_cached_and_complete(demo: Theatre) -> None:
    assert load_demo_theatre() is demo
    assert demo.party_ids() == ("UA", "RU")
    kinds = {z.rule for z in demo.zones}
    assert kinds == {ZoneRule.WITHDRAWAL, ZoneRule.BUFFER}
    assert demo.timeline.in_force == datetime(2026, 11, 1, tzinfo=UTC)
    assert demo.timeline.withdrawal_days["tank"] == 15
    for credit in ("DeepStateMap", "GPL-3.0", "peacerep/ukraine-map", "justinelliotmeyers"):
        assert credit in demo.attribution
    assert "2026" in demo.name


def test_every_geometry_is_valid(demo: Theatre) -> None:
    geometries = [a.geometry for a in demo.control_areas] + [z.geometry for z in demo.zones]
    assert demo.contact_line is not None
    geometries += [demo.contact_line] + [s.geometry for s in demo.protected_sites]
    assert all(g.is_valid and not g.is_empty for g in geometries)


def test_file_is_small_with_five_decimals() -> None:
    text = (PACKAGED / "demo_theatre.geojson").read_text(encoding="utf-8")
    assert len(text.encode()) < 400_000
    assert not re.search(r"\d\.\d{6,}", text)
    assert "demo_theatre.geojson" in (PACKAGED / "ATTRIBUTION.md").read_text(encoding="utf-8")


def test_control_areas_partition_the_border(demo: Theatre, ukraine_proj: LocalProjection) -> None:
    ua = demo.control_area("UA").geometry
    ru = demo.control_area("RU").geometry
    assert _metric(ua.intersection(ru), ukraine_proj).area < 1.0  # m²
    border = read_polygons(OBLASTS)
    union = shapely.union(ua, ru)
    mismatch = _metric(union.symmetric_difference(border), ukraine_proj).area
    assert mismatch / _metric(border, ukraine_proj).area < 0.002
    ru_km2 = _metric(ru, ukraine_proj).area / 1e6
    assert 110_000 < ru_km2 < 125_000  # about a fifth of Ukraine


def test_contact_line_is_long_and_on_the_shared_edge(
    demo: Theatre, ukraine_proj: LocalProjection
) -> None:
    line = demo.contact_line
    assert line is not None
    lengths = shapely.length(_metric(shapely.get_parts(line), ukraine_proj)) / 1000
    assert 1_100 < lengths.max() < 1_250  # the main line, Dnipro estuary to the Russian border
    assert 1_250 < lengths.sum() < 1_500  # plus pockets along the northern border
    points = shapely.points(shapely.get_coordinates(shapely.segmentize(line, 0.01)))
    for area in demo.control_areas:
        assert shapely.distance(points, area.geometry.boundary).max() < 1e-9


def test_zones_lie_in_their_partys_area_within_their_distance(demo: Theatre) -> None:
    assert demo.contact_line is not None
    withdrawal = [z for z in demo.zones if z.rule is ZoneRule.WITHDRAWAL]
    assert len(withdrawal) == 8  # 4 distances x 2 sides
    for zone in withdrawal:
        assert zone.party is not None
        area = demo.control_area(zone.party).geometry
        assert zone.geometry.within(area.buffer(GRID_DEG)), zone.name
        km = {WITHDRAWAL_DISTANCES_KM[w] for w in zone.weapon_classes}
        assert len(km) == 1 and f"{km.pop():g} km" in zone.name
        limit_m = float(zone.name.split()[2]) * 1000
        coords = shapely.get_coordinates(zone.geometry)
        far = distance_to_line_m(demo, coords[:, 0], coords[:, 1]).max()
        assert limit_m - 2_000 < far <= limit_m + SIMPLIFY_TOLERANCE_M, zone.name


def test_zones_cover_their_partys_area_near_the_line(demo: Theatre) -> None:
    rng = np.random.default_rng(3)
    lon, lat = rng.uniform(30, 40.5, 200_000), rng.uniform(44, 52.5, 200_000)
    d = distance_to_line_m(demo, lon, lat)
    for zone in (z for z in demo.zones if z.rule is ZoneRule.WITHDRAWAL):
        assert zone.party is not None
        area = demo.control_area(zone.party).geometry
        limit_m = float(zone.name.split()[2]) * 1000
        candidates = (d < limit_m - SIMPLIFY_TOLERANCE_M) & shapely.contains_xy(area, lon, lat)
        covered = shapely.contains_xy(zone.geometry, lon[candidates], lat[candidates])
        assert covered.all(), zone.name


def test_buffer_zone_is_two_km_each_side(demo: Theatre) -> None:
    (zone,) = [z for z in demo.zones if z.rule is ZoneRule.BUFFER]
    coords = shapely.get_coordinates(zone.geometry)
    assert distance_to_line_m(demo, coords[:, 0], coords[:, 1]).max() <= 2_000 + 100 + 10
    for area in demo.control_areas:
        assert zone.geometry.intersection(area.geometry).area > 0


def test_protected_sites_are_behind_the_line_on_the_ua_side(demo: Theatre) -> None:
    ua = demo.control_area("UA").geometry
    assert 5 <= len(demo.protected_sites) <= 8
    for site in demo.protected_sites:
        assert ua.contains(site.geometry), site.name
        assert site.radius_m > 0


def test_regenerating_reproduces_the_shipped_file(tmp_path: Path, demo: Theatre) -> None:
    out = regenerate_demo_theatre(DATA_DIR, tmp_path / "demo.geojson")
    fresh = read_theatre(out)
    assert [z.name for z in fresh.zones] == [z.name for z in demo.zones]
    assert fresh.protected_sites == demo.protected_sites
    assert fresh.timeline == demo.timeline and fresh.attribution == demo.attribution
    for new, old in zip(fresh.control_areas, demo.control_areas, strict=True):
        assert new.geometry.symmetric_difference(old.geometry).area < 1e-6 * old.geometry.area
    assert fresh.contact_line is not None and demo.contact_line is not None
    assert fresh.contact_line.length == pytest.approx(demo.contact_line.length, rel=1e-4)
    assert build_demo_theatre(DATA_DIR).name == demo.name
