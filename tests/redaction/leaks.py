"""The leak checker of the redaction test: what must never be published, and a search for it.

A published output is text (JSON, HTML, XML, CSV, PDF text, a log line) and, for the map
formats, the coordinates parsed from it. A leak is any withheld name or planted marker in a
text, and any position inside the grid cell of a protected position (a sensor, an observer, a
location reported by a source) that is neither the cell's centre nor a public position (a
located event, a vertex of the theatre). Coordinates are also read out of running text: every
pair of numbers with three or more decimals near each other, in either order.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray
from scipy.spatial import cKDTree

from truceline.redaction import coarsen_positions

# Three or more decimals; not the seconds of a time (``09:30:46.719098``).
NUMBER = re.compile(r"(?<![\d.])(?<!\d:)-?\d{1,3}\.(\d{3,})(?!\d)")
PAIR_GAP = 24  # most characters between the two numbers of a coordinate pair
# Published data URIs (images in the HTML report) are binary: their base64 would match names.
DATA_URI = re.compile(r"data:[\w/+.-]+;base64,[A-Za-z0-9+/=\s]+")


@dataclass(frozen=True)
class Point:
    """A published coordinate, where it was found, and the decimals it was written with."""

    lon: float
    lat: float
    decimals: int
    where: str


@dataclass
class Published:
    """Every output as text, the map formats' coordinates, and each reader's own names."""

    texts: dict[str, str] = field(default_factory=dict)
    points: dict[str, list[Point]] = field(default_factory=dict)
    own_names: dict[str, frozenset[str]] = field(default_factory=dict)
    parsed: set[str] = field(default_factory=set)  # texts whose coordinates are in ``points``


@dataclass(frozen=True)
class Secrets:
    """What no output may carry."""

    names: frozenset[str]  # sensor ids, source ids, user names, planted names
    markers: frozenset[str]  # planted phone, e-mail, coordinates in other notations
    protected: NDArray[np.float64]  # (n, 2) lon, lat of protected positions
    public: NDArray[np.float64]  # (m, 2) lon, lat of event positions and theatre vertices
    grid_m: float


def decimals_of(value: float) -> int:
    """Decimals a float is written with (its shortest repr)."""
    text = repr(float(value))
    return len(text.split(".", 1)[1]) if "." in text and "e" not in text else 6


def points_in_text(text: str, where: str) -> list[Point]:
    """Both readings of every pair of close numbers with three or more decimals."""
    found = list(NUMBER.finditer(text))
    points = []
    for a, b in itertools.pairwise(found):
        gap = text[a.end() : b.start()]
        if len(gap) > PAIR_GAP or "[" in gap or "]" in gap:
            continue  # too far apart, or two positions of a JSON list of positions
        x, y = float(a.group(0)), float(b.group(0))
        decimals = min(len(a.group(1)), len(b.group(1)))
        points += [Point(x, y, decimals, where), Point(y, x, decimals, where)]
    return [p for p in points if -180 <= p.lon <= 180 and -90 <= p.lat <= 90]


def find_leaks(published: Published, secrets: Secrets) -> list[str]:
    """Every leak found, one line each (empty: nothing withheld was published)."""
    leaks = []
    for where, raw in published.texts.items():
        text = DATA_URI.sub("", raw)
        allowed = published.own_names.get(where, frozenset())
        leaks += [f"{where}: name {n!r}" for n in _names_in(text, secrets.names - allowed)]
        leaks += [f"{where}: marker {m!r}" for m in secrets.markers if m in text]
    points = [
        p
        for where, t in published.texts.items()
        if where not in published.parsed
        for p in points_in_text(t, where)
    ]
    points += [p for found in published.points.values() for p in found]
    leaks += [
        f"{p.where}: position {p.lon}, {p.lat} in the cell of a protected one"
        for p in _positions_in_protected_cells(points, secrets)
    ]
    return leaks


def _names_in(text: str, names: Iterable[str]) -> list[str]:
    """Names found as whole tokens (ids inside longer ids or words do not count)."""
    return [
        n
        for n in names
        if n in text and re.search(rf"(?<![A-Za-z0-9_]){re.escape(n)}(?![A-Za-z0-9_])", text)
    ]


def _positions_in_protected_cells(points: list[Point], secrets: Secrets) -> list[Point]:
    if not points or not len(secrets.protected):
        return []
    lon = np.array([p.lon for p in points])
    lat = np.array([p.lat for p in points])
    tolerance = np.array([max(1e-6, 0.6 * 10.0**-p.decimals) for p in points])
    c_lon, c_lat = coarsen_positions(lon, lat, secrets.grid_m)
    is_centre = (np.abs(c_lon - lon) <= tolerance) & (np.abs(c_lat - lat) <= tolerance)
    p_lon, p_lat = coarsen_positions(
        secrets.protected[:, 0], secrets.protected[:, 1], secrets.grid_m
    )
    cells = set(zip(p_lon.tolist(), p_lat.tolist(), strict=True))
    in_cell = np.array([cell in cells for cell in zip(c_lon.tolist(), c_lat.tolist(), strict=True)])
    public = np.zeros(len(points), dtype=bool)
    if len(secrets.public):
        distance, _ = cKDTree(secrets.public).query(np.stack([lon, lat], axis=1))
        public = distance <= np.maximum(tolerance * 1.5, 6e-4)  # both coordinates rounded
    return [p for p, bad in zip(points, in_cell & ~is_centre & ~public, strict=True) if bad]
