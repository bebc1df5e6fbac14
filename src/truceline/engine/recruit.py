"""Recruiting unused arrivals for fixes that may rest on a blocked path.

A fix of five or six arrivals can fit a blocked (late) path exactly: the position moves by
tens of metres to absorb the delay and nothing looks wrong. Moved, its predictions at the
sensors around it are off by tens of milliseconds, so re-association (repair.py), which looks
a few sigmas around them, cannot find the direct arrivals that would expose the delay; they
stay unused. Here each located event looks much wider around its predictions for unused
arrivals at its silent sensors, is located again with them, and keeps the new fix only when
it explains all these arrivals better (direct / blocked / stray mixture, outliers.py) than
the old one did.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from numpy.typing import NDArray

from truceline.engine.batch import EventBatch, build_batch
from truceline.engine.frames import EARTH_RADIUS_M, to_enu
from truceline.engine.locate import Fix, LocateConfig, locate_batch
from truceline.engine.network import Network
from truceline.engine.outliers import fit_score
from truceline.engine.repair import candidate_sensors, predicted_times
from truceline.engine.soundspeed import WeatherModel

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


@dataclass(frozen=True)
class RecruitConfig:
    """Which events look for more arrivals, how far, and what a better fix must show."""

    enabled: bool = True
    max_arrivals: int = 12  # events with more kept arrivals are well determined already
    window_s: float = 0.3  # unused arrivals this close to a prediction are tried
    reach: float = 1.2  # sensors up to this multiple of the furthest listener are asked
    margin: float = 2.0  # nats the new fix must score above the old on the same arrivals
    # Density of unrelated arrivals (false picks, echoes) near a prediction, per second: far
    # below the locator's in-group stray density, since these arrivals joined no event.
    stray_rate_per_s: float = 0.001


def recruit(
    batch: EventBatch,
    fix: Fix,
    network: Network,
    arrival_sensor: IntArray,
    arrival_time_s: FloatArray,
    arrival_snr_db: FloatArray | None,
    weather: WeatherModel,
    locate: LocateConfig,
    cfg: RecruitConfig,
) -> tuple[EventBatch, Fix]:
    """The batch and its fixes, with unused arrivals recruited where that explains them better.

    Each event that recruits is located again on its old arrivals plus the recruits; the new
    fix replaces the old one when it scores ``cfg.margin`` nats better on all of them."""
    rows, groups = recruit_candidates(batch, fix, network, arrival_sensor, arrival_time_s, cfg)
    if len(rows) == 0:
        return batch, fix
    trial = build_batch(groups, network, arrival_sensor, arrival_time_s, weather, arrival_snr_db)
    trial_fix = locate_batch(trial, locate)
    old = params_in(trial, batch, rows, fix.params[rows])
    gain = score_gain(trial, old, trial_fix, locate, cfg)
    better = accepted(rows, groups, gain, cfg)
    take = np.asarray([k for k, r in enumerate(rows) if int(r) in better], dtype=np.int64)
    if len(take) == 0:
        return batch, fix
    return splice(batch, fix, rows[take], trial.take(take), trial_fix.take(take))


def recruit_candidates(
    batch: EventBatch,
    fix: Fix,
    network: Network,
    arrival_sensor: IntArray,
    arrival_time_s: FloatArray,
    cfg: RecruitConfig,
) -> tuple[IntArray, list[IntArray]]:
    """Events (rows of the batch) with unused arrivals near their predictions, and for each
    its group with them added (at most one per silent sensor: the nearest in time)."""
    used = np.zeros(len(arrival_time_s), dtype=bool)
    used[batch.arrival[batch.mask]] = True
    live = np.nonzero(fix.ok & (fix.mask.sum(axis=1) <= cfg.max_arrivals))[0]
    if len(live) == 0:
        return np.zeros(0, dtype=np.int64), []
    sensors = candidate_sensors(batch, fix, network, arrival_sensor, live, cfg.reach)
    pred, _ = predicted_times(batch, fix, network, live, sensors)
    pred = pred + batch.t_ref[live, None]
    free = np.nonzero(~used)[0]
    order = free[np.lexsort((arrival_time_s[free], arrival_sensor[free]))]
    s_sorted, t_sorted = arrival_sensor[order], arrival_time_s[order]
    first = np.searchsorted(s_sorted, np.arange(len(network)), side="left")
    last = np.searchsorted(s_sorted, np.arange(len(network)), side="right")
    rows, groups = [], []
    for r, i in enumerate(live):
        members = batch.arrival[i][batch.mask[i]]
        own = set(arrival_sensor[members].tolist())
        extra = []
        for sensor, when in zip(sensors[r], pred[r, : len(sensors[r])], strict=True):
            if sensor in own or first[sensor] == last[sensor]:
                continue
            times = t_sorted[first[sensor] : last[sensor]]
            q = int(np.searchsorted(times, when))
            near = min(
                (k for k in (q - 1, q) if 0 <= k < len(times)), key=lambda k: abs(times[k] - when)
            )
            if abs(times[near] - when) <= cfg.window_s:
                extra.append(order[first[sensor] + near])
        if extra:
            rows.append(int(i))
            groups.append(np.sort(np.concatenate([members, np.asarray(extra, dtype=np.int64)])))
    return np.asarray(rows, dtype=np.int64), groups


def params_in(batch: EventBatch, old: EventBatch, rows: IntArray, params: FloatArray) -> FloatArray:
    """Parameters of ``old``'s events ``rows`` expressed in ``batch``'s frames (same events)."""
    ecef = old.take(rows).source_ecef(params)
    enu = to_enu(ecef[:, None, :], batch.origin_ecef, batch.rotation)[:, 0, :]
    origin_s = old.t_ref[rows] + params[:, 3] / old.c_still[rows]
    out = params.copy()
    out[:, 0], out[:, 1] = enu[:, 0], enu[:, 1]
    out[:, 2] = enu[:, 2] + (enu[:, 0] ** 2 + enu[:, 1] ** 2) / (2.0 * EARTH_RADIUS_M)
    out[:, 3] = (origin_s - batch.t_ref) * batch.c_still
    return out


def score_gain(
    batch: EventBatch, old_params: FloatArray, new: Fix, locate: LocateConfig, cfg: RecruitConfig
) -> FloatArray:
    """How much better (nats) each new fix explains all the batch's arrivals, old ones and
    recruits, than the old fix did, under the direct / blocked / stray mixture (-inf where
    the new fix failed)."""
    scoring = replace(locate, stray_prob=cfg.stray_rate_per_s * locate.stray_window_s)
    gain = fit_score(batch, new.params, scoring) - fit_score(batch, old_params, scoring)
    return np.asarray(np.where(new.ok, gain, -np.inf))


def accepted(
    rows: IntArray, groups: list[IntArray], gain: FloatArray, cfg: RecruitConfig
) -> dict[int, IntArray]:
    """New groups by batch row: best gains first, above the margin, no arrival taken twice."""
    taken: set[int] = set()
    out: dict[int, IntArray] = {}
    for k in np.argsort(-gain):
        if gain[k] <= cfg.margin:
            break
        new = set(groups[k].tolist())
        if new & taken:
            continue
        taken |= new
        out[int(rows[k])] = groups[k]
    return out


# Per-arrival fields of EventBatch (second axis K); the rest are per event.
_SLOT_FIELDS = ("arrival", "sensor_enu", "sensor_height", "time_s", "sigma_s", "mask")


def splice(
    batch: EventBatch, fix: Fix, rows: IntArray, trial: EventBatch, trial_fix: Fix
) -> tuple[EventBatch, Fix]:
    """``batch`` and ``fix`` with events ``rows`` replaced by the trial's events 0..len-1."""
    k = max(batch.arrival.shape[1], trial.arrival.shape[1])
    fields = {}
    for name in batch.__dataclass_fields__:
        old, new = getattr(batch, name), getattr(trial, name)
        if name in _SLOT_FIELDS:
            old, new = _pad(old, k, name), _pad(new, k, name)
        merged = old.copy()
        merged[rows] = new
        fields[name] = merged
    params, cov, chi2, ok = fix.params.copy(), fix.cov.copy(), fix.chi2.copy(), fix.ok.copy()
    params[rows], cov[rows], chi2[rows], ok[rows] = (
        trial_fix.params,
        trial_fix.cov,
        trial_fix.chi2,
        trial_fix.ok,
    )
    mask = _pad(fix.mask, k, "mask")
    mask[rows] = _pad(trial_fix.mask, k, "mask")
    return EventBatch(**fields), Fix(params, cov, mask, chi2, ok)


def _pad(a: NDArray[Any], k: int, name: str) -> NDArray[Any]:
    """Slots up to k: arrival -1, mask False, other fields repeat the last slot (a real
    sensor, as build_batch pads, so that no padded slot divides by zero)."""
    width = [(0, 0), (0, k - a.shape[1])] + [(0, 0)] * (a.ndim - 2)
    if name in ("arrival", "mask"):
        return np.pad(a, width, constant_values=-1 if name == "arrival" else False)
    return np.pad(a, width, mode="edge")
