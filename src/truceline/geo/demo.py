"""The demo theatre shipped with Truceline, and how to regenerate it from the real data."""

from __future__ import annotations

import functools
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

from truceline.domain.theatre import Theatre
from truceline.geo.theatre_build import GRID_DECIMALS, build_theatre, read_polygons
from truceline.io.theatre import read_theatre, write_theatre

DEMO_FILE = "demo_theatre.geojson"
DEMO_FRONTLINE = "frontline/deepstatemap_data_20260822.geojson"
DEMO_BORDER = "ukraine-oblasts/oblast.geojson"
DEMO_IN_FORCE = datetime(2026, 11, 1, tzinfo=UTC)
DEMO_SIMPLIFY_M = 250.0
DEMO_NAME = "Ukraine, line of contact of 22 August 2026 (demo)"
DEMO_ATTRIBUTION = (
    "Occupied territory: DeepStateMap (deepstatemap.live), daily export of 2026-08-22 by "
    "cyterat/deepstate-map-data (GPL-3.0). National border: union of the oblasts of "
    "peacerep/ukraine-map, crediting justinelliotmeyers/Ukraine_2020. Simplified and derived "
    "by Truceline; MFU hubs are hypothetical."
)


@functools.cache
def load_demo_theatre() -> Theatre:
    """The packaged demo theatre (read once, then cached)."""
    source = resources.files("truceline") / "data" / DEMO_FILE
    with resources.as_file(source) as path:
        return read_theatre(path)


def build_demo_theatre(data_dir: str | Path) -> Theatre:
    """Build the demo theatre from ``shared/data`` (the folder of the data README)."""
    data = Path(data_dir)
    return build_theatre(
        read_polygons(data / DEMO_FRONTLINE),
        read_polygons(data / DEMO_BORDER),
        simplify_m=DEMO_SIMPLIFY_M,
        in_force=DEMO_IN_FORCE,
        name=DEMO_NAME,
        attribution=DEMO_ATTRIBUTION,
    )


def regenerate_demo_theatre(data_dir: str | Path, out_path: str | Path | None = None) -> Path:
    """Rebuild the demo theatre and write it (by default over the packaged file)."""
    out = Path(out_path) if out_path is not None else Path(__file__).parents[1] / "data" / DEMO_FILE
    write_theatre(out, build_demo_theatre(data_dir), decimals=GRID_DECIMALS)
    load_demo_theatre.cache_clear()
    return out
