"""Locating groups of reports: one position, origin time and covariance per group, vectorised.

A group is a set of reports assumed to describe one event (a pair being tested, or a cluster
of reports no sensor event explains). Its position maximises the product of the members'
likelihoods (:mod:`truceline.engine.report_likelihood`), with each range bracket replaced by
its moment-matched Gaussian in log-range: damped Gauss-Newton (Levenberg-Marquardt) from the
information-weighted mean of the members' linearised Gaussians, all groups at once. The
origin time then minimises the members' time terms (soft boxes moved back by the sound delay
at the fitted position) by majorise-minimise steps: each step is the weighted mean of every
member's box clipped at the current time.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from truceline.engine.report_config import FuseConfig
from truceline.engine.report_likelihood import (
    ReportColumns,
    delay_s,
    log_range_gaussian,
    range_bearing,
    space_d2,
    time_box,
    wrap_angle,
)

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
LM_ITERATIONS = 12
TIME_ITERATIONS = 60


@dataclass(frozen=True)
class GroupFit:
    """Per group: position (m), covariance (m^2), origin time (POSIX s) and goodness of fit."""

    xy: FloatArray  # (G, 2)
    cov: FloatArray  # (G, 2, 2)
    t: FloatArray  # (G,)
    d2: FloatArray  # (G,) sum of the members' squared distances (exact model), space + time


def linearised_gaussians(cols: ReportColumns, cfg: FuseConfig) -> tuple[FloatArray, FloatArray]:
    """Each report as one Gaussian in x/y: mean (n, 2) and information matrix (n, 2, 2)."""
    n = len(cols)
    mu, s = log_range_gaussian(cols, cfg)
    r0 = np.exp(mu)
    sin_b, cos_b = np.sin(cols.bearing), np.cos(cols.bearing)
    along = np.stack([sin_b, cos_b], axis=-1)
    cross = np.stack([cos_b, -sin_b], axis=-1)
    mean_obs = np.stack([cols.ox, cols.oy], axis=-1)
    mean_obs += np.where(cols.has_bearing, r0, 0.0)[:, None] * along
    var_along = (r0 * s) ** 2
    var_cross = np.where(cols.has_bearing, (r0 * cols.sigma_b) ** 2, var_along)
    info_obs = (along[:, :, None] * along[:, None, :]) / var_along[:, None, None]
    info_obs += (cross[:, :, None] * cross[:, None, :]) / var_cross[:, None, None]
    info_loc = np.eye(2)[None] / cols.sigma_loc[:, None, None] ** 2
    mean_loc = np.stack([cols.px, cols.py], axis=-1)
    use_obs = (cols.has_obs & (cols.has_range | cols.has_bearing))[:, None, None]
    use_loc = cols.has_loc[:, None, None]
    info = np.where(use_obs, info_obs, 0.0) + np.where(use_loc, info_loc, 0.0)
    weighted = np.einsum("nij,nj->ni", np.where(use_obs, info_obs, 0.0), mean_obs)
    weighted += np.einsum("nij,nj->ni", np.where(use_loc, info_loc, 0.0), mean_loc)
    info += 1e-18 * np.eye(2)[None]  # never singular
    return np.linalg.solve(info, weighted[:, :, None])[:, :, 0].reshape(n, 2), info


def group_sum(group: IntArray, values: FloatArray, n_groups: int) -> FloatArray:
    """Sum of ``values`` per group (0 for an empty group)."""
    return np.bincount(group, values, n_groups).astype(np.float64)


def _residuals(
    cols: ReportColumns, member: IntArray, xy: FloatArray, cfg: FuseConfig
) -> tuple[FloatArray, FloatArray]:
    """Residuals (M, 4) and their Jacobians (M, 4, 2) of members at their group's position."""
    x, y = xy[:, 0], xy[:, 1]
    dx, dy, r, az = range_bearing(cols, member, x, y)
    mu, s = log_range_gaussian(cols, cfg)
    sl = cols.sigma_loc[member]
    sb = cols.sigma_b[member]
    loc = cols.has_loc[member].astype(float)
    bear = cols.has_bearing[member].astype(float)
    rng = cols.has_range[member].astype(float)
    e = np.stack(
        [
            loc * (x - cols.px[member]) / sl,
            loc * (y - cols.py[member]) / sl,
            bear * wrap_angle(az - cols.bearing[member]) / sb,
            rng * (np.log(r) - mu[member]) / s[member],
        ],
        axis=-1,
    )
    zero = np.zeros_like(x)
    jac = np.stack(
        [
            np.stack([loc / sl, zero], axis=-1),
            np.stack([zero, loc / sl], axis=-1),
            np.stack([bear * dy / r**2 / sb, -bear * dx / r**2 / sb], axis=-1),
            np.stack([rng * dx / r**2 / s[member], rng * dy / r**2 / s[member]], axis=-1),
        ],
        axis=1,
    )
    return e, jac


def _normal_equations(
    e: FloatArray, jac: FloatArray, group: IntArray, n_groups: int
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Per group: information matrix (G, 2, 2), gradient (G, 2) and cost (G,)."""
    jtj = np.einsum("mki,mkj->mij", jac, jac).reshape(-1, 4)
    jte = np.einsum("mki,mk->mi", jac, e)
    info = np.stack([group_sum(group, jtj[:, k], n_groups) for k in range(4)], axis=-1)
    grad = np.stack([group_sum(group, jte[:, k], n_groups) for k in range(2)], axis=-1)
    cost = group_sum(group, (e**2).sum(axis=1), n_groups)
    return info.reshape(-1, 2, 2), grad, cost


def fit_positions(
    cols: ReportColumns, member: IntArray, group: IntArray, n_groups: int, cfg: FuseConfig
) -> tuple[FloatArray, FloatArray]:
    """Maximum-likelihood position (G, 2) and its covariance (G, 2, 2) of each group."""
    mean, info = linearised_gaussians(cols, cfg)
    total = np.zeros((n_groups, 2, 2))
    np.add.at(total, group, info[member])
    weighted = np.zeros((n_groups, 2))
    np.add.at(weighted, group, np.einsum("mij,mj->mi", info[member], mean[member]))
    xy = np.asarray(np.linalg.solve(total, weighted[:, :, None])[:, :, 0], dtype=np.float64)
    damping = np.full(n_groups, 1e-3)
    for _ in range(LM_ITERATIONS):
        e, jac = _residuals(cols, member, xy[group], cfg)
        h, g, cost = _normal_equations(e, jac, group, n_groups)
        diag = np.einsum("gii->gi", h)
        step = -np.linalg.solve(h + _diag_matrix(damping[:, None] * diag + 1e-12), g[:, :, None])
        trial = np.asarray(xy + step[:, :, 0], dtype=np.float64)
        e_t, _ = _residuals(cols, member, trial[group], cfg)
        better = group_sum(group, (e_t**2).sum(axis=1), n_groups) < cost
        xy = np.asarray(np.where(better[:, None], trial, xy), dtype=np.float64)
        damping = np.where(better, damping / 3.0, damping * 5.0)
    e, jac = _residuals(cols, member, xy[group], cfg)
    h, _, _ = _normal_equations(e, jac, group, n_groups)
    cov = np.linalg.inv(h + _diag_matrix(np.full((n_groups, 2), 1e-12)))
    return xy, np.asarray(cov, dtype=np.float64)


def _diag_matrix(d: FloatArray) -> FloatArray:
    out = np.zeros((len(d), 2, 2))
    out[:, 0, 0], out[:, 1, 1] = d[:, 0], d[:, 1]
    return out


def fit_times(
    cols: ReportColumns,
    member: IntArray,
    group: IntArray,
    n_groups: int,
    xy: FloatArray,
    cfg: FuseConfig,
) -> tuple[FloatArray, FloatArray]:
    """Origin time (G,) of each group at its position, and the members' time terms summed."""
    x, y = xy[group, 0], xy[group, 1]
    a, b, edge = time_box(cols, member, delay_s(cols, member, x, y, cfg), cfg)
    w = 1.0 / edge**2
    wsum = group_sum(group, w, n_groups)
    t = group_sum(group, w * (a + b) / 2, n_groups) / wsum
    for _ in range(TIME_ITERATIONS):
        t = group_sum(group, w * np.clip(t[group], a, b), n_groups) / wsum
    gap = np.maximum(np.maximum(a - t[group], t[group] - b), 0.0)
    return t, group_sum(group, (gap / edge) ** 2, n_groups)


def fit_groups(
    cols: ReportColumns, member: IntArray, group: IntArray, n_groups: int, cfg: FuseConfig
) -> GroupFit:
    """Position, covariance, origin time and total squared distance of every group.

    >>> from datetime import UTC, datetime
    >>> from truceline.domain import Report, SourceKind
    >>> from truceline.geo.projection import LocalProjection
    >>> from truceline.engine.report_likelihood import report_columns
    >>> t = datetime(2026, 1, 1, tzinfo=UTC)
    >>> a = Report("R1", "U1", SourceKind.UAV, t, "shot", lon=37.0, lat=48.0, loc_sigma_m=30.0)
    >>> b = Report("R2", "U2", SourceKind.UAV, t, "shot", lon=37.0, lat=48.0, loc_sigma_m=30.0)
    >>> cols = report_columns([a, b], LocalProjection(37.0, 48.0), FuseConfig())
    >>> fit = fit_groups(cols, np.array([0, 1]), np.array([0, 0]), 1, FuseConfig())
    >>> [round(float(v), 3) for v in fit.xy[0]], round(float(fit.cov[0, 0, 0]), 1)
    ([0.0, 0.0], 450.0)
    """
    xy, cov = fit_positions(cols, member, group, n_groups, cfg)
    t, d2_time = fit_times(cols, member, group, n_groups, xy, cfg)
    d2_space = space_d2(cols, member, xy[group, 0], xy[group, 1], cfg=cfg)
    return GroupFit(xy, cov, t, group_sum(group, d2_space, n_groups) + d2_time)
