"""Events, violations and run provenance through the store, on every backend."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest
from sqlalchemy import Engine

from tests.store.samples import ARRIVALS, EVENTS, REPORTS, RUN, SENSORS, T0, VIOLATIONS
from truceline.errors import ConflictError, InputError, NotFoundError
from truceline.store import (
    AddResult,
    Run,
    add_events,
    add_violations,
    count_rows,
    get_events,
    get_run,
    get_runs,
    get_violations,
    ingest,
    record_run,
)


@pytest.fixture
def stored(engine: Engine) -> Engine:
    """A store holding the sample observations, events and violations."""
    ingest(engine, sensors=SENSORS, arrivals=ARRIVALS, reports=REPORTS)
    with engine.begin() as conn:
        assert add_events(conn, events=EVENTS) == AddResult(new=2)
        assert add_violations(conn, violations=VIOLATIONS) == AddResult(new=2)
    return engine


def test_events_and_violations_round_trip(stored: Engine) -> None:
    with stored.connect() as conn:
        assert get_events(conn) == list(EVENTS)
        assert get_violations(conn) == list(VIOLATIONS)


def test_events_and_violations_are_selected_by_time_and_party(stored: Engine) -> None:
    with stored.connect() as conn:
        events = get_events(conn, start=T0 - timedelta(seconds=1))
        early = get_violations(conn, end=T0)
        of_ru = get_violations(conn, party="RU")
    assert [e.event_id for e in events] == ["E2"]
    assert [v.violation_id for v in early] == ["V1"]
    assert [v.violation_id for v in of_ru] == ["V1"]


def test_events_again_are_existing_and_changed_events_conflict(stored: Engine) -> None:
    with stored.connect() as conn:
        before = count_rows(conn)
    with stored.begin() as conn:
        assert add_events(conn, events=EVENTS) == AddResult(existing=2)
        assert add_violations(conn, violations=VIOLATIONS) == AddResult(existing=2)
    relabelled = dataclasses.replace(EVENTS[0], arrival_ids=("A1",))
    with pytest.raises(ConflictError, match=r"event 'E1'.*arrival_ids"), stored.begin() as conn:
        add_events(conn, events=[relabelled])
    with stored.connect() as conn:
        assert count_rows(conn) == before


def test_a_violation_of_an_unknown_event_is_refused(engine: Engine) -> None:
    with (
        pytest.raises(NotFoundError, match="violation 'V1' refers to unknown event 'E1'"),
        engine.begin() as conn,
    ):
        add_violations(conn, violations=VIOLATIONS[:1])


def test_ids_that_cannot_be_joined_are_refused(engine: Engine) -> None:
    bad = dataclasses.replace(EVENTS[1], arrival_ids=("A1;A2",))
    with pytest.raises(InputError, match="'A1;A2'"), engine.begin() as conn:
        add_events(conn, events=[bad])


def test_runs_round_trip(engine: Engine) -> None:
    later = Run("run-2", RUN.started_at + timedelta(days=1), "0.1.1")
    with engine.begin() as conn:
        assert record_run(conn, run=later) == AddResult(new=1)
        assert record_run(conn, run=RUN) == AddResult(new=1)
        assert record_run(conn, run=RUN) == AddResult(existing=1)
    with engine.connect() as conn:
        assert get_run(conn, run_id=RUN.run_id) == RUN
        assert get_runs(conn) == [RUN, later]


def test_a_run_with_other_parameters_conflicts(engine: Engine) -> None:
    with engine.begin() as conn:
        record_run(conn, run=RUN)
    other = dataclasses.replace(RUN, parameters={**RUN.parameters, "min_sensors": 4})
    with pytest.raises(ConflictError, match="parameters"), engine.begin() as conn:
        record_run(conn, run=other)


def test_run_parameters_must_be_json(engine: Engine) -> None:
    odd = dataclasses.replace(RUN, parameters={"when": T0})
    with pytest.raises(InputError, match="not storable as JSON"), engine.begin() as conn:
        record_run(conn, run=odd)


def test_an_unknown_run_is_not_found(engine: Engine) -> None:
    with pytest.raises(NotFoundError, match="run 'nope'"), engine.connect() as conn:
        get_run(conn, run_id="nope")
