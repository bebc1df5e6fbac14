"""theatre.geojson: round trips (deterministic, demo, generated) and malformed files."""

from __future__ import annotations

import json
import string
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from truceline.domain.theatre import (
    CeasefireTimeline,
    ControlArea,
    Party,
    ProtectedSite,
    Theatre,
    Zone,
    ZoneRule,
)
from truceline.errors import InputError
from truceline.geo.demo import load_demo_theatre
from truceline.io.theatre import read_theatre, theatre_to_geojson, write_theatre

SMALL = Theatre(
    parties=(Party("UA", "Україна"), Party("RU", "Russia")),
    control_areas=(
        ControlArea("UA", shapely.box(30.0, 47.0, 31.0, 49.0)),
        ControlArea(
            "RU",
            shapely.MultiPolygon(
                [shapely.box(31.0, 47.0, 32.0, 49.0), shapely.box(33, 47, 34, 48)]
            ),
        ),
    ),
    contact_line=shapely.LineString([(31.0, 47.0), (31.0, 48.123456789), (31.0, 49.0)]),
    zones=(
        Zone(
            "W15 UA",
            ZoneRule.WITHDRAWAL,
            shapely.box(30.8, 47, 31, 49),
            ("tank", "mortar_82"),
            "UA",
        ),
        Zone("Buffer", ZoneRule.BUFFER, shapely.box(30.97, 47, 31.03, 49)),
        Zone("No fly", ZoneRule.NO_FLY, shapely.box(30.5, 47.5, 31.5, 48.5), (), "RU"),
    ),
    protected_sites=(
        ProtectedSite("Hub", shapely.Point(30.5, 48.0), 5000.0, "hub"),
        ProtectedSite("Campus", shapely.box(30.1, 47.1, 30.2, 47.2)),
    ),
    timeline=CeasefireTimeline(datetime(2026, 11, 1, tzinfo=UTC), {"tank": 15, "mlrs_122": 14}),
    name="Small",
    attribution="Made up for the test.",
)


def _round_trip(theatre: Theatre, path: Path) -> Theatre:
    write_theatre(path, theatre)
    return read_theatre(path)


def test_deterministic_round_trip(tmp_path: Path) -> None:
    again = _round_trip(SMALL, tmp_path / "t.geojson")
    assert again == SMALL
    assert again.timeline.in_force is not None and again.timeline.in_force.tzinfo is not None


def test_written_file_follows_the_spec(tmp_path: Path) -> None:
    path = tmp_path / "t.geojson"
    write_theatre(path, SMALL)
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["type"] == "FeatureCollection"
    assert doc["parties"] == [{"id": "UA", "name": "Україна"}, {"id": "RU", "name": "Russia"}]
    assert doc["ceasefire"]["in_force"] == "2026-11-01T00:00:00Z"
    kinds = [f["properties"]["kind"] for f in doc["features"]]
    assert kinds == ["control_area"] * 2 + ["contact_line"] + ["zone"] * 3 + ["protected_site"] * 2
    assert doc["features"][3]["properties"] == {
        "kind": "zone",
        "name": "W15 UA",
        "rule": "withdrawal",
        "weapon_classes": ["tank", "mortar_82"],
        "party": "UA",
    }
    assert doc["features"][6]["properties"]["radius_m"] == 5000.0
    assert len(path.read_text(encoding="utf-8").splitlines()) == 2 + len(kinds)


def test_demo_theatre_round_trip(tmp_path: Path) -> None:
    demo = load_demo_theatre()
    assert _round_trip(demo, tmp_path / "demo.geojson") == demo


def test_decimals_round_coordinates(tmp_path: Path) -> None:
    path = tmp_path / "t.geojson"
    write_theatre(path, SMALL, decimals=3)
    line = read_theatre(path).contact_line
    assert line is not None and shapely.get_coordinates(line)[1, 1] == 48.123


def test_minimal_file_without_optional_members(tmp_path: Path) -> None:
    path = tmp_path / "t.geojson"
    features = [
        _feature({"kind": "control_area", "party": "A", "colour": "red"}, _box()),
        _feature({"kind": "zone", "name": "B", "rule": "buffer", "party": "B"}, _box()),
        _feature({"kind": "contact_line"}, _line()),
        _feature({"kind": "contact_line"}, _line(1.0)),
    ]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    theatre = read_theatre(path)
    assert theatre.parties == (Party("A", "A"), Party("B", "B"))
    assert theatre.timeline == CeasefireTimeline()
    assert theatre.name == "" and theatre.attribution == ""
    assert theatre.contact_line is not None and theatre.contact_line.geom_type == "MultiLineString"


def test_control_areas_of_one_party_are_unioned(tmp_path: Path) -> None:
    path = tmp_path / "t.geojson"
    features = [
        _feature({"kind": "control_area", "party": "UA"}, _box(0, 0)),
        _feature({"kind": "control_area", "party": "UA"}, _box(1, 0)),
    ]
    path.write_text(json.dumps(_collection(features)))
    (area,) = read_theatre(path).control_areas
    assert area.geometry.area == pytest.approx(2.0)


def test_failed_write_leaves_no_file_behind(tmp_path: Path) -> None:
    path = tmp_path / "t.geojson"
    broken = Theatre(SMALL.parties, (ControlArea("UA", shapely.Polygon()),), None)
    with pytest.raises(ValueError, match="empty"):
        write_theatre(path, broken)
    write_theatre(path, SMALL)
    before = path.read_bytes()
    naive = Theatre(SMALL.parties, (), None, timeline=CeasefireTimeline(datetime(2026, 1, 1)))
    with pytest.raises(ValueError, match="timezone-aware"):
        write_theatre(path, naive)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["t.geojson"]


# --- generated theatres ---------------------------------------------------------------------

ids = st.text(string.ascii_uppercase, min_size=1, max_size=3)
texts = st.text(max_size=12)
names = st.text(min_size=1, max_size=12).filter(str.strip)
lons = st.floats(-179.0, 178.0, allow_nan=False)
lats = st.floats(-89.0, 88.0, allow_nan=False)
sizes = st.floats(0.001, 1.0)


@st.composite
def boxes(draw: st.DrawFn) -> shapely.Geometry:
    x, y, w, h = draw(lons), draw(lats), draw(sizes), draw(sizes)
    return shapely.box(x, y, x + w, y + h)


@st.composite
def theatres(draw: st.DrawFn) -> Theatre:
    party_ids = draw(st.lists(ids, min_size=1, max_size=3, unique=True))
    parties = tuple(Party(p, draw(texts)) for p in party_ids)
    areas = tuple(ControlArea(p, draw(boxes())) for p in party_ids)
    points = draw(st.lists(st.tuples(lons, lats), min_size=2, max_size=5, unique=True))
    line = draw(st.one_of(st.none(), st.just(shapely.LineString(points))))
    zones = draw(st.lists(zone_strategy(party_ids), max_size=3))
    sites = draw(st.lists(site_strategy(), max_size=3))
    in_force = draw(st.one_of(st.none(), st.datetimes(timezones=st.just(UTC))))
    days = draw(st.dictionaries(names, st.integers(0, 400), max_size=3))
    return Theatre(
        parties,
        areas,
        line,
        tuple(zones),
        tuple(sites),
        CeasefireTimeline(in_force, days),
        draw(texts),
        draw(texts),
    )


@st.composite
def zone_strategy(draw: st.DrawFn, party_ids: list[str]) -> Zone:
    rule = draw(st.sampled_from(ZoneRule))
    weapons = tuple(draw(st.lists(names, max_size=3)))
    party = draw(st.one_of(st.none(), st.sampled_from(party_ids)))
    return Zone(draw(names), rule, draw(boxes()), weapons, party)


@st.composite
def site_strategy(draw: st.DrawFn) -> ProtectedSite:
    geometry = draw(st.one_of(boxes(), st.builds(shapely.Point, lons, lats)))
    radius = draw(st.floats(0.0, 1e6))
    return ProtectedSite(draw(names), geometry, radius, draw(st.one_of(st.none(), texts)))


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(theatre=theatres())
def test_generated_theatres_round_trip(tmp_path: Path, theatre: Theatre) -> None:
    assert _round_trip(theatre, tmp_path / "t.geojson") == theatre


# --- malformed files --------------------------------------------------------------------------


def _box(x: float = 30.0, y: float = 47.0) -> dict[str, Any]:
    return shapely.geometry.mapping(shapely.box(x, y, x + 1, y + 1))  # type: ignore[no-any-return]


def _line(x: float = 31.0) -> dict[str, Any]:
    return {"type": "LineString", "coordinates": [[x, 47.0], [x, 48.0]]}


def _point() -> dict[str, Any]:
    return {"type": "Point", "coordinates": [30.5, 47.5]}


def _feature(props: dict[str, Any], geometry: dict[str, Any] | None) -> dict[str, Any]:
    return {"type": "Feature", "properties": props, "geometry": geometry}


def _collection(items: list[Any], **top: Any) -> dict[str, Any]:
    base = {"type": "FeatureCollection", "parties": [{"id": "UA", "name": "Ukraine"}]}
    return {**base, "features": items, **top}


GOOD = _feature({"kind": "control_area", "party": "UA"}, _box())
AREA = {"kind": "control_area", "party": "UA"}
LINE = {"kind": "contact_line"}
ZONE = {"kind": "zone", "name": "Z"}
SITE = {"kind": "protected_site", "name": "H"}
BOWTIE = [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]


def _bad(props: dict[str, Any], geometry: dict[str, Any] | None, **more: Any) -> list[Any]:
    return [GOOD, _feature({**props, **more}, geometry)]


def _coords(gtype: str, coordinates: Any) -> dict[str, Any]:
    return {"type": gtype, "coordinates": coordinates}


@pytest.mark.parametrize(
    "features, column, message",
    [
        (_bad(LINE, _line(), kind="trench"), "kind", "unknown kind 'trench'"),
        (_bad({}, _line()), "kind", "missing required property 'kind'"),
        (_bad(AREA, _box(), party="XX"), "party", "unknown party"),
        (_bad({"kind": "control_area"}, _box()), "party", "missing required property"),
        (_bad(LINE, _box()), "geometry", "not allowed"),
        (_bad(AREA, _line()), "geometry", "not allowed"),
        (_bad(ZONE, _point(), rule="buffer"), "geometry", "Point"),
        (_bad(LINE, None), "geometry", "missing geometry"),
        (_bad(LINE, _coords("LineString", [[31, 47], [181, 48]])), "geometry", "out of range"),
        (_bad(LINE, _coords("LineString", [[31, 47], [31, 91]])), "geometry", "out of range"),
        (_bad(LINE, _coords("LineString", [[31, 47], ["a", 1]])), "geometry", "non-numeric"),
        (_bad(LINE, _coords("LineString", [[31, 47], [True, 1]])), "geometry", "non-numeric"),
        (_bad(LINE, _coords("LineString", [[31, 47]])), "geometry", "at least 2"),
        (_bad(LINE, _coords("LineString", 5)), "geometry", "nested lists"),
        (_bad(AREA, _coords("Polygon", BOWTIE)), "geometry", "Self-intersection"),
        (_bad(AREA, _coords("Polygon", [])), "geometry", "empty"),
        (_bad(AREA, _coords("Polygon", [[[0, 0], [1, 1], [0, 0]]])), "geometry", "Too few points"),
        (_bad({"kind": "zone", "rule": "buffer"}, _box()), "name", "property 'name'"),
        (_bad(ZONE, _box()), "rule", "missing required property 'rule'"),
        (_bad(ZONE, _box(), rule="moat"), "rule", "unknown rule"),
        (_bad(ZONE, _box(), rule="withdrawal"), "weapon_classes", "missing"),
        (_bad(ZONE, _box(), rule="withdrawal", weapon_classes="tank"), "weapon_classes", "list"),
        (_bad(ZONE, _box(), rule="buffer", party="XX"), "party", "unknown party"),
        (_bad(SITE, _point()), "radius_m", "missing required"),
        (_bad(SITE, _point(), radius_m=-1), "radius_m", ">= 0"),
        (_bad(SITE, _point(), radius_m="5km"), "radius_m", "number"),
        (_bad({"kind": "protected_site"}, _point(), radius_m=5), "name", "missing required"),
        (_bad(SITE, _point(), radius_m=5, name=7), "name", "string"),
        (_bad(SITE, _point(), radius_m=5, category=3), "category", "string"),
        ([GOOD, {"type": "Feature", "geometry": _line()}], "properties", "properties"),
        ([GOOD, ["not", "a", "feature"]], "type", "not a GeoJSON Feature"),
    ],
)
def test_malformed_features_are_refused_with_their_place(
    tmp_path: Path, features: list[Any], column: str, message: str
) -> None:
    path = tmp_path / "bad.geojson"
    path.write_text(json.dumps(_collection(features)))
    with pytest.raises(InputError, match=message) as info:
        read_theatre(path)
    error = info.value
    assert (error.file, error.line, error.column) == (str(path), 2, column)
    assert "feature 2:" in error.message
    assert str(error).startswith(f"{path}, line 2, column {column!r}: feature 2: ")


@pytest.mark.parametrize(
    "top, column, message",
    [
        ({"parties": "UA"}, "parties", "must be a list"),
        ({"parties": [{"id": "UA"}, {"id": "UA"}]}, "parties", "duplicate party"),
        ({"parties": [{"name": "x"}]}, "parties", "string 'id'"),
        ({"ceasefire": {"in_force": "2026-11-01T00:00:00"}}, "ceasefire.in_force", "no zone"),
        ({"ceasefire": {"in_force": "2026-11-01T02:00:00+02:00"}}, "ceasefire.in_force", "UTC"),
        ({"ceasefire": {"in_force": "2026-13-01T00:00:00Z"}}, "ceasefire.in_force", "invalid time"),
        ({"ceasefire": {"in_force": 20261101}}, "ceasefire.in_force", "string"),
        ({"ceasefire": {"withdrawal_days": {"tank": 1.5}}}, "ceasefire.withdrawal_days", "whole"),
        ({"ceasefire": {"withdrawal_days": {"tank": -1}}}, "ceasefire.withdrawal_days", "whole"),
        ({"ceasefire": []}, "ceasefire", "must be an object"),
        ({"name": 3}, "name", "string"),
        ({"features": {}}, "features", "must be a list"),
        ({"type": "Feature"}, "type", "FeatureCollection"),
    ],
)
def test_malformed_top_level_is_refused(
    tmp_path: Path, top: dict[str, Any], column: str, message: str
) -> None:
    path = tmp_path / "bad.geojson"
    path.write_text(json.dumps(_collection([GOOD], **top)))
    with pytest.raises(InputError, match=message) as info:
        read_theatre(path)
    assert (info.value.file, info.value.line, info.value.column) == (str(path), None, column)


@pytest.mark.parametrize(
    "content, line, message",
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", None, "binary file"),
        (b'{"type": "FeatureCollection", "name": "\xff\xfe"}', None, "not UTF-8"),
        (b'{"type": "FeatureCollection",\n "features": [\n  {"type": }\n]}', 3, "not valid JSON"),
        (b'{"type": "FeatureCollection", "features": [], "x": NaN}', None, "NaN"),
        (b"", 1, "not valid JSON"),
    ],
)
def test_unreadable_files_are_refused(
    tmp_path: Path, content: bytes, line: int | None, message: str
) -> None:
    path = tmp_path / "bad.geojson"
    path.write_bytes(content)
    with pytest.raises(InputError, match=message) as info:
        read_theatre(path)
    assert info.value.file == str(path) and info.value.line == line


def test_missing_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read") as info:
        read_theatre(tmp_path / "nope.geojson")
    assert info.value.file == str(tmp_path / "nope.geojson")


def test_to_geojson_omits_empty_optional_members() -> None:
    doc = theatre_to_geojson(Theatre((Party("A", "A"),), (), None))
    assert "name" not in doc and "attribution" not in doc
    assert doc["ceasefire"] == {"in_force": None, "withdrawal_days": {}}
    assert doc["features"] == []
