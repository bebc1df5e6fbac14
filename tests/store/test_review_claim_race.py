"""Two analysts claiming one item at the same instant: one gets it, the other a conflict
(never a database error), on every backend."""

from __future__ import annotations

import threading
from contextlib import nullcontext
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import Engine

from tests.store.samples import EVENTS, REPORTS, SENSORS
from truceline.errors import ConflictError
from truceline.review import work
from truceline.store import add_events, add_reports, add_sensors
from truceline.store.review import get_claim

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
ROUNDS = 40


@pytest.fixture()
def seeded(engine: Engine) -> Engine:
    with engine.begin() as conn:
        add_sensors(conn, sensors=SENSORS)
        add_reports(conn, reports=REPORTS)
        add_events(conn, events=EVENTS)
    return engine


def race(engine: Engine, item_id: str) -> dict[str, object]:
    """Both analysts claim at once; what each got (a Claim, or the error raised)."""
    barrier = threading.Barrier(2)
    outcome: dict[str, object] = {}
    # SQLite has one writer at a time: the API serialises its writes (ApiState.writing), and
    # so does this test there; PostgreSQL runs both transactions at once.
    gate: Any = threading.Lock() if engine.dialect.name == "sqlite" else nullcontext()

    def claim(analyst: str) -> None:
        barrier.wait()
        try:
            with gate:
                outcome[analyst] = work.claim_item(
                    engine, item_id=item_id, analyst=analyst, now=NOW
                )
        except Exception as error:  # recorded, judged below
            outcome[analyst] = error

    threads = [threading.Thread(target=claim, args=(name,)) for name in ("ana", "bob")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcome


def test_simultaneous_claims_give_one_claim_and_one_conflict(seeded: Engine) -> None:
    item_id = f"event:{EVENTS[0].event_id}"
    for _ in range(ROUNDS):
        outcome = race(seeded, item_id)
        winners = [name for name, got in outcome.items() if not isinstance(got, Exception)]
        losers = [got for got in outcome.values() if isinstance(got, Exception)]
        assert len(winners) == 1, outcome
        assert all(isinstance(error, ConflictError) for error in losers), losers
        with seeded.connect() as conn:  # the winner's claim is the one stored
            stored = get_claim(conn, item_id=item_id)
        assert stored is not None and stored.analyst == winners[0]
        work.release_item(seeded, item_id=item_id, analyst=winners[0], now=NOW)
