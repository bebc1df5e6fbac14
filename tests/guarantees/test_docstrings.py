"""The examples in the docstrings of the guarantees modules run and are right."""

from __future__ import annotations

import doctest
from types import ModuleType

import pytest

from truceline.guarantees import activation, deliveries, ratification, triggers


@pytest.mark.parametrize("module", [triggers, ratification, deliveries, activation])
def test_docstring_examples(module: ModuleType) -> None:
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0
