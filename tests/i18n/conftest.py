"""The demo store of the report tests (3 simulated hours of 21 November 2026), shared."""

from tests.reports.conftest import DEMO_DAY, GENERATED_AT, demo_db  # noqa: F401  (fixture)

__all__ = ["DEMO_DAY", "GENERATED_AT"]
