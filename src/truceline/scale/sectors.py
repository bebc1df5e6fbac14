"""Sectors of the sensor network: boxes that tile the plane, each with a halo of sensors.

A sector's *core* is a box in a local metric projection (the outer boxes are open-ended, so
the cores tile the whole plane and every point has exactly one owner). A sector's partition
holds the arrivals of the sensors in its core and within ``halo_m`` of it; it keeps only the
events whose located origin lies in its core.

Why the default halo, ``2 * max_range_m + 5 km`` (55 km), suffices:

- every arrival of an event is at a sensor within ``max_range_m`` (25 km) of where the
  associator placed the source; the final fix moves by far less than the 5 km margin (which
  also covers the projection's distortion, < 0.2 %). An event owned by the core is therefore
  whole in its partition.
- association is greedy (earliest seed first), so an arrival near the core could be taken
  first by a neighbouring event placed up to ``max_range_m`` outside the core. For that
  neighbour to take exactly what it takes in the whole network it must be whole too: its
  sensors lie within a further ``max_range_m``.
- echoes are decided after the sectors are joined, on the whole time window (see
  ``partition.finish_window``), so an echo's parent never needs to be in the same sector.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np
from numpy.typing import ArrayLike, NDArray

from truceline.geo.projection import LocalProjection

FloatArray = NDArray[np.float64]
HALO_MARGIN_M = 5_000.0


def default_halo_m(max_range_m: float) -> float:
    """The sector halo for an associator that hears events up to ``max_range_m`` away.

    >>> default_halo_m(25_000.0)
    55000.0
    """
    return 2.0 * max_range_m + HALO_MARGIN_M


@dataclass(frozen=True)
class Sector:
    """A core box ``[x_min, x_max) x [y_min, y_max)`` in metres (bounds may be infinite)."""

    x_min: float = -math.inf
    x_max: float = math.inf
    y_min: float = -math.inf
    y_max: float = math.inf

    def contains(self, x: FloatArray, y: FloatArray) -> NDArray[np.bool_]:
        """Points inside the core (half-open: a point on a shared edge has one owner)."""
        return (x >= self.x_min) & (x < self.x_max) & (y >= self.y_min) & (y < self.y_max)

    def distance_m(self, x: FloatArray, y: FloatArray) -> FloatArray:
        """Distance from each point to the core (0 inside)."""
        dx = np.maximum(np.maximum(self.x_min - x, x - self.x_max), 0.0)
        dy = np.maximum(np.maximum(self.y_min - y, y - self.y_max), 0.0)
        return np.asarray(np.hypot(dx, dy))


@dataclass(frozen=True)
class SectorPlan:
    """Sectors in the azimuthal equidistant projection centred on ``(lon0, lat0)``."""

    lon0: float
    lat0: float
    sectors: tuple[Sector, ...]
    halo_m: float

    def __len__(self) -> int:
        return len(self.sectors)

    def project(self, lon: ArrayLike, lat: ArrayLike) -> tuple[FloatArray, FloatArray]:
        """Metres east and north in the plan's projection."""
        return _projection(self.lon0, self.lat0).forward(lon, lat)

    def owner(self, lon: ArrayLike, lat: ArrayLike) -> NDArray[np.int64]:
        """Index of the sector whose core holds each point."""
        x, y = self.project(lon, lat)
        found = np.full(np.shape(x), -1, dtype=np.int64)
        for i, sector in enumerate(self.sectors):
            found[sector.contains(x, y)] = i
        return found

    def members(self, lon: ArrayLike, lat: ArrayLike) -> NDArray[np.bool_]:
        """(sectors, points): a point is in a sector's partition within ``halo_m`` of its core."""
        x, y = self.project(lon, lat)
        return np.array([s.distance_m(x, y) <= self.halo_m for s in self.sectors], dtype=bool)


@lru_cache(maxsize=8)
def _projection(lon0: float, lat0: float) -> LocalProjection:
    return LocalProjection(lon0, lat0)


def plan_sectors(lon: ArrayLike, lat: ArrayLike, count: int, halo_m: float) -> SectorPlan:
    """Cut the plane into ``count`` sectors with about as many sensors in each.

    Recursive bisection (a k-d tree): each cut is across the longer side of the sensors'
    extent, half-way between two neighbouring sensors, so a sector follows the line of
    contact whichever way it runs.

    >>> lon = np.linspace(36.0, 40.0, 9)
    >>> plan = plan_sectors(lon, np.full(9, 48.0), 2, 55_000.0)
    >>> len(plan), [int(n) for n in plan.members(lon, np.full(9, 48.0)).sum(axis=1)]
    (2, [5, 6])
    """
    lon_a, lat_a = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
    projection = LocalProjection.centred_on(lon_a, lat_a)
    x, y = projection.forward(lon_a, lat_a)
    boxes = _bisect(x, y, Sector(), max(1, count))
    return SectorPlan(projection.lon0, projection.lat0, tuple(boxes), halo_m)


def _bisect(x: FloatArray, y: FloatArray, box: Sector, count: int) -> list[Sector]:
    if count == 1 or len(x) < 2:
        return [box]
    left_count = count // 2
    along_x = bool(np.ptp(x) >= np.ptp(y))
    values = x if along_x else y
    order = np.argsort(values, kind="stable")
    k = max(1, min(len(x) - 1, round(len(x) * left_count / count)))
    cut = float((values[order[k - 1]] + values[order[k]]) / 2.0)
    low = replace(box, x_max=cut) if along_x else replace(box, y_max=cut)
    high = replace(box, x_min=cut) if along_x else replace(box, y_min=cut)
    lo, hi = order[:k], order[k:]
    return _bisect(x[lo], y[lo], low, left_count) + _bisect(x[hi], y[hi], high, count - left_count)


def sectors_for(n_sensors: int, sensors_per_sector: int) -> int:
    """How many sectors for a network: one per ``sensors_per_sector`` sensors (at least one).

    >>> sectors_for(1276, 800)
    2
    """
    return max(1, math.ceil(n_sensors / max(1, sensors_per_sector)))


def split_at(plan: SectorPlan, cuts_x: Sequence[float]) -> SectorPlan:
    """The same projection cut into vertical strips at the given eastings (metres)."""
    edges = [-math.inf, *sorted(cuts_x), math.inf]
    strips = tuple(Sector(a, b) for a, b in itertools.pairwise(edges))
    return SectorPlan(plan.lon0, plan.lat0, strips, plan.halo_m)
