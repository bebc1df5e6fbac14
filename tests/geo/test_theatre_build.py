"""build_theatre on synthetic geometry: shared edge, slivers, enclaves, pockets, options."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest
import shapely

from truceline.domain.theatre import Party, ZoneRule
from truceline.errors import InputError
from truceline.geo.lines import side_of
from truceline.geo.theatre_build import (
    PROTECTED_SITES,
    build_theatre,
    build_theatre_files,
    partition_control,
    read_polygons,
    shared_edge,
)
from truceline.io.theatre import read_theatre

BORDER = shapely.box(30.0, 46.0, 34.0, 50.0)
POCKET = shapely.box(32.5, 48.0, 32.7, 48.2)  # surrounded by occupied land: stays UA
BAY = shapely.box(33.0, 45.5, 33.3, 46.2)  # opens onto the coast, next to the occupier
# Occupied: east of 32 E, but its east edge stops ~370 m short of the border (a data sliver).
OCCUPIED = shapely.box(32.0, 45.0, 33.995, 51.0).difference(POCKET).difference(BAY)


def test_partition_covers_the_border_without_overlap() -> None:
    rest, occ = partition_control(OCCUPIED, BORDER, simplify_m=0)
    assert rest.is_valid and occ.is_valid
    assert rest.intersection(occ).area == 0.0
    assert shapely.union(rest, occ).symmetric_difference(BORDER).area < 1e-9


def test_slivers_and_open_enclaves_go_to_the_occupier_real_pockets_stay() -> None:
    rest, occ = partition_control(OCCUPIED, BORDER, simplify_m=0)
    assert occ.contains(shapely.Point(33.998, 48.0))  # the sliver along the border
    assert occ.contains(shapely.Point(33.15, 46.1))  # the bay
    assert rest.contains(POCKET.centroid)  # the pocket
    assert rest.contains(shapely.Point(31.0, 48.0))


def test_contact_line_is_the_shared_edge_inside_the_border() -> None:
    theatre = build_theatre(OCCUPIED, BORDER, simplify_m=0, protected_sites=())
    line = theatre.contact_line
    assert line is not None
    ua, ru = (a.geometry for a in theatre.control_areas)
    assert shapely.intersection(line, BORDER.exterior).length == 0.0  # not along the outline
    coords = shapely.get_coordinates(line)
    assert coords[:, 0].max() <= 32.7  # the main line at 32 E and the pocket, not the sliver
    assert shapely.distance(shapely.points(coords), ua.boundary).max() == 0.0
    assert shapely.distance(shapely.points(coords), ru.boundary).max() == 0.0
    pocket_ring = POCKET.exterior.length
    assert line.length == pytest.approx(4.0 + pocket_ring, abs=1e-6)


def test_build_theatre_options() -> None:
    when = datetime(2026, 11, 1, tzinfo=UTC)
    theatre = build_theatre(
        OCCUPIED,
        BORDER,
        parties=(Party("A", "Alpha"), Party("B", "Beta")),
        in_force=when,
        withdrawal_km={"tank": 10, "mlrs_122": 35},
        withdrawal_days={"tank": 3},
        buffer_km=1.0,
        protected_sites=(),
        name="test",
    )
    assert theatre.party_ids() == ("A", "B")
    assert [a.party for a in theatre.control_areas] == ["A", "B"]
    assert theatre.timeline.in_force == when
    assert theatre.timeline.withdrawal_days == {"tank": 3}
    names = [z.name for z in theatre.zones]
    assert names == [
        "Withdrawal zone 10 km (A)",
        "Withdrawal zone 35 km (A)",
        "Withdrawal zone 10 km (B)",
        "Withdrawal zone 35 km (B)",
        "Buffer zone (1 km each side)",
    ]
    assert theatre.zones[-1].rule is ZoneRule.BUFFER
    assert theatre.name == "test"


def test_without_occupied_territory_nothing_is_shared() -> None:
    assert shared_edge(shapely.box(0, 0, 1, 1), shapely.box(2, 0, 3, 1)) is None
    far = shapely.box(40.0, 40.0, 41.0, 41.0)
    theatre = build_theatre(far, BORDER, protected_sites=())
    assert theatre.contact_line is None
    assert theatre.zones == ()
    assert theatre.control_areas[1].geometry.is_empty


def test_simplification_happens_in_metres() -> None:
    lat = np.linspace(46.0, 50.0, 2001)
    wiggle = 32.0 + 0.0005 * np.sin(np.arange(lat.size))  # +-37 m
    edge = np.column_stack([wiggle, lat])
    occupied = shapely.Polygon([*edge, (35.0, 50.0), (35.0, 46.0)])
    coarse = build_theatre(occupied, BORDER, simplify_m=100, protected_sites=())
    fine = build_theatre(occupied, BORDER, simplify_m=0, protected_sites=())
    assert coarse.contact_line is not None and fine.contact_line is not None
    n_coarse = shapely.get_num_coordinates(coarse.contact_line)
    assert n_coarse < 10 < shapely.get_num_coordinates(fine.contact_line)


def test_protected_sites_are_a_handful_of_named_points() -> None:
    assert 5 <= len(PROTECTED_SITES) <= 8
    categories = {s.category for s in PROTECTED_SITES}
    assert {"hub", "hospital", "power_plant"} <= categories
    assert all(s.radius_m > 0 and s.geometry.geom_type == "Point" for s in PROTECTED_SITES)


def test_build_theatre_files_and_read_polygons(tmp_path: Path) -> None:
    occupied = tmp_path / "occupied.geojson"
    border = tmp_path / "border.geojson"
    halves = [shapely.box(30, 46, 32, 50), shapely.box(32, 46, 34, 50)]
    occupied.write_text(json.dumps(_collection([OCCUPIED])))
    border.write_text(json.dumps(_collection(halves)))
    assert read_polygons(border).equals(BORDER)
    out = tmp_path / "theatre.geojson"
    built = build_theatre_files(occupied, border, out, protected_sites=(), simplify_m=0)
    again = read_theatre(out)
    assert again.party_ids() == built.party_ids() == ("UA", "RU")
    assert side_of(again, [31.0, 33.5], [48.0, 48.0]).tolist() == ["UA", "RU"]


@pytest.mark.parametrize(
    "content, message",
    [
        ("{", "cannot read GeoJSON"),
        ('{"type": "Feature"}', "not a GeoJSON FeatureCollection"),
        ('{"type": "FeatureCollection", "features": []}', "no Polygon or MultiPolygon"),
    ],
)
def test_read_polygons_refuses_bad_input(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.geojson"
    path.write_text(content)
    with pytest.raises(InputError, match=message) as info:
        read_polygons(path)
    assert info.value.file == str(path)


def _collection(geometries: list[shapely.Geometry]) -> dict[str, object]:
    return {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {}, "geometry": shapely.geometry.mapping(g)}
            for g in geometries
        ],
    }
