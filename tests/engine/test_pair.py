"""Pairing impacts with the launches that fired them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from truceline.domain import Event, EventKind
from truceline.engine.pair import pair_impacts, with_pairs

T0 = datetime(2026, 11, 22, 6, tzinfo=UTC)
M_PER_DEG_LAT = 111_200.0


def _event(eid: str, kind: EventKind, t_s: float, north_m: float, lon: float = 37.5) -> Event:
    return Event(
        eid, T0 + timedelta(seconds=t_s), lon, 48.0 + north_m / M_PER_DEG_LAT, kind, 6, 20, 10, 0
    )


def test_a_howitzer_round_is_paired_with_its_launch() -> None:
    launch = _event("L1", EventKind.LAUNCH, 0.0, 0.0)
    impact = _event("I1", EventKind.IMPACT, 12_000 / 330.0, 12_000.0)  # 12 km at 330 m/s
    (pair,) = pair_impacts([launch, impact])
    assert (pair.impact_id, pair.launch_id, pair.weapon) == ("I1", "L1", "artillery_122")
    assert abs(pair.distance_m - 12_000) < 50


def test_an_impossible_time_of_flight_pairs_nothing() -> None:
    launch = _event("L1", EventKind.LAUNCH, 0.0, 0.0)
    too_soon = _event("I1", EventKind.IMPACT, 5.0, 12_000.0)  # 2,400 m/s: no such round
    before = _event("I2", EventKind.IMPACT, -30.0, 10_000.0)  # landed before it was fired
    too_far = _event("I3", EventKind.IMPACT, 200.0, 60_000.0)  # beyond every weapon's range
    assert pair_impacts([launch, too_soon, before, too_far]) == []


def test_two_batteries_firing_at_once_are_untangled_by_their_times_of_flight() -> None:
    mortar = _event("L-mortar", EventKind.LAUNCH, 0.0, 0.0)
    howitzer = _event("L-howitzer", EventKind.LAUNCH, 1.0, 0.0, lon=37.52)
    events = [
        mortar,
        howitzer,
        _event("I-mortar", EventKind.IMPACT, 3_000 / 180.0, 3_000.0),
        _event("I-howitzer", EventKind.IMPACT, 1.0 + 15_000 / 380.0, 15_000.0, lon=37.52),
    ]
    pairs = {p.impact_id: p.launch_id for p in pair_impacts(events)}
    assert pairs == {"I-mortar": "L-mortar", "I-howitzer": "L-howitzer"}


def test_a_launch_fires_one_round_only_once() -> None:
    launch = _event("L1", EventKind.LAUNCH, 0.0, 0.0)
    impacts = [_event(f"I{k}", EventKind.IMPACT, 12_000 / 330.0 + k, 12_000.0) for k in range(2)]
    assert len(pair_impacts([launch, *impacts])) == 1


def test_impacts_inherit_the_launch_party() -> None:
    launch = _event("L1", EventKind.LAUNCH, 0.0, 0.0)
    launch = launch.__class__(
        **{**launch.__dict__, "responsible_party": "RU", "p_responsible": 0.97}
    )
    impact = _event("I1", EventKind.IMPACT, 12_000 / 330.0, 12_000.0)
    out = with_pairs([launch, impact], pair_impacts([launch, impact]))
    assert out[0].paired_event_id == "I1" and out[1].paired_event_id == "L1"
    assert out[1].responsible_party == "RU" and out[1].p_responsible == 0.97
