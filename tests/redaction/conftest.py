"""Store tests of the package run on each backend of tests/store/conftest.py."""

from __future__ import annotations

import pytest

from tests.store.conftest import _backends, store_url  # noqa: F401  (the backend fixture)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "store_url" in metafunc.fixturenames:
        metafunc.parametrize("store_url", _backends(), indirect=True)
