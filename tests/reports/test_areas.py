"""Areas: sectors along the line of contact from its northern end, the rear, the unlocated."""

from __future__ import annotations

import itertools

import pytest
import shapely

from truceline.domain import Party, Theatre
from truceline.errors import InputError
from truceline.geo.demo import load_demo_theatre
from truceline.geo.projection import LocalProjection
from truceline.reports.areas import (
    REAR,
    SECTOR_KM,
    UNLOCATED,
    WHOLE_THEATRE,
    assign_areas,
    divide_theatre,
)

# A straight north-south line of about 445 km (4 degrees of latitude).
LINE = shapely.LineString([(36.0, 46.0), (36.0, 50.0)])
THEATRE = Theatre((Party("UA", "Ukraine"), Party("RU", "Russia")), (), LINE)


def test_sectors_cover_the_longest_part_of_the_demo_line_in_order() -> None:
    theatre = load_demo_theatre()
    scheme = divide_theatre(theatre)
    projection = LocalProjection.centred_on_geometry(theatre.contact_line)
    longest = max(
        shapely.get_parts(projection.to_metric(theatre.contact_line)).tolist(),
        key=lambda part: part.length,
    )
    sectors = scheme.sectors
    assert [s.name for s in sectors] == [f"S{i:02d}" for i in range(1, len(sectors) + 1)]
    assert sectors[0].km_from == 0.0
    assert sectors[-1].km_to == pytest.approx(longest.length / 1000.0)
    for before, after in itertools.pairwise(sectors):
        assert before.km_to == after.km_from
    assert all(s.km_to - s.km_from == SECTOR_KM for s in sectors[:-1])
    assert SECTOR_KM / 2 <= sectors[-1].km_to - sectors[-1].km_from < SECTOR_KM * 1.5
    assert sectors[0].lat > sectors[-1].lat  # numbered from the northern end
    assert scheme.names()[-2:] == (REAR, UNLOCATED)


def test_points_go_to_the_sector_beside_them_or_the_rear() -> None:
    scheme = divide_theatre(THEATRE)
    assert [s.name for s in scheme.sectors] == ["S01", "S02", "S03", "S04"]
    lons = [36.05, 36.05, 36.05, 36.05, 36.5, 37.0, None]
    lats = [49.95, 49.0, 46.05, 47.0, 48.0, 48.0, 48.0]
    # 0.5 degree of longitude at 48 N is 37 km from the line (a sector), 1 degree is 74 km
    assert assign_areas(scheme, lons, lats) == ["S01", "S02", "S04", "S04", "S03", REAR, UNLOCATED]


def test_a_theatre_without_a_line_is_one_area() -> None:
    scheme = divide_theatre(Theatre((Party("UA", "Ukraine"),), (), None))
    assert scheme.names() == (WHOLE_THEATRE, UNLOCATED)
    assert assign_areas(scheme, [30.0, None], [50.0, None]) == [WHOLE_THEATRE, UNLOCATED]


def test_area_names_are_matched_without_case_and_unknown_ones_refused() -> None:
    scheme = divide_theatre(THEATRE)
    assert scheme.require("s02") == "S02"
    assert scheme.require("REAR") == REAR
    with pytest.raises(InputError, match=r"unknown area 'S9'.*S01, S02, S03, S04, rear"):
        scheme.require("S9")
