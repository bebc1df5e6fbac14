"""Alembic environment: uses the connection handed over by ``migrate`` when there is one."""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from truceline.store.tables import metadata

config = context.config


def run_with(connection: Connection) -> None:
    """Run the migrations on an open connection, inside the caller's transaction."""
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_offline() -> None:
    """Emit the SQL instead of running it (``alembic upgrade --sql``)."""
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=metadata,
        literal_binds=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    """Run on the given connection, or open one to ``sqlalchemy.url`` (settings if unset)."""
    connection = config.attributes.get("connection")
    if connection is not None:
        run_with(connection)
        return
    from truceline.store.database import create_engine_for

    engine = create_engine_for(config.get_main_option("sqlalchemy.url") or None)
    try:
        with engine.begin() as own_connection:
            run_with(own_connection)
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
