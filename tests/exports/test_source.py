"""Reading the public layers from a store (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine

from truceline.domain import Severity, Violation, ViolationType
from truceline.errors import InputError
from truceline.exports.source import load_open_data, open_existing_store
from truceline.redaction import coarsen_position
from truceline.store import add_events, add_reports, add_violations

from .conftest import T0, make_event, observer_report, report_violation


def _fill(engine: Engine) -> None:
    events = [make_event(f"E{i}", 30.0 * i) for i in range(4)]
    sighted, heard = (
        observer_report("R1", 10.0, located=True),
        observer_report("R2", 70.0, located=False),
    )
    fire = Violation(
        "V-fire", ViolationType.FIRE_ACROSS_LINE, Severity.HIGH, events[1].time,
        event_id="E1", party="RU", p_party=0.98, lon=events[1].lon, lat=events[1].lat,
    )  # fmt: skip
    with engine.begin() as conn:
        add_events(conn, events=events)
        add_reports(conn, reports=[sighted, heard])
        add_violations(
            conn,
            violations=[
                fire,
                report_violation("V-sighted", sighted),
                report_violation("V-heard", heard),
            ],
        )


def test_loads_the_window_and_places_report_violations_safely(engine: Engine) -> None:
    _fill(engine)
    data = load_open_data(engine, start=T0 + timedelta(minutes=5), end=T0 + timedelta(minutes=75))
    assert [f.values["event_id"] for f in data.events.features] == ["E1", "E2"]
    by_id = {f.values["violation_id"]: f for f in data.violations.features}
    assert set(by_id) == {"V-sighted", "V-fire", "V-heard"}
    # A monitor's sighting: published at its 5 km grid cell's centre (source protection).
    sighted = (by_id["V-sighted"].lon, by_id["V-sighted"].lat)
    assert sighted == coarsen_position(37.333333, 48.444444, 5000.0) != (37.333333, 48.444444)
    assert not by_id["V-heard"].located  # stored at the observer's position: not published
    assert by_id["V-fire"].lon == pytest.approx(37.6)


def test_whole_store_without_bounds(engine: Engine) -> None:
    _fill(engine)
    data = load_open_data(engine)
    assert len(data.events.features) == 4 and len(data.violations.features) == 3


def test_a_missing_sqlite_file_is_refused_and_not_created(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.db"
    with pytest.raises(InputError, match="no store at"):
        open_existing_store(f"sqlite:///{missing}")
    assert not missing.exists()
