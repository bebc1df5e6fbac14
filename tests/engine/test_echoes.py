"""Echo events: a later, fainter, displaced image of a shot heard by the same sensors."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np

from truceline.domain import Event, EventKind
from truceline.engine.echoes import find_echoes

T0 = datetime(2026, 11, 21, 6, tzinfo=UTC)
N = 8  # sensors 0..7; rows 0..7 are the shot's arrivals, rows 8..15 the candidate's


def _event(eid: str, dt_s: float, lon: float, rows: range, major: float = 1.0) -> Event:
    return Event(
        eid,
        T0 + timedelta(seconds=dt_s),
        lon,
        48.0,
        EventKind.UNKNOWN,
        n_sensors=len(rows),
        err_major_m=major,
        err_minor_m=major / 2,
        arrival_ids=tuple(f"A{r}" for r in rows),
    )


def _arrays(
    later_s: float, snr_drop_db: float | None
) -> tuple[dict[str, int], np.ndarray, np.ndarray, np.ndarray]:
    sensor = np.array(list(range(N)) * 2, dtype=np.int64)
    time_s = np.concatenate([np.full(N, 100.0), np.full(N, 100.0 + later_s)])
    snr = np.concatenate([np.full(N, 30.0), np.full(N, 30.0 - (snr_drop_db or 0.0))])
    if snr_drop_db is None:
        snr[:] = np.nan
    return {f"A{r}": r for r in range(2 * N)}, sensor, time_s, snr


def test_a_fainter_later_displaced_image_is_an_echo() -> None:
    shot = _event("shot", 0.0, 37.0, range(N))
    image = _event("image", 0.5, 37.0015, range(N, 2 * N))  # ~110 m east
    assert find_echoes([shot, image], *_arrays(0.6, 6.0)) == {"image"}


def test_a_second_round_from_the_same_place_is_not_an_echo() -> None:
    shot = _event("round1", 0.0, 37.0, range(N))
    again = _event("round2", 0.6, 37.00002, range(N, 2 * N))  # 1.5 m away
    assert find_echoes([shot, again], *_arrays(0.6, 6.0)) == set()


def test_a_poorly_fixed_event_is_not_taken_for_an_echo() -> None:
    shot = _event("shot", 0.0, 37.0, range(N), major=30.0)
    other = _event("other", 0.5, 37.0015, range(N, 2 * N), major=30.0)
    assert find_echoes([shot, other], *_arrays(0.6, 6.0)) == set()


def test_as_loud_or_without_signal_strengths_it_is_not_an_echo() -> None:
    shot = _event("shot", 0.0, 37.0, range(N))
    image = _event("image", 0.5, 37.0015, range(N, 2 * N))
    assert find_echoes([shot, image], *_arrays(0.6, -2.0)) == set()
    assert find_echoes([shot, image], *_arrays(0.6, None)) == set()


def test_an_event_heard_by_far_fewer_sensors_is_an_echo_even_when_as_loud() -> None:
    shot = _event("shot", 0.0, 37.0, range(N))
    image = _event("image", 0.5, 37.0015, range(N, N + 4))  # 4 of the shot's 8 sensors
    assert find_echoes([shot, image], *_arrays(0.6, -2.0)) == {"image"}


def _volley(minor_lags_s: list[float], minor_sensors: list[int]) -> set[str]:
    """Two loud rounds 0.7 s apart heard by sensors 0..7; a minor event far away."""
    first = _event("round1", 0.0, 37.0, range(N))
    second = _event("round2", 0.7, 37.0, range(N, 2 * N))
    minor = _event("minor", 0.9, 37.004, range(2 * N, 2 * N + len(minor_lags_s)))  # ~300 m
    sensor = np.array(list(range(N)) * 2 + minor_sensors, dtype=np.int64)
    loud = [100.0 if r < N else 100.7 for r in range(2 * N)]
    time_s = np.array(loud + [100.0 + lag for lag in minor_lags_s])
    rows = {f"A{r}": r for r in range(len(time_s))}
    snr = np.full(len(time_s), 20.0)
    return find_echoes([first, second, minor], rows, sensor, time_s, snr)


def test_a_minor_event_made_of_several_rounds_tails_is_reverberation() -> None:
    # Arrivals 0.3-1.5 s after one round or the other at the same sensor; one 10 ms early
    # (a bullet's crack before the blast).
    assert _volley([0.3, 0.5, 1.5, -0.01], [0, 1, 2, 3]) == {"minor"}


def test_a_minor_event_at_sensors_the_loud_ones_missed_is_kept() -> None:
    sensors_unheard = [0, 1, 20, 21]  # two sensors heard neither round
    assert _volley([0.3, 0.5, 1.0, 1.5], sensors_unheard) == set()


def test_a_minor_event_heard_before_the_loud_rounds_is_kept() -> None:
    assert _volley([-0.5, -0.6, -0.4, -0.45], [0, 1, 2, 3]) == set()
