"""Storage: SQLAlchemy Core tables, repository functions, Alembic migrations."""
