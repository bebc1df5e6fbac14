"""The examples in the docstrings of the review's pure modules run and are right."""

from __future__ import annotations

import doctest
from types import ModuleType

import pytest

from truceline.review import claims, constraints, edits, items, queue


@pytest.mark.parametrize("module", [items, queue, claims, edits, constraints])
def test_docstring_examples(module: ModuleType) -> None:
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0
