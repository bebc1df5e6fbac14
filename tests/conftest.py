"""Shared fixtures: paths to the real data beside the checkout."""

from __future__ import annotations

from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = PROJECT_ROOT.parent / "shared" / "data"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """../shared/data, the real data the tests read (it must be there: CI places it)."""
    assert SHARED_DATA.is_dir(), f"real data not found at {SHARED_DATA}"
    return SHARED_DATA
