"""Pairing: link each impact to the launch that fired it.

A launch can have fired an impact when the impact came after it, at a distance and a time of
flight that some weapon class can produce: the distance within the class's range, the mean
ground speed (distance over time of flight) within the class's ballistic tolerance. Among the
plausible pairs, impacts and launches are matched one to one to make the speeds as typical as
possible (Hungarian method on each connected group of candidates), which keeps a salvo's rounds
in order: round k of a launcher lands as impact k.

The weapon table is the mission's knowledge of the weapons in theatre (firing tables); the
default covers the classes of the Minsk II withdrawal annex that the simulator fires.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import NDArray
from pyproj import Geod
from scipy.optimize import linear_sum_assignment
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from truceline.domain import Event, EventKind

GEOD = Geod(ellps="WGS84")
FloatArray = NDArray[np.float64]
NOT_PLAUSIBLE = 1e9


@dataclass(frozen=True)
class WeaponClass:
    """Range (m) and mean ground speed of the round (m/s) of one weapon class."""

    name: str
    range_m: tuple[float, float]
    speed_ms: float
    speed_tolerance: float = 0.03  # relative one-sigma spread of the mean ground speed


DEFAULT_WEAPONS: tuple[WeaponClass, ...] = (
    WeaponClass("mortar_82", (1_000.0, 3_500.0), 180.0),
    WeaponClass("mortar_120", (2_000.0, 6_000.0), 200.0),
    WeaponClass("artillery_122", (6_000.0, 14_000.0), 330.0),
    WeaponClass("artillery_152", (8_000.0, 18_000.0), 380.0),
    WeaponClass("mlrs_122", (10_000.0, 19_000.0), 520.0),
)


@dataclass(frozen=True)
class PairConfig:
    """Knobs of the pairing."""

    weapons: tuple[WeaponClass, ...] = DEFAULT_WEAPONS
    range_margin: float = 0.15  # ranges are widened by this fraction (location error, charge)
    max_sigmas: float = 3.0  # a speed further than this from every class is implausible


@dataclass(frozen=True)
class Pair:
    """An impact, the launch that fired it, and the weapon class that fits best."""

    impact_id: str
    launch_id: str
    weapon: str
    distance_m: float
    flight_s: float


def pair_impacts(events: Sequence[Event], cfg: PairConfig | None = None) -> list[Pair]:
    """One-to-one pairs of impacts with the launches that can have fired them."""
    cfg = cfg or PairConfig()
    launches = [e for e in events if e.kind == EventKind.LAUNCH]
    impacts = [e for e in events if e.kind == EventKind.IMPACT]
    if not launches or not impacts:
        return []
    rows, cols, cost, weapon, dist, flight = _candidates(launches, impacts, cfg)
    if not len(rows):
        return []
    graph = coo_matrix((np.ones(len(rows)), (rows, cols + len(impacts))))
    size = len(impacts) + len(launches)
    graph.resize((size, size))
    _, label = connected_components(graph, directed=False)
    pairs = []
    for group in np.unique(label[rows]):
        sel = np.flatnonzero(label[rows] == group)
        r_ids, r = np.unique(rows[sel], return_inverse=True)
        c_ids, c = np.unique(cols[sel], return_inverse=True)
        dense = np.full((len(r_ids), len(c_ids)), NOT_PLAUSIBLE)
        dense[r, c] = cost[sel]
        best_r, best_c = linear_sum_assignment(dense)
        lookup = {(int(r[k]), int(c[k])): int(sel[k]) for k in range(len(sel))}
        for i, j in zip(best_r, best_c, strict=True):
            if dense[i, j] >= NOT_PLAUSIBLE:
                continue
            k = lookup[(int(i), int(j))]
            pairs.append(
                Pair(
                    impacts[r_ids[i]].event_id,
                    launches[c_ids[j]].event_id,
                    weapon[k],
                    round(float(dist[k]), 1),
                    round(float(flight[k]), 3),
                )
            )
    return sorted(pairs, key=lambda p: p.impact_id)


def _candidates(
    launches: Sequence[Event], impacts: Sequence[Event], cfg: PairConfig
) -> tuple[NDArray[np.int64], NDArray[np.int64], FloatArray, list[str], FloatArray, FloatArray]:
    """Plausible (impact, launch) pairs with their cost: the squared speed misfit in sigmas."""
    t_launch = np.array([e.time.timestamp() for e in launches])
    order = np.argsort(t_launch)
    t_sorted = t_launch[order]
    max_range = max(w.range_m[1] for w in cfg.weapons) * (1 + cfg.range_margin)
    slowest = min(w.speed_ms * (1 - cfg.max_sigmas * w.speed_tolerance) for w in cfg.weapons)
    max_flight = max_range / slowest
    rows, cols, costs, weapons, dists, flights = [], [], [], [], [], []
    for j, impact in enumerate(impacts):
        t = impact.time.timestamp()
        lo, hi = np.searchsorted(t_sorted, [t - max_flight, t])
        cand = order[lo:hi]
        if not len(cand):
            continue
        n = len(cand)
        _, _, d = GEOD.inv(
            np.full(n, impact.lon),
            np.full(n, impact.lat),
            np.array([launches[i].lon for i in cand]),
            np.array([launches[i].lat for i in cand]),
        )
        tof = t - t_launch[cand]
        cost, name = _speed_misfit(np.asarray(d), tof, cfg)
        ok = cost <= cfg.max_sigmas**2
        rows += [j] * int(ok.sum())
        cols += cand[ok].tolist()
        costs += cost[ok].tolist()
        weapons += [name[k] for k in np.flatnonzero(ok)]
        dists += np.asarray(d)[ok].tolist()
        flights += tof[ok].tolist()
    return (
        np.array(rows, dtype=np.int64),
        np.array(cols, dtype=np.int64),
        np.array(costs),
        weapons,
        np.array(dists),
        np.array(flights),
    )


def _speed_misfit(d: FloatArray, tof: FloatArray, cfg: PairConfig) -> tuple[FloatArray, list[str]]:
    """Smallest squared speed misfit (sigmas) over the classes whose range holds d."""
    speed = d / np.maximum(tof, 1e-3)
    best = np.full(len(d), np.inf)
    name = [""] * len(d)
    for w in cfg.weapons:
        in_range = (d >= w.range_m[0] * (1 - cfg.range_margin)) & (
            d <= w.range_m[1] * (1 + cfg.range_margin)
        )
        z2 = ((speed - w.speed_ms) / (w.speed_tolerance * w.speed_ms)) ** 2
        z2 = np.where(in_range, z2, np.inf)
        better = z2 < best
        best = np.where(better, z2, best)
        for k in np.flatnonzero(better):
            name[k] = w.name
    return best, name


def with_pairs(events: Sequence[Event], pairs: Sequence[Pair]) -> list[Event]:
    """Events with ``paired_event_id`` set both ways; impacts inherit the launch's party."""
    by_id = {e.event_id: e for e in events}
    partner = {p.impact_id: p.launch_id for p in pairs} | {p.launch_id: p.impact_id for p in pairs}
    out = []
    for e in events:
        other = partner.get(e.event_id)
        if other is None:
            out.append(e)
            continue
        e = replace(e, paired_event_id=other)
        if e.kind == EventKind.IMPACT:
            launch = by_id[other]
            e = replace(
                e,
                responsible_party=launch.responsible_party,
                p_responsible=launch.p_responsible,
            )
        out.append(e)
    return out
