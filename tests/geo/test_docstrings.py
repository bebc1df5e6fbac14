"""The examples in the docstrings of the geo modules run and are right."""

from __future__ import annotations

import doctest
from types import ModuleType

import pytest

from truceline.geo import demo, lines, projection, theatre_build, zones


@pytest.mark.parametrize("module", [projection, zones, theatre_build, lines, demo])
def test_docstring_examples(module: ModuleType) -> None:
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
    assert result.attempted > 0 or module is demo
