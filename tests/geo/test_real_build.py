"""Build theatres from the real data for other dates than the demo's."""

from __future__ import annotations

import time
from pathlib import Path

import shapely

from truceline.domain.theatre import Theatre
from truceline.geo.lines import side_of
from truceline.geo.projection import LocalProjection
from truceline.geo.theatre_build import build_theatre_files
from truceline.io.theatre import read_theatre

from .conftest import FRONTLINE, OBLASTS


def test_build_from_the_2025_01_02_line(tmp_path: Path, demo: Theatre) -> None:
    out = tmp_path / "theatre.geojson"
    start = time.perf_counter()
    built = build_theatre_files(FRONTLINE / "deepstatemap_data_20250102.geojson", OBLASTS, out)
    elapsed = time.perf_counter() - start
    assert elapsed < 20.0
    theatre = read_theatre(out)
    assert theatre.party_ids() == ("UA", "RU")
    assert [z.name for z in theatre.zones] == [z.name for z in built.zones]
    ua, ru = theatre.control_area("UA").geometry, theatre.control_area("RU").geometry
    proj = LocalProjection.centred_on_geometry(ua)
    assert proj.to_metric(ua.intersection(ru)).area < 1.0
    assert theatre.contact_line is not None
    lengths = shapely.length(proj.to_metric(shapely.get_parts(theatre.contact_line))) / 1000
    assert 1_050 < lengths.max() < 1_250
    # Pokrovsk (held then) and Avdiivka (lost in Feb 2024).
    assert side_of(theatre, [37.1790, 37.7500], [48.2826, 48.1390]).tolist() == ["UA", "RU"]
    assert all(ua.contains(site.geometry) for site in theatre.protected_sites)
    # Russia held less on 2 January 2025 than on 22 August 2026 (the demo).
    ru_2026 = demo.control_area("RU").geometry
    assert proj.to_metric(ru).area < proj.to_metric(ru_2026).area
