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
    sweeps: int = 2
    min_coverage: float = 0.4  # fraction of the sensors nearer than the furthest listener


_TRIOS = {h: np.array(list(combinations(range(h), 3)), dtype=np.int64) for h in range(3, 9)}
_OPTIONS = {m: np.array(list(product(range(m), repeat=3)), dtype=np.int64) for m in range(1, 7)}


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


@dataclass
class _State:
    used: BoolArray  # by sorted position


def _window(
    idx: _Index, sensors: IntArray, lo_t: FloatArray, hi_t: FloatArray
) -> tuple[IntArray, IntArray]:
    base = sensors * idx.span - idx.t_min
    lo = np.searchsorted(idx.key, base + lo_t, side="left")
    hi = np.searchsorted(idx.key, base + hi_t, side="right")
    return lo, hi


def _free_options(state: _State, lo: IntArray, hi: IntArray, m: int) -> tuple[IntArray, BoolArray]:
    """Up to ``m`` unused sorted positions in each window [lo, hi)."""
    pos = lo[:, None] + np.arange(m)[None, :]
    inside = pos < hi[:, None]
    safe = np.minimum(pos, len(state.used) - 1)
    return safe, inside & ~state.used[safe]


def _chan(
    s: FloatArray, t: FloatArray, w: FloatArray, c: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """Chan-Ho first stage for H candidate sets: s (H, n, 2) relative to arrival 0 at origin,
    t (H, n) times relative to arrival 0, w (H, n) weights, c (H, n) speeds. Returns the
    source (H, 2) and its distance to sensor 0 (H,)."""
    rho = c * t
    a = np.concatenate([-2.0 * s, -2.0 * rho[..., None]], axis=-1)
    y = rho**2 - np.sum(s**2, axis=-1)
    w = w / np.maximum(w.mean(axis=1, keepdims=True), 1e-300)
    ata = np.einsum("hki,hkj,hk->hij", a, a, w)
    trace = np.trace(ata, axis1=1, axis2=2)
    ata = ata + (1e-9 * trace + 1e-6)[:, None, None] * np.eye(3)
    aty = np.einsum("hki,hk,hk->hi", a, y, w)
    sol = np.linalg.solve(ata, aty[..., None])[..., 0]
    return sol[:, :2], sol[:, 2]


def _speeds(
    p: FloatArray, s: FloatArray, c: float, wind: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """Distances (2D plus height) and effective speeds from sources p (H, 2) to s (H, n, 3)."""
    d_xy = s[..., :2] - p[:, None, :]
    horiz = np.maximum(np.linalg.norm(d_xy, axis=-1), 1e-3)
    dist = np.sqrt(horiz**2 + s[..., 2] ** 2)
    along = (d_xy @ wind) / horiz
    return dist, c + along


def _solve_with_wind(
    s: FloatArray,
    t_obs: FloatArray,
    w: FloatArray,
    c: float,
    wind: FloatArray,
    iterations: int = 3,
) -> tuple[FloatArray, FloatArray]:
    """Chan-Ho fixes for H candidate sets, corrected for wind by rescaling each path's travel
    time to still air and refitting. s (H, n, 3) relative to sensor 0, t_obs (H, n) relative
    to arrival 0. Returns sources (H, 2) and origin times (H,) relative to arrival 0."""
    t_use = t_obs
    still = np.full(t_obs.shape, c)
    for _ in range(iterations):
        p, _ = _chan(s[..., :2], t_use - t_use[:, :1], w, still)
        dist, speed = _speeds(p, s, c, wind)
        t0 = -dist[:, 0] / speed[:, 0]
        t_use = t0[:, None] + (t_obs - t0[:, None]) * speed / c
    dist, speed = _speeds(p, s, c, wind)
    return p, -dist[:, 0] / speed[:, 0]


class _Associator:
    """The seed loop over one set of arrivals (one partition)."""

    def __init__(
        self,
        network: Network,
        arrival_sensor: IntArray,
        time_s: FloatArray,
        weather: WeatherModel,
        cfg: AssociateConfig,
    ) -> None:
        self.cfg = cfg
        self.sensor = arrival_sensor
        self.time = time_s
        self.idx = _build_index(network, arrival_sensor, time_s, cfg)
        self.state = _State(np.zeros(len(time_s), dtype=bool))
        self.weather = weather
        self.rank = np.empty(len(time_s), dtype=np.int64)  # arrival -> sorted position
        self.rank[self.idx.order] = np.arange(len(time_s))

    def _hear(
        self,
        seed_sensor: int,
        t_seed: float,
        p: FloatArray,
        t0: FloatArray,
        c: float,
        wind: FloatArray,
        final: bool = False,
        nearest: int | None = None,
    ) -> tuple[BoolArray, IntArray, FloatArray]:
        """For candidates (H, 2) with origin times (H,), which neighbours heard them, with
        which (sorted position) arrival and the residual (only the ``nearest`` if given)."""
        nb = self.idx.nbr[seed_sensor]
        ok = nb >= 0
        if nearest is not None:
            ok[nearest:] = False
        nb = nb[ok]
        s = self.idx.nbr_enu[seed_sensor][ok]
        sigma = self.idx.nbr_sigma[seed_sensor][ok]
        dist, speed = _speeds(p, np.broadcast_to(s, (len(p), *s.shape)), c, wind)
        pred = t_seed + t0[:, None] + dist / speed
        dd = np.abs(dist - dist[:, :1])
        cfg = self.cfg
        slack, speed_slack = (
            (cfg.final_slack_s, cfg.final_speed_slack_ms)
            if final
            else (cfg.pick_slack_s, cfg.speed_slack_ms)
        )
        tol = 4 * sigma + slack + dd * speed_slack / c**2
        sensors = np.broadcast_to(nb, pred.shape)
        lo, hi = _window(self.idx, sensors.ravel(), (pred - tol).ravel(), (pred + tol).ravel())
        pos, free = _free_options(self.state, lo, hi, 2)
        times = self.time[self.idx.order[pos]]
        resid = np.where(free, times - pred.ravel()[:, None], np.inf)
        best = np.argmin(np.abs(resid), axis=1)
        rows = np.arange(len(best))
        heard = free[rows, best].reshape(pred.shape)
        chosen = pos[rows, best].reshape(pred.shape)
        in_range = np.linalg.norm(p, axis=1) <= self.cfg.max_range_m
        heard &= in_range[:, None]
        return heard, chosen, resid[rows, best].reshape(pred.shape)

    def _candidates(
        self, seed_sensor: int, t_seed: float, c: float
    ) -> tuple[FloatArray, FloatArray, FloatArray]:
        """Candidate sets: the seed and one arrival at each of three near neighbours.

        The seed is the earliest unused arrival, so its source's sound reaches the neighbours
        after it (less a little noise): only their arrivals from then on are tried.
        """
        cfg = self.cfg
        nb = self.idx.nbr[seed_sensor]
        count = int(np.sum(nb >= 0))
        near = nb[1:count]
        enu = self.idx.nbr_enu[seed_sensor][1:count]
        reach = np.linalg.norm(enu, axis=1) / c + cfg.pick_slack_s
        lo, hi = _window(
            self.idx, near, np.full(len(near), t_seed - cfg.pick_slack_s), t_seed + reach
        )
        pos, free = _free_options(self.state, lo, hi, cfg.options_per_sensor)
        use = np.nonzero(free.any(axis=1))[0][: cfg.hypothesis_neighbours]
        if len(use) < 3:
            return np.zeros((0, 4, 3)), np.zeros((0, 4)), np.zeros((0, 4))
        trios = _TRIOS[len(use)]  # (T, 3) indices into use
        opts = _OPTIONS[cfg.options_per_sensor]  # (O, 3) option numbers
        nbr = use[trios][:, None, :].repeat(len(opts), axis=1).reshape(-1, 3)
        opt = np.broadcast_to(opts, (len(trios), *opts.shape)).reshape(-1, 3)
        valid = free[nbr, opt].all(axis=1)
        nbr, opt = nbr[valid], opt[valid]
        times = self.time[self.idx.order[pos[nbr, opt]]] - t_seed
        s = np.concatenate([np.zeros((len(nbr), 1, 3)), enu[nbr]], axis=1)
        t = np.concatenate([np.zeros((len(nbr), 1)), times], axis=1)
        return s, t, np.ones(t.shape)

    def seed(self, a: int) -> IntArray | None:
        """Try to build an event around arrival ``a``; its arrivals' indices, or None."""
        cfg = self.cfg
        seed_sensor = int(self.sensor[a])
        t_seed = float(self.time[a])
        c_arr, we, wn = self.weather.at(np.array([t_seed]))
        c = float(c_arr[0])
        wind = np.array([float(we[0]), float(wn[0])])
        s, t, w = self._candidates(seed_sensor, t_seed, c)
        if len(s) == 0:
            return None
        p, t0 = _solve_with_wind(s, t, w, c, wind, iterations=2)
        if len(p) > cfg.shortlist:  # score on the nearest sensors first, then in full
            near_heard, _, _ = self._hear(
                seed_sensor, t_seed, p, t0, c, wind, nearest=cfg.prescore_sensors
            )
            top = np.argsort(-near_heard.sum(axis=1), kind="stable")[: cfg.shortlist]
            p, t0 = p[top], t0[top]
        heard, chosen, _ = self._hear(seed_sensor, t_seed, p, t0, c, wind)
        score = heard.sum(axis=1)
        best = int(np.argmax(score))
        if score[best] < cfg.min_sensors:
            return None
        members, p_best, t0_best = heard[best], p[best : best + 1], t0[best : best + 1]
        nb = self.idx.nbr[seed_sensor]
        enu = self.idx.nbr_enu[seed_sensor][nb >= 0]
        for _ in range(cfg.refinements):
            arr_pos = chosen[best][members]
            s_m = enu[members][None, ...]
            t_m = (self.time[self.idx.order[arr_pos]] - t_seed)[None, :]
            if members[0]:  # keep the seed first when it is a member: frames are relative to it
                p_best, t0_best = _solve_with_wind(
                    s_m,
                    t_m,
                    1.0 / self.idx.nbr_sigma[seed_sensor][nb >= 0][members][None, :] ** 2,
                    c,
                    wind,
                )
            heard, chosen, _ = self._hear(seed_sensor, t_seed, p_best, t0_best, c, wind, final=True)
            best = 0
            members = heard[0] & True
            if not members[0]:
                return None
        if members.sum() < cfg.min_sensors:
            return None
        # A real source is heard by most sensors nearer to it than its furthest listener;
        # a phantom made of arrivals from several sources is heard by few of them.
        dist = np.linalg.norm(enu[:, :2] - p_best[0], axis=1)
        nearer = np.sum(dist <= dist[members].max())
        if members.sum() < cfg.min_coverage * nearer:
            return None
        positions = chosen[0][members]
        self.state.used[positions] = True
        return np.sort(self.idx.order[positions])

    def run(self) -> list[IntArray]:
        """Seeds in time order; a second sweep retries the failed ones once the events formed
        after them have taken their arrivals (less clutter)."""
        groups = []
        for _ in range(self.cfg.sweeps):
            for a in np.argsort(self.time, kind="stable"):
                if self.state.used[self.rank[a]]:
                    continue
                group = self.seed(int(a))
                if group is not None:
                    groups.append(group)
        return groups


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
    return _Associator(network, arrival_sensor, time_s, weather, cfg or AssociateConfig()).run()
