"""The examples in the docstrings of the commission modules run and are right."""

from __future__ import annotations

import doctest
from types import ModuleType

import pytest

from truceline.commission import evidence, locks, remedies, votes, workflow


@pytest.mark.parametrize("module", [workflow, votes, remedies, evidence, locks])
def test_docstring_examples(module: ModuleType) -> None:
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0
