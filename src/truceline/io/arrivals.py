"""arrivals.csv: impulses picked by sensors, one row per impulse per sensor."""

from __future__ import annotations

from collections.abc import Collection, Iterable

from truceline.domain import Arrival, ArrivalLabel
from truceline.io.csvtable import (
    Column,
    PathLike,
    Table,
    enum_parser,
    format_enum,
    format_float,
    parse_float,
    parse_text,
    read_table,
    write_table,
)
from truceline.io.timefmt import format_time, parse_time

ARRIVALS = Table(
    Arrival,
    (
        Column("arrival_id", parse_text, required=True, unique=True),
        Column("sensor_id", parse_text, required=True),
        Column("time", parse_time, format_time, required=True),
        Column("label", enum_parser(ArrivalLabel), format_enum),
        Column("snr_db", parse_float, format_float),
    ),
)


def read_arrivals(path: PathLike, sensor_ids: Collection[str] | None = None) -> list[Arrival]:
    """Read arrivals.csv, optionally refusing arrivals of sensors not in ``sensor_ids``.

    Parameters
    ----------
    path
        The file to read (one million rows take a few seconds).
    sensor_ids
        The ids of sensors.csv; when given, an unknown ``sensor_id`` is an ``InputError``.

    Returns
    -------
    list of Arrival
        In file order, not grouped.

    Raises
    ------
    InputError
        Naming file, line and column of the first bad value.

    Examples
    --------
    >>> path = tmp_path / "arrivals.csv"
    >>> _ = path.write_text("arrival_id,sensor_id,time\\nA1,S1,2026-03-01T04:12:33.25Z\\n")
    >>> [(a.arrival_id, a.time.isoformat()) for a in read_arrivals(path, sensor_ids={"S1"})]
    [('A1', '2026-03-01T04:12:33.250000+00:00')]
    >>> read_arrivals(path, sensor_ids={"S2"})
    Traceback (most recent call last):
    ...
    truceline.errors.InputError: ...csv, line 2, column 'sensor_id': unknown sensor, got 'S1'
    """
    if sensor_ids is None:
        return read_table(path, ARRIVALS)
    known = frozenset(sensor_ids)

    def parse_sensor_id(cell: str) -> str:
        if cell not in known:
            raise ValueError("unknown sensor")
        return cell

    return read_table(path, ARRIVALS.replace_parser("sensor_id", parse_sensor_id))


def write_arrivals(path: PathLike, arrivals: Iterable[Arrival]) -> None:
    """Write arrivals.csv atomically; an invalid arrival raises ValueError and writes nothing."""
    write_table(path, ARRIVALS, arrivals)
