"""Locating events from arrival times: a closed-form first fix, then robust maximum likelihood.

The model for arrival i of an event: t_i = t0 + d_i / (c + dc + w . u_i) + noise(sigma_i), with
d_i the straight-line distance from the source to sensor i, c the speed of sound in still air
(from temperature), dc a residual speed estimated with a prior, w the wind and u_i the
horizontal unit vector from the source to the sensor. Unknowns: east, north, height, t0, dc.
All of it runs on every event at once (arrays of shape (E, K)).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import special

from truceline.engine.batch import EventBatch
from truceline.engine.frames import EARTH_RADIUS_M

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]
N_PARAMS = 5  # east, north, height, b = c * t0, dc
WEAK_PRIOR_M = 1e6  # a prior on east/north so wide it only matters when nothing else does


@dataclass(frozen=True)
class LocateConfig:
    """Knobs of the locator; the defaults serve the simulator and the Pittsburgh data alike."""

    height_offset_m: float = 0.0  # prior source height relative to the median sensor height
    height_sigma_m: float = 100.0
    # Prior sigma of the residual speed of sound: 1 m/s (1.7 degrees: a weather station a few
    # km away, not the air along the paths) with weather.csv, 10 m/s without (10 degrees C
    # assumed: anything from -25 to +40 C). Measured: Pittsburgh RMS 4.18 -> 4.06 m from 0.3
    # m/s; busy synthetic days (exact weather) RMS/CRLB 1.35 -> 1.32, i.e. no loss.
    speed_sigma_ms: float = 1.0
    unknown_speed_sigma_ms: float = 10.0
    # A weather row may state its own sigma (weather.csv ``sound_speed_sigma_ms``): a mast in
    # the sensor field, a forecast grid, a simulator's exact weather. Floor of that prior:
    min_speed_sigma_ms: float = 0.01
    huber_k: float = 2.5  # early arrivals beyond this many sigmas are down-weighted
    nlos_prob: float = 0.05  # prior probability that an arrival came by a blocked path
    nlos_mean_delay_s: float = 0.03
    reject_z: float = 4.0  # early arrivals further out than this many sigmas are dropped
    reject_p_direct: float = 0.5  # late arrivals less likely direct than this are dropped
    min_arrivals: int = 5  # with 4 a single delayed arrival cannot be seen, and moves the fix
    # The linearised covariance understates the spread of few-sensor fixes outside the array
    # and of fixes resting on an undetected blocked path. Its variance is scaled by this
    # factor, calibrated on the simulator's truth (busy days, seeds 1-3, calm and windy, 6 h:
    # 95 % ellipse coverage 0.93-0.96 at 1.15, 0.95-0.97 at 1.3; pure Gaussian picks give
    # 0.98 at 1.3, the edge of the 0.92-0.98 band) and checked on other seeds.
    covariance_scale: float = 1.2
    iterations: int = 12
    plain_iterations: int = 4  # before the robust ones (see ``fit_arrivals``)
    # Second opinion (engine/outliers.py): events of more than min_arrivals and at most
    # recheck_max_arrivals arrivals that dropped one or fit worse than recheck_chi2_per_dof
    # are refitted without each arrival; a refit must score recheck_margin nats better.
    # A stray pick (false pick, another event's sound) is uniform over stray_window_s.
    recheck_max_arrivals: int = 12  # measured: 20 costs 1.5x the wall time of 12 for little more
    recheck_chi2_per_dof: float = 3.0
    recheck_margin: float = 2.0
    stray_prob: float = 0.02
    stray_window_s: float = 2.0


@dataclass(frozen=True)
class Fix:
    """Solutions for E events, in each event's frame, with covariance and kept arrivals."""

    params: FloatArray  # (E, 5): east, north, height, b, dc
    cov: FloatArray  # (E, 5, 5)
    mask: BoolArray  # (E, K) arrivals kept
    chi2: FloatArray  # (E,) sum of squared normalised residuals of kept arrivals
    ok: BoolArray  # (E,) converged with enough arrivals

    @property
    def t0_offset_s(self) -> FloatArray:
        return self.params[:, 3]

    def take(self, idx: NDArray[np.int64]) -> Fix:
        """The fixes of events ``idx`` only."""
        return Fix(self.params[idx], self.cov[idx], self.mask[idx], self.chi2[idx], self.ok[idx])


def first_fix(b: EventBatch) -> FloatArray:
    """Closed-form 2D fix (Chan-Ho first stage): east, north relative to each event's frame.

    Range differences to the earliest arrival make the problem linear in (east, north, d_ref).
    (Trying other references and keeping the best-explaining fix was measured to do worse on
    the simulator's blocked paths: the earliest arrival is the least likely to be delayed.)
    """
    earliest = np.argmin(np.where(b.mask, b.time_s, np.inf), axis=1)
    return _chan_fix(b, earliest)


def _chan_fix(b: EventBatch, ref: NDArray[np.int64]) -> FloatArray:
    """Chan-Ho first stage with the given reference arrival per event."""
    c = b.c_still[:, None]
    rows = np.arange(len(b))
    s_ref = b.sensor_enu[rows, ref, :2]
    s = b.sensor_enu[..., :2] - s_ref[:, None, :]
    rho = c * (b.time_s - b.time_s[rows, ref][:, None])
    a = np.concatenate([-2.0 * s, -2.0 * rho[..., None]], axis=-1)  # (E, K, 3)
    y = rho**2 - np.sum(s**2, axis=-1)
    w = (b.mask & (np.arange(b.mask.shape[1])[None, :] != ref[:, None])).astype(float)
    ata = np.einsum("eki,ekj,ek->eij", a, a, w)
    ata = ata + (1e-9 * np.trace(ata, axis1=1, axis2=2) + 1e-6)[:, None, None] * np.eye(3)
    aty = np.einsum("eki,ek,ek->ei", a, y, w)
    sol = np.linalg.solve(ata, aty[..., None])[..., 0]
    fallback = (
        np.where(b.mask[..., None], b.sensor_enu[..., :2], 0.0).sum(1)
        / np.maximum(b.mask.sum(1), 1)[:, None]
    )
    good = np.all(np.isfinite(sol), axis=1) & (np.hypot(sol[:, 0], sol[:, 1]) < 1e6)
    return np.where(good[:, None], sol[:, :2] + s_ref, fallback)


def travel_model(b: EventBatch, p: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Residuals (s) and their Jacobian (E, K, 5) at parameters p, plus distances."""
    x, y, h, bb, dc = (p[:, i][:, None] for i in range(N_PARAMS))
    up = h - (x**2 + y**2) / (2.0 * EARTH_RADIUS_M)
    dx = x - b.sensor_enu[..., 0]
    dy = y - b.sensor_enu[..., 1]
    dz = up - b.sensor_enu[..., 2]
    d = np.maximum(np.sqrt(dx**2 + dy**2 + dz**2), 1e-3)
    horiz = np.maximum(np.hypot(dx, dy), 1e-3)
    along_wind = -(b.wind_en[:, 0:1] * dx + b.wind_en[:, 1:2] * dy) / horiz
    c0 = b.c_still[:, None]
    speed = c0 + dc + along_wind
    resid = b.time_s - bb / c0 - d / speed
    dd_dx = (dx + dz * (-x / EARTH_RADIUS_M)) / d
    dd_dy = (dy + dz * (-y / EARTH_RADIUS_M)) / d
    jac = np.stack(
        [
            -dd_dx / speed,
            -dd_dy / speed,
            -(dz / d) / speed,
            np.broadcast_to(-1.0 / c0, d.shape),
            d / speed**2,
        ],
        axis=-1,
    )
    return resid, jac, d


def prior_cost(p: FloatArray, prior: tuple[FloatArray, FloatArray]) -> FloatArray:
    prior_mean, prior_prec = prior
    return np.asarray(np.sum(prior_prec * (p - prior_mean) ** 2, axis=1))


def _normal_equations(
    b: EventBatch,
    p: FloatArray,
    weight: FloatArray,
    prior: tuple[FloatArray, FloatArray],
    shift: FloatArray | float = 0.0,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    resid, jac, _ = travel_model(b, p)
    resid = resid - shift
    w = weight / b.sigma_s**2
    jw = jac * w[..., None]
    a = np.matmul(jw.transpose(0, 2, 1), jac)
    g = np.sum(jw * resid[..., None], axis=1)
    prior_mean, prior_prec = prior
    a = a + prior_prec[..., None] * np.eye(N_PARAMS)
    g = g + prior_prec * (p - prior_mean)
    cost = np.sum(w * resid**2, axis=1) + prior_cost(p, prior)
    return a, g, cost


def _cost(
    b: EventBatch,
    p: FloatArray,
    weight: FloatArray,
    prior: tuple[FloatArray, FloatArray],
    shift: FloatArray | float = 0.0,
) -> FloatArray:
    resid, _, _ = travel_model(b, p)
    resid = resid - shift
    return np.asarray(np.sum(weight / b.sigma_s**2 * resid**2, axis=1) + prior_cost(p, prior))


def log_gaussian(resid: FloatArray, sigma: FloatArray) -> FloatArray:
    """Log-density of a residual under Gaussian pick noise alone (a direct path)."""
    return np.asarray(-0.5 * (resid / sigma) ** 2 - np.log(sigma) - 0.5 * np.log(2 * np.pi))


def log_delayed_density(resid: FloatArray, sigma: FloatArray, mean_delay_s: float) -> FloatArray:
    """Log-density of a residual under a blocked path: an exponential delay of mean
    ``mean_delay_s`` on top of Gaussian pick noise (an exponentially modified Gaussian)."""
    lam = 1.0 / mean_delay_s
    return np.asarray(
        np.log(lam)
        + 0.5 * (sigma * lam) ** 2
        - lam * resid
        + special.log_ndtr(resid / sigma - sigma * lam)
    )


def _direct_weight(resid: FloatArray, sigma: FloatArray, cfg: LocateConfig) -> FloatArray:
    """P(arrival came by the direct path | residual): blocked paths only ever delay sound.

    A mixture of Gaussian pick noise and, with probability ``nlos_prob``, an exponential delay
    (mean ``nlos_mean_delay_s``) on top of it (an exponentially modified Gaussian). Early
    outliers get plain Huber weights.
    """
    z = resid / sigma
    log_direct = np.log1p(-cfg.nlos_prob) + log_gaussian(resid, sigma)
    log_delayed = np.log(cfg.nlos_prob) + log_delayed_density(resid, sigma, cfg.nlos_mean_delay_s)
    p_direct = 1.0 / (1.0 + np.exp(np.clip(log_delayed - log_direct, -50, 50)))
    early = np.where(z < -cfg.huber_k, cfg.huber_k / np.maximum(-z, 1e-12), 1.0)
    return np.asarray(p_direct * early)


def _early_weight(resid: FloatArray, sigma: FloatArray, cfg: LocateConfig) -> FloatArray:
    """Huber weights for early outliers (sound cannot arrive before it travelled)."""
    z = resid / sigma
    return np.asarray(np.where(z < -cfg.huber_k, cfg.huber_k / np.maximum(-z, 1e-12), 1.0))


def _expected_delay(resid: FloatArray, sigma: FloatArray, cfg: LocateConfig) -> FloatArray:
    """E[blocked-path delay | residual] = P(blocked | r) * E[delay | r, blocked].

    With a delay d ~ Exp(mean mu) under pick noise N(0, sigma), d given r is N(r - sigma^2 /
    mu, sigma) truncated to d >= 0, whose mean is m + sigma * phi(m / sigma) / Phi(m / sigma).
    """
    p_blocked = 1.0 - _direct_weight(resid, sigma, cfg) / _early_weight(resid, sigma, cfg)
    m = resid - sigma**2 / cfg.nlos_mean_delay_s
    a = m / sigma
    log_mills = -0.5 * a**2 - 0.5 * np.log(2 * np.pi) - special.log_ndtr(a)
    return np.asarray(p_blocked * np.maximum(m + sigma * np.exp(log_mills), 0.0))


def _solve(
    b: EventBatch,
    p: FloatArray,
    mask: BoolArray,
    prior: tuple[FloatArray, FloatArray],
    cfg: LocateConfig,
    robust: bool,
    iterations: int,
    em: bool = False,
) -> FloatArray:
    """Levenberg-Marquardt, per event; robust: an EM step on the blocked-path mixture at each
    iteration (each arrival's expected delay is taken off its residual)."""
    lam = np.full(len(b), 1e-3)
    for _ in range(iterations):
        resid, _, _ = travel_model(b, p)
        shift: FloatArray | float = 0.0
        weight = np.asarray(mask, dtype=np.float64)
        if em:  # EM on the mixture: expected blocked-path delays taken off, early outliers
            weight = weight * _early_weight(resid, b.sigma_s, cfg)  # down-weighted
            shift = _expected_delay(resid, b.sigma_s, cfg)
        elif robust:
            weight = weight * _direct_weight(resid, b.sigma_s, cfg)
        a, g, cost = _normal_equations(b, p, weight, prior, shift)
        damped = (
            a + lam[:, None, None] * np.eye(N_PARAMS) * np.diagonal(a, axis1=1, axis2=2)[:, None, :]
        )
        step = -np.linalg.solve(damped, g[..., None])[..., 0]
        trial = p + step
        trial_cost = _cost(b, trial, weight, prior, shift)
        better = trial_cost <= cost
        p = np.where(better[:, None], trial, p)
        lam = np.where(better, lam * 0.3, lam * 10.0)
    return p


def locate_batch(b: EventBatch, cfg: LocateConfig | None = None) -> Fix:
    """Locate every event of the batch; drop arrivals that do not fit, and refit.

    Where an arrival looks early (sound cannot come before it travelled: a false pick), the
    event is also fitted without its earliest arrival, and that fit is kept when it explains
    the rest better and shows the earliest arrival to be impossibly early. Events that still
    look wrong get a second opinion without each arrival in turn (engine/outliers.py).
    """
    cfg = cfg or LocateConfig()
    p, mask = fit_arrivals(b, b.mask, cfg)
    resid = residuals(b, p)
    z = np.where(mask, resid / b.sigma_s, 0.0)
    enough = b.mask.sum(axis=1) > cfg.min_arrivals
    # An early false pick shows as an early residual, or drags the fix so that the true
    # arrivals look late and are dropped: both make the event suspect.
    dropped = (b.mask & ~mask).sum(axis=1)
    suspect = np.nonzero(enough & ((z.min(axis=1) < -cfg.huber_k) | (dropped >= 2)))[0]
    if len(suspect):
        earliest = np.argmin(np.where(b.mask, b.time_s, np.inf), axis=1)[suspect]
        sub_mask = b.mask[suspect].copy()
        sub_mask[np.arange(len(suspect)), earliest] = False
        sub = b.take(suspect, sub_mask)
        p2, mask2 = fit_arrivals(sub, sub_mask, cfg)
        z_early = (
            residuals(b.take(suspect), p2)[np.arange(len(suspect)), earliest]
            / (b.sigma_s[suspect, earliest])
        )
        fit1 = _chi2_per_dof(b.take(suspect), p[suspect], mask[suspect])
        fit2 = _chi2_per_dof(sub, p2, mask2)
        better = (z_early < -cfg.reject_z) & (fit2 < fit1)
        p[suspect[better]] = p2[better]
        mask[suspect[better]] = mask2[better]
    from truceline.engine.outliers import recheck_by_leaving_one_out  # builds on this module

    p, mask = recheck_by_leaving_one_out(b, p, mask, cfg)
    return _finish(b, p, mask, cfg)


def _chi2_per_dof(b: EventBatch, p: FloatArray, mask: BoolArray) -> FloatArray:
    resid = residuals(b, p)
    chi2 = np.sum(mask * (resid / b.sigma_s) ** 2, axis=1)
    return np.asarray(chi2 / np.maximum(mask.sum(axis=1) - 3, 1))


def priors(b: EventBatch, mask: BoolArray, cfg: LocateConfig) -> tuple[FloatArray, FloatArray]:
    """Prior mean and precision of every parameter: height near the sensors, speed per weather."""
    e = len(b)
    heights = np.where(mask, b.sensor_height, np.nan)
    has_any = np.asarray(mask.any(axis=1), dtype=bool)
    h_prior = np.nanmedian(np.where(has_any[:, None], heights, 0.0), axis=1)
    prior_mean = np.zeros((e, N_PARAMS))
    prior_mean[:, 2] = h_prior + cfg.height_offset_m
    prior_prec = np.zeros((e, N_PARAMS))
    prior_prec[:, :2] = 1.0 / WEAK_PRIOR_M**2  # keeps 1-2 arrival events solvable (never ok)
    prior_prec[:, 2] = 1.0 / cfg.height_sigma_m**2
    prior_prec[:, 4] = 1.0 / speed_prior_sigma_ms(b, cfg) ** 2
    return prior_mean, prior_prec


def speed_prior_sigma_ms(b: EventBatch, cfg: LocateConfig) -> FloatArray:
    """Prior sigma of each event's residual speed of sound: what its weather row states
    (at least ``min_speed_sigma_ms``), else the configured default for known or assumed weather."""
    default = np.where(b.weather_known, cfg.speed_sigma_ms, cfg.unknown_speed_sigma_ms)
    stated = np.maximum(b.speed_sigma_ms, cfg.min_speed_sigma_ms)
    return np.asarray(np.where(np.isfinite(b.speed_sigma_ms), stated, default))


def fit_arrivals(
    b: EventBatch, mask0: BoolArray, cfg: LocateConfig
) -> tuple[FloatArray, BoolArray]:
    """First fix, robust solve, two rounds of rejection, final plain solve."""
    mb = b.take(np.arange(len(b)), mask0)
    prior = priors(mb, mask0, cfg)
    p = np.zeros((len(b), N_PARAMS))
    p[:, :2] = first_fix(mb)
    p[:, 2] = prior[0][:, 2]
    _, _, d = travel_model(mb, p)
    n = np.maximum(mask0.sum(axis=1), 1)
    c = b.c_still[:, None]
    p[:, 3] = np.where(mask0, (b.time_s - d / c) * c, 0).sum(1) / n
    mask = mask0.copy()
    # Plain least squares first: from a closed-form start that ignores the wind, most residuals
    # of a wide event can be hundreds of milliseconds, which the robust weights would take
    # for blocked paths and ignore, leaving the fit to the few arrivals that happen to agree.
    p = _solve(mb, p, mask, prior, cfg, robust=False, iterations=cfg.plain_iterations)
    p = _solve(mb, p, mask, prior, cfg, robust=True, iterations=cfg.iterations)
    for _ in range(2):
        resid, _, _ = travel_model(mb, p)
        z = resid / b.sigma_s
        direct = _direct_weight(resid, b.sigma_s, cfg) >= cfg.reject_p_direct
        keep = mask & (direct | (z < 0)) & (z >= -cfg.reject_z)
        enough = keep.sum(axis=1) >= cfg.min_arrivals
        mask = np.where(enough[:, None], keep, mask)
        p = _solve(mb, p, mask, prior, cfg, robust=True, iterations=cfg.iterations // 2)
    p = _solve(mb, p, mask, prior, cfg, robust=False, iterations=8, em=True)
    return p, mask


def _finish(b: EventBatch, p: FloatArray, mask: BoolArray, cfg: LocateConfig) -> Fix:
    """Covariance, chi-square and the verdict for final parameters and kept arrivals."""
    prior = priors(b, b.mask, cfg)
    a, _, _ = _normal_equations(b, p, mask.astype(float), prior)
    resid, _, _ = travel_model(b, p)
    chi2 = np.sum(mask * (resid / b.sigma_s) ** 2, axis=1)
    # Residuals larger than the stated timing errors (a delayed path kept, a wrong sound
    # speed) widen the ellipse by the a-posteriori variance factor; smaller ones never shrink it.
    dof = mask.sum(axis=1) - 3
    factor = cfg.covariance_scale * np.where(
        dof > 0, np.maximum(1.0, chi2 / np.maximum(dof, 1)), 1.0
    )
    cov = np.asarray(np.linalg.inv(a) * factor[:, None, None], dtype=np.float64)
    ok = (mask.sum(axis=1) >= cfg.min_arrivals) & np.all(np.isfinite(p), axis=1)
    return Fix(p, cov, mask, chi2, ok)


def residuals(b: EventBatch, params: FloatArray) -> FloatArray:
    """Arrival-time residuals (s) of every slot of the batch at the given parameters."""
    resid, _, _ = travel_model(b, params)
    return resid
