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
