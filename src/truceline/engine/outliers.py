"""A second opinion for suspect fixes: refit without each arrival in turn (leave-one-out).

With a few arrivals and a poor geometry (a source at or beyond the edge of the network), one
bad arrival (a blocked path, a false pick, another event's sound or echo) can pull the
least-squares fit so far that it looks nearly consistent, or that good arrivals look wrong and
are dropped instead. Suspect events (an arrival dropped, or residuals larger than the timing
errors) are refitted without each of their arrivals, all at once (one row per event and
left-out arrival). Every fit is scored on ALL the event's arrivals under the arrival model
(direct path, delayed blocked path or stray pick), and the best refit replaces the first fit
when it explains the arrivals clearly better.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from truceline.engine.batch import EventBatch
from truceline.engine.locate import (
    LocateConfig,
    fit_arrivals,
    log_delayed_density,
    log_gaussian,
    prior_cost,
    priors,
    residuals,
)

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]


def arrival_log_likelihood(resid: FloatArray, sigma: FloatArray, cfg: LocateConfig) -> FloatArray:
    """Log-density of each residual (s): direct path, blocked (delayed) path or stray pick.

    Direct: Gaussian pick noise. Blocked (``nlos_prob``): an exponential delay of mean
    ``nlos_mean_delay_s`` on top of the noise. Stray (``stray_prob``: a false pick, another
    event's arrival): uniform over ``stray_window_s``, early or late.

    >>> sigma = np.full(3, 0.003)
    >>> ll = arrival_log_likelihood(np.array([0.0, 0.05, -0.05]), sigma, LocateConfig())
    >>> bool(ll[0] > ll[1] > ll[2])  # on time, then late (blocked), then early (stray only)
    True
    """
    p_direct = 1.0 - cfg.nlos_prob - cfg.stray_prob
    log_direct = np.log(p_direct) + log_gaussian(resid, sigma)
    log_delayed = np.log(cfg.nlos_prob) + log_delayed_density(resid, sigma, cfg.nlos_mean_delay_s)
    log_stray = np.full(np.shape(resid), np.log(cfg.stray_prob / cfg.stray_window_s))
    return np.asarray(np.logaddexp(np.logaddexp(log_direct, log_delayed), log_stray))


def fit_score(b: EventBatch, params: FloatArray, cfg: LocateConfig) -> FloatArray:
    """Log-likelihood of all arrivals of each event (``b.mask``) at params, with the priors."""
    ll = arrival_log_likelihood(residuals(b, params), b.sigma_s, cfg)
    prior = priors(b, b.mask, cfg)
    total = np.sum(np.where(b.mask, ll, 0.0), axis=1) - 0.5 * prior_cost(params, prior)
    return np.asarray(total)


def recheck_by_leaving_one_out(
    b: EventBatch, p: FloatArray, mask: BoolArray, cfg: LocateConfig
) -> tuple[FloatArray, BoolArray]:
    """Refit suspect events without each arrival; keep the best refit when it scores better.

    Returns new parameters (E, 5) and kept-arrival mask (E, K); other events are unchanged.
    """
    p, mask = p.copy(), mask.copy()
    suspect = _suspect_events(b, p, mask, cfg)
    if len(suspect) == 0:
        return p, mask
    event, slot = np.nonzero(b.mask[suspect])  # one row per suspect event and arrival
    rows = suspect[event]
    sub_mask = b.mask[rows].copy()
    sub_mask[np.arange(len(rows)), slot] = False
    p_alt, mask_alt = fit_arrivals(b.take(rows, sub_mask), sub_mask, cfg)
    score_alt = fit_score(b.take(rows), p_alt, cfg)
    score_now = fit_score(b.take(suspect), p[suspect], cfg)
    best = _best_row_per_event(event, score_alt, len(suspect))
    better = score_alt[best] > score_now + cfg.recheck_margin
    p[suspect[better]] = p_alt[best[better]]
    mask[suspect[better]] = mask_alt[best[better]]
    return p, mask


def _suspect_events(b: EventBatch, p: FloatArray, mask: BoolArray, cfg: LocateConfig) -> IntArray:
    """Events that can spare an arrival and whose fit dropped one or leaves large residuals."""
    n = b.mask.sum(axis=1)
    z = np.where(mask, residuals(b, p) / b.sigma_s, 0.0)
    dof = np.maximum(mask.sum(axis=1) - 3, 1)
    poor = np.sum(z**2, axis=1) / dof > cfg.recheck_chi2_per_dof
    dropped = (b.mask & ~mask).any(axis=1)
    # With min_arrivals only, a refit on one fewer fits exactly whichever arrival is left out.
    sized = (n > cfg.min_arrivals) & (n <= cfg.recheck_max_arrivals)
    return np.nonzero(sized & (poor | dropped))[0].astype(np.int64)


def _best_row_per_event(event: IntArray, score: FloatArray, n_events: int) -> IntArray:
    """Row of the highest score of each event 0..n_events-1 (every event has rows)."""
    order = np.lexsort((-score, event))
    first = np.searchsorted(event[order], np.arange(n_events))
    return np.asarray(order[first], dtype=np.int64)
