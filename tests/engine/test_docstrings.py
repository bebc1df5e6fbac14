"""The examples in the docstrings of the engine modules run and are right."""

from __future__ import annotations

import doctest
from types import ModuleType

import pytest

from truceline.engine import attribute, crlb, ellipse, frames, soundspeed


@pytest.mark.parametrize("module", [frames, soundspeed, crlb, ellipse, attribute])
def test_docstring_examples(module: ModuleType) -> None:
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0
