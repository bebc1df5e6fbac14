"""A small synthetic theatre: two parties either side of a north-south line near Donetsk."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from truceline.domain import Theatre
from truceline.sim.scenario import Scenario, simulate
from truceline.sim.theatres import SYNTHETIC_LINE, synthetic_theatre

LINE = SYNTHETIC_LINE
START = datetime(2026, 11, 21, tzinfo=UTC)


@pytest.fixture(scope="session")
def small_theatre() -> Theatre:
    return synthetic_theatre()


@pytest.fixture(scope="session")
def busy_scenario(small_theatre: Theatre) -> Scenario:
    return simulate(small_theatre, seed=7, profile="busy", start=START, hours=6)
