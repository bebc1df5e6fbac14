"""One small demo store (3 simulated hours of 21 November 2026) and its daily report,
built once for the report tests."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from truceline.app.demo import run_demo
from truceline.reports import write_daily_report

DEMO_DAY = date(2026, 11, 21)
GENERATED_AT = datetime(2026, 11, 22, 6, 0, tzinfo=UTC)


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """URL of a store the demo filled: events, violations, a case, a finding, activations."""
    out = tmp_path_factory.mktemp("report-demo") / "demo"
    summary = run_demo(out, hours=3)
    return f"sqlite:///{summary.database_path}"


@pytest.fixture(scope="session")
def daily_files(demo_db: str, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The demo day's report, HTML and PDF."""
    out = tmp_path_factory.mktemp("daily-report")
    return write_daily_report(demo_db, DEMO_DAY, out, now=GENERATED_AT)
