"""Areas of a report: sectors along the contact line, and the rear beyond them.

A report counts what happened *where*. The theatre has no administrative regions, but it has
the line of contact, and that is where a ceasefire is broken: the longest part of the line
is cut into sectors of ``SECTOR_KM`` measured from its northern end (``S01`` is the
northernmost), the last sector absorbing a remainder shorter than half a sector. A point
belongs to the sector of its nearest point on that line, if it lies within ``REAR_KM`` of the
contact line; farther away (deep strikes, hubs, holding areas in the rear) it belongs to
``rear``. Without a contact line everything is in one area, ``theatre``. Points without a
position are in ``unlocated``.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import shapely
from numpy.typing import NDArray
from shapely.geometry import LineString

from truceline.domain import Theatre
from truceline.errors import InputError
from truceline.geo.lines import distance_to_line_m
from truceline.geo.projection import LocalProjection
from truceline.i18n import N_, _, current_language, format_number

SECTOR_KM = 100.0
REAR_KM = 50.0
REAR = "rear"
WHOLE_THEATRE = "theatre"
UNLOCATED = "unlocated"
# The names of the areas that are not sectors, as a reader sees them (msgids).
AREA_LABELS = {REAR: N_("rear"), WHOLE_THEATRE: N_("theatre"), UNLOCATED: N_("unlocated")}


@dataclass(frozen=True)
class Sector:
    """A stretch of the contact line: its name, its kilometres and where it lies."""

    name: str
    km_from: float
    km_to: float
    lon: float  # the middle of the stretch
    lat: float

    @property
    def description(self) -> str:
        lang = current_language()
        return _(
            "km %(start)s-%(end)s of the line from its northern end, around %(lat)s° N %(lon)s° E"
        ) % {
            "start": format_number(lang, self.km_from, "#,##0"),
            "end": format_number(lang, self.km_to, "#,##0"),
            "lat": format_number(lang, self.lat, "0.00"),
            "lon": format_number(lang, self.lon, "0.00"),
        }


@dataclass(frozen=True)
class AreaScheme:
    """How a theatre is divided into areas, and the metric line it measures along."""

    theatre: Theatre
    sectors: tuple[Sector, ...]
    projection: LocalProjection | None
    line_m: LineString | None  # the longest part of the contact line, north end first
    sector_km: float = SECTOR_KM
    rear_km: float = REAR_KM

    def names(self) -> tuple[str, ...]:
        """Every area name, in report order (sectors north to south, then the rear)."""
        if not self.sectors:
            return (WHOLE_THEATRE, UNLOCATED)
        return (*(s.name for s in self.sectors), REAR, UNLOCATED)

    def describe(self, name: str) -> str:
        """One line saying what an area is."""
        for sector in self.sectors:
            if sector.name == name:
                return sector.description
        if name == REAR:
            return _("farther than %(km)s km from the line of contact") % {
                "km": format_number(current_language(), self.rear_km, "#,##0")
            }
        if name == UNLOCATED:
            return _("no position given")
        return _("the whole theatre (it has no line of contact)")

    def require(self, name: str) -> str:
        """The area called ``name`` (any case), or an InputError listing the known ones."""
        for known in self.names():
            if known.lower() == name.strip().lower():
                return known
        raise InputError(
            f"unknown area {name!r}; the areas are {', '.join(self.names())}", column="--area"
        )


def area_label(name: str) -> str:
    """An area's name as a reader sees it: sectors as they are, ``rear`` etc. in words.

    >>> area_label("S01"), area_label(REAR)
    ('S01', 'rear')
    """
    return _(AREA_LABELS[name]) if name in AREA_LABELS else name


def divide_theatre(
    theatre: Theatre, sector_km: float = SECTOR_KM, rear_km: float = REAR_KM
) -> AreaScheme:
    """Cut the theatre's contact line into named sectors.

    Examples
    --------
    >>> from truceline.domain import Party
    >>> line = shapely.LineString([(36.0, 46.0), (36.0, 50.0)])
    >>> scheme = divide_theatre(Theatre((Party("UA", "Ukraine"),), (), line))
    >>> scheme.names()
    ('S01', 'S02', 'S03', 'S04', 'rear', 'unlocated')
    >>> scheme.sectors[0].lat > scheme.sectors[-1].lat
    True
    """
    line = theatre.contact_line
    if line is None or line.is_empty:
        return AreaScheme(theatre, (), None, None, sector_km, rear_km)
    projection = LocalProjection.centred_on_geometry(line)
    main = _northern_first(max(shapely.get_parts(projection.to_metric(line)), key=_length))
    bounds = _sector_bounds(main.length / 1000.0, sector_km)
    sectors = tuple(
        _sector(i, km_from, km_to, main, projection) for i, (km_from, km_to) in enumerate(bounds)
    )
    return AreaScheme(theatre, sectors, projection, main, sector_km, rear_km)


def assign_areas(
    scheme: AreaScheme, lons: Sequence[float | None], lats: Sequence[float | None]
) -> list[str]:
    """The area name of each point (``unlocated`` where lon or lat is None).

    Examples
    --------
    >>> from truceline.domain import Party
    >>> line = shapely.LineString([(36.0, 46.0), (36.0, 50.0)])
    >>> scheme = divide_theatre(Theatre((Party("UA", "Ukraine"),), (), line))
    >>> assign_areas(scheme, [36.1, 36.1, 30.0, None], [49.9, 46.1, 48.0, None])
    ['S01', 'S04', 'rear', 'unlocated']
    """
    located = np.array(
        [lo is not None and la is not None for lo, la in zip(lons, lats, strict=True)], bool
    )
    out = np.full(len(located), UNLOCATED, dtype=object)
    if not located.any():
        return list(out)
    lon = np.array([lo for lo, ok in zip(lons, located, strict=True) if ok], dtype=float)
    lat = np.array([la for la, ok in zip(lats, located, strict=True) if ok], dtype=float)
    out[located] = _located_areas(scheme, lon, lat)
    return [str(name) for name in out]


def _located_areas(
    scheme: AreaScheme, lon: NDArray[np.float64], lat: NDArray[np.float64]
) -> NDArray[np.object_]:
    if scheme.line_m is None or scheme.projection is None:
        return np.full(len(lon), WHOLE_THEATRE, dtype=object)
    x, y = scheme.projection.forward(lon, lat)
    km_along = shapely.line_locate_point(scheme.line_m, shapely.points(x, y)) / 1000.0
    starts = np.array([s.km_from for s in scheme.sectors])
    index = np.clip(np.searchsorted(starts, km_along, side="right") - 1, 0, len(starts) - 1)
    names: NDArray[np.object_] = np.array([s.name for s in scheme.sectors], dtype=object)[index]
    far = distance_to_line_m(scheme.theatre, lon, lat) > scheme.rear_km * 1000.0
    names[far] = REAR
    return names


def _length(part: LineString) -> float:
    return float(part.length)


def _northern_first(line: LineString) -> LineString:
    """The line oriented so that it starts at its northern end (larger y)."""
    coords = np.asarray(line.coords)
    return LineString(coords[::-1]) if coords[-1, 1] > coords[0, 1] else line


def _sector_bounds(length_km: float, sector_km: float) -> list[tuple[float, float]]:
    """Kilometre ranges of the sectors; a last piece shorter than half a sector is merged."""
    n = max(1, math.floor(length_km / sector_km + 0.5))
    edges = [i * sector_km for i in range(n)] + [length_km]
    return list(itertools.pairwise(edges))


def _sector(
    i: int, km_from: float, km_to: float, line: LineString, projection: LocalProjection
) -> Sector:
    middle = line.interpolate((km_from + km_to) / 2 * 1000.0)
    lon, lat = projection.inverse([middle.x], [middle.y])
    return Sector(f"S{i + 1:02d}", km_from, km_to, float(lon[0]), float(lat[0]))
