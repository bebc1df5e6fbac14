"""Re-association from the located events: each event claims, at every sensor around it, the
arrival nearest to the time its fix predicts; stronger events claim first.

The seed loop builds events one at a time, earliest first: a phantom made of echoes and stray
picks can take a few direct arrivals of a real shot before the shot's own event is formed, and
an event built on a poor first guess can take an echo where the direct arrival sat unused. Once
every event has a fix, the fix predicts when each sensor should have heard it, much better than
the guesses made during association. Events heard by the most sensors pick first; an event
left with fewer than ``min_sensors`` arrivals is dissolved (a phantom loses the arrivals that
a real event explains better).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.spatial import cKDTree

from truceline.engine.batch import EventBatch
from truceline.engine.frames import EARTH_RADIUS_M, to_enu
from truceline.engine.locate import Fix, travel_model
from truceline.engine.network import Network

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


@dataclass(frozen=True)
class RepairConfig:
    """How far and how tightly a located event looks for its arrivals."""

    enabled: bool = True
    sigmas: float = 4.0  # an arrival this many timing sigmas from the prediction is not it
    slack_s: float = 0.005  # added to the tolerance: what the fix's own error leaves
    speed_slack_ms: float = 0.3  # unknown part of the speed of sound, over the path length
    reach: float = 1.2  # sensors up to this multiple of the furthest listener are asked
    min_sensors: int = 5


def candidate_sensors(
    batch: EventBatch,
    fix: Fix,
    network: Network,
    arrival_sensor: IntArray,
    live: IntArray,
    reach: float,
) -> list[IntArray]:
    """Sensors within ``reach`` x the furthest kept listener of each live event."""
    src = batch.source_ecef(fix.params)[live]
    kept = fix.mask[live]
    sensor_ecef = network.ecef[arrival_sensor[np.where(kept, batch.arrival[live], 0)]]
    gaps = np.where(kept, np.linalg.norm(sensor_ecef - src[:, None, :], axis=-1), 0.0)
    tree = cKDTree(network.ecef)
    found = tree.query_ball_point(src, r=reach * gaps.max(axis=1))
    return [np.asarray(f, dtype=np.int64) for f in found]


def predicted_times(
    batch: EventBatch, fix: Fix, network: Network, live: IntArray, sensors: list[IntArray]
) -> tuple[FloatArray, FloatArray]:
    """Predicted arrival time (relative to each event's t_ref) at the candidate sensors,
    (E, K) padded with NaN: the locator's own travel-time model, wind and residual speed."""
    k = max((len(s) for s in sensors), default=1)
    pad = np.zeros((len(live), k), dtype=np.int64)
    mask = np.zeros((len(live), k), dtype=bool)
    for i, s in enumerate(sensors):
        pad[i, : len(s)] = s
        mask[i, : len(s)] = True
    sub = batch.take(live)
    enu = to_enu(network.ecef[pad], sub.origin_ecef, sub.rotation)
    height = enu[..., 2] + (enu[..., 0] ** 2 + enu[..., 1] ** 2) / (2.0 * EARTH_RADIUS_M)
    probe = EventBatch(
        arrival=np.where(mask, 0, -1),
        sensor_enu=enu,
        sensor_height=height,
        time_s=np.zeros_like(height),
        sigma_s=network.clock_sigma_s[pad],
        mask=mask,
        t_ref=sub.t_ref,
        origin_ecef=sub.origin_ecef,
        rotation=sub.rotation,
        c_still=sub.c_still,
        wind_en=sub.wind_en,
        weather_known=sub.weather_known,
        speed_sigma_ms=sub.speed_sigma_ms,
    )
    resid, _, dist = travel_model(probe, fix.params[live])
    pred = -resid  # time_s = 0: the residual is minus the model
    return np.where(mask, pred, np.nan), np.where(mask, dist, np.nan)


def reassociate(
    batch: EventBatch,
    fix: Fix,
    network: Network,
    arrival_sensor: IntArray,
    arrival_time_s: FloatArray,
    cfg: RepairConfig | None = None,
) -> list[IntArray]:
    """New arrival groups for the located events (the dissolved ones left out)."""
    cfg = cfg or RepairConfig()
    live = np.nonzero(fix.ok)[0]
    if len(live) == 0:
        return []
    sensors = candidate_sensors(batch, fix, network, arrival_sensor, live, cfg.reach)
    pred, dist = predicted_times(batch, fix, network, live, sensors)
    pred = pred + batch.t_ref[live, None]
    # An unknown error in the speed of sound shifts predictions in proportion to the path
    # length beyond the nearest listener's.
    c = batch.c_still[live, None]
    spread = (dist - np.nanmin(dist, axis=1)[:, None]) * cfg.speed_slack_ms / c**2
    # Arrivals sorted by (sensor, time), searched for the nearest to each prediction.
    order = np.lexsort((arrival_time_s, arrival_sensor))
    s_sorted, t_sorted = arrival_sensor[order], arrival_time_s[order]
    first = np.searchsorted(s_sorted, np.arange(len(network)), side="left")
    last = np.searchsorted(s_sorted, np.arange(len(network)), side="right")
    strength = fix.mask[live].sum(axis=1)
    chi2 = fix.chi2[live]
    owner = np.full(len(arrival_time_s), -1, dtype=np.int64)
    groups: dict[int, list[int]] = {}
    for rank in np.lexsort((chi2, -strength)):
        s = sensors[rank]
        p = pred[rank, : len(s)]
        tol = cfg.sigmas * network.clock_sigma_s[s] + cfg.slack_s + spread[rank, : len(s)]
        claims: list[int] = []
        for sensor, when, limit in zip(s, p, tol, strict=True):
            times = t_sorted[first[sensor] : last[sensor]]
            lo, hi = np.searchsorted(times, [when - limit, when + limit])
            best, best_gap = -1, np.inf
            for q in range(first[sensor] + lo, first[sensor] + hi):
                gap = abs(t_sorted[q] - when)
                if owner[order[q]] < 0 and gap < best_gap:
                    best, best_gap = int(order[q]), gap
            if best >= 0:
                claims.append(best)
        if len(claims) >= cfg.min_sensors:
            owner[claims] = rank
            groups[int(rank)] = claims
    return [np.sort(np.asarray(g, dtype=np.int64)) for _, g in sorted(groups.items())]
