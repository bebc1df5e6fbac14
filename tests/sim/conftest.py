"""A small synthetic theatre: two parties either side of a north-south line near Donetsk."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from shapely.geometry import LineString, Polygon

from truceline.domain import ControlArea, Party, Theatre
from truceline.sim.scenario import Scenario, simulate

LINE = [(37.60, 47.40), (37.70, 47.70), (37.65, 48.00), (37.80, 48.30), (37.75, 48.60)]
START = datetime(2026, 11, 21, tzinfo=UTC)


@pytest.fixture(scope="session")
def small_theatre() -> Theatre:
    west = Polygon([(36.5, 47.40), *LINE, (36.5, 48.60)])
    east = Polygon([*LINE, (39.0, 48.60), (39.0, 47.40)])
    return Theatre(
        parties=(Party("UA", "Ukraine"), Party("RU", "Russia")),
        control_areas=(ControlArea("UA", west), ControlArea("RU", east)),
        contact_line=LineString(LINE),
        name="synthetic",
    )


@pytest.fixture(scope="session")
def busy_scenario(small_theatre: Theatre) -> Scenario:
    return simulate(small_theatre, seed=7, profile="busy", start=START, hours=6)
