"""The examples in the docstrings of the interchange modules run and are right."""

from __future__ import annotations

import doctest
from pathlib import Path
from types import ModuleType

import pytest

from truceline.io import arrivals, events, reports, sensors, timefmt, weather


@pytest.mark.parametrize("module", [timefmt, sensors, arrivals, weather, reports, events])
def test_docstring_examples(module: ModuleType, tmp_path: Path) -> None:
    flags = doctest.ELLIPSIS
    result = doctest.testmod(module, extraglobs={"tmp_path": tmp_path}, optionflags=flags)
    assert result.attempted > 0
    assert result.failed == 0
