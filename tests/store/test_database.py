"""Opening and migrating a store: the migrations build exactly the tables of tables.py."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Column, Engine, Integer, MetaData, text
from sqlalchemy.exc import SAWarning

from tests.store.samples import SENSORS
from truceline.store import (
    add_sensors,
    alembic_config,
    count_rows,
    create_engine_for,
    migrate,
    open_store,
    schema_revision,
)
from truceline.store.tables import metadata

HEAD = "0009"


# PostgreSQL only: the PostGIS point columns of migration 0007, kept out of the metadata.
POSTGIS_TABLES = ("sensors", "events", "violations", "reports")


def _not_postgis(obj: Any, name: str | None, type_: str, reflected: bool, other: Any) -> bool:
    """Compare everything but the geometry columns and GIST indexes PostGIS adds."""
    if not reflected or other is not None:
        return True
    if type_ == "column" and name == "geom":
        return obj.table.name not in POSTGIS_TABLES
    return not (type_ == "index" and name in {f"ix_{t}_geom" for t in POSTGIS_TABLES})


def _schema_differences(engine: Engine, target: MetaData) -> list[object]:
    opts = {"compare_type": True, "include_object": _not_postgis}
    with engine.connect() as conn, warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Did not recognize type '.*geometry'", SAWarning)
        context = MigrationContext.configure(conn, opts=opts)
        return list(compare_metadata(context, target))


def test_migrations_ship_in_the_package_with_one_head() -> None:
    scripts = ScriptDirectory.from_config(alembic_config())
    assert scripts.get_heads() == [HEAD]
    assert (Path(scripts.dir) / "versions" / "0001_initial.py").is_file()


def test_migrated_schema_equals_the_tables(engine: Engine) -> None:
    assert _schema_differences(engine, metadata) == []


def test_schema_comparison_does_see_differences(engine: Engine) -> None:
    changed = MetaData(naming_convention=metadata.naming_convention)
    for table in metadata.tables.values():
        table.to_metadata(changed)
    changed.tables["arrivals"].append_column(Column("extra", Integer))
    assert _schema_differences(engine, changed) != []


def test_migrate_is_idempotent_and_keeps_data(store_url: str) -> None:
    migrate(store_url)
    engine = create_engine_for(store_url)
    try:
        with engine.begin() as conn:
            add_sensors(conn, sensors=SENSORS)
        migrate(engine)
        migrate(store_url)
        with engine.connect() as conn:
            assert schema_revision(conn) == HEAD
            assert count_rows(conn)["sensors"] == len(SENSORS)
    finally:
        engine.dispose()


def test_open_store_migrates_a_new_database(store_url: str) -> None:
    engine = create_engine_for(store_url)
    try:
        with engine.connect() as conn:
            assert schema_revision(conn) is None
    finally:
        engine.dispose()
    engine = open_store(store_url)
    try:
        with engine.connect() as conn:
            assert schema_revision(conn) == HEAD
            assert set(count_rows(conn)) == set(metadata.tables)
            assert set(count_rows(conn).values()) == {0}
    finally:
        engine.dispose()


def test_alembic_commands_open_their_own_connection(
    store_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    command.upgrade(alembic_config(store_url), "head", sql=True)
    assert "CREATE TABLE sensors" in capsys.readouterr().out
    command.upgrade(alembic_config(store_url), "head")
    engine = create_engine_for(store_url)
    try:
        with engine.connect() as conn:
            assert schema_revision(conn) == HEAD
    finally:
        engine.dispose()


def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path: Path) -> None:
    engine = open_store(f"sqlite:///{tmp_path / 'wal.db'}")
    try:
        with engine.connect() as conn:
            assert conn.execute(text("PRAGMA journal_mode")).scalar_one() == "wal"
            assert conn.execute(text("PRAGMA foreign_keys")).scalar_one() == 1
    finally:
        engine.dispose()


def test_sqlite_ddl_rolls_back_with_the_transaction(tmp_path: Path) -> None:
    engine = create_engine_for(f"sqlite:///{tmp_path / 'ddl.db'}")
    try:
        with pytest.raises(RuntimeError), engine.begin() as conn:
            conn.execute(text("CREATE TABLE scratch (x INTEGER)"))
            raise RuntimeError("abandon")
        with engine.connect() as conn:
            names = conn.execute(text("SELECT name FROM sqlite_master")).scalars().all()
            assert "scratch" not in names
    finally:
        engine.dispose()


def test_default_url_comes_from_the_settings(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("TRUCELINE_DATABASE_URL", f"sqlite:///{tmp_path / 'settings.db'}")
    engine = open_store()
    try:
        assert engine.url.database == str(tmp_path / "settings.db")
        assert (tmp_path / "settings.db").is_file()
    finally:
        engine.dispose()


def test_plain_postgresql_urls_use_psycopg() -> None:
    engine = create_engine_for("postgresql://user:secret@db.invalid/truceline")
    assert engine.dialect.driver == "psycopg"
    engine.dispose()
