"""The offline base layer and the theatre it is drawn from; the dashboard's file lookup."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from shapely.geometry import LineString, Point, box, shape

from truceline.domain import ControlArea, Party, ProtectedSite, Theatre, Zone
from truceline.domain.theatre import ZoneRule
from truceline.geo.demo import load_demo_theatre
from truceline.io.theatre import theatre_to_geojson
from truceline.store.database import open_store
from truceline.store.theatres import save_theatre
from truceline.web.assets import PAGES, PAGES_DIR, static_file
from truceline.web.baselayer import base_layer, current_theatre, national_border

# Two parties side by side; B's area leaves a sliver gap along the line at x = 1.
SMALL = Theatre(
    parties=(Party("A", "Alpha"), Party("B", "Beta")),
    control_areas=(
        ControlArea("A", box(0.0, 0.0, 1.0, 1.0)),
        ControlArea("B", box(1.0, 0.0, 2.0, 1.0).difference(box(0.999, 0.4, 1.001, 0.6))),
    ),
    contact_line=LineString([(1.0, 0.0), (1.0, 1.0)]),
    zones=(Zone("Buffer", ZoneRule.BUFFER, box(0.9, 0.0, 1.1, 1.0)),),
    protected_sites=(ProtectedSite("Hospital", Point(0.123456789, 0.5), 1000.0, "hospital"),),
    name="small",
)


def layers(doc: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = {}
    for feature in doc["features"]:
        found.setdefault(feature["properties"]["layer"], []).append(feature)
    return found


def test_every_part_of_the_theatre_is_a_layer_with_its_properties() -> None:
    doc = base_layer(SMALL)
    by = layers(doc)
    assert sorted(by) == ["border", "contact_line", "control_area", "protected_site", "zone"]
    assert [f["properties"]["party"] for f in by["control_area"]] == ["A", "B"]
    zone = by["zone"][0]["properties"]
    assert zone == {"layer": "zone", "name": "Buffer", "rule": "buffer", "party": None}
    site = by["protected_site"][0]
    assert site["properties"]["radius_m"] == 1000.0
    assert tuple(site["geometry"]["coordinates"]) == (0.12346, 0.5)
    assert doc["parties"] == [{"id": "A", "name": "Alpha"}, {"id": "B", "name": "Beta"}]
    assert doc["bbox"] == [0.0, 0.0, 2.0, 1.0]
    json.dumps(doc, allow_nan=False)  # a JSON document the browser can read


def test_the_border_is_the_outline_of_all_areas_without_slivers() -> None:
    border = national_border(SMALL)
    assert border.length == 6.0  # the 2 x 1 rectangle: no edge along the line's gap
    drawn = shape(layers(base_layer(SMALL))["border"][0]["geometry"])
    assert drawn.equals(border)


def test_the_demo_theatre_layer_is_light_enough_for_a_tablet() -> None:
    doc = base_layer(load_demo_theatre())
    assert len(json.dumps(doc)) < 600_000
    assert len(layers(doc)["protected_site"]) == len(load_demo_theatre().protected_sites)


def test_the_newest_stored_theatre_is_drawn_else_the_demo(store_url: str) -> None:
    engine = open_store(store_url)
    try:
        with engine.connect() as conn:
            assert current_theatre(conn) is load_demo_theatre()
        geojson = json.dumps(theatre_to_geojson(SMALL))
        with engine.begin() as conn:
            save_theatre(conn, name="small", geojson=geojson, created_at=datetime.now(UTC))
        with engine.connect() as conn:
            stored = current_theatre(conn)
        assert [a.party for a in stored.control_areas] == ["A", "B"]
    finally:
        engine.dispose()


def test_static_files_are_found_only_inside_the_static_folder() -> None:
    assert static_file("js/map.js") is not None
    assert static_file("vendor/maplibre-gl/maplibre-gl.js") is not None
    for outside in ("../assets.py", "../pages/map.html", "/etc/passwd", "js", "js/nope.js"):
        assert static_file(outside) is None, outside
    assert all((PAGES_DIR / name).is_file() for name in PAGES.values())
