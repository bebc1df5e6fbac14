"""Echo events: the reflection of a shot off a building, heard as a second, fainter source.

Sound reflected by a wall reaches the sensors as if from a mirror image of the source: a few
tens to hundreds of metres away, a little later, weaker, and heard by sensors that also heard
the shot itself. Such an event is not a second shot. An event B is taken for an echo of an
earlier event A when all of these hold:

- B's origin is at most ``window_s`` after A's, and B lies ``min_offset_m``-``max_offset_m``
  from A, clearly more than both fixes' uncertainty (rounds from one launcher, a few metres
  apart, are not echoes);
- B was heard by no more sensors than A, and most of B's sensors also heard A;
- at those shared sensors, B's arrival came after A's nearly everywhere, and B was weaker
  (lower SNR) at most of them or heard by far fewer sensors than A (a signal strength is a
  noisy witness: a direct path half blocked can make the echo the louder of the two).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from pyproj import Geod

from truceline.domain import Event

GEOD = Geod(ellps="WGS84")


@dataclass(frozen=True)
class EchoConfig:
    """When a later event is an echo of an earlier one (see the module docstring)."""

    window_s: float = 3.0
    min_offset_m: float = 30.0
    max_offset_m: float = 1000.0
    offset_sigmas: float = 3.0  # the offset must be this many one-sigma major axes or more
    shared_fraction: float = 0.8  # of B's sensors that also heard A
    later_fraction: float = 0.9  # of shared sensors where B's arrival is after A's
    weaker_fraction: float = 0.75  # of shared sensors where B's SNR is lower than A's
    minor_fraction: float = 0.5  # or B heard by at most this fraction of A's sensors
    shadowed_fraction: float = 0.6  # of a minor event's arrivals in a louder event's tail
    lead_s: float = 0.05  # a tail may start this early: a bullet's crack precedes its blast


def find_echoes(
    events: Sequence[Event],
    row_of: Mapping[str, int],
    sensor: NDArray[np.int64],
    time_s: NDArray[np.float64],
    snr_db: NDArray[np.float64],
    cfg: EchoConfig | None = None,
) -> set[str]:
    """Ids of events that are echoes of an earlier, stronger event."""
    cfg = cfg or EchoConfig()
    ordered = sorted(events, key=lambda e: e.time)
    t0 = np.array([e.time.timestamp() for e in ordered])
    heard = [{int(sensor[row_of[a]]): row_of[a] for a in e.arrival_ids} for e in ordered]
    echoes: set[str] = set()
    for j, b in enumerate(ordered):
        i = j - 1
        while i >= 0 and t0[j] - t0[i] <= cfg.window_s:
            a = ordered[i]
            if a.event_id not in echoes and _is_echo(a, b, heard[i], heard[j], time_s, snr_db, cfg):
                echoes.add(b.event_id)
                break
            i -= 1
        else:
            if _is_reverberation(j, ordered, t0, heard, time_s, cfg):
                echoes.add(b.event_id)
    return echoes


def _is_reverberation(
    j: int,
    ordered: Sequence[Event],
    t0: NDArray[np.float64],
    heard: Sequence[dict[int, int]],
    time_s: NDArray[np.float64],
    cfg: EchoConfig,
) -> bool:
    """A minor event made of the tails of several louder ones (a volley's echoes mixed).

    True when most of B's arrivals came, at their sensor, within ``window_s`` after an
    arrival of a much larger event (one heard by ``1 / minor_fraction`` times as many sensors)
    that lies far from B: the sensors were still ringing with a louder shot. A tail may begin
    ``lead_s`` before the louder arrival: a supersonic bullet's crack precedes the muzzle
    blast by a few milliseconds at sensors near its path.
    """
    b = ordered[j]
    big = [
        i
        for i in range(len(ordered))
        if i != j
        and abs(t0[j] - t0[i]) <= cfg.window_s
        and b.n_sensors <= cfg.minor_fraction * ordered[i].n_sensors
        and _far_apart(ordered[i], b, cfg)
    ]
    if not big:
        return False
    shadowed = 0
    for s, row in heard[j].items():
        t = time_s[row]
        lags = [t - time_s[heard[i][s]] for i in big if s in heard[i]]
        if any(-cfg.lead_s <= lag <= cfg.window_s for lag in lags):
            shadowed += 1
    return shadowed >= cfg.shadowed_fraction * len(heard[j])


def _far_apart(a: Event, b: Event, cfg: EchoConfig) -> bool:
    _, _, offset = GEOD.inv(a.lon, a.lat, b.lon, b.lat)
    blur = (a.err_major_m or 0.0) + (b.err_major_m or 0.0)
    return bool(cfg.min_offset_m <= offset and offset >= cfg.offset_sigmas * blur)


def _is_echo(
    a: Event,
    b: Event,
    heard_a: dict[int, int],
    heard_b: dict[int, int],
    time_s: NDArray[np.float64],
    snr_db: NDArray[np.float64],
    cfg: EchoConfig,
) -> bool:
    if b.n_sensors > a.n_sensors:
        return False
    _, _, offset = GEOD.inv(a.lon, a.lat, b.lon, b.lat)
    if not cfg.min_offset_m <= offset <= cfg.max_offset_m:
        return False
    blur = (a.err_major_m or 0.0) + (b.err_major_m or 0.0)
    if offset < cfg.offset_sigmas * blur:
        return False  # could be the same place, poorly fixed: a second round, not an echo
    shared = [s for s in heard_b if s in heard_a]
    if len(shared) < cfg.shared_fraction * len(heard_b):
        return False
    ra = np.array([heard_a[s] for s in shared])
    rb = np.array([heard_b[s] for s in shared])
    later = np.mean(time_s[rb] > time_s[ra])
    snr_a, snr_b = snr_db[ra], snr_db[rb]
    known = np.isfinite(snr_a) & np.isfinite(snr_b)
    if not known.any():
        return False  # without signal strengths an echo cannot be told from a second shot
    weaker = np.mean(snr_b[known] < snr_a[known])
    minor = b.n_sensors <= cfg.minor_fraction * a.n_sensors
    return bool(later >= cfg.later_fraction and (weaker >= cfg.weaker_fraction or minor))
