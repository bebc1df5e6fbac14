"""Storage: SQLAlchemy Core tables, repository functions, Alembic migrations."""

from truceline.store import (
    auth_tables,  # noqa: F401  (registers the HTTP API's tables)
    guarantee_tables,  # noqa: F401  (registers the guarantees' tables)
    review_tables,  # noqa: F401  (registers the analysts' review tables)
)
from truceline.store.analysis import (
    add_events,
    add_violations,
    get_events,
    get_run,
    get_runs,
    get_violations,
    record_run,
)
from truceline.store.commission import (
    add_case,
    add_commitments,
    add_finding,
    add_remedy,
    get_case,
    get_cases,
    get_commitments,
    get_finding,
    get_findings,
    get_remedies,
)
from truceline.store.database import (
    alembic_config,
    count_rows,
    create_engine_for,
    migrate,
    open_store,
    schema_revision,
)
from truceline.store.observations import (
    add_arrivals,
    add_reports,
    add_sensors,
    add_weather,
    get_arrivals,
    get_reports,
    get_sensors,
    get_weather,
    ingest,
)
from truceline.store.records import AddResult, Run, StoredTheatre
from truceline.store.theatres import get_theatre, get_theatres, save_theatre, theatre_sha256

__all__ = [
    "AddResult",
    "Run",
    "StoredTheatre",
    "add_arrivals",
    "add_case",
    "add_commitments",
    "add_events",
    "add_finding",
    "add_remedy",
    "add_reports",
    "add_sensors",
    "add_violations",
    "add_weather",
    "alembic_config",
    "count_rows",
    "create_engine_for",
    "get_arrivals",
    "get_case",
    "get_cases",
    "get_commitments",
    "get_events",
    "get_finding",
    "get_findings",
    "get_remedies",
    "get_reports",
    "get_run",
    "get_runs",
    "get_sensors",
    "get_theatre",
    "get_theatres",
    "get_violations",
    "get_weather",
    "ingest",
    "migrate",
    "open_store",
    "record_run",
    "save_theatre",
    "schema_revision",
    "theatre_sha256",
]
