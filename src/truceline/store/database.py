"""Engines, migrations and row counts: how a store is opened and brought up to date."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, Engine, create_engine, event, func, select
from sqlalchemy.engine import make_url

from truceline.settings import get_settings
from truceline.store.tables import metadata

MIGRATIONS_DIR = Path(__file__).parent / "migrations"

# Arbitrary constant key: concurrent `migrate` calls on one PostgreSQL database queue up.
_MIGRATION_LOCK_KEY = 0x7275_6365


def create_engine_for(url: str | None = None) -> Engine:
    """An engine for ``url`` (default: the ``TRUCELINE_DATABASE_URL`` setting).

    ``postgresql://`` URLs use psycopg 3. SQLite connections get WAL journaling, foreign keys
    and real transactions (BEGIN emitted by SQLAlchemy, so DDL and reads are transactional).
    """
    parsed = make_url(url or get_settings().database_url)
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    engine = create_engine(parsed)
    if engine.dialect.name == "sqlite":
        _configure_sqlite(engine)
    return engine


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # the driver stops issuing BEGIN itself
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        connection.exec_driver_sql("BEGIN")


def alembic_config(url: str | None = None) -> Config:
    """An Alembic configuration built in code (no alembic.ini), for ``alembic.command``."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("path_separator", "os")
    if url is not None:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def migrate(engine_or_url: Engine | str | None = None) -> None:
    """Upgrade the schema to the newest revision, in one transaction; a no-op when current."""
    if isinstance(engine_or_url, Engine):
        engine, own = engine_or_url, False
    else:
        engine, own = create_engine_for(engine_or_url), True
    try:
        with engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                connection.execute(select(func.pg_advisory_xact_lock(_MIGRATION_LOCK_KEY)))
            config = alembic_config()
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    finally:
        if own:
            engine.dispose()


def open_store(url: str | None = None) -> Engine:
    """An engine on a store migrated to the newest revision."""
    engine = create_engine_for(url)
    migrate(engine)
    return engine


def count_rows(conn: Connection) -> dict[str, int]:
    """Rows per table of the store, e.g. to check that a refused write changed nothing."""
    return {
        name: int(conn.execute(select(func.count()).select_from(table)).scalar_one())
        for name, table in sorted(metadata.tables.items())
    }


def schema_revision(conn: Connection) -> str | None:
    """The Alembic revision the database is at (None when never migrated)."""
    return MigrationContext.configure(conn).get_current_revision()


__all__ = [
    "MIGRATIONS_DIR",
    "alembic_config",
    "count_rows",
    "create_engine_for",
    "migrate",
    "open_store",
    "schema_revision",
]
