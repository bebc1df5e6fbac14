"""The >>> examples in the alert modules' docstrings are true."""

from __future__ import annotations

import doctest
from types import ModuleType

import pytest

from truceline.alerts import cap, mapping, message, webhooks


@pytest.mark.parametrize("module", [cap, mapping, message, webhooks], ids=lambda m: m.__name__)
def test_docstring_examples(module: ModuleType) -> None:
    result = doctest.testmod(module)
    assert result.attempted > 0
    assert result.failed == 0
