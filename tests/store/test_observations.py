"""Sensors, arrivals, weather and reports through the store, on every backend."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine

from tests.store.samples import ARRIVALS, KYIV, REPORTS, SENSORS, T0, WEATHER
from truceline.domain import Arrival, Sensor, Weather
from truceline.errors import ConflictError, InputError, NotFoundError
from truceline.store import (
    AddResult,
    add_arrivals,
    add_reports,
    add_sensors,
    add_weather,
    count_rows,
    get_arrivals,
    get_reports,
    get_sensors,
    get_weather,
    ingest,
)


def _counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return count_rows(conn)


def _ingest_samples(engine: Engine) -> dict[str, AddResult]:
    return ingest(engine, sensors=SENSORS, arrivals=ARRIVALS, weather=WEATHER, reports=REPORTS)


def test_observations_round_trip(engine: Engine) -> None:
    results = _ingest_samples(engine)
    assert results == {
        "sensors": AddResult(new=2),
        "arrivals": AddResult(new=3),
        "weather": AddResult(new=2),
        "reports": AddResult(new=2),
    }
    with engine.connect() as conn:
        assert get_sensors(conn) == list(SENSORS)
        assert get_arrivals(conn) == list(ARRIVALS)
        assert get_weather(conn) == list(WEATHER)
        assert get_reports(conn) == list(REPORTS)


def test_times_come_back_as_equal_utc_datetimes(engine: Engine) -> None:
    _ingest_samples(engine)
    with engine.connect() as conn:
        arrivals = get_arrivals(conn)
        reports = get_reports(conn)
    times = [a.time for a in arrivals] + [r.time for r in reports]
    assert all(t.tzinfo is UTC for t in times)
    assert arrivals[2].time == ARRIVALS[2].time  # given in EET, the same instant
    assert arrivals[0].time.microsecond == 123456


def test_arrivals_are_selected_by_time_window_and_sensor(engine: Engine) -> None:
    _ingest_samples(engine)
    with engine.connect() as conn:
        window = get_arrivals(conn, start=T0 + timedelta(seconds=1), end=T0 + timedelta(seconds=3))
        from_kyiv = get_arrivals(conn, start=(T0 + timedelta(seconds=3)).astimezone(KYIV))
        of_s1 = get_arrivals(conn, sensor_id="S1")
        reports = get_reports(conn, end=T0 + timedelta(minutes=1))
    assert [a.arrival_id for a in window] == ["A2"]
    assert [a.arrival_id for a in from_kyiv] == ["A3"]
    assert [a.arrival_id for a in of_s1] == ["A1", "A3"]
    assert [r.report_id for r in reports] == ["R1"]


def test_ingesting_again_stores_nothing_twice(engine: Engine) -> None:
    _ingest_samples(engine)
    before = _counts(engine)
    results = _ingest_samples(engine)
    assert results["arrivals"] == AddResult(new=0, existing=3)
    assert all(result.new == 0 for result in results.values())
    assert _counts(engine) == before


def test_a_record_repeated_in_one_batch_is_stored_once(engine: Engine) -> None:
    with engine.begin() as conn:
        result = add_sensors(conn, sensors=[SENSORS[0], SENSORS[1], SENSORS[0]])
    assert result == AddResult(new=2, existing=1)
    assert _counts(engine)["sensors"] == 2


def test_the_same_weather_time_in_another_zone_is_the_same_record(engine: Engine) -> None:
    with engine.begin() as conn:
        add_weather(conn, weather=WEATHER)
    again = dataclasses.replace(WEATHER[0], time=WEATHER[0].time.astimezone(KYIV))
    with engine.begin() as conn:
        assert add_weather(conn, weather=[again]) == AddResult(existing=1)
    changed = dataclasses.replace(again, wind_speed_ms=9.0)
    with pytest.raises(ConflictError, match="wind_speed_ms"), engine.begin() as conn:
        add_weather(conn, weather=[changed])


def test_different_content_under_a_stored_id_is_refused_and_nothing_stored(
    engine: Engine,
) -> None:
    _ingest_samples(engine)
    before = _counts(engine)
    new = Arrival("A9", "S1", T0 + timedelta(seconds=30))
    moved = dataclasses.replace(ARRIVALS[1], time=ARRIVALS[1].time + timedelta(microseconds=1))
    with (
        pytest.raises(ConflictError, match=r"arrival 'A2' is already stored.*time"),
        engine.begin() as conn,
    ):
        add_arrivals(conn, arrivals=[new, moved])
    assert _counts(engine) == before


def test_different_content_twice_in_one_batch_is_refused(engine: Engine) -> None:
    other = dataclasses.replace(SENSORS[0], lon=SENSORS[0].lon + 0.001)
    with (
        pytest.raises(ConflictError, match="'S1' is already given twice"),
        engine.begin() as conn,
    ):
        add_sensors(conn, sensors=[SENSORS[0], SENSORS[1], other])
    assert _counts(engine)["sensors"] == 0


def test_an_error_mid_batch_rolls_back_the_chunks_already_written(engine: Engine) -> None:
    with engine.begin() as conn:
        add_sensors(conn, sensors=SENSORS)
    arrivals = [Arrival(f"B{i}", "S1", T0 + timedelta(seconds=i)) for i in range(7)]
    arrivals.append(dataclasses.replace(arrivals[0], snr_db=3.0))  # conflicts in the 4th chunk
    with pytest.raises(ConflictError, match="'B0'"), engine.begin() as conn:
        add_arrivals(conn, arrivals=arrivals, chunk_size=2)
    assert _counts(engine)["arrivals"] == 0
    with engine.begin() as conn:
        result = add_arrivals(conn, arrivals=arrivals[:-1], chunk_size=2)
    assert result == AddResult(new=7)


def test_ingest_is_all_or_nothing(engine: Engine) -> None:
    orphan = Arrival("A9", "S-unknown", T0)
    with pytest.raises(NotFoundError, match="arrival 'A9' refers to unknown sensor 'S-unknown'"):
        ingest(engine, sensors=SENSORS, arrivals=[*ARRIVALS, orphan], weather=WEATHER)
    assert set(_counts(engine).values()) == {0}


def test_naive_times_and_nan_are_refused(engine: Engine) -> None:
    naive = Arrival("A1", "S1", datetime(2026, 3, 1, 4, 0))
    not_a_number = Sensor("S3", float("nan"), 48.0)
    with pytest.raises(InputError, match="naive"), engine.begin() as conn:
        add_sensors(conn, sensors=SENSORS)
        add_arrivals(conn, arrivals=[naive])
    with pytest.raises(InputError, match="NaN"), engine.begin() as conn:
        add_sensors(conn, sensors=[not_a_number])
    with pytest.raises(InputError, match="naive"), engine.begin() as conn:
        add_weather(conn, weather=[Weather(datetime(2026, 3, 1), 1.0, 2.0, 3.0)])
    assert set(_counts(engine).values()) == {0}


def test_reports_keep_optional_fields_empty(engine: Engine) -> None:
    with engine.begin() as conn:
        add_reports(conn, reports=REPORTS[1:])
    with engine.connect() as conn:
        (report,) = get_reports(conn)
    assert report == REPORTS[1]
    assert report.assessment is None and report.count == 1


def test_an_inspection_keeps_its_serials(engine: Engine) -> None:
    inspection = dataclasses.replace(
        REPORTS[1], report_id="R-INSP", event_type="inspection", serials=("RU-T72-1", "RU-T72-2")
    )
    with engine.begin() as conn:
        add_reports(conn, reports=[inspection])
    with engine.connect() as conn:
        (back,) = get_reports(conn)
    assert back == inspection and back.serials == ("RU-T72-1", "RU-T72-2")
    bad = dataclasses.replace(inspection, report_id="R-BAD", serials=("A;B",))
    with pytest.raises(InputError, match="serials"), engine.begin() as conn:
        add_reports(conn, reports=[bad])
