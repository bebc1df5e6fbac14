"""KML 2.2: parsed with ElementTree, placemarks per layer, lon,lat order, time stamps."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from truceline.exports.kml import KML_NAMESPACE, write_kml
from truceline.exports.public import OpenData
from truceline.io.timefmt import parse_time

from .conftest import DemoStore

NS = {"k": KML_NAMESPACE}


@pytest.fixture(scope="module")
def kml_root(open_data: OpenData, tmp_path_factory: pytest.TempPathFactory) -> ET.Element:
    path = tmp_path_factory.mktemp("kml") / "open.kml"
    write_kml(path, open_data)
    root = ET.parse(path).getroot()
    assert root.tag == f"{{{KML_NAMESPACE}}}kml"
    return root


def _folder(root: ET.Element, name: str) -> ET.Element:
    for folder in root.iterfind("k:Document/k:Folder", NS):
        if folder.findtext("k:name", namespaces=NS) == name:
            return folder
    raise AssertionError(f"no folder {name}")


def test_a_placemark_per_event_in_lon_lat_order(kml_root: ET.Element, demo: DemoStore) -> None:
    marks = _folder(kml_root, "Events").findall("k:Placemark", NS)
    assert len(marks) == len(demo.events) > 0
    for mark, event in zip(marks, demo.events, strict=True):
        lon, lat = map(float, mark.findtext("k:Point/k:coordinates", namespaces=NS).split(","))  # type: ignore[union-attr]
        assert (lon, lat) == pytest.approx((event.lon, event.lat), abs=1e-7)
        when = mark.findtext("k:TimeStamp/k:when", namespaces=NS)
        assert parse_time(when or "") == event.time


def test_violations_folder(kml_root: ET.Element, open_data: OpenData) -> None:
    marks = _folder(kml_root, "Violations").findall("k:Placemark", NS)
    assert len(marks) == sum(f.located for f in open_data.violations.features) > 0
    data = {d.get("name") for d in marks[0].iterfind("k:ExtendedData/k:Data", NS)}
    assert data == {f.name for f in open_data.violations.fields}


def test_every_style_url_resolves_and_party_colours_differ(kml_root: ET.Element) -> None:
    styles = {s.get("id"): s for s in kml_root.iterfind("k:Document/k:Style", NS)}
    urls = {u.text for u in kml_root.iter(f"{{{KML_NAMESPACE}}}styleUrl")}
    assert urls and all(u and u.startswith("#") and u[1:] in styles for u in urls)
    colour = lambda sid: styles[sid].findtext("k:IconStyle/k:color", namespaces=NS)  # noqa: E731
    assert colour("event-UA") != colour("event-RU")


def test_theatre_folders(kml_root: ET.Element, open_data: OpenData) -> None:
    assert open_data.theatre is not None
    line = _folder(kml_root, "Line of contact").find("k:Placemark", NS)
    assert line is not None and line.find(".//k:LineString/k:coordinates", NS) is not None
    areas = _folder(kml_root, "Control areas").findall("k:Placemark", NS)
    assert len(areas) == len(open_data.theatre.control_areas)
    ring = areas[0].findtext(".//k:outerBoundaryIs/k:LinearRing/k:coordinates", namespaces=NS)
    lon, lat = map(float, (ring or "").split()[0].split(","))
    assert 22 < lon < 41 and 44 < lat < 53  # Ukraine: lon first
