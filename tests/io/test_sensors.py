"""sensors.csv specifics."""

from __future__ import annotations

from pathlib import Path

from truceline.domain import Sensor
from truceline.io.sensors import read_sensors, write_sensors

HEADER = "sensor_id,lon,lat,elev_m,kind,clock_sigma_s"


def test_required_columns_only_gives_contract_defaults(tmp_path: Path) -> None:
    path = tmp_path / "sensors.csv"
    path.write_text("sensor_id,lon,lat\nS1,37.5,48.25\nS2,-180,-90\n")
    assert read_sensors(path) == [
        Sensor("S1", 37.5, 48.25, elev_m=0.0, kind="acoustic", clock_sigma_s=0.005),
        Sensor("S2", -180.0, -90.0),
    ]


def test_all_columns(tmp_path: Path) -> None:
    path = tmp_path / "sensors.csv"
    path.write_text(f"{HEADER}\nS1,37.5,48.25,-12.5,seismic,0\n")
    assert read_sensors(path) == [Sensor("S1", 37.5, 48.25, -12.5, "seismic", 0.0)]


def test_header_is_the_contract_order(tmp_path: Path) -> None:
    path = tmp_path / "sensors.csv"
    write_sensors(path, [])
    assert path.read_text() == f"{HEADER}\n"
    assert read_sensors(path) == []
