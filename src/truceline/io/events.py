"""events.csv: what the engine concludes, one row per located physical event."""

from __future__ import annotations

from collections.abc import Iterable

from truceline.domain import Corroboration, Event, EventKind
from truceline.io.csvtable import (
    Column,
    ColumnError,
    PathLike,
    Table,
    enum_parser,
    float_in,
    format_enum,
    format_float,
    int_at_least,
    nonnegative_float,
    parse_azimuth,
    parse_lat,
    parse_lon,
    parse_text,
    read_table,
    write_table,
)
from truceline.io.timefmt import format_time, parse_time

ID_SEPARATOR = ";"


def parse_id_list(cell: str) -> tuple[str, ...]:
    """Split a ``;``-separated list of ids; an empty item is refused."""
    ids = tuple(cell.split(ID_SEPARATOR))
    if "" in ids:
        raise ValueError("empty id in a ';'-separated list")
    return ids


def format_id_list(ids: Iterable[str]) -> str:
    """Join ids with ``;``; an id that is empty or contains ``;`` cannot be written."""
    ids = tuple(ids)
    for item in ids:
        if item == "" or ID_SEPARATOR in item:
            raise ValueError(f"id {item!r} cannot appear in a ';'-separated list")
    return ID_SEPARATOR.join(ids)


def check_event(event: Event) -> None:
    """Refuse an error ellipse whose minor axis exceeds its major axis."""
    major, minor = event.err_major_m, event.err_minor_m
    if major is not None and minor is not None and minor > major:
        raise ColumnError("err_minor_m", f"err_minor_m ({minor!r}) exceeds err_major_m ({major!r})")


PROBABILITY = float_in(0.0, 1.0)

EVENTS = Table(
    Event,
    (
        Column("event_id", parse_text, required=True, unique=True),
        Column("time", parse_time, format_time, required=True),
        Column("lon", parse_lon, format_float, required=True),
        Column("lat", parse_lat, format_float, required=True),
        Column("kind", enum_parser(EventKind), format_enum, required=True),
        Column("n_sensors", int_at_least(0), default=0),
        Column("err_major_m", nonnegative_float, format_float),
        Column("err_minor_m", nonnegative_float, format_float),
        Column("err_azimuth_deg", parse_azimuth, format_float),
        Column("arrival_ids", parse_id_list, format_id_list, default=()),
        Column("report_ids", parse_id_list, format_id_list, default=()),
        Column(
            "corroboration",
            enum_parser(Corroboration),
            format_enum,
            default=Corroboration.SINGLE_SOURCE,
        ),
        Column("party_control", parse_text),
        Column("p_control", PROBABILITY, format_float),
        Column("responsible_party", parse_text),
        Column("p_responsible", PROBABILITY, format_float),
        Column("paired_event_id", parse_text),
        # Added column (the contract allows new optional columns): the position's CRLB.
        Column("crlb_m", nonnegative_float, format_float),
    ),
    check_event,
)


def read_events(path: PathLike) -> list[Event]:
    """Read events.csv (the engine's output, also read back by the commission and exporters).

    Parameters
    ----------
    path
        The file to read.

    Returns
    -------
    list of Event
        In file order; ``arrival_ids`` and ``report_ids`` as tuples.

    Raises
    ------
    InputError
        Naming file, line and column of the first bad value (p outside [0, 1], ...).

    Examples
    --------
    >>> path = tmp_path / "events.csv"
    >>> _ = path.write_text(
    ...     "event_id,time,lon,lat,kind,n_sensors,arrival_ids,report_ids\\n"
    ...     "E1,2026-03-01T04:12:30.5Z,37.61,48.02,launch,3,A1;A2;A3,\\n"
    ... )
    >>> [(e.event_id, e.kind, e.arrival_ids, e.report_ids) for e in read_events(path)]
    [('E1', <EventKind.LAUNCH: 'launch'>, ('A1', 'A2', 'A3'), ())]
    """
    return read_table(path, EVENTS)


def write_events(path: PathLike, events: Iterable[Event]) -> None:
    """Write events.csv atomically; an invalid event raises ValueError and writes nothing."""
    write_table(path, EVENTS, events)
