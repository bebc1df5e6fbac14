"""Where points are relative to the line: distance to the contact line, side of the line."""

from __future__ import annotations

import weakref
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import shapely
from shapely.geometry.base import BaseGeometry

from truceline.domain.theatre import Theatre
from truceline.geo.projection import ArrayLike, FloatArray, LocalProjection


@dataclass(frozen=True)
class _MetricLine:
    """A theatre's contact line as indexed metric segments."""

    proj: LocalProjection
    tree: shapely.STRtree | None


_CACHE: dict[int, tuple[weakref.ref[Theatre], _MetricLine]] = {}


def _metric_line(theatre: Theatre) -> _MetricLine:
    key = id(theatre)
    hit = _CACHE.get(key)
    if hit is not None and hit[0]() is theatre:
        return hit[1]
    line = theatre.contact_line
    if line is None or line.is_empty:
        reference = shapely.union_all([a.geometry for a in theatre.control_areas])
        proj = (
            LocalProjection(0.0, 0.0)
            if reference.is_empty
            else LocalProjection.centred_on_geometry(reference)
        )
        prepared = _MetricLine(proj, None)
    else:
        proj = LocalProjection.centred_on_geometry(line)
        prepared = _MetricLine(proj, shapely.STRtree(_segments(proj.to_metric(line))))
    _CACHE[key] = (weakref.ref(theatre, lambda _: _CACHE.pop(key, None)), prepared)
    return prepared


def _segments(line: BaseGeometry) -> npt.NDArray[np.object_]:
    """Split (multi)line strings into two-point segments, for a spatial index."""
    pieces = []
    for part in shapely.get_parts(line):
        coords = shapely.get_coordinates(part)
        pieces.append(np.stack([coords[:-1], coords[1:]], axis=1))
    return shapely.linestrings(np.concatenate(pieces))  # type: ignore[no-any-return]


def distance_to_line_m(theatre: Theatre, lon: ArrayLike, lat: ArrayLike) -> FloatArray:
    """Distance in metres from each point to the contact line (``inf`` if there is none).

    Measured in the theatre's local azimuthal equidistant projection (within 0.2 % of the
    geodesic distance inside 700 km of the line's centre).

    Examples
    --------
    >>> from truceline.domain.theatre import ControlArea, Party
    >>> theatre = Theatre((Party("UA", "Ukraine"),), (), shapely.LineString([(31, 47), (31, 49)]))
    >>> d = distance_to_line_m(theatre, [31.0, 31.2], [48.0, 48.0])
    >>> [round(float(v)) for v in d]
    [0, 14925]
    """
    lons, lats = np.broadcast_arrays(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))
    prepared = _metric_line(theatre)
    out = np.full(lons.shape, np.inf)
    if prepared.tree is None or lons.size == 0:
        return out
    x, y = prepared.proj.forward(lons.ravel(), lats.ravel())
    index, dist = prepared.tree.query_nearest(shapely.points(x, y), return_distance=True)
    flat = out.reshape(-1)
    flat[index[0]] = dist
    return flat.reshape(lons.shape)


def side_of(theatre: Theatre, lon: ArrayLike, lat: ArrayLike) -> npt.NDArray[np.str_]:
    """The id of the party whose control area holds each point, or ``''`` for none.

    A point exactly on the shared edge goes to the first party listed in the theatre.

    Examples
    --------
    >>> from truceline.domain.theatre import ControlArea, Party
    >>> theatre = Theatre(
    ...     (Party("UA", "Ukraine"), Party("RU", "Russia")),
    ...     (ControlArea("UA", shapely.box(30, 47, 31, 49)),
    ...      ControlArea("RU", shapely.box(31, 47, 32, 49))),
    ...     shapely.LineString([(31, 47), (31, 49)]),
    ... )
    >>> side_of(theatre, [30.5, 31.5, 40.0], [48.0, 48.0, 48.0]).tolist()
    ['UA', 'RU', '']
    """
    lons, lats = np.broadcast_arrays(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))
    width = max([len(a.party) for a in theatre.control_areas] + [1])
    out = np.full(lons.shape, "", dtype=f"<U{width}")
    unassigned = np.ones(lons.shape, dtype=bool)
    for area in theatre.control_areas:
        shapely.prepare(area.geometry)
        inside = unassigned & shapely.intersects_xy(area.geometry, lons, lats)
        out[inside] = area.party
        unassigned &= ~inside
    return out
