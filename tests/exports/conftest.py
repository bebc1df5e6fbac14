"""Fixtures for the export tests: a short demo store read once, hand-made records, the CLI."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.store.conftest import engine, pytest_generate_tests, store_url  # noqa: F401
from truceline import cli
from truceline.app.demo import run_demo
from truceline.domain import (
    Corroboration,
    Event,
    EventKind,
    Report,
    Severity,
    SourceKind,
    Theatre,
    Violation,
    ViolationType,
)
from truceline.exports.public import OpenData
from truceline.exports.source import load_open_data, open_existing_store
from truceline.geo.demo import load_demo_theatre
from truceline.store import get_events, get_reports, get_sensors, get_violations, open_store

T0 = datetime(2026, 11, 21, 6, 0, tzinfo=UTC)


@dataclass(frozen=True)
class DemoStore:
    """A demo run's store and what it holds, read straight from the repository."""

    out_dir: Path
    url: str
    events: list[Event]
    violations: list[Violation]
    reports: list[Report]
    sensor_ids: list[str]


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory) -> DemoStore:
    """Three simulated hours through every stage (about 6 s, once per session)."""
    out_dir = tmp_path_factory.mktemp("exports") / "demo"
    run_demo(out_dir, hours=3)
    url = f"sqlite:///{out_dir / 'truceline.db'}"
    store = open_store(url)
    with store.connect() as conn:
        found = DemoStore(
            out_dir,
            url,
            get_events(conn),
            get_violations(conn),
            get_reports(conn),
            [s.sensor_id for s in get_sensors(conn)],
        )
    store.dispose()
    return found


@pytest.fixture(scope="session")
def demo_theatre() -> Theatre:
    return load_demo_theatre()


@pytest.fixture(scope="session")
def open_data(demo: DemoStore, demo_theatre: Theatre) -> OpenData:
    store = open_existing_store(demo.url)
    try:
        return load_open_data(store, theatre=demo_theatre)
    finally:
        store.dispose()


def make_event(
    event_id: str, minutes: float, lon: float = 37.6, lat: float = 48.0, **kw: object
) -> Event:
    """A located launch, ``minutes`` after T0."""
    values: dict[str, object] = {
        "kind": EventKind.LAUNCH,
        "n_sensors": 5,
        "err_major_m": 40.0,
        "err_minor_m": 20.0,
        "err_azimuth_deg": 30.0,
        "arrival_ids": ("A-secret-1", "A-secret-2"),
        "report_ids": ("R-secret",),
        "corroboration": Corroboration.VERIFIED,
        "party_control": "RU",
        "p_control": 0.98,
        "responsible_party": "RU",
        "p_responsible": 0.98,
        **kw,
    }
    return Event(event_id, T0 + timedelta(minutes=minutes), lon, lat, **values)  # type: ignore[arg-type]


def observer_report(report_id: str, minutes: float, *, located: bool) -> Report:
    """A monitor's report: standing at an observer position, with or without a located sighting."""
    return Report(
        report_id,
        "MT-secret",
        SourceKind.MONITOR,
        T0 + timedelta(minutes=minutes),
        "access_denied",
        observer_lon=37.111111,
        observer_lat=48.222222,
        lon=37.333333 if located else None,
        lat=48.444444 if located else None,
        accused_party="RU",
        text="Patrol turned back by a named officer",
    )


def report_violation(violation_id: str, report: Report) -> Violation:
    """A violation on a report, placed (as the rules do) at the sighting or the observer."""
    return Violation(
        violation_id,
        ViolationType.ACCESS_DENIED,
        Severity.MEDIUM,
        report.time,
        report_id=report.report_id,
        party="RU",
        lon=report.lon if report.lon is not None else report.observer_lon,
        lat=report.lat if report.lat is not None else report.observer_lat,
        description=f"monitors denied access ({report.source_id})",
    )


@dataclass(frozen=True)
class CliResult:
    code: int
    out: str
    err: str


RunCli = Callable[..., CliResult]


@pytest.fixture
def run_cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> RunCli:
    """Run `truceline ARGS` in-process through the real entry point."""

    def run(*args: str | Path) -> CliResult:
        monkeypatch.setattr(sys, "argv", ["truceline", *map(str, args)])
        code = 0
        try:
            cli.main()
        except SystemExit as exc:
            code = int(exc.code or 0)
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run
