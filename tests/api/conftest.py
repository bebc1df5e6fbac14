"""API fixtures: an app on a fresh store (SQLite always, PostgreSQL when configured), users.

Every test taking ``api`` runs on each backend of ``tests/store/conftest.py``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from tests.store.conftest import _backends, store_url  # noqa: F401  (the backend fixture)
from truceline.api import create_app
from truceline.api.auth import add_user
from truceline.settings import Settings


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "store_url" in metafunc.fixturenames:
        metafunc.parametrize("store_url", _backends(), indirect=True)


@dataclass
class Api:
    """A running app, its client, and tokens of the users made so far."""

    client: TestClient
    settings: Settings
    tokens: dict[str, str] = field(default_factory=dict)

    @property
    def engine(self) -> Engine:
        engine: Engine = self.client.app.state.truceline.engine  # type: ignore[attr-defined]
        return engine

    def user(self, name: str, role: str, **binding: Any) -> dict[str, str]:
        """Create a user (once) and return the headers that authenticate as it."""
        if name not in self.tokens:
            issued = add_user(
                self.engine, name=name, role=role, key=self.settings.api_secret_key, **binding
            )
            self.tokens[name] = issued.text
        return {"Authorization": f"Bearer {self.tokens[name]}"}


def make_settings(url: str, tmp_path: Path, **overrides: Any) -> Settings:
    """Settings for a test app: its own store and output directory, no rate limit."""
    values: dict[str, Any] = {
        "database_url": url,
        "output_dir": tmp_path / "out",
        "api_rate_per_second": 0,
        "environment": "development",
    }
    return Settings(**(values | overrides))


@pytest.fixture
def api(store_url: str, tmp_path: Path) -> Iterator[Api]:  # noqa: F811
    """An app on an empty store (migrated) with a client; no rate limit."""
    settings = make_settings(store_url, tmp_path)
    with TestClient(create_app(settings)) as client:
        yield Api(client, settings)


@pytest.fixture
def analyst(api: Api) -> dict[str, str]:
    """Headers of an analyst."""
    return api.user("ana", "analyst")
