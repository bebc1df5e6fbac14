"""Locate on simulated busy days: event F1 beside PyOcto, RMS error over the CRLB, coverage.

For each seed, a busy day (``--hours``) on the synthetic theatre (135 km of line, ~140
sensors) with wind: our engine and PyOcto group the same arrivals; F1 is scored against the
simulator's truth (an event is detectable when heard directly at 5 sensors or more; 4 is
printed too), and both wall times are measured in the same run. The same seed without wind
gives the RMS horizontal error of the located events over the RMS of their Cramer-Rao bound
(``crlb_m``, over the arrivals each fix kept), and the share of true origins inside the 95 %
error ellipse. Medians over seeds are printed at the end.

The simulator's weather is exact (its travel times are computed from it) and weather.csv says
so (``sound_speed_sigma_ms`` 0), as the Cramer-Rao bound assumes a known speed of sound;
``--unstated-weather`` drops that statement, so that the locator takes its default 1 m/s
prior on the residual speed of sound, as for a weather station a few km away.

    python -m bench locate_sim                 # seeds 1 2 3, 12 h each
    python -m bench locate_sim --seeds 4 5 --hours 6
    python -m bench locate_sim --no-peer --unstated-weather
"""

from __future__ import annotations

import argparse
import statistics
import time
from dataclasses import replace
from datetime import UTC, datetime

import numpy as np
from pyproj import Geod

from bench.metrics import association_scores, detectable_events
from truceline.domain import Weather
from truceline.engine.ellipse import CHI2_2DOF_95
from truceline.engine.pipeline import analyze_arrivals
from truceline.engine.soundspeed import speed_of_sound_ms
from truceline.sim.profiles import PROFILES
from truceline.sim.scenario import Scenario, simulate
from truceline.sim.theatres import synthetic_theatre

GEOD = Geod(ellps="WGS84")
START = datetime(2026, 11, 21, tzinfo=UTC)


def _groups(sc: Scenario, events: list) -> list[list[int]]:  # type: ignore[type-arg]
    index = {aid: i for i, aid in enumerate(sc.arrival_ids())}
    return [[index[a] for a in e.arrival_ids] for e in events]


def _accuracy(sc: Scenario, events: list) -> tuple[float, float, float, int, float]:  # type: ignore[type-arg]
    """RMS error, RMS CRLB and 95 % ellipse coverage over events that are one true event, and
    RMS error over RMS CRLB without the worst 1 % of events by error over bound (the RMS ratio
    of a day rests on a handful of few-sensor fixes far outside the array, where no estimator
    reaches the bound)."""
    truth = sc.arrivals.event
    err, bound, inside = [], [], []
    for e, g in zip(events, _groups(sc, events), strict=True):
        owners = truth[g]
        top = np.bincount(owners[owners >= 0]).argmax() if (owners >= 0).any() else -1
        if top < 0 or np.mean(owners == top) < 0.9:
            continue
        az, _, d = GEOD.inv(e.lon, e.lat, sc.events.lon[top], sc.events.lat[top])
        east, north = d * np.sin(np.radians(az)), d * np.cos(np.radians(az))
        a = np.radians(e.err_azimuth_deg)
        u = east * np.sin(a) + north * np.cos(a)  # along the major axis
        v = east * np.cos(a) - north * np.sin(a)
        m2 = (u / max(e.err_major_m, 1e-6)) ** 2 + (v / max(e.err_minor_m, 1e-6)) ** 2
        err.append(d)
        bound.append(e.crlb_m)
        inside.append(m2 <= CHI2_2DOF_95)
    rms = float(np.sqrt(np.mean(np.square(err))))
    rms_bound = float(np.sqrt(np.mean(np.square(bound))))
    e, b = np.asarray(err), np.asarray(bound)
    keep = np.argsort(e / b)[: max(1, int(0.99 * len(e)))]
    trimmed = float(np.sqrt(np.mean(e[keep] ** 2)) / np.sqrt(np.mean(b[keep] ** 2)))
    return rms, rms_bound, float(np.mean(inside)), len(err), trimmed


def _pyocto(sc: Scenario) -> tuple[list[list[int]], float]:
    from bench.peers.pyocto_peer import associate_pyocto

    net, a = sc.network, sc.arrivals
    c = float(np.mean(speed_of_sound_ms(sc.weather.temperature_c)))
    res = associate_pyocto(net.lon, net.lat, net.elev_m, a.sensor, a.time_s, sound_speed_ms=c)
    return res.groups, res.wall_s


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--seeds", type=int, nargs="*", default=[1, 2, 3])
    ap.add_argument("--hours", type=int, default=12)
    ap.add_argument("--no-peer", action="store_true", help="skip PyOcto")
    ap.add_argument(
        "--unstated-weather",
        action="store_true",
        help="drop weather.csv's sound_speed_sigma_ms (the locator assumes 1 m/s)",
    )
    args = ap.parse_args(argv)

    def weather(sc: Scenario) -> list[Weather]:
        rows = sc.domain_weather()
        return (
            [replace(w, sound_speed_sigma_ms=None) for w in rows] if args.unstated_weather else rows
        )

    theatre = synthetic_theatre()
    summary: dict[str, list[float]] = {}
    print(
        f"{'seed':>4} {'arrivals':>9} {'F1 ours':>8} {'F1 pyocto':>9} {'F1 ours(4)':>10} "
        f"{'s ours':>7} {'s pyocto':>8} {'ratio':>6} {'RMS/CRLB':>8} {'cover95':>7} {'n':>5} "
        f"{'RMS/CRLB no-nlos':>16} {'cover95 no-nlos':>15} {'RMS/CRLB 99%':>9}"
    )
    for seed in args.seeds:
        windy = simulate(theatre, seed=seed, profile="busy", start=START, hours=args.hours)
        a = windy.arrivals
        det5 = detectable_events(a.event, a.sensor, a.path, len(windy.events), 5)
        det4 = detectable_events(a.event, a.sensor, a.path, len(windy.events), 4)
        arrivals = windy.domain_arrivals()
        t0 = time.perf_counter()
        ours = analyze_arrivals(windy.sensors(), arrivals, weather(windy))
        ours_s = time.perf_counter() - t0
        g = _groups(windy, ours.events)
        f1 = association_scores(g, a.event, det5).f1
        f1_4 = association_scores(g, a.event, det4).f1
        peer_f1, peer_s = float("nan"), float("nan")
        if not args.no_peer:
            peer_groups, peer_s = _pyocto(windy)
            peer_f1 = association_scores(peer_groups, a.event, det5).f1
        calm = simulate(
            theatre, seed=seed, profile="busy", start=START, hours=args.hours, windy=False
        )
        calm_events = analyze_arrivals(calm.sensors(), calm.domain_arrivals(), weather(calm)).events
        rms, rms_bound, cover, n, trimmed = _accuracy(calm, calm_events)
        _, _, cover_windy, _, _ = _accuracy(windy, ours.events)
        # The same calm day with no blocked paths: pick noise alone, as the CRLB assumes.
        clear = simulate(
            theatre,
            seed=seed,
            profile=replace(PROFILES["busy"], p_nlos=0.0),
            start=START,
            hours=args.hours,
            windy=False,
        )
        clear_events = analyze_arrivals(
            clear.sensors(), clear.domain_arrivals(), weather(clear)
        ).events
        rms_c, rms_bound_c, cover_c, _, _ = _accuracy(clear, clear_events)
        row = {
            "f1": f1,
            "f1_pyocto": peer_f1,
            "s": ours_s,
            "s_pyocto": peer_s,
            "ratio_crlb": rms / rms_bound,
            "ratio_crlb_99": trimmed,
            "cover": cover,
            "cover_windy": cover_windy,
            "ratio_crlb_clear": rms_c / rms_bound_c,
            "cover_clear": cover_c,
        }
        for k, v in row.items():
            summary.setdefault(k, []).append(v)
        print(
            f"{seed:>4} {len(a):>9,} {f1:>8.4f} {peer_f1:>9.4f} {f1_4:>10.4f} {ours_s:>7.1f} "
            f"{peer_s:>8.1f} {peer_s / ours_s:>6.2f} {rms / rms_bound:>8.2f} {cover:>7.3f} "
            f"{n:>5} {rms_c / rms_bound_c:>16.2f} {cover_c:>15.3f} {trimmed:>9.2f}",
            flush=True,
        )
    med = {k: statistics.median(v) for k, v in summary.items()}
    print(
        f"median: F1 ours {med['f1']:.4f} vs PyOcto {med['f1_pyocto']:.4f}; wall {med['s']:.1f} s"
        f" vs {med['s_pyocto']:.1f} s (PyOcto/ours {med['s_pyocto'] / med['s']:.2f}); RMS/CRLB "
        f"{med['ratio_crlb']:.2f} (no wind; {med['ratio_crlb_99']:.2f} without the worst 1 %); "
        f"95 % coverage {med['cover']:.3f} (no wind), "
        f"{med['cover_windy']:.3f} (wind); without blocked paths: RMS/CRLB "
        f"{med['ratio_crlb_clear']:.2f}, coverage {med['cover_clear']:.3f}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
