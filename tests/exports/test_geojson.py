"""GeoJSON: parsed back with json and shapely, RFC 7946 order and orientation."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from shapely.geometry import Point, shape

from truceline.exports.geojson import ellipse_polygon, write_geojson
from truceline.exports.public import OpenData, build_open_data
from truceline.geo.projection import WGS84

from .conftest import DemoStore, make_event, observer_report, report_violation


def _read(path: Path) -> dict:  # type: ignore[type-arg]
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["type"] == "FeatureCollection"
    assert "crs" not in doc  # RFC 7946: WGS 84 only, no crs member
    return doc


def test_events_parse_as_points_in_lon_lat_order(
    open_data: OpenData, demo: DemoStore, tmp_path: Path
) -> None:
    path = tmp_path / "events.geojson"
    write_geojson(path, open_data.events)
    features = _read(path)["features"]
    assert len(features) == len(demo.events) > 0
    for feature, event in zip(features, demo.events, strict=True):
        point = shape(feature["geometry"])
        assert isinstance(point, Point)
        assert (point.x, point.y) == pytest.approx((event.lon, event.lat), abs=1e-7)
        assert feature["id"] == feature["properties"]["event_id"] == event.event_id
        assert feature["properties"]["p_responsible"] == event.p_responsible
    assert set(features[0]["properties"]) == {f.name for f in open_data.events.fields}


def test_violations_layer(open_data: OpenData, demo: DemoStore, tmp_path: Path) -> None:
    path = tmp_path / "violations.geojson"
    write_geojson(path, open_data.violations)
    features = _read(path)["features"]
    assert [f["id"] for f in features] == [v.violation_id for v in demo.violations]
    assert all(f["properties"]["time"].endswith("Z") for f in features)


def test_unlocated_violation_has_a_null_geometry(tmp_path: Path) -> None:
    heard = report_violation("V1", observer_report("R1", 0.0, located=False))
    path = tmp_path / "v.geojson"
    write_geojson(path, build_open_data([], [heard]).violations)
    (feature,) = _read(path)["features"]
    assert feature["geometry"] is None


def test_ellipses_are_counter_clockwise_around_the_event(tmp_path: Path) -> None:
    event = make_event("E1", 0.0, err_major_m=400.0, err_minor_m=100.0, err_azimuth_deg=60.0)
    path = tmp_path / "e.geojson"
    write_geojson(path, build_open_data([event], []).events, ellipses=True)
    point, ring = _read(path)["features"]
    polygon = shape(ring["geometry"])
    assert ring["properties"]["event_id"] == "E1"
    assert polygon.is_valid and polygon.exterior.is_ccw  # RFC 7946 right-hand rule
    assert polygon.contains(shape(point["geometry"]))
    lons, lats = polygon.exterior.xy
    _, _, dist = WGS84.inv([event.lon] * len(lons), [event.lat] * len(lats), lons, lats)
    assert max(dist) == pytest.approx(400.0, rel=0.01)
    assert min(dist) == pytest.approx(100.0, rel=0.02)


def test_ellipse_major_axis_points_along_its_azimuth() -> None:
    north = ellipse_polygon(30.0, 50.0, 1000.0, 10.0, 0.0)
    east = ellipse_polygon(30.0, 50.0, 1000.0, 10.0, 90.0)
    width = lambda p: p.bounds[2] - p.bounds[0]  # noqa: E731
    height = lambda p: p.bounds[3] - p.bounds[1]  # noqa: E731
    assert height(north) > 10 * width(north) * 0.64  # degrees of lon are shorter at 50 N
    assert width(east) > 10 * height(east)
