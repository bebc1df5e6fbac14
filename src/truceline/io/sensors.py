"""sensors.csv: the sensor network (shared/spec/interchange.md)."""

from __future__ import annotations

from collections.abc import Iterable

from truceline.domain import Sensor
from truceline.io.csvtable import (
    Column,
    PathLike,
    Table,
    format_float,
    nonnegative_float,
    parse_float,
    parse_lat,
    parse_lon,
    parse_text,
    read_table,
    write_table,
)

SENSORS = Table(
    Sensor,
    (
        Column("sensor_id", parse_text, required=True, unique=True),
        Column("lon", parse_lon, format_float, required=True),
        Column("lat", parse_lat, format_float, required=True),
        Column("elev_m", parse_float, format_float, default=0.0),
        Column("kind", parse_text, default="acoustic"),
        Column("clock_sigma_s", nonnegative_float, format_float, default=0.005),
    ),
)


def read_sensors(path: PathLike) -> list[Sensor]:
    """Read sensors.csv.

    Parameters
    ----------
    path
        The file to read.

    Returns
    -------
    list of Sensor
        In file order; empty optional cells take the defaults of the contract.

    Raises
    ------
    InputError
        Naming file, line and column of the first bad value (duplicate id, lat 91, ...).

    Examples
    --------
    >>> _ = (tmp_path / "sensors.csv").write_text("sensor_id,lon,lat\\nS1,30.5,50.4\\n")
    >>> read_sensors(tmp_path / "sensors.csv")
    [Sensor(sensor_id='S1', lon=30.5, lat=50.4, elev_m=0.0, kind='acoustic', clock_sigma_s=0.005)]
    """
    return read_table(path, SENSORS)


def write_sensors(path: PathLike, sensors: Iterable[Sensor]) -> None:
    """Write sensors.csv atomically; an invalid sensor raises ValueError and writes nothing."""
    write_table(path, SENSORS, sensors)
