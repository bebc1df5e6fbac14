"""Scores of an association against the simulator's truth: event F1, purity, location error.

A *group* is a predicted event: a list of arrival indices (an arrival in at most one group).
Groups are matched one-to-one to true events on the arrivals they share:

1. a (group, event) pair is *eligible* when the group holds at least
   ``max(3, size / 2)`` arrivals of that event (echoes of the event count as its arrivals);
2. among eligible pairs, a maximum-weight one-to-one matching (weight: shared arrivals) is
   found with the Hungarian method, run per connected component of the sparse overlap graph;
3. a matched group is a true positive when its event is *detectable* (direct or blocked-path
   arrivals at ``min_arrivals`` distinct sensors or more); a group matched to an event that is
   not detectable is neither a true nor a false positive (it is ignored: finding an event
   heard by three sensors is no fault, missing it no failure); an unmatched group is a false
   positive; an unmatched detectable event is a false negative.

Pure numpy and scipy; no engine, no peer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pyproj
from scipy.optimize import linear_sum_assignment
from scipy.sparse import coo_matrix, csr_matrix
from scipy.sparse.csgraph import connected_components

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
FloatArray = npt.NDArray[np.float64]
ArrayLike = npt.ArrayLike

GEOD = pyproj.Geod(ellps="WGS84")
LOCATED_PATHS = ("direct", "nlos")  # paths that carry the event's own timing


@dataclass(frozen=True)
class AssociationScores:
    """Event-level scores; ``n_pred = tp + fp + n_ignored``, ``n_true = tp + fn``."""

    precision: float
    recall: float
    f1: float
    tp: int
    fp: int
    fn: int
    n_true: int  # detectable true events
    n_pred: int  # predicted groups
    n_ignored: int  # groups matched to events that are not detectable


@dataclass(frozen=True)
class GroupMatch:
    """The one-to-one matching of groups to true events (arrays indexed by group)."""

    event: IntArray  # matched true event, -1 if none
    shared: IntArray  # arrivals the group shares with its matched event (0 if none)
    size: IntArray  # arrivals in the group


def detectable_events(
    event_of_arrival: ArrayLike,
    sensor_of_arrival: ArrayLike,
    path_of_arrival: ArrayLike,
    n_events: int,
    min_arrivals: int = 4,
) -> BoolArray:
    """Events with direct or blocked-path (nlos) arrivals at ``min_arrivals`` sensors or more.

    >>> detectable_events([0, 0, 1, -1], [0, 1, 0, 2], ["direct", "nlos", "echo", "false"], 2, 2)
    array([ True, False])
    """
    event = np.asarray(event_of_arrival, np.int64)
    sensor = np.asarray(sensor_of_arrival, np.int64)
    keep = (event >= 0) & np.isin(np.asarray(path_of_arrival), LOCATED_PATHS)
    pairs = np.unique(np.column_stack([event[keep], sensor[keep]]), axis=0)
    n_sensors = np.bincount(pairs[:, 0], minlength=n_events) if len(pairs) else np.zeros(n_events)
    return np.asarray(n_sensors >= min_arrivals)


def match_groups(pred_groups: Sequence[Sequence[int]], event_of_arrival: ArrayLike) -> GroupMatch:
    """Match groups one-to-one to true events (see the module docstring for the rule).

    >>> match_groups([[0, 1, 2], [3, 4, 5]], [7, 7, 7, -1, -1, 7]).event.tolist()
    [7, -1]
    """
    truth = np.asarray(event_of_arrival, np.int64)
    group, arrival = _membership(pred_groups, len(truth))
    n_groups = len(pred_groups)
    size = np.bincount(group, minlength=n_groups).astype(np.int64)
    event = truth[arrival]
    real = event >= 0
    pair, shared = np.unique(
        np.column_stack([group[real], event[real]]), axis=0, return_counts=True
    )
    pair = pair.reshape(-1, 2)
    ok = (shared >= 3) & (2 * shared >= size[pair[:, 0]])
    g, e, w = _max_weight_matching(pair[ok, 0], pair[ok, 1], shared[ok])
    out_event = np.full(n_groups, -1, np.int64)
    out_shared = np.zeros(n_groups, np.int64)
    out_event[g], out_shared[g] = e, w
    return GroupMatch(out_event, out_shared, size)


def association_scores(
    pred_groups: Sequence[Sequence[int]],
    event_of_arrival: ArrayLike,
    detectable: ArrayLike,
    match: GroupMatch | None = None,
) -> AssociationScores:
    """Precision, recall and F1 of predicted groups against the detectable true events.

    ``detectable`` is a boolean mask over true events (see :func:`detectable_events`).

    >>> s = association_scores([[0, 1, 2]], [0, 0, 0, 1, 1, 1], [True, True])
    >>> (s.tp, s.fp, s.fn, s.f1)
    (1, 0, 1, 0.6666666666666666)
    """
    det = np.asarray(detectable, bool)
    m = match if match is not None else match_groups(pred_groups, event_of_arrival)
    matched = m.event >= 0
    tp = int(np.count_nonzero(det[m.event[matched]]))
    ignored = int(np.count_nonzero(matched)) - tp
    n_pred = len(m.event)
    fp = n_pred - tp - ignored
    n_true = int(np.count_nonzero(det))
    fn = n_true - tp
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / n_true if n_true else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return AssociationScores(precision, recall, f1, tp, fp, fn, n_true, n_pred, ignored)


def arrival_purity(match: GroupMatch) -> float:
    """Fraction of the arrivals in matched groups that belong to the matched event (1 if none).

    >>> arrival_purity(match_groups([[0, 1, 2, 3]], [5, 5, 5, -1]))
    0.75
    """
    matched = match.event >= 0
    total = int(match.size[matched].sum())
    return float(match.shared[matched].sum()) / total if total else 1.0


def location_errors(pred_lonlat: ArrayLike, true_lonlat: ArrayLike) -> FloatArray:
    """Geodesic distances in metres (WGS 84) between rows of two ``(n, 2)`` lon/lat arrays.

    >>> location_errors([[37.0, 48.0]], [[37.0, 48.001]]).round(1).tolist()
    [111.2]
    """
    pred = np.asarray(pred_lonlat, float).reshape(-1, 2)
    true = np.asarray(true_lonlat, float).reshape(-1, 2)
    _, _, dist = GEOD.inv(pred[:, 0], pred[:, 1], true[:, 0], true[:, 1])
    return np.asarray(dist, float)


def _membership(pred_groups: Sequence[Sequence[int]], n_arrivals: int) -> tuple[IntArray, IntArray]:
    """Flatten groups to (group, arrival) index arrays, refusing shared or unknown arrivals."""
    sizes = np.fromiter((len(g) for g in pred_groups), np.int64, len(pred_groups))
    group = np.repeat(np.arange(len(pred_groups), dtype=np.int64), sizes)
    arrival = np.fromiter((a for g in pred_groups for a in g), np.int64, int(sizes.sum()))
    if len(arrival) and (arrival.min() < 0 or arrival.max() >= n_arrivals):
        raise ValueError("a group holds an arrival index out of range")
    if len(np.unique(arrival)) != len(arrival):
        raise ValueError("an arrival is in more than one group (or twice in one)")
    return group, arrival


def _max_weight_matching(
    rows: IntArray, cols: IntArray, weight: IntArray
) -> tuple[IntArray, IntArray, IntArray]:
    """Maximum-weight one-to-one matching of a sparse bipartite graph given as edges."""
    if len(rows) == 0:
        empty = np.zeros(0, np.int64)
        return empty, empty, empty
    r_ids, r = np.unique(rows, return_inverse=True)
    c_ids, c = np.unique(cols, return_inverse=True)
    nr, nc = len(r_ids), len(c_ids)
    graph = coo_matrix((np.ones(len(r)), (r, nr + c)), shape=(nr + nc, nr + nc))
    _, label = connected_components(csr_matrix(graph), directed=False)
    comp = label[r]
    edges_in = np.bincount(comp, minlength=label.max() + 1)
    simple = edges_in[comp] == 1  # a component of one edge: its two ends match
    keep_r, keep_c, keep_w = [r[simple]], [c[simple]], [weight[simple]]
    hard = np.flatnonzero(~simple)
    hard = hard[np.argsort(comp[hard], kind="stable")]
    cuts = np.flatnonzero(np.diff(comp[hard])) + 1
    for sel in np.split(hard, cuts) if len(hard) else []:
        kr, ri = np.unique(r[sel], return_inverse=True)
        kc, ci = np.unique(c[sel], return_inverse=True)
        block = np.zeros((len(kr), len(kc)))
        block[ri, ci] = weight[sel]
        bi, bj = linear_sum_assignment(block, maximize=True)
        real = block[bi, bj] > 0
        keep_r.append(kr[bi[real]])
        keep_c.append(kc[bj[real]])
        keep_w.append(block[bi[real], bj[real]].astype(np.int64))
    mr, mc, mw = (np.concatenate(x) for x in (keep_r, keep_c, keep_w))
    return r_ids[mr], c_ids[mc], mw.astype(np.int64)
