"""Arrivals and events as Parquet: round trips, streaming, and the same checks as the CSV files."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from truceline.domain import Arrival, ArrivalLabel, Corroboration, Event, EventKind
from truceline.errors import InputError
from truceline.io.events import read_events, write_events
from truceline.io.formats import (
    read_arrivals_file,
    read_events_file,
    write_arrivals_file,
    write_events_file,
)
from truceline.io.parquet import (
    read_arrival_batches,
    read_arrivals_parquet,
    read_events_parquet,
    scan_arrivals,
    write_arrivals_parquet,
    write_events_parquet,
)

T0 = datetime(2026, 3, 1, 4, 12, 33, 250000, tzinfo=UTC)
SENSORS = ["S1", "S2", "S3"]


def _arrivals(n: int = 7) -> list[Arrival]:
    labels = [ArrivalLabel.LAUNCH, None, ArrivalLabel.IMPACT, ArrivalLabel.UNKNOWN]
    return [
        Arrival(
            f"A{i}",
            SENSORS[i % 3],
            T0 + timedelta(seconds=1.5 * i, microseconds=i),
            labels[i % 4],
            None if i % 3 == 1 else 10.0 + i / 7,
        )
        for i in range(n)
    ]


EVENTS = [
    Event(
        "E1",
        T0,
        37.6123456,
        48.0212345,
        EventKind.LAUNCH,
        5,
        120.5,
        40.25,
        33.3,
        ("A1", "A2", "A3"),
        (),
        crlb_m=12.5,
    ),
    Event(
        "E2",
        T0 + timedelta(seconds=3),
        38.1,
        47.9,
        EventKind.IMPACT,
        0,
        report_ids=("R1",),
        corroboration=Corroboration.CORROBORATED,
        party_control="A",
        p_control=0.93,
        responsible_party="B",
        p_responsible=0.6,
        paired_event_id="E1",
    ),
]


def test_arrivals_round_trip_through_parquet(tmp_path: Path) -> None:
    path = tmp_path / "arrivals.parquet"
    write_arrivals_parquet(path, _arrivals())
    assert read_arrivals_parquet(path, set(SENSORS)) == _arrivals()


def test_events_round_trip_through_parquet_and_agree_with_csv(tmp_path: Path) -> None:
    write_events_parquet(tmp_path / "events.parquet", EVENTS)
    write_events(tmp_path / "events.csv", EVENTS)
    back = read_events_parquet(tmp_path / "events.parquet")
    assert back == EVENTS
    assert back == read_events(tmp_path / "events.csv")
    stored = pq.read_table(tmp_path / "events.parquet")
    assert stored.schema.field("time").type == pa.timestamp("us", tz="UTC")
    assert stored.column("arrival_ids").to_pylist()[0] == ["A1", "A2", "A3"]


def test_the_extension_chooses_the_format(tmp_path: Path) -> None:
    for name in ("a.csv", "a.parquet", "a.PARQUET"):
        write_arrivals_file(tmp_path / name, _arrivals())
        assert read_arrivals_file(tmp_path / name, set(SENSORS)) == _arrivals()
    assert (tmp_path / "a.parquet").read_bytes()[:4] == b"PAR1"
    assert (tmp_path / "a.csv").read_text().startswith("arrival_id,")
    write_events_file(tmp_path / "e.parquet", EVENTS)
    assert read_events_file(tmp_path / "e.parquet") == EVENTS


def test_arrivals_stream_in_batches_with_their_rows(tmp_path: Path) -> None:
    path = tmp_path / "arrivals.parquet"
    write_arrivals_parquet(path, _arrivals(10))
    batches = list(read_arrival_batches(path, SENSORS, batch_rows=4))
    assert [len(b) for b in batches] == [4, 4, 2]
    assert np.concatenate([b.row for b in batches]).tolist() == list(range(10))
    assert batches[1].arrival_id.tolist() == ["A4", "A5", "A6", "A7"]
    assert batches[1].sensor.tolist() == [1, 2, 0, 1]  # index into the sensor ids given
    assert np.isnan(batches[0].snr_db[1])
    scan = scan_arrivals(path, SENSORS)
    assert (scan.rows, scan.time_sorted) == (10, True)
    assert scan.t_min_us == int(T0.timestamp() * 1e6)


def test_a_file_out_of_time_order_is_seen_to_be(tmp_path: Path) -> None:
    path = tmp_path / "arrivals.parquet"
    write_arrivals_parquet(path, _arrivals(6)[::-1])
    assert not scan_arrivals(path, SENSORS).time_sorted


def _table(**columns: Any) -> pa.Table:
    base: dict[str, Any] = {
        "arrival_id": pa.array(["A1", "A2", "A3"]),
        "sensor_id": pa.array(["S1", "S2", "S3"]),
        "time": pa.array([1, 2, 3], pa.timestamp("us", tz="UTC")),
        "label": pa.array(["launch", None, "impact"]),
        "snr_db": pa.array([1.0, None, 2.0]),
    }
    base.update(columns)
    return pa.table({k: v for k, v in base.items() if v is not None})


@pytest.mark.parametrize(
    ("columns", "column", "message"),
    [
        ({"time": None}, "time", "required column is missing"),
        ({"arrival_id": pa.array(["A1", None, "A3"])}, "arrival_id", "empty in row 2"),
        ({"arrival_id": pa.array(["A1", "", "A3"])}, "arrival_id", "empty in row 2"),
        ({"arrival_id": pa.array(["A1", "A2", "A1"])}, "arrival_id", r"first in row 1\) in row 3"),
        ({"sensor_id": pa.array(["S1", "S9", "S3"])}, "sensor_id", "unknown sensor in row 2"),
        ({"label": pa.array(["launch", "bang", None])}, "label", "must be one of"),
        ({"snr_db": pa.array([1.0, float("nan"), 2.0])}, "snr_db", "finite number in row 2"),
        ({"time": pa.array(["2026-03-01T00:00:00Z"] * 3)}, "time", "expected a timestamp"),
        ({"time": pa.array([1, 2, 3], pa.timestamp("us"))}, "time", "naive times are refused"),
        (
            {"time": pa.array([1000, 2001, 3000], pa.timestamp("ns", tz="UTC"))},
            "time",
            "finer than a microsecond in row 2",
        ),
        ({"sensor_id": pa.array([1, 2, 3])}, "sensor_id", "expected a string column"),
    ],
)
def test_bad_arrivals_name_file_row_and_column(
    tmp_path: Path, columns: dict[str, Any], column: str, message: str
) -> None:
    path = tmp_path / "arrivals.parquet"
    pq.write_table(_table(**columns), path)
    with pytest.raises(InputError, match=message) as caught:
        read_arrivals_parquet(path, set(SENSORS))
    assert caught.value.file == str(path)
    assert caught.value.column == column


def test_dictionary_encoded_and_large_strings_are_read(tmp_path: Path) -> None:
    path = tmp_path / "arrivals.parquet"
    ids = pa.array(["S1", "S2", "S3"]).dictionary_encode()
    big = pa.array(["A1", "A2", "A3"], pa.large_string())
    pq.write_table(_table(sensor_id=ids, arrival_id=big), path)
    assert [a.sensor_id for a in read_arrivals_parquet(path, set(SENSORS))] == SENSORS


def test_a_file_that_is_not_parquet_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "arrivals.parquet"
    path.write_text("arrival_id,sensor_id,time\n")
    with pytest.raises(InputError, match="not a Parquet file"):
        scan_arrivals(path)
    with pytest.raises(InputError, match="no such file"):
        scan_arrivals(tmp_path / "missing.parquet")


@pytest.mark.parametrize(
    ("name", "values", "message"),
    [
        ("p_control", pa.array([None, 1.5]), "must be within \\[0, 1\\] in row 2"),
        ("lon", pa.array([37.6, 181.0]), "in row 2"),
        ("kind", pa.array(["launch", "boom"]), "must be one of"),
        ("event_id", pa.array(["E1", "E1"]), "duplicate event_id"),
        ("err_minor_m", pa.array([500.0, None]), "exceeds err_major_m"),
        ("arrival_ids", pa.array([["A1", ""], []], pa.list_(pa.string())), "cannot appear"),
        ("time", pa.array(["x", "y"]), "expected a timestamp"),
    ],
)
def test_bad_events_name_file_row_and_column(
    tmp_path: Path, name: str, values: pa.Array, message: str
) -> None:
    good = tmp_path / "good.parquet"
    write_events_parquet(good, EVENTS)
    table = pq.read_table(good)
    table = table.set_column(table.schema.get_field_index(name), name, values)
    bad = tmp_path / "events.parquet"
    pq.write_table(table, bad)
    with pytest.raises(InputError, match=message) as caught:
        read_events_parquet(bad)
    assert caught.value.file == str(bad)
    assert caught.value.column == name


def test_an_invalid_event_is_not_written(tmp_path: Path) -> None:
    path = tmp_path / "events.parquet"
    bad = Event("E3", T0, 37.0, 95.0, EventKind.LAUNCH)
    with pytest.raises(ValueError, match="record 3, column 'lat'"):
        write_events_parquet(path, [*EVENTS, bad])
    assert list(tmp_path.iterdir()) == []


def test_ingest_stores_arrivals_from_parquet(tmp_path: Path) -> None:
    from truceline.app.intake import ingest_files
    from truceline.domain import Sensor
    from truceline.io.sensors import write_sensors

    write_sensors(tmp_path / "sensors.csv", [Sensor(s, 37.0, 48.0, 100.0) for s in SENSORS])
    write_arrivals_parquet(tmp_path / "arrivals.parquet", _arrivals())
    url = f"sqlite:///{tmp_path / 'store.db'}"
    files = {"sensors": tmp_path / "sensors.csv", "arrivals": tmp_path / "arrivals.parquet"}
    assert ingest_files(url, **files)["arrivals"].new == 7
    assert ingest_files(url, **files)["arrivals"].existing == 7
