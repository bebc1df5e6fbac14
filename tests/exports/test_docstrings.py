"""The examples in the export modules' docstrings run and are right."""

from __future__ import annotations

import doctest
from types import ModuleType

import pytest

from truceline.exports import acled, atom, geojson, kml, public, ucdp


@pytest.mark.parametrize("module", [public, geojson, kml, acled, ucdp, atom])
def test_docstring_examples(module: ModuleType) -> None:
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0
