"""Alembic migrations of the store, run in code by ``truceline.store.database.migrate``."""
