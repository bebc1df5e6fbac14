"""Joining groups that turn out to be one event: same place, same origin time."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from truceline.engine.batch import EventBatch
from truceline.engine.locate import Fix, residuals

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

SAME_TIME_S = 0.1  # salvo rounds from one launcher are further apart than this
MAX_SAME_TIME_S = 1.0  # however poorly fixed, origins further apart are not one event
SAME_PLACE_SIGMAS = 4.0
SAME_PLACE_FLOOR_M = 150.0
# Two real events close in space and time are each heard by the same sensors (one arrival
# per sensor each); the two halves of one event split in association share no sensor.
MAX_SHARED_SENSORS = 1


def merge_duplicates(
    batch: EventBatch, fix: Fix, arrival_sensor: IntArray
) -> tuple[list[IntArray], set[int]]:
    """Join located events that are one event: returns the joined groups of kept arrivals
    (one arrival per sensor: the better-fitting one) and the events they absorbed."""
    ecef = batch.source_ecef(fix.params)
    t0 = batch.t_ref + fix.params[:, 3] / batch.c_still
    spread = np.sqrt(np.maximum(fix.cov[:, 0, 0] + fix.cov[:, 1, 1], 0.0))
    t0_sigma = np.sqrt(np.maximum(fix.cov[:, 3, 3], 0.0)) / batch.c_still
    resid = np.abs(residuals(batch, fix.params) / batch.sigma_s)
    live = np.nonzero(fix.ok)[0]
    parent = {int(i): int(i) for i in live}

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    sensors = {int(i): set(arrival_sensor[batch.arrival[i][fix.mask[i]]].tolist()) for i in live}
    order = live[np.argsort(t0[live], kind="stable")]
    for k, i in enumerate(order):
        for j in order[k + 1 :]:
            if t0[j] - t0[i] > MAX_SAME_TIME_S:
                break
            # A poorly fixed half (sensors nearly in line) has an uncertain origin time too.
            same_time = max(SAME_TIME_S, SAME_PLACE_SIGMAS * np.hypot(t0_sigma[i], t0_sigma[j]))
            limit = max(SAME_PLACE_FLOOR_M, SAME_PLACE_SIGMAS * (spread[i] + spread[j]))
            shared = len(sensors[i] & sensors[j])
            near = np.linalg.norm(ecef[i] - ecef[j]) <= limit
            if t0[j] - t0[i] <= same_time and shared <= MAX_SHARED_SENSORS and near:
                parent[root(int(j))] = root(int(i))
    families: dict[int, list[int]] = {}
    for i in live:
        families.setdefault(root(int(i)), []).append(int(i))
    joined = [f for f in families.values() if len(f) > 1]
    groups = []
    for family in joined:
        best: dict[int, tuple[float, int]] = {}
        for i in family:
            for slot in np.nonzero(fix.mask[i])[0]:
                arrival = int(batch.arrival[i, slot])
                sensor = int(arrival_sensor[arrival])
                score = float(resid[i, slot])
                if sensor not in best or score < best[sensor][0]:
                    best[sensor] = (score, arrival)
        groups.append(np.sort(np.array([a for _, a in best.values()], dtype=np.int64)))
    return groups, {i for f in joined for i in f}
