"""Association scores on small hand-made groupings."""

from __future__ import annotations

import numpy as np
import pytest
from bench.metrics import (
    arrival_purity,
    association_scores,
    detectable_events,
    location_errors,
    match_groups,
)
from scipy.optimize import linear_sum_assignment

# Three true events heard by four sensors each, then two false picks (arrivals 12 and 13).
TRUTH = np.array([0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, -1, -1])
ALL = np.ones(3, bool)
PERFECT = [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11]]


def test_perfect_grouping_scores_one() -> None:
    s = association_scores(PERFECT, TRUTH, ALL)
    assert (s.precision, s.recall, s.f1) == (1.0, 1.0, 1.0)
    assert (s.tp, s.fp, s.fn, s.n_true, s.n_pred, s.n_ignored) == (3, 0, 0, 3, 3, 0)
    assert arrival_purity(match_groups(PERFECT, TRUTH)) == 1.0


def test_order_of_groups_and_arrivals_does_not_matter() -> None:
    shuffled = [[11, 9, 10, 8], [3, 2, 1, 0], [7, 6, 5, 4]]
    assert match_groups(shuffled, TRUTH).event.tolist() == [2, 0, 1]
    assert association_scores(shuffled, TRUTH, ALL).f1 == 1.0


def test_split_event_matches_one_part_and_the_rest_is_a_false_positive() -> None:
    truth = np.repeat([0, 1], [8, 4])
    groups = [[0, 1, 2, 3, 4], [5, 6, 7], [8, 9, 10, 11]]
    m = match_groups(groups, truth)
    assert m.event.tolist() == [0, -1, 1]
    s = association_scores(groups, truth, np.ones(2, bool), m)
    assert (s.tp, s.fp, s.fn) == (2, 1, 0)
    assert s.precision == pytest.approx(2 / 3)
    assert s.recall == 1.0


def test_split_event_in_two_small_halves_is_missed() -> None:
    truth = np.zeros(4, np.int64)
    s = association_scores([[0, 1], [2, 3]], truth, [True])
    assert (s.tp, s.fp, s.fn) == (0, 2, 1)
    assert s.f1 == 0.0


def test_merged_events_count_one_hit_and_one_miss() -> None:
    groups = [[0, 1, 2, 3, 4, 5, 6, 7], [8, 9, 10, 11]]
    m = match_groups(groups, TRUTH)
    assert m.event[1] == 2 and m.event[0] in (0, 1)
    assert m.shared[0] == 4
    s = association_scores(groups, TRUTH, ALL, m)
    assert (s.tp, s.fp, s.fn) == (2, 0, 1)
    assert arrival_purity(m) == pytest.approx(8 / 12)


def test_group_with_too_few_arrivals_of_its_event_is_a_false_positive() -> None:
    # 3 of 7 arrivals from event 0: under half the group, so no match.
    groups = [[0, 1, 2, 4, 8, 12, 13]]
    s = association_scores(groups, TRUTH, ALL)
    assert (s.tp, s.fp, s.fn) == (0, 1, 3)


def test_pure_noise_group_is_a_false_positive() -> None:
    groups = [*PERFECT, [12, 13]]
    s = association_scores(groups, TRUTH, ALL)
    assert (s.tp, s.fp, s.fn, s.n_pred) == (3, 1, 0, 4)
    assert s.precision == 0.75
    assert s.f1 == pytest.approx(2 * 0.75 / 1.75)


def test_one_to_one_matching_prefers_the_larger_overlap() -> None:
    truth = np.repeat([0, 1], [6, 4])
    # Group 0 holds 4 of event 0, group 1 holds the other 2 plus event 1's 4: both can match.
    groups = [[0, 1, 2, 3], [4, 5, 6, 7, 8, 9]]
    m = match_groups(groups, truth)
    assert m.event.tolist() == [0, 1]
    assert m.shared.tolist() == [4, 4]
    # Two groups eligible for the same event: only the larger overlap is a hit.
    groups = [[0, 1, 2, 3], [4, 5, 6]]
    truth = np.zeros(7, np.int64)
    assert match_groups(groups, truth).event.tolist() == [0, -1]


def test_a_group_half_of_two_events_takes_the_one_left_free() -> None:
    # Group 0 is half event 0, half event 1; group 1 is all event 0: both are hits.
    truth = np.array([0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0])
    groups = [[0, 1, 2, 3, 4, 5], [6, 7, 8, 9, 10]]
    m = match_groups(groups, truth)
    assert m.event.tolist() == [1, 0]
    assert association_scores(groups, truth, [True, True], m).tp == 2


def test_events_that_are_not_detectable_are_neither_missed_nor_false() -> None:
    detectable = np.array([True, True, False])
    s = association_scores(PERFECT[:2], TRUTH, detectable)
    assert (s.tp, s.fp, s.fn, s.n_true, s.f1) == (2, 0, 0, 2, 1.0)
    s = association_scores(PERFECT, TRUTH, detectable)
    assert (s.tp, s.fp, s.fn, s.n_pred, s.n_ignored, s.precision) == (2, 0, 0, 3, 1, 1.0)


def test_detectable_needs_direct_or_nlos_arrivals_at_distinct_sensors() -> None:
    event = [0, 0, 0, 0, 1, 1, 1, 1, 1, 2, 2, 2, 2, -1]
    sensor = [0, 1, 2, 3, 0, 1, 2, 2, 3, 0, 1, 2, 3, 4]
    path = ["direct", "nlos", "direct", "direct"]
    path += ["direct", "direct", "direct", "echo", "echo"]
    path += ["direct", "direct", "direct", "direct", "false"]
    mask = detectable_events(event, sensor, path, 4, min_arrivals=4)
    assert mask.tolist() == [True, False, True, False]
    assert detectable_events(event, sensor, path, 4, min_arrivals=3).tolist()[:2] == [True, True]


def test_no_groups_and_no_events() -> None:
    s = association_scores([], np.full(3, -1), np.zeros(0, bool))
    assert (s.precision, s.recall, s.f1, s.n_pred, s.n_true) == (1.0, 1.0, 1.0, 0, 0)
    s = association_scores([], TRUTH, ALL)
    assert (s.recall, s.f1, s.fn) == (0.0, 0.0, 3)


def test_an_arrival_in_two_groups_is_refused() -> None:
    with pytest.raises(ValueError, match="more than one group"):
        match_groups([[0, 1, 2], [2, 3, 4]], TRUTH)
    with pytest.raises(ValueError, match="out of range"):
        match_groups([[0, 99]], TRUTH)


def test_location_errors_in_metres() -> None:
    err = location_errors([[37.0, 48.0], [37.0, 48.0]], [[37.0, 48.0], [37.01, 48.0]])
    assert err[0] == 0.0
    assert err[1] == pytest.approx(746.3, abs=0.5)  # 0.01 deg of longitude at 48 N
    assert location_errors(np.zeros((0, 2)), np.zeros((0, 2))).shape == (0,)


@pytest.mark.parametrize("seed", range(20))
def test_matching_is_as_good_as_a_dense_hungarian(seed: int) -> None:
    rng = np.random.default_rng(seed)
    truth = rng.integers(-1, 8, 60)
    order = np.argsort(truth + rng.normal(0, 0.7, 60))  # mostly one event per group
    cuts = np.sort(rng.choice(np.arange(1, 60), 11, replace=False))
    groups = [g.tolist() for g in np.split(order, cuts)]
    m = match_groups(groups, truth)
    dense = np.zeros((len(groups), 8))
    for i, g in enumerate(groups):
        ev, n = np.unique(truth[g][truth[g] >= 0], return_counts=True)
        ok = (n >= 3) & (2 * n >= len(g))
        dense[i, ev[ok]] = n[ok]
    rows, cols = linear_sum_assignment(dense, maximize=True)
    assert m.shared.sum() == dense[rows, cols].sum()
    matched = m.event >= 0
    assert len(set(m.event[matched].tolist())) == int(matched.sum())
    assert all(dense[i, m.event[i]] == m.shared[i] for i in np.flatnonzero(matched))
