"""Shared fixtures for the geo tests: where the real data live, and the demo theatre."""

from __future__ import annotations

from pathlib import Path

import pytest

from truceline.domain.theatre import Theatre
from truceline.geo.demo import load_demo_theatre
from truceline.geo.projection import LocalProjection

DATA_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "data"
OBLASTS = DATA_DIR / "ukraine-oblasts" / "oblast.geojson"
FRONTLINE = DATA_DIR / "frontline"


@pytest.fixture(scope="session")
def demo() -> Theatre:
    return load_demo_theatre()


@pytest.fixture(scope="session")
def ukraine_proj() -> LocalProjection:
    return LocalProjection(31.2, 48.4)
