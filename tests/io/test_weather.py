"""weather.csv specifics."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from truceline.domain import Weather
from truceline.errors import InputError
from truceline.io.weather import read_weather, write_weather

HEADER = "time,temperature_c,wind_speed_ms,wind_from_deg,sound_speed_sigma_ms"
CONTRACT = "time,temperature_c,wind_speed_ms,wind_from_deg"  # the interchange's own columns


def test_rows_in_file_order(tmp_path: Path) -> None:
    path = tmp_path / "weather.csv"
    path.write_text(
        f"{CONTRACT}\n2026-03-01T12:00:00Z,-4,0,0\n2026-03-01T00:00:00Z,-7.5,12.5,359.9\n"
    )
    assert read_weather(path) == [
        Weather(datetime(2026, 3, 1, 12, tzinfo=UTC), -4.0, 0.0, 0.0),
        Weather(datetime(2026, 3, 1, 0, tzinfo=UTC), -7.5, 12.5, 359.9),
    ]


def test_header_is_the_contract_order(tmp_path: Path) -> None:
    path = tmp_path / "weather.csv"
    write_weather(path, [Weather(datetime(2026, 3, 1, tzinfo=UTC), 4.5, 3.0, 270.0)])
    assert path.read_text().splitlines() == [HEADER, "2026-03-01T00:00:00Z,4.5,3.0,270.0,"]


def test_a_row_may_state_how_well_it_gives_the_speed_of_sound(tmp_path: Path) -> None:
    path = tmp_path / "weather.csv"
    path.write_text(
        f"{HEADER}\n2026-03-01T00:00:00Z,4.5,3,270,0.3\n2026-03-01T01:00:00Z,5,3,270,\n"
    )
    rows = read_weather(path)
    assert [w.sound_speed_sigma_ms for w in rows] == [0.3, None]


def test_a_negative_speed_sigma_is_an_error_naming_file_line_and_field(tmp_path: Path) -> None:
    path = tmp_path / "weather.csv"
    path.write_text(
        f"{HEADER}\n2026-03-01T00:00:00Z,4.5,3,270,0.3\n2026-03-01T01:00:00Z,5,3,270,-1\n"
    )
    with pytest.raises(InputError) as caught:
        read_weather(path)
    assert (caught.value.file, caught.value.line, caught.value.column) == (
        str(path),
        3,
        "sound_speed_sigma_ms",
    )
