"""`truceline analyze --engine dask`: the same files out as the in-process engine."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.scale.conftest import scenario
from tests.test_cli_analyze import run
from truceline.io.arrivals import write_arrivals
from truceline.io.events import read_events
from truceline.io.parquet import read_events_parquet, write_arrivals_parquet
from truceline.io.sensors import write_sensors
from truceline.io.weather import write_weather


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """sensors.csv, weather.csv, and the arrivals as both CSV and Parquet."""
    data = scenario(12, "quiet", 4)
    folder = tmp_path_factory.mktemp("inputs")
    write_sensors(folder / "sensors.csv", data.sensors)
    write_weather(folder / "weather.csv", data.weather)
    write_arrivals(folder / "arrivals.csv", data.arrivals)
    write_arrivals_parquet(folder / "arrivals.parquet", data.arrivals)
    return folder


def _analyze(inputs: Path, out: Path, arrivals: str, *options: str) -> tuple[int, str, str]:
    return run(
        "analyze",
        "--sensors",
        inputs / "sensors.csv",
        "--weather",
        inputs / "weather.csv",
        "--arrivals",
        inputs / arrivals,
        "--out",
        out,
        *options,
    )


def test_dask_on_a_scheduler_writes_what_the_local_engine_writes(
    inputs: Path, tmp_path: Path, scheduler: str
) -> None:
    code, out, err = _analyze(inputs, tmp_path / "local", "arrivals.csv")
    assert code == 0, err
    code, out_dask, err = _analyze(
        inputs, tmp_path / "dask", "arrivals.parquet", "--engine", "dask", "--scheduler", scheduler
    )
    assert code == 0, err
    assert out_dask.splitlines()[0] == out.splitlines()[0]  # "N events (...); M unassociated"
    local_events = read_events(tmp_path / "local" / "events.csv")
    assert read_events_parquet(tmp_path / "dask" / "events.parquet") == local_events
    unassociated = (tmp_path / "local" / "unassociated.csv").read_text()
    assert (tmp_path / "dask" / "unassociated.csv").read_text() == unassociated
    run_json = json.loads((tmp_path / "dask" / "run.json").read_text())
    assert run_json["engine"]["scheduler"] == scheduler
    assert json.loads((tmp_path / "local" / "run.json").read_text())["engine"] == "local"


def test_dask_without_a_scheduler_starts_a_local_cluster(inputs: Path, tmp_path: Path) -> None:
    code, _, err = _analyze(inputs, tmp_path / "local", "arrivals.csv")
    assert code == 0, err
    code, _, err = _analyze(
        inputs, tmp_path / "dask", "arrivals.csv", "--engine", "dask", "--workers", "1"
    )
    assert code == 0, err
    assert read_events(tmp_path / "dask" / "events.csv") == read_events(
        tmp_path / "local" / "events.csv"
    )


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--engine", "spark"], "column '--engine': unknown engine 'spark'"),
        (["--scheduler", "tcp://127.0.0.1:8786"], "--scheduler needs --engine dask"),
        (["--engine", "dask", "--scheduler", "127.0.0.1"], "expected an address like tcp://"),
    ],
)
def test_bad_engine_options_exit_2_with_one_line(
    inputs: Path, tmp_path: Path, options: list[str], message: str
) -> None:
    code, _, err = _analyze(inputs, tmp_path / "out", "arrivals.csv", *options)
    assert code == 2
    assert message in err
    assert err.count("\n") == 1
    assert not (tmp_path / "out").exists()


def test_a_bad_parquet_row_on_dask_writes_nothing(
    inputs: Path, tmp_path: Path, scheduler: str
) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pq.read_table(inputs / "arrivals.parquet")
    ids = table.column("sensor_id").to_pylist()
    ids[41] = "S9999"
    table = table.set_column(1, "sensor_id", pa.array(ids))
    pq.write_table(table, tmp_path / "arrivals.parquet")
    (tmp_path / "sensors.csv").write_bytes((inputs / "sensors.csv").read_bytes())
    (tmp_path / "weather.csv").write_bytes((inputs / "weather.csv").read_bytes())
    code, _, err = _analyze(
        tmp_path, tmp_path / "out", "arrivals.parquet", "--engine", "dask", "--scheduler", scheduler
    )
    assert code == 2
    assert "arrivals.parquet, column 'sensor_id': unknown sensor in row 42, got 'S9999'" in err
    assert not (tmp_path / "out").exists()
