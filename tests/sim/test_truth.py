"""The simulator's ground truth is complete and consistent."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

import numpy as np

from truceline.domain import Theatre
from truceline.sim.scenario import Scenario, simulate


def test_every_launch_has_exactly_one_impact_later(busy_scenario: Scenario) -> None:
    ev = busy_scenario.events
    for kind in ("launch", "impact"):
        ids = ev.round_id[ev.kind == kind]
        assert len(ids) == len(set(ids.tolist()))
    launch_t = dict(
        zip(ev.round_id[ev.kind == "launch"], ev.time_s[ev.kind == "launch"], strict=True)
    )
    for rid, t in zip(
        ev.round_id[ev.kind == "impact"], ev.time_s[ev.kind == "impact"], strict=True
    ):
        assert t > launch_t[rid]


def test_launches_come_from_the_firing_party_area(busy_scenario: Scenario) -> None:
    ev = busy_scenario.events
    launch = ev.kind == "launch"
    assert np.all(ev.area[launch] == ev.party[launch])
    assert set(ev.party.tolist()) == {"UA", "RU"}
    assert Counter(ev.party[launch].tolist())["UA"] > 0.3 * launch.sum()


def test_most_impacts_land_across_the_line(busy_scenario: Scenario) -> None:
    ev = busy_scenario.events
    impact = ev.kind == "impact"
    across = (ev.area[impact] != ev.party[impact]) & (ev.area[impact] != "")
    assert across.mean() > 0.8


def test_every_arrival_and_report_has_truth(busy_scenario: Scenario) -> None:
    a = busy_scenario.arrivals
    assert set(a.path.tolist()) == {"direct", "nlos", "echo", "false"}
    assert np.all((a.event >= 0) == (a.path != "false"))
    assert np.all(a.sensor < len(busy_scenario.network))
    truth = {t.report_id: t for t in busy_scenario.report_truth}
    assert [r.report_id for r in busy_scenario.reports] == list(truth)
    roles = Counter(t.role for t in truth.values())
    for role in ("observation", "repost", "fabricated", "weapon_sighting"):
        assert roles[role] > 0, role
    for t in truth.values():
        if t.role in ("repost", "repeat"):
            assert truth[t.duplicate_of].event_index == t.event_index
        if t.role in ("fabricated", "weapon_sighting", "access_denied"):
            assert t.event_index == -1


def test_fabricated_complaints_accuse_the_other_party(busy_scenario: Scenario) -> None:
    by_id = {r.report_id: r for r in busy_scenario.reports}
    fakes = [by_id[t.report_id] for t in busy_scenario.report_truth if t.role == "fabricated"]
    assert fakes
    for r in fakes:
        assert r.accused_party is not None and r.source_id != f"LO-{r.accused_party}"


def test_same_seed_same_scenario_other_seed_differs(small_theatre: Theatre) -> None:
    start = datetime(2026, 11, 21, tzinfo=UTC)
    a = simulate(small_theatre, seed=3, profile="quiet", start=start, hours=6)
    b = simulate(small_theatre, seed=3, profile="quiet", start=start, hours=6)
    c = simulate(small_theatre, seed=4, profile="quiet", start=start, hours=6)
    assert np.array_equal(a.arrivals.time_s, b.arrivals.time_s)
    assert a.reports == b.reports
    assert not np.array_equal(a.events.time_s[:5], c.events.time_s[:5])


def test_quiet_is_quieter_than_busy(small_theatre: Theatre, busy_scenario: Scenario) -> None:
    quiet = simulate(
        small_theatre, seed=7, profile="quiet", start=datetime(2026, 11, 21, tzinfo=UTC), hours=6
    )
    assert len(quiet.events) * 4 < len(busy_scenario.events)
