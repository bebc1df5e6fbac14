"""Grouping arrivals into events: hypotheses from small sets of arrivals, then consensus.

Arrivals are taken in time order. The earliest arrival not yet used is a *seed*: with up to
three arrivals from the seed sensor's nearest neighbours (within the time the sound needs to
travel between them) it gives closed-form candidate sources (Chan-Ho, corrected for wind).
Each candidate predicts when every nearby sensor should have heard it; the candidate heard by
the most sensors wins, is refined on all of them, and takes at most one arrival per sensor if
enough sensors agree. Echoes, blocked paths and false picks rarely agree with any candidate
and are left out; a final robust location (``locate``) rejects the ones that slipped in.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations, product

import numpy as np
from numpy.typing import NDArray
from scipy.spatial import cKDTree

from truceline.engine.frames import enu_rotation
from truceline.engine.network import Network
from truceline.engine.seedloop import MAX_HYP_NEIGHBOURS, MAX_OPTIONS, seed_loop
from truceline.engine.soundspeed import WeatherModel

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]


@dataclass(frozen=True)
class AssociateConfig:
    """Knobs of the associator."""

    max_range_m: float = 25_000.0  # furthest a sensor hears an event
    min_sensors: int = 5  # sensors that must agree on an event
    hypothesis_neighbours: int = 5  # nearest neighbours used to form candidates
    options_per_sensor: int = 6  # arrivals per neighbour tried in candidates
    pick_slack_s: float = 0.015  # added to 4 sigma when matching candidates' predictions
    speed_slack_ms: float = 0.7  # unknown part of the effective speed of sound (candidates)
    final_slack_s: float = 0.005  # the same, once the source is refined on all its arrivals
    final_speed_slack_ms: float = 0.3
    refinements: int = 3
    prescore_sensors: int = 12  # candidates are first scored on this many nearest sensors
    shortlist: int = 6  # and the best of them in full
    # Sweeps over the seeds, strongest first: events heard by at least 15, then 10, then 7
    # sensors claim their arrivals before a phantom made of echoes and stray picks can take
    # some; then ``sweeps`` at ``min_sensors``. Strong sweeps try ``strong_options`` arrivals
    # per neighbour (a widely heard event's arrivals come first). Measured: busy synthetic F1
    # 0.965-0.971 -> 0.977-0.984 (seeds 1-3), Pittsburgh extra events 9 -> 2; wall time x1.6.
    strong_first: tuple[int, ...] = (15, 10, 7)
    strong_options: int = 3
    sweeps: int = 1
    min_coverage: float = 0.4  # fraction of the sensors nearer than the furthest listener
    max_stray: int = 0  # far listeners that may be dropped to meet the coverage (1 trades
    # precision for recall: measured F1 0.978 -> 0.970 busy synthetic, 0.984 -> 0.988 real line)


@dataclass(frozen=True)
class _Index:
    """Arrivals sorted by (sensor, time) as one searchable key, and sensor neighbourhoods."""

    key: FloatArray  # sensor * span + (time - t_min), sorted
    order: IntArray  # sorted position -> arrival index
    span: float
    t_min: float
    nbr: IntArray  # (S, M) neighbours by distance, the sensor itself first; -1 padding
    nbr_enu: FloatArray  # (S, M, 3) neighbour positions in the sensor's ENU frame
    nbr_sigma: FloatArray  # (S, M)


def _build_index(
    network: Network, arrival_sensor: IntArray, time_s: FloatArray, cfg: AssociateConfig
) -> _Index:
    t_min = float(time_s.min()) - 1.0
    span = float(time_s.max() - t_min) + 1000.0
    key = arrival_sensor * span + (time_s - t_min)
    order = np.argsort(key, kind="stable")
    tree = cKDTree(network.ecef)
    lists = tree.query_ball_point(network.ecef, r=2 * cfg.max_range_m)
    m = max(len(x) for x in lists)
    nbr = np.full((len(network), m), -1, dtype=np.int64)
    for s, found in enumerate(lists):
        found = np.asarray(found, dtype=np.int64)
        dist = np.linalg.norm(network.ecef[found] - network.ecef[s], axis=1)
        nbr[s, : len(found)] = found[np.argsort(dist, kind="stable")]
    safe = np.where(nbr >= 0, nbr, 0)
    rot = enu_rotation(network.lon, network.lat)
    offsets = network.ecef[safe] - network.ecef[:, None, :]
    nbr_enu = np.einsum("sij,smj->smi", rot, offsets)
    return _Index(key[order], order, span, t_min, nbr, nbr_enu, network.clock_sigma_s[safe])


def _stages(cfg: AssociateConfig) -> list[int]:
    return [max(n, cfg.min_sensors) for n in cfg.strong_first] + [cfg.min_sensors] * cfg.sweeps


def _stage_options(cfg: AssociateConfig) -> list[int]:
    full = min(cfg.options_per_sensor, MAX_OPTIONS)
    return [min(cfg.strong_options, full)] * len(cfg.strong_first) + [full] * cfg.sweeps


def associate_arrivals(
    network: Network,
    arrival_sensor: IntArray,
    time_s: FloatArray,
    weather: WeatherModel,
    cfg: AssociateConfig | None = None,
) -> list[IntArray]:
    """Group arrivals (sensor index, POSIX time) into events: lists of arrival indices.

    At most one arrival per sensor per event; arrivals in no group are unassociated.
    """
    if len(time_s) == 0:
        return []
    cfg = cfg or AssociateConfig()
    idx = _build_index(network, arrival_sensor, time_s, cfg)
    rank = np.empty(len(time_s), dtype=np.int64)
    rank[idx.order] = np.arange(len(time_s))
    c, wind_e, wind_n = weather.at(time_s)
    h = min(cfg.hypothesis_neighbours, MAX_HYP_NEIGHBOURS)
    group_of = seed_loop(
        np.argsort(time_s, kind="stable"),
        arrival_sensor,
        time_s,
        idx.key,
        time_s[idx.order],
        idx.order,
        rank,
        idx.span,
        idx.t_min,
        idx.nbr,
        np.sum(idx.nbr >= 0, axis=1),
        idx.nbr_enu,
        idx.nbr_sigma,
        np.asarray(c, np.float64),
        np.asarray(wind_e, np.float64),
        np.asarray(wind_n, np.float64),
        cfg.max_range_m,
        cfg.min_sensors,
        h,
        min(cfg.options_per_sensor, MAX_OPTIONS),
        cfg.pick_slack_s,
        cfg.speed_slack_ms,
        cfg.final_slack_s,
        cfg.final_speed_slack_ms,
        cfg.refinements,
        cfg.min_coverage,
        cfg.prescore_sensors,
        cfg.shortlist,
        np.array(_stages(cfg), dtype=np.int64),
        np.array(_stage_options(cfg), dtype=np.int64),
        np.array(list(combinations(range(h), 3)), dtype=np.int64),
        np.array(
            list(product(range(min(cfg.options_per_sensor, MAX_OPTIONS)), repeat=3)), dtype=np.int64
        ),
        cfg.max_stray,
    )
    members = np.nonzero(group_of >= 0)[0]
    if len(members) == 0:
        return []
    by_group = members[np.argsort(group_of[members], kind="stable")]
    bounds = np.nonzero(np.diff(group_of[by_group]))[0] + 1
    return [np.sort(g) for g in np.split(by_group, bounds)]
