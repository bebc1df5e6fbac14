"""Escalating a review item opens a case on its violations, once: a violation already
before the commission is not put on a second case."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine

from tests.store.samples import EVENTS, REPORTS, SENSORS, VIOLATIONS
from truceline.app import commission as ops
from truceline.errors import ConflictError
from truceline.review import work
from truceline.review.items import Action
from truceline.store import add_events, add_reports, add_sensors, add_violations, count_rows
from truceline.store import commission as case_store

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@pytest.fixture()
def seeded(engine: Engine) -> Engine:
    with engine.begin() as conn:
        add_sensors(conn, sensors=SENSORS)
        add_reports(conn, reports=REPORTS)
        add_events(conn, events=EVENTS)
        add_violations(conn, violations=VIOLATIONS)
    return engine


def escalate(engine: Engine) -> str:
    decision = work.decide_item(
        engine,
        item_id="event:E1",
        analyst="ana",
        action=Action.ESCALATE,
        reason="launch from RU-held ground",
        now=NOW,
    )
    case_id: str = decision.details["case_id"]
    return case_id


def test_escalating_an_event_opens_a_case_on_its_violation(seeded: Engine) -> None:
    case_id = escalate(seeded)
    with seeded.connect() as conn:
        case = case_store.get_case(conn, case_id=case_id)
    assert case.violation_ids == ("V1",) and case.accused_party == "RU"


def test_a_violation_already_on_a_case_is_not_escalated_again(seeded: Engine) -> None:
    opened = ops.open_case_from_violations(seeded, violation_ids=["V1"], actor="sec", now=NOW)
    with seeded.connect() as conn:
        before = count_rows(conn)
    with pytest.raises(ConflictError, match=f"V1 is already on case {opened.case_id}"):
        escalate(seeded)
    with seeded.connect() as conn:
        assert count_rows(conn) == before  # no case, decision or audit row left behind
        assert [c.case_id for c in case_store.get_cases(conn)] == [opened.case_id]
