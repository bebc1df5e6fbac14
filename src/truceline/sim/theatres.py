"""A small synthetic theatre for tests and benchmarks: two parties either side of a line."""

from __future__ import annotations

from shapely.geometry import LineString, Polygon

from truceline.domain import ControlArea, Party, Theatre

SYNTHETIC_LINE = [(37.60, 47.40), (37.70, 47.70), (37.65, 48.00), (37.80, 48.30), (37.75, 48.60)]


def synthetic_theatre() -> Theatre:
    """About 135 km of line near Donetsk: UA to the west, RU to the east."""
    west = Polygon([(36.5, 47.40), *SYNTHETIC_LINE, (36.5, 48.60)])
    east = Polygon([*SYNTHETIC_LINE, (39.0, 48.60), (39.0, 47.40)])
    return Theatre(
        parties=(Party("UA", "Ukraine"), Party("RU", "Russia")),
        control_areas=(ControlArea("UA", west), ControlArea("RU", east)),
        contact_line=LineString(SYNTHETIC_LINE),
        name="synthetic",
    )
