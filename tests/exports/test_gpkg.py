"""GeoPackage: read back with pyogrio (layers, geometry types, EPSG:4326, counts, values)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

import numpy as np
import pyogrio
import pytest
import shapely
from pyogrio import raw

from truceline.errors import InputError
from truceline.exports.gpkg import write_gpkg
from truceline.exports.public import OpenData, build_open_data

from .conftest import DemoStore, make_event, observer_report, report_violation


@pytest.fixture(scope="module")
def gpkg(open_data: OpenData, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("gpkg") / "open.gpkg"
    write_gpkg(path, open_data)
    return path


def test_layers_geometry_types_and_crs(gpkg: Path) -> None:
    layers = {name: kind for name, kind in pyogrio.list_layers(gpkg)}
    assert layers == {
        "events": "Point",
        "violations": "Point",
        "line_of_contact": "MultiLineString",
        "control_areas": "MultiPolygon",
    }
    for name in layers:
        assert pyogrio.read_info(gpkg, layer=name)["crs"] == "EPSG:4326"


def test_feature_counts_match_the_store(gpkg: Path, demo: DemoStore, open_data: OpenData) -> None:
    assert pyogrio.read_info(gpkg, layer="events")["features"] == len(demo.events) > 0
    assert pyogrio.read_info(gpkg, layer="violations")["features"] == len(demo.violations)
    assert open_data.theatre is not None
    areas = pyogrio.read_info(gpkg, layer="control_areas")["features"]
    assert areas == len(open_data.theatre.control_areas)


def test_values_and_positions_read_back(gpkg: Path, demo: DemoStore) -> None:
    meta, _, geometry, fields = raw.read(gpkg, layer="events", datetime_as_string=True)
    columns = dict(zip(meta["fields"], fields, strict=True))
    assert list(columns["event_id"]) == [e.event_id for e in demo.events]
    first = demo.events[0]
    point = shapely.from_wkb(geometry[0])
    assert (point.x, point.y) == pytest.approx((first.lon, first.lat))
    stored = datetime.fromisoformat(columns["time"][0].replace("Z", "+00:00"))
    assert stored.tzinfo is not None and stored.utcoffset().total_seconds() == 0  # type: ignore[union-attr]
    assert abs((stored - first.time).total_seconds()) < 0.001  # GeoPackage keeps milliseconds
    p = np.asarray(columns["p_responsible"], dtype=float)
    expected = [np.nan if e.p_responsible is None else e.p_responsible for e in demo.events]
    np.testing.assert_array_equal(p, expected)


def test_empty_layers_and_unlocated_violations(tmp_path: Path) -> None:
    path = tmp_path / "small.gpkg"
    heard = report_violation("V1", observer_report("R1", 0.0, located=False))
    write_gpkg(path, build_open_data([], [heard]))
    assert pyogrio.read_info(path, layer="events")["features"] == 0
    assert "event_id" in list(pyogrio.read_info(path, layer="events")["fields"])
    _, _, geometry, fields = raw.read(path, layer="violations")
    assert geometry[0] is None and list(fields[0]) == ["V1"]


def test_replaces_atomically_and_refuses_a_missing_directory(tmp_path: Path) -> None:
    path = tmp_path / "out.gpkg"
    write_gpkg(path, build_open_data([make_event("E1", 0.0)], []))
    write_gpkg(path, build_open_data([make_event("E1", 0.0), make_event("E2", 1.0)], []))
    assert pyogrio.read_info(path, layer="events")["features"] == 2
    assert [p.name for p in tmp_path.iterdir()] == ["out.gpkg"]  # no temporary file left
    with pytest.raises(InputError, match="does not exist"):
        write_gpkg(tmp_path / "missing" / "x.gpkg", build_open_data([], []))


def test_times_are_written_in_utc(tmp_path: Path) -> None:
    path = tmp_path / "t.gpkg"
    kyiv = timezone(timedelta(hours=2))
    event = replace(make_event("E1", 0.0), time=datetime(2026, 11, 21, 8, 0, 0, 250000, kyiv))
    write_gpkg(path, build_open_data([event], []))
    _, _, _, fields = raw.read(path, layer="events", datetime_as_string=True)
    assert fields[1][0] == "2026-11-21T06:00:00.250Z"
