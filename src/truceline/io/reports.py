"""reports.csv: human and open-source observations, graded with the Admiralty code."""

from __future__ import annotations

from collections.abc import Iterable

from truceline.domain import (
    CREDIBILITY_GRADES,
    RELIABILITY_GRADES,
    Assessment,
    Report,
    SourceKind,
)
from truceline.io.csvtable import (
    Column,
    ColumnError,
    PathLike,
    Table,
    enum_parser,
    format_enum,
    format_float,
    int_at_least,
    nonnegative_float,
    one_of,
    parse_azimuth,
    parse_lat,
    parse_lon,
    parse_text,
    read_table,
    write_table,
)
from truceline.io.events import format_id_list, parse_id_list
from truceline.io.timefmt import format_time, parse_time

_COORDINATE_PAIRS = (("observer_lon", "observer_lat"), ("lon", "lat"))


def check_report(report: Report) -> None:
    """Refuse half a coordinate pair and a range whose minimum exceeds its maximum."""
    for lon_name, lat_name in _COORDINATE_PAIRS:
        lon, lat = getattr(report, lon_name), getattr(report, lat_name)
        if (lon is None) != (lat is None):
            given, missing = (lon_name, lat_name) if lat is None else (lat_name, lon_name)
            raise ColumnError(missing, f"{missing} is required when {given} is given")
    low, high = report.distance_min_m, report.distance_max_m
    if low is not None and high is not None and low > high:
        raise ColumnError(
            "distance_max_m", f"distance_max_m ({high!r}) is less than distance_min_m ({low!r})"
        )


REPORTS = Table(
    Report,
    (
        Column("report_id", parse_text, required=True, unique=True),
        Column("source_id", parse_text, required=True),
        Column("source_kind", enum_parser(SourceKind), format_enum, required=True),
        Column("reliability", one_of(RELIABILITY_GRADES)),
        Column("credibility", one_of(CREDIBILITY_GRADES)),
        Column("time", parse_time, format_time, required=True),
        Column("time_sigma_s", nonnegative_float, format_float),
        Column("observer_lon", parse_lon, format_float),
        Column("observer_lat", parse_lat, format_float),
        Column("bearing_deg", parse_azimuth, format_float),
        Column("bearing_sigma_deg", nonnegative_float, format_float),
        Column("distance_min_m", nonnegative_float, format_float),
        Column("distance_max_m", nonnegative_float, format_float),
        Column("lon", parse_lon, format_float),
        Column("lat", parse_lat, format_float),
        Column("loc_sigma_m", nonnegative_float, format_float),
        Column("event_type", parse_text, required=True),
        Column("count", int_at_least(1), default=1),
        Column("assessment", enum_parser(Assessment), format_enum),
        Column("weapon", parse_text),
        Column("accused_party", parse_text),
        Column("text", parse_text),
        # Added column (the contract allows new optional columns): weapons seen, by serial.
        Column("serials", parse_id_list, format_id_list, default=()),
    ),
    check_report,
)


def read_reports(path: PathLike) -> list[Report]:
    """Read reports.csv; empty optional cells give None (``count`` defaults to 1).

    Parameters
    ----------
    path
        The file to read.

    Returns
    -------
    list of Report
        In file order.

    Raises
    ------
    InputError
        Naming file, line and column of the first bad value (bad grade, bearing 360, ...).

    Examples
    --------
    >>> path = tmp_path / "reports.csv"
    >>> _ = path.write_text(
    ...     "report_id,source_id,source_kind,time,event_type,reliability,credibility\\n"
    ...     "R1,OSCE-7,monitor,2026-03-01T04:12:40Z,explosion,A,2\\n"
    ... )
    >>> [(r.report_id, r.source_kind, r.reliability, r.count) for r in read_reports(path)]
    [('R1', <SourceKind.MONITOR: 'monitor'>, 'A', 1)]
    """
    return read_table(path, REPORTS)


def write_reports(path: PathLike, reports: Iterable[Report]) -> None:
    """Write reports.csv atomically; an invalid report raises ValueError and writes nothing."""
    write_table(path, REPORTS, reports)
