"""weather.csv specifics."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from truceline.domain import Weather
from truceline.io.weather import read_weather, write_weather

HEADER = "time,temperature_c,wind_speed_ms,wind_from_deg"


def test_rows_in_file_order(tmp_path: Path) -> None:
    path = tmp_path / "weather.csv"
    path.write_text(
        f"{HEADER}\n2026-03-01T12:00:00Z,-4,0,0\n2026-03-01T00:00:00Z,-7.5,12.5,359.9\n"
    )
    assert read_weather(path) == [
        Weather(datetime(2026, 3, 1, 12, tzinfo=UTC), -4.0, 0.0, 0.0),
        Weather(datetime(2026, 3, 1, 0, tzinfo=UTC), -7.5, 12.5, 359.9),
    ]


def test_header_is_the_contract_order(tmp_path: Path) -> None:
    path = tmp_path / "weather.csv"
    write_weather(path, [Weather(datetime(2026, 3, 1, tzinfo=UTC), 4.5, 3.0, 270.0)])
    assert path.read_text().splitlines() == [HEADER, "2026-03-01T00:00:00Z,4.5,3.0,270.0"]
