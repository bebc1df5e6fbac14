"""Report fusion: reports joined to sensor events or to each other, with their corroboration.

1. Each fire report becomes a likelihood over the event's position and origin time
   (:mod:`truceline.engine.report_likelihood`: sectors, annuli, Gaussians; sound delay).
2. Association with sensor events: every (report, event) pair whose squared distance
   ``d2`` (space and time, the event's own error added) passes a chi-square gate is a
   candidate; each report joins at most one event, the one that explains it best, with a
   penalty when its assessment contradicts the event's kind. The mission's own sources file
   one report per physical event, so the reports of one monitor team, camera or UAV are
   matched one-to-one with events (minimum total ``d2``, Hungarian method per connected
   group of candidates): a team's report of round 3 of a salvo goes to round 3.
3. Reports that match no sensor event are grouped with each other: two reports can describe
   one event when their jointly fitted position and time pass the same gate
   (:mod:`truceline.engine.report_fit`); groups grow by complete linkage (every pair
   compatible, never two reports of one exclusive source). Each group is a report-only event
   (``n_sensors`` 0) located from the combined likelihoods, with an error ellipse.
4. Corroboration of every event from its independent sources and their Admiralty grades
   (:mod:`truceline.engine.report_sources`).

Reports that are not fire (``not_fire_types``: weapon sightings, denials of access, inspections
of holding areas) are not fused; the rules read them from the reports. Reports with neither a
location nor an observer position cannot be placed and are listed in ``unplaced``. Pure and
deterministic: the result does not depend on the order of the inputs.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import linear_sum_assignment
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components
from scipy.stats import chi2

from truceline.domain import Event, EventKind, Report
from truceline.engine.ellipse import error_ellipse
from truceline.engine.report_config import SENSOR_SOURCE, FuseConfig
from truceline.engine.report_fit import GroupFit, fit_groups
from truceline.engine.report_likelihood import (
    ReportColumns,
    expand_ranges,
    grid_north_rad,
    is_placeable,
    reach,
    report_columns,
    space_d2,
    time_d2,
    time_window,
)
from truceline.engine.report_sources import corroborate, logit, report_evidence, source_keys
from truceline.geo.projection import LocalProjection

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]
NO_EDGE = 1e9  # cost of a (report, event) pair that is not a candidate
KIND_CODE = {EventKind.LAUNCH: 1, EventKind.IMPACT: -1, EventKind.UNKNOWN: 0}


@dataclass(frozen=True)
class FusionResult:
    """Sensor events with their reports, events from reports alone, and who went where."""

    events: list[Event]  # the sensor events, with report_ids and corroboration set
    report_events: list[Event]  # events built from reports alone (n_sensors 0)
    assignment: dict[str, str]  # report_id -> event_id, for every fused report
    belief: dict[str, float]  # event_id -> combined probability that it happened
    unplaced: tuple[str, ...]  # fire reports with no location and no observer: not fused

    @property
    def all_events(self) -> list[Event]:
        """Every event, sensor-located or not, in time order."""
        return sorted([*self.events, *self.report_events], key=lambda e: (e.time, e.event_id))


@dataclass(frozen=True)
class _EventColumns:
    x: FloatArray
    y: FloatArray
    var: FloatArray
    t: FloatArray
    kind: IntArray


def report_event_id(report_ids: Sequence[str]) -> str:
    """A stable id for an event built from reports alone.

    >>> report_event_id(["R2", "R1"]) == report_event_id(["R1", "R2"])
    True
    """
    digest = hashlib.sha256(";".join(sorted(report_ids)).encode()).hexdigest()
    return f"EVR-{digest[:16]}"


def fuse_reports(
    events: Sequence[Event], reports: Sequence[Report], cfg: FuseConfig | None = None
) -> FusionResult:
    """Join reports to sensor events or to each other; corroborate every event.

    >>> from datetime import UTC, datetime
    >>> from truceline.domain import Event, EventKind, Report, SourceKind
    >>> t = datetime(2026, 1, 1, tzinfo=UTC)
    >>> ev = Event("EV-1", t, 37.0, 48.0, EventKind.LAUNCH, 12, 5.0, 5.0, 0.0)
    >>> uav = Report("R1", "UAV1", SourceKind.UAV, t, "shot", lon=37.0003, lat=48.0,
    ...              loc_sigma_m=30.0)
    >>> out = fuse_reports([ev], [uav])
    >>> out.assignment, str(out.events[0].corroboration)
    ({'R1': 'EV-1'}, 'verified')
    """
    cfg = cfg or FuseConfig()
    evs = sorted(events, key=lambda e: (e.time, e.event_id))
    fire = sorted(
        (r for r in reports if r.event_type not in cfg.not_fire_types),
        key=lambda r: (r.time, r.report_id),
    )
    placed = [r for r in fire if is_placeable(r)]
    unplaced = tuple(r.report_id for r in fire if not is_placeable(r))
    proj = _projection(evs, placed)
    cols = report_columns(placed, proj, cfg)
    ec = _event_columns(evs, proj, cfg)
    keys = source_keys(placed, *_report_xy(cols), cfg)
    joined = _associate(cols, ec, keys, cfg)
    left = np.flatnonzero(joined < 0)
    label = _cluster(cols, left, keys, cfg)
    n_groups = int(label.max()) + 1 if len(label) else 0
    fit = fit_groups(cols, left, label, n_groups, cfg)
    report_events = _report_events(cols, left, label, fit, proj)
    return _assemble(evs, report_events, cols, joined, left, label, keys, unplaced, cfg)


def _projection(events: Sequence[Event], reports: Sequence[Report]) -> LocalProjection:
    lons = [e.lon for e in events] + [v for r in reports for v in (r.lon, r.observer_lon) if v]
    lats = [e.lat for e in events] + [v for r in reports for v in (r.lat, r.observer_lat) if v]
    return LocalProjection.centred_on(lons or [0.0], lats or [0.0])


def _event_columns(
    events: Sequence[Event], proj: LocalProjection, cfg: FuseConfig
) -> _EventColumns:
    x, y = proj.forward([e.lon for e in events], [e.lat for e in events])
    major = np.array(
        [cfg.event_sigma_m if e.err_major_m is None else e.err_major_m for e in events],
        dtype=np.float64,
    )
    return _EventColumns(
        x=x,
        y=y,
        var=major**2,
        t=np.array([e.time.timestamp() for e in events], dtype=np.float64),
        kind=np.array([KIND_CODE[e.kind] for e in events], dtype=np.int64),
    )


def _report_xy(cols: ReportColumns) -> tuple[FloatArray, FloatArray]:
    return np.where(cols.has_loc, cols.px, cols.ox), np.where(cols.has_loc, cols.py, cols.oy)


def _gate(cfg: FuseConfig) -> float:
    return float(chi2.ppf(cfg.gate_probability, 3))


def candidate_pairs(
    cols: ReportColumns, ec: _EventColumns, cfg: FuseConfig
) -> tuple[IntArray, IntArray, FloatArray]:
    """(report, event, cost) of every pair inside the gate; ``ec.t`` must be sorted."""
    gate = _gate(cfg)
    k = float(np.sqrt(gate))
    lo, hi = time_window(cols, cfg, k)
    ri, ei = expand_ranges(np.searchsorted(ec.t, lo), np.searchsorted(ec.t, hi, side="right"))
    cx, cy, radius = reach(cols, cfg, k)
    near = np.hypot(ec.x[ei] - cx[ri], ec.y[ei] - cy[ri]) <= radius[ri] + k * np.sqrt(ec.var[ei])
    ri, ei = ri[near], ei[near]
    x, y = ec.x[ei], ec.y[ei]
    d2 = space_d2(cols, ri, x, y, ec.var[ei], cfg) + time_d2(cols, ri, x, y, ec.t[ei], cfg)
    d2 += np.where(cols.vote[ri] * ec.kind[ei] < 0, cfg.kind_mismatch_d2, 0.0)
    inside = d2 <= gate
    return ri[inside], ei[inside], d2[inside]


def _exclusive_codes(cols: ReportColumns, keys: list[str], cfg: FuseConfig) -> IntArray:
    """A code per report: shared by the reports of one exclusive source, unique otherwise."""
    _, code = np.unique(np.array([*keys, ""]), return_inverse=True)
    exclusive = np.array([r.source_kind in cfg.exclusive_kinds for r in cols.reports], bool)
    return np.where(exclusive, code[:-1], -1 - np.arange(len(cols)))


def _associate(
    cols: ReportColumns, ec: _EventColumns, keys: list[str], cfg: FuseConfig
) -> IntArray:
    """The sensor event each report joins (-1 for none)."""
    joined = np.full(len(cols), -1, dtype=np.int64)
    if not len(cols) or not len(ec.t):
        return joined
    ri, ei, cost = candidate_pairs(cols, ec, cfg)
    code = _exclusive_codes(cols, keys, cfg)
    _, col = np.unique(np.column_stack([code[ri], ei]), axis=0, return_inverse=True)
    chosen = min_cost_assignment(ri, col.ravel(), cost)
    joined[ri[chosen]] = ei[chosen]
    return joined


def min_cost_assignment(row: IntArray, col: IntArray, cost: FloatArray) -> BoolArray:
    """Edges of a minimum-cost matching that uses each row and each column at most once.

    As many rows as possible are matched; ties of cardinality go to the lower total cost.

    >>> min_cost_assignment(np.array([0, 0, 1]), np.array([0, 1, 0]), np.array([1., 2., 1.]))
    array([False,  True,  True])
    """
    chosen = np.zeros(len(row), dtype=bool)
    if not len(row):
        return chosen
    r_ids, r = np.unique(row, return_inverse=True)
    c_ids, c = np.unique(col, return_inverse=True)
    nr = len(r_ids)
    graph = coo_matrix((np.ones(len(r)), (r, nr + c)), shape=(nr + len(c_ids),) * 2)
    _, comp = connected_components(graph, directed=False)
    rows_in = np.bincount(comp[:nr], minlength=comp.max() + 1)
    single = rows_in[comp[r]] == 1  # one report in its group: its cheapest event
    order = np.lexsort((cost, r))
    first = np.ones(len(order), dtype=bool)
    first[1:] = r[order][1:] != r[order][:-1]
    chosen[order[first & single[order]]] = True
    hard = np.flatnonzero(~single)
    hard = hard[np.argsort(comp[r[hard]], kind="stable")]
    for sel in np.split(hard, np.flatnonzero(np.diff(comp[r[hard]])) + 1) if len(hard) else []:
        rr, ri = np.unique(r[sel], return_inverse=True)
        cc, ci = np.unique(c[sel], return_inverse=True)
        block = np.full((len(rr), len(cc)), NO_EDGE)
        block[ri, ci] = cost[sel]
        bi, bj = linear_sum_assignment(block)
        lookup = {(a, b): e for a, b, e in zip(ri, ci, sel, strict=True)}
        chosen[[lookup[(a, b)] for a, b in zip(bi, bj, strict=True) if (a, b) in lookup]] = True
    return chosen


def _cluster(cols: ReportColumns, left: IntArray, keys: list[str], cfg: FuseConfig) -> IntArray:
    """Cluster label (0..G-1) of each leftover report, by complete linkage of compatible pairs."""
    n = len(left)
    gate = _gate(cfg)
    k = float(np.sqrt(gate))
    lo, hi = (v[left] for v in time_window(cols, cfg, k))
    order = np.argsort(lo, kind="stable")
    a, b = expand_ranges(np.arange(1, n + 1), np.searchsorted(lo[order], hi[order], "right"))
    i, j = left[order[a]], left[order[b]]
    cx, cy, radius = reach(cols, cfg, k)
    near = np.hypot(cx[i] - cx[j], cy[i] - cy[j]) <= radius[i] + radius[j]
    code = _exclusive_codes(cols, keys, cfg)
    ok = near & (code[i] != code[j])
    i, j = i[ok], j[ok]
    fit = fit_groups(cols, np.concatenate([i, j]), np.tile(np.arange(len(i)), 2), len(i), cfg)
    d2 = fit.d2 + np.where(cols.vote[i] * cols.vote[j] < 0, cfg.kind_mismatch_d2, 0.0)
    fits = d2 <= gate
    return _complete_linkage(left, i[fits], j[fits], d2[fits], code)


def _complete_linkage(
    items: IntArray, i: IntArray, j: IntArray, d2: FloatArray, code: IntArray
) -> IntArray:
    """Merge compatible pairs, best first, when every cross pair is compatible."""
    compatible = set(zip(i.tolist(), j.tolist(), strict=True))
    compatible |= {(b, a) for a, b in compatible}
    members: dict[int, list[int]] = {int(v): [int(v)] for v in items}
    owner = {int(v): int(v) for v in items}
    for p in np.lexsort((j, i, d2)):
        ca, cb = owner[int(i[p])], owner[int(j[p])]
        if ca == cb:
            continue
        ma, mb = members[ca], members[cb]
        codes_a = {int(code[v]) for v in ma}
        if any(int(code[v]) in codes_a for v in mb):
            continue
        if all((u, v) in compatible for u in ma for v in mb):
            members[ca] = ma + mb
            for v in mb:
                owner[v] = ca
            del members[cb]
    root = np.array([owner[int(v)] for v in items], dtype=np.int64)
    _, label = np.unique(root, return_inverse=True)
    return label.ravel().astype(np.int64)


def _report_events(
    cols: ReportColumns, left: IntArray, label: IntArray, fit: GroupFit, proj: LocalProjection
) -> list[Event]:
    """One event per cluster of leftover reports, located from their combined likelihoods."""
    if not len(left):
        return []
    lon, lat = proj.inverse(fit.xy[:, 0], fit.xy[:, 1])
    major, minor, az = error_ellipse(fit.cov)
    az = (az - np.degrees(grid_north_rad(proj, lon, lat))) % 180.0
    order = np.argsort(label, kind="stable")
    groups = np.split(left[order], np.flatnonzero(np.diff(label[order])) + 1)
    out = []
    for g, idx in enumerate(groups):
        ids = sorted(cols.reports[k].report_id for k in idx)
        out.append(
            Event(
                event_id=report_event_id(ids),
                time=datetime.fromtimestamp(float(fit.t[g]), UTC),
                lon=float(lon[g]),
                lat=float(lat[g]),
                kind=_kind_of(cols.vote[idx]),
                err_major_m=round(float(major[g]), 1),
                err_minor_m=round(float(minor[g]), 1),
                err_azimuth_deg=round(float(az[g]), 1),
                report_ids=tuple(ids),
            )
        )
    return out


def _kind_of(votes: IntArray) -> EventKind:
    """Launch or impact when at least two thirds of the reports that say agree."""
    launch, impact = int(np.sum(votes > 0)), int(np.sum(votes < 0))
    if launch and 3 * launch >= 2 * (launch + impact):
        return EventKind.LAUNCH
    if impact and 3 * impact >= 2 * (launch + impact):
        return EventKind.IMPACT
    return EventKind.UNKNOWN


def _assemble(
    sensor_events: list[Event],
    report_events: list[Event],
    cols: ReportColumns,
    joined: IntArray,
    left: IntArray,
    label: IntArray,
    keys: list[str],
    unplaced: tuple[str, ...],
    cfg: FuseConfig,
) -> FusionResult:
    """Set report_ids and corroboration on every event; build the assignment."""
    n_sensor = len(sensor_events)
    event_of = joined.copy()
    event_of[left] = n_sensor + label
    rows_event = np.concatenate([np.arange(n_sensor), event_of])
    rows_key = [SENSOR_SOURCE] * n_sensor + keys
    _, key_code = np.unique(np.array([*rows_key, ""]), return_inverse=True)
    evidence = np.concatenate(
        [np.full(n_sensor, logit(cfg.sensor_p)), [report_evidence(r, cfg) for r in cols.reports]]
    )
    mission = np.concatenate(
        [np.ones(n_sensor, bool), [r.source_kind in cfg.mission_kinds for r in cols.reports]]
    )
    n_all = n_sensor + len(report_events)
    levels, p = corroborate(rows_event, key_code[:-1], evidence, mission, n_all, cfg)
    ids: list[list[str]] = [[] for _ in range(n_all)]
    for k, e in enumerate(event_of.tolist()):
        ids[e].append(cols.reports[k].report_id)
    every = [*sensor_events, *report_events]
    updated = [
        replace(e, report_ids=tuple(sorted(ids[n])), corroboration=levels[n])
        for n, e in enumerate(every)
    ]
    return FusionResult(
        events=updated[:n_sensor],
        report_events=updated[n_sensor:],
        assignment={rid: every[n].event_id for n, rids in enumerate(ids) for rid in rids},
        belief={e.event_id: float(p[n]) for n, e in enumerate(every)},
        unplaced=unplaced,
    )
