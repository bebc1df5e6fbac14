"""The examples in the reports' docstrings hold (numbers, dates, wording, areas, episodes)."""

from __future__ import annotations

import doctest
from types import ModuleType

import pytest

from truceline.reports import areas, charts, episodes, formats, render


@pytest.mark.parametrize(
    "module", [formats, areas, episodes, charts, render], ids=lambda m: m.__name__
)
def test_docstring_examples(module: ModuleType) -> None:
    result = doctest.testmod(module)
    assert result.attempted > 0 and result.failed == 0
