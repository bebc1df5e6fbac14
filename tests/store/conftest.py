"""Store fixtures: every test that uses ``store_url`` runs on each backend.

SQLite (a temporary file) always; PostgreSQL when ``TRUCELINE_TEST_POSTGRES_URL`` is set,
each test in a schema of its own (safe under ``pytest -n auto``). With
``TRUCELINE_REQUIRE_POSTGRES=1`` a missing URL or an unreachable server fails the tests:
PostgreSQL is never silently left out where it is required.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, make_url, text
from sqlalchemy.exc import OperationalError

from truceline.store import create_engine_for, open_store

POSTGRES_URL_ENV = "TRUCELINE_TEST_POSTGRES_URL"
REQUIRE_POSTGRES_ENV = "TRUCELINE_REQUIRE_POSTGRES"


def _postgres_required() -> bool:
    return os.environ.get(REQUIRE_POSTGRES_ENV, "") not in ("", "0")


def _backends() -> list[str]:
    if os.environ.get(POSTGRES_URL_ENV) or _postgres_required():
        return ["sqlite", "postgresql"]
    return ["sqlite"]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "store_url" in metafunc.fixturenames:
        metafunc.parametrize("store_url", _backends(), indirect=True)


@pytest.fixture
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """URL of an empty database (not migrated) on the backend named by the parameter."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.db'}"
    else:
        yield from _postgres_schema_url()


def _postgres_schema_url() -> Iterator[str]:
    url = os.environ.get(POSTGRES_URL_ENV)
    if not url:
        pytest.fail(f"{REQUIRE_POSTGRES_ENV}=1 but {POSTGRES_URL_ENV} is not set", pytrace=False)
    admin = create_engine_for(url)
    schema = f"test_{uuid.uuid4().hex}"
    try:
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    except OperationalError as error:
        admin.dispose()
        where = make_url(url).render_as_string(hide_password=True)
        pytest.fail(
            f"PostgreSQL at {where} ({POSTGRES_URL_ENV}) is unreachable: {error}", pytrace=False
        )
    try:
        options = {"options": f"-csearch_path={schema}"}
        yield make_url(url).update_query_dict(options).render_as_string(hide_password=False)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def engine(store_url: str) -> Iterator[Engine]:
    """An engine on a freshly migrated store."""
    engine = open_store(store_url)
    try:
        yield engine
    finally:
        engine.dispose()
