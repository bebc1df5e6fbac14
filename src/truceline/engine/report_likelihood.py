"""Where and when a report says the event was: position and time likelihoods of reports.

Every report becomes, in a local metric projection, a likelihood over the event's position and
origin time, written as a squared distance ``d2 = -2 log(L / L_max)`` so that the terms of
independent pieces add up and a chi-square gate applies:

- a located report (lon, lat, loc_sigma_m): ``|x - p|^2 / sigma^2``, a circular Gaussian;
- a bearing from an observer: ``(wrap(az(x) - b) / sigma_b)^2``, exact in the bearing (no
  linearisation), plus a range term;
- a distance bracket ``[lo, hi]`` (given, or ``default_range_m`` for an observer who gave
  none): a soft box in log-range, zero inside the bracket and ``(gap / s)^2`` outside it, with
  ``s = range_log_sigma`` (uniform over the bracket, blurred by a log-normal misjudgement). A
  bearing with a bracket is thus an annular sector; a bracket alone, an annulus;
- the time: a soft box ``[a, b]`` of the origin time with Gaussian edges of width ``edge``.
  For most reports ``a = b = t`` and ``edge = time_sigma_s`` (a Gaussian). For a heard report,
  ``a`` and ``b`` are moved back by the sound delay ``|x - observer| / c`` (about 2.9 s per
  km), computed at the candidate position: the delay is exact for each hypothesis instead of
  guessed once. For a late report (an OSINT post), ``[a, b] = [t - W, t]``: the post comes
  after the event, up to ``W = late_window_sigmas * time_sigma_s``.

To locate a group of reports, the soft boxes in range are replaced by their moment-matched
Gaussians in log-range (mean the middle of ``[log lo, log hi]``, variance ``width^2 / 12 +
s^2``) and the group's position is fitted by damped Gauss-Newton, vectorised over groups;
the covariance is the inverse of the information matrix.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from truceline.domain import Assessment, Report, SourceKind
from truceline.engine.report_config import FuseConfig
from truceline.geo.projection import LocalProjection

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]
MIN_RANGE_M = 1.0  # ranges are clamped here: an event on top of its observer


@dataclass(frozen=True)
class ReportColumns:
    """Placeable fire reports as arrays in a local projection (index = row of ``reports``)."""

    reports: list[Report]
    t: FloatArray  # reported time, POSIX seconds
    sigma_t: FloatArray
    heard: BoolArray
    late: BoolArray
    has_loc: BoolArray
    px: FloatArray
    py: FloatArray
    sigma_loc: FloatArray
    has_obs: BoolArray
    ox: FloatArray
    oy: FloatArray
    has_bearing: BoolArray
    bearing: FloatArray  # radians clockwise from GRID north of the projection
    sigma_b: FloatArray  # radians
    has_range: BoolArray
    log_lo: FloatArray  # -inf when the bracket starts at 0
    log_hi: FloatArray
    vote: IntArray  # +1 says launch, -1 says impact, 0 says neither

    def __len__(self) -> int:
        return len(self.reports)


def expand_ranges(starts: IntArray, stops: IntArray) -> tuple[IntArray, IntArray]:
    """Every (i, j) with ``starts[i] <= j < stops[i]``, as two index arrays, without a loop.

    >>> [v.tolist() for v in expand_ranges(np.array([1, 0]), np.array([3, 1]))]
    [[0, 0, 1], [1, 2, 0]]
    """
    counts = np.maximum(np.asarray(stops) - np.asarray(starts), 0).astype(np.int64)
    row = np.repeat(np.arange(len(counts), dtype=np.int64), counts)
    offset = np.arange(int(counts.sum()), dtype=np.int64) - np.repeat(
        np.cumsum(counts) - counts, counts
    )
    return row, np.asarray(starts, dtype=np.int64)[row] + offset


def is_placeable(report: Report) -> bool:
    """Whether a report says anything about where: a location or an observer position."""
    return report.lon is not None or report.observer_lon is not None


def _opt(values: Sequence[float | None], default: float | FloatArray) -> FloatArray:
    arr = np.array([np.nan if v is None else v for v in values], dtype=np.float64)
    return np.where(np.isnan(arr), default, arr)


def grid_north_rad(proj: LocalProjection, lon: FloatArray, lat: FloatArray) -> FloatArray:
    """Grid azimuth of true north at each point (add it to a true bearing to get a grid one).

    >>> proj = LocalProjection(37.0, 48.0)
    >>> round(float(np.degrees(grid_north_rad(proj, np.array([38.0]), np.array([48.0]))[0])), 2)
    -0.74
    """
    x0, y0 = proj.forward(lon, lat)
    x1, y1 = proj.forward(lon, lat + 1e-4)
    return np.arctan2(x1 - x0, y1 - y0)


def report_columns(
    reports: Sequence[Report], proj: LocalProjection, cfg: FuseConfig
) -> ReportColumns:
    """Columns of placeable reports (see :func:`is_placeable`), defaults filled from ``cfg``."""
    reps = list(reports)
    kinds = [r.source_kind for r in reps]
    has_loc = np.array([r.lon is not None for r in reps], dtype=bool)
    has_obs = np.array([r.observer_lon is not None for r in reps], dtype=bool)
    px, py = proj.forward(_opt([r.lon for r in reps], 0.0), _opt([r.lat for r in reps], 0.0))
    olon, olat = (
        _opt([r.observer_lon for r in reps], 0.0),
        _opt([r.observer_lat for r in reps], 0.0),
    )
    ox, oy = proj.forward(olon, olat)
    raw_b = _opt([r.bearing_deg for r in reps], np.nan)
    has_bearing = has_obs & ~np.isnan(raw_b)
    bearing = np.radians(np.nan_to_num(raw_b)) + grid_north_rad(proj, olon, olat)
    lo = _opt([r.distance_min_m for r in reps], np.nan)
    hi = _opt([r.distance_max_m for r in reps], np.nan)
    bracket = has_obs & ~np.isnan(hi)
    has_range = has_obs & (bracket | ~has_loc)
    lo = np.where(bracket, np.nan_to_num(lo), cfg.default_range_m[0])
    hi = np.where(bracket, hi, cfg.default_range_m[1])
    with np.errstate(divide="ignore"):
        log_lo = np.where(lo > 0, np.log(np.maximum(lo, MIN_RANGE_M)), -np.inf)
    return ReportColumns(
        reports=reps,
        t=np.array([r.time.timestamp() for r in reps], dtype=np.float64),
        sigma_t=_opt([r.time_sigma_s for r in reps], _per_kind(cfg.time_sigma_s, kinds, 60.0)),
        heard=np.array([k in cfg.heard_kinds for k in kinds], dtype=bool) & has_obs,
        late=np.array([k in cfg.late_kinds for k in kinds], dtype=bool),
        has_loc=has_loc,
        px=px,
        py=py,
        sigma_loc=_opt([r.loc_sigma_m for r in reps], _per_kind(cfg.loc_sigma_m, kinds, 1000.0)),
        has_obs=has_obs,
        ox=ox,
        oy=oy,
        has_bearing=has_bearing,
        bearing=bearing,
        sigma_b=np.radians(_opt([r.bearing_sigma_deg for r in reps], cfg.bearing_sigma_deg)),
        has_range=has_range,
        log_lo=log_lo,
        log_hi=np.log(np.maximum(hi, MIN_RANGE_M)),
        vote=np.array([kind_vote(r, cfg) for r in reps], dtype=np.int64),
    )


def _per_kind(
    table: dict[SourceKind, float], kinds: list[SourceKind], fallback: float
) -> FloatArray:
    return np.array([table.get(k, fallback) for k in kinds], dtype=np.float64)


def kind_vote(report: Report, cfg: FuseConfig) -> int:
    """+1 when a report says launch (outgoing, a shot), -1 impact (incoming, or a party's
    complaint of fire received), else 0."""
    if report.assessment == Assessment.OUTGOING or report.event_type in cfg.launch_types:
        return 1
    if report.assessment == Assessment.INCOMING or report.event_type in cfg.impact_types:
        return -1
    if (
        cfg.complaints_are_impacts
        and report.source_kind == SourceKind.PARTY
        and report.accused_party
    ):
        return -1
    return 0


def range_bearing(
    cols: ReportColumns, idx: IntArray, x: FloatArray, y: FloatArray
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    dx, dy = x - cols.ox[idx], y - cols.oy[idx]
    r = np.maximum(np.hypot(dx, dy), MIN_RANGE_M)
    return dx, dy, r, np.arctan2(dx, dy)


def wrap_angle(angle: FloatArray) -> FloatArray:
    return (angle + np.pi) % (2 * np.pi) - np.pi


def space_d2(
    cols: ReportColumns,
    idx: IntArray,
    x: FloatArray,
    y: FloatArray,
    var_m2: FloatArray | float = 0.0,
    cfg: FuseConfig | None = None,
) -> FloatArray:
    """-2 log likelihood of points ``(x, y)`` under reports ``idx`` (the exact sector model),
    relative to the report's best point.

    ``var_m2`` is the variance of the point itself (a sensor event's error), added to each
    term at the point's range; the widened terms pay their log-determinant, so that a vague
    event does not explain every report.
    """
    cfg = cfg or FuseConfig()
    loc, bear, rng = cols.has_loc[idx], cols.has_bearing[idx], cols.has_range[idx]
    var = np.broadcast_to(np.asarray(var_m2, dtype=np.float64), (len(idx),))
    sl2 = cols.sigma_loc[idx] ** 2
    dist2 = (x - cols.px[idx]) ** 2 + (y - cols.py[idx]) ** 2
    d2 = np.where(loc, dist2 / (sl2 + var) + 2 * np.log1p(var / sl2), 0.0)
    _, _, r, az = range_bearing(cols, idx, x, y)
    sb2 = cols.sigma_b[idx] ** 2
    miss = wrap_angle(az - cols.bearing[idx]) ** 2
    d2 += np.where(bear, miss / (sb2 + var / r**2) + np.log1p(var / r**2 / sb2), 0.0)
    log_r = np.log(r)
    gap = np.maximum(np.maximum(cols.log_lo[idx] - log_r, log_r - cols.log_hi[idx]), 0.0)
    s2 = cfg.range_log_sigma**2
    d2 += np.where(rng, gap**2 / (s2 + var / r**2) + np.log1p(var / r**2 / s2), 0.0)
    return np.asarray(d2, dtype=np.float64)


def delay_s(
    cols: ReportColumns, idx: IntArray, x: FloatArray, y: FloatArray, cfg: FuseConfig
) -> FloatArray:
    """Sound travel time from ``(x, y)`` to the observer, for heard reports (else 0)."""
    _, _, r, _ = range_bearing(cols, idx, x, y)
    return np.where(cols.heard[idx], r / cfg.sound_speed_ms, 0.0)


def time_box(
    cols: ReportColumns, idx: IntArray, delay: FloatArray, cfg: FuseConfig
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Origin-time soft box ``[a, b]`` and its edge sigma, for reports ``idx``.

    >>> from datetime import UTC, datetime
    >>> from truceline.domain import Report, SourceKind
    >>> r = Report("R1", "MT1", SourceKind.MONITOR, datetime(2026, 1, 1, tzinfo=UTC),
    ...            "explosion", time_sigma_s=3.0, observer_lon=37.0, observer_lat=48.0)
    >>> cols = report_columns([r], LocalProjection(37.0, 48.0), FuseConfig())
    >>> a, b, edge = time_box(cols, np.array([0]), np.array([8.8]), FuseConfig())
    >>> round(float(b[0] - cols.t[0]), 3), float(edge[0])
    (-8.8, 3.0)
    """
    late = cols.late[idx]
    sigma = cols.sigma_t[idx]
    b = cols.t[idx] - delay
    a = np.where(late, b - cfg.late_window_sigmas * sigma, b)
    return a, b, np.where(late, cfg.late_edge_s, sigma)


def time_d2(
    cols: ReportColumns,
    idx: IntArray,
    x: FloatArray,
    y: FloatArray,
    t_event: FloatArray,
    cfg: FuseConfig,
) -> FloatArray:
    """Squared distance of origin times ``t_event`` at positions ``(x, y)`` under reports."""
    a, b, edge = time_box(cols, idx, delay_s(cols, idx, x, y, cfg), cfg)
    gap = np.maximum(np.maximum(a - t_event, t_event - b), 0.0)
    return (gap / edge) ** 2


def corrected_times(cols: ReportColumns, cfg: FuseConfig) -> tuple[FloatArray, FloatArray]:
    """Origin time and its sigma from each report alone: the sound delay guessed from the
    distance bracket (its log-mean), its uncertainty from the bracket's log-spread."""
    mu, s = log_range_gaussian(cols, cfg)
    r0 = np.exp(mu)
    delay = np.where(cols.heard, r0 / cfg.sound_speed_ms, 0.0)
    delay_sigma = np.where(cols.heard, r0 * s / cfg.sound_speed_ms, 0.0)
    a, b, edge = time_box(cols, np.arange(len(cols)), delay, cfg)
    box_sigma = (b - a) / np.sqrt(12.0)
    return (a + b) / 2, np.sqrt(edge**2 + box_sigma**2 + delay_sigma**2)


def log_range_gaussian(cols: ReportColumns, cfg: FuseConfig) -> tuple[FloatArray, FloatArray]:
    """Moment-matched Gaussian (mean, sigma) in log-range of each report's bracket."""
    lo = np.maximum(cols.log_lo, cols.log_hi + np.log(cfg.min_range_ratio))
    width = cols.log_hi - lo
    return (lo + cols.log_hi) / 2, np.sqrt(width**2 / 12 + cfg.range_log_sigma**2)


def reach(cols: ReportColumns, cfg: FuseConfig, sigmas: float) -> tuple[FloatArray, ...]:
    """A disc (centre x, centre y, radius) holding every position within ``sigmas``."""
    far = np.exp(cols.log_hi + sigmas * cfg.range_log_sigma)
    cx = np.where(cols.has_loc, cols.px, cols.ox)
    cy = np.where(cols.has_loc, cols.py, cols.oy)
    radius = np.where(cols.has_loc, sigmas * cols.sigma_loc, far)
    return cx, cy, radius


def time_window(cols: ReportColumns, cfg: FuseConfig, sigmas: float) -> tuple[FloatArray, ...]:
    """Earliest and latest origin times within ``sigmas`` (over every possible delay)."""
    a, b, edge = time_box(cols, np.arange(len(cols)), np.zeros(len(cols)), cfg)
    far = np.exp(cols.log_hi + sigmas * cfg.range_log_sigma) / cfg.sound_speed_ms
    return a - np.where(cols.heard, far, 0.0) - sigmas * edge, b + sigmas * edge
