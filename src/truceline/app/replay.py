"""Replay UCDP events against a contact line: the side each lies on and its distance to it.

The Minsk-era line (2015-2022) is the edge of the area held by Russia or Russia-backed forces
before 24 February 2022 (ISW/CTP, ``isw_20220224_pre2022_occupied.geojson``): a theatre is
built from that polygon and a national border (:func:`minsk_era_theatre`), with the parties
``UA`` (government-controlled Ukraine) and ``RU-held``. A point outside both areas takes the
side of an area within ``snap_m`` (border checkpoints sit on the simplified border), else
``outside`` (in Russia, at sea). Distances are metres to the nearest point of the line.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import numpy as np
import numpy.typing as npt
import shapely
from shapely.geometry.base import BaseGeometry

from truceline.domain import Report
from truceline.domain.theatre import ControlArea, Party, Theatre
from truceline.errors import InputError
from truceline.geo.lines import distance_to_line_m, side_of
from truceline.geo.projection import ArrayLike, FloatArray, LocalProjection
from truceline.geo.theatre_build import partition_control, read_polygons, shared_edge
from truceline.io.csvtable import (
    Column,
    Table,
    format_float,
    nonnegative_float,
    one_of,
    parse_float,
    parse_text,
    write_table,
)
from truceline.io.importers.ucdp import ID_PREFIX, read_ucdp
from truceline.io.theatre import read_theatre
from truceline.io.timefmt import format_time, parse_time

UA, RU_HELD, OUTSIDE = "UA", "RU-held", "outside"
MINSK_ERA_PARTIES = (
    Party(UA, "Ukraine (government-controlled)"),
    Party(RU_HELD, "Held by Russia or Russia-backed forces before 24 February 2022"),
)
DEFAULT_SNAP_M = 1_000.0


@dataclass(frozen=True)
class ReplayedEvent:
    """One UCDP event placed against the line."""

    ucdp_id: str
    report_id: str
    time: datetime
    time_sigma_s: float | None
    lon: float
    lat: float
    loc_sigma_m: float | None
    side: str
    distance_to_line_m: float
    side_uncertain: bool  # the line is within two sigma of the position


def _format_bool(value: bool) -> str:
    return "true" if value else "false"


REPLAY = Table(
    ReplayedEvent,
    (
        Column("ucdp_id", parse_text, required=True, unique=True),
        Column("report_id", parse_text, required=True, unique=True),
        Column("time", parse_time, format_time, required=True),
        Column("time_sigma_s", nonnegative_float, format_float),
        Column("lon", parse_float, format_float, required=True),
        Column("lat", parse_float, format_float, required=True),
        Column("loc_sigma_m", nonnegative_float, format_float),
        Column("side", parse_text, required=True),
        Column("distance_to_line_m", nonnegative_float, lambda v: f"{v:.1f}", required=True),
        Column("side_uncertain", one_of({"true": True, "false": False}), _format_bool),
    ),
)


def minsk_era_theatre(occupied: BaseGeometry, border: BaseGeometry) -> Theatre:
    """A theatre of two control areas, ``UA`` and ``RU-held``, and the line between them.

    Examples
    --------
    >>> theatre = minsk_era_theatre(shapely.box(32, 45, 35, 51), shapely.box(30, 46, 34, 50))
    >>> [a.party for a in theatre.control_areas], round(theatre.contact_line.length, 3)
    (['UA', 'RU-held'], 4.0)
    """
    rest, held = partition_control(occupied, border)
    areas = (ControlArea(UA, rest), ControlArea(RU_HELD, held))
    return Theatre(MINSK_ERA_PARTIES, areas, shared_edge(rest, held), name="Minsk-era line")


def place_against_line(
    theatre: Theatre, lon: ArrayLike, lat: ArrayLike, *, snap_m: float = DEFAULT_SNAP_M
) -> tuple[npt.NDArray[np.str_], FloatArray]:
    """The side (party id, or ``outside``) of each point and its distance to the line, m.

    Examples
    --------
    >>> theatre = minsk_era_theatre(shapely.box(32, 45, 35, 51), shapely.box(30, 46, 34, 50))
    >>> sides, metres = place_against_line(theatre, [31.0, 33.0, 33.0], [48.0, 48.0, 52.0])
    >>> sides.tolist(), [round(float(m) / 1000) for m in metres]
    (['UA', 'RU-held', 'outside'], [75, 75, 233])
    """
    lons, lats = np.broadcast_arrays(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))
    sides = side_of(theatre, lons, lats).astype(_side_dtype(theatre))
    unplaced = np.flatnonzero(sides == "")
    if unplaced.size:
        sides[unplaced] = _nearest_side(theatre, lons[unplaced], lats[unplaced], snap_m)
    return sides, distance_to_line_m(theatre, lons, lats)


def _side_dtype(theatre: Theatre) -> str:
    return f"<U{max([len(OUTSIDE)] + [len(a.party) for a in theatre.control_areas])}"


def _nearest_side(
    theatre: Theatre, lons: FloatArray, lats: FloatArray, snap_m: float
) -> npt.NDArray[np.str_]:
    """For points outside every area: the nearest area's party within ``snap_m``, else outside."""
    proj = LocalProjection.centred_on(lons, lats)
    points = shapely.points(*proj.forward(lons, lats))
    best = np.full(lons.shape, np.inf)
    out = np.full(lons.shape, OUTSIDE, dtype=_side_dtype(theatre))
    for area in theatre.control_areas:
        gap = shapely.distance(points, proj.to_metric(area.geometry))
        closer = (gap < best) & (gap <= snap_m)
        out[closer], best[closer] = area.party, gap[closer]
    return out


def replay_reports(
    reports: Sequence[Report], theatre: Theatre, *, snap_m: float = DEFAULT_SNAP_M
) -> list[ReplayedEvent]:
    """Place located UCDP reports against the theatre's line, in one vectorised pass."""
    located = [r for r in reports if r.lon is not None and r.lat is not None]
    lon = np.array([r.lon for r in located], dtype=float)
    lat = np.array([r.lat for r in located], dtype=float)
    sides, metres = place_against_line(theatre, lon, lat, snap_m=snap_m)
    sigma = np.array([r.loc_sigma_m or 0.0 for r in located], dtype=float)
    uncertain = metres < 2.0 * sigma
    return [
        ReplayedEvent(
            ucdp_id=r.report_id.removeprefix(ID_PREFIX),
            report_id=r.report_id,
            time=r.time,
            time_sigma_s=r.time_sigma_s,
            lon=float(lon[i]),
            lat=float(lat[i]),
            loc_sigma_m=r.loc_sigma_m,
            side=str(sides[i]),
            distance_to_line_m=float(metres[i]),
            side_uncertain=bool(uncertain[i]),
        )
        for i, r in enumerate(located)
    ]


def load_line_theatre(line: Path, border: Path | None) -> Theatre:
    """A theatre.geojson as is, or a theatre built from an occupied-area GeoJSON and a border."""
    if _is_theatre_file(line):
        return read_theatre(line)
    if border is None:
        raise InputError(
            "an occupied-area GeoJSON needs --border (the national border) to build the line",
            file=str(line),
            column="--border",
        )
    return minsk_era_theatre(read_polygons(line), read_polygons(border))


def _is_theatre_file(path: Path) -> bool:
    """Whether a GeoJSON file has Truceline's ``kind`` properties (a theatre.geojson)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"cannot read GeoJSON: {exc}", file=str(path)) from None
    features = data.get("features") if isinstance(data, dict) else None
    return isinstance(features, list) and any(
        isinstance(f, dict) and (f.get("properties") or {}).get("kind") == "control_area"
        for f in features
    )


def replay_ucdp_file(
    ucdp: Path,
    line: Path,
    out: Path,
    *,
    border: Path | None = None,
    snap_m: float = DEFAULT_SNAP_M,
) -> list[ReplayedEvent]:
    """Read a UCDP GED CSV, place every located event against the line, write the CSV."""
    feed = read_ucdp(ucdp)
    theatre = load_line_theatre(line, border)
    if theatre.contact_line is None or theatre.contact_line.is_empty:
        raise InputError("the theatre has no contact line", file=str(line))
    events = replay_reports(feed.reports, theatre, snap_m=snap_m)
    write_table(out, REPLAY, events)
    return events
