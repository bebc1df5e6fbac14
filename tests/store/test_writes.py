"""The idempotent batch writer, including a writer racing between compare and insert."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import Connection, Engine

from tests.store.samples import SENSORS
from truceline.errors import ConflictError
from truceline.store import AddResult, add_sensors, add_weather, count_rows, writes
from truceline.store.observations import SENSORS as SENSOR_ROWS
from truceline.store.writes import RowKind, join_ids, split_ids


def _blind_first_lookup(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the first comparison see nothing stored, as if another writer were faster."""
    real = writes._stored_rows
    calls = []

    def stale(conn: Connection, kind: RowKind, keys: list[Any]) -> dict[Any, Any]:
        calls.append(keys)
        return {} if len(calls) == 1 else real(conn, kind, keys)

    monkeypatch.setattr(writes, "_stored_rows", stale)


def test_a_row_stored_meanwhile_with_the_same_content_counts_as_existing(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    with engine.begin() as conn:
        add_sensors(conn, sensors=SENSORS[:1])
    _blind_first_lookup(monkeypatch)
    with engine.begin() as conn:
        assert add_sensors(conn, sensors=SENSORS) == AddResult(new=1, existing=1)


def test_a_row_stored_meanwhile_with_other_content_conflicts(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    with engine.begin() as conn:
        add_sensors(conn, sensors=SENSORS[:1])
    _blind_first_lookup(monkeypatch)
    moved = dataclasses.replace(SENSORS[0], lat=0.0)
    with pytest.raises(ConflictError, match=r"sensor 'S1'.*lat"), engine.begin() as conn:
        add_sensors(conn, sensors=[moved, SENSORS[1]])
    with engine.connect() as conn:
        assert count_rows(conn)["sensors"] == 1


def test_chunk_size_must_be_positive(engine: Engine) -> None:
    with pytest.raises(ValueError, match="chunk_size"), engine.begin() as conn:
        writes.add_rows(conn, SENSOR_ROWS, [], chunk_size=0)


def test_an_empty_batch_stores_nothing(engine: Engine) -> None:
    with engine.begin() as conn:
        assert add_weather(conn, weather=[]) == AddResult()


@given(st.lists(st.text(min_size=1).filter(lambda s: ";" not in s), max_size=5))
def test_joined_ids_split_back(ids: list[str]) -> None:
    assert split_ids(join_ids(ids, what="test")) == tuple(ids)
