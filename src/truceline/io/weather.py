"""weather.csv: surface weather; one row holds for the whole period, several are interpolated."""

from __future__ import annotations

from collections.abc import Iterable

from truceline.domain import Weather
from truceline.io.csvtable import (
    Column,
    PathLike,
    Table,
    format_float,
    nonnegative_float,
    parse_azimuth,
    parse_float,
    read_table,
    write_table,
)
from truceline.io.timefmt import format_time, parse_time

WEATHER = Table(
    Weather,
    (
        Column("time", parse_time, format_time, required=True),
        Column("temperature_c", parse_float, format_float, required=True),
        Column("wind_speed_ms", nonnegative_float, format_float, required=True),
        Column("wind_from_deg", parse_azimuth, format_float, required=True),
        Column("sound_speed_sigma_ms", nonnegative_float, format_float),
    ),
)


def read_weather(path: PathLike) -> list[Weather]:
    """Read weather.csv (rows in file order; ``wind_from_deg`` is where the wind blows from).

    Examples
    --------
    >>> path = tmp_path / "weather.csv"
    >>> _ = path.write_text(
    ...     "time,temperature_c,wind_speed_ms,wind_from_deg\\n2026-03-01T00:00:00Z,4.5,3,270\\n"
    ... )
    >>> [(w.temperature_c, w.wind_speed_ms, w.wind_from_deg) for w in read_weather(path)]
    [(4.5, 3.0, 270.0)]
    """
    return read_table(path, WEATHER)


def write_weather(path: PathLike, rows: Iterable[Weather]) -> None:
    """Write weather.csv atomically; an invalid row raises ValueError and writes nothing."""
    write_table(path, WEATHER, rows)
