"""Throughput: arrivals associated and located per second, from 10^4 to 10^6 arrivals.

Each size runs in its own process (so its peak memory is its own): simulate busy days on the
real line of contact until the arrivals reach the size, then time `analyze_arrivals` alone
(association, location, merging, CRLB) with two workers. Prints the time per arrival for
each size, the flatness of that curve, and the peak memory.

    python -m bench throughput            # 10^4, 10^5, 10^6
    python -m bench throughput --sizes 10000 100000
"""

from __future__ import annotations

import argparse
import json
import math
import resource
import subprocess
import sys
import time
from datetime import UTC, datetime

ARRIVALS_PER_BUSY_HOUR = 5_500  # measured on the demo theatre, busy profile (about)
TARGET_S_FOR_1M = 180.0
MEMORY_LIMIT_GIB = 4.0


def _one(size: int, workers: int) -> dict[str, float]:
    from truceline.engine.pipeline import EngineConfig, analyze_arrivals
    from truceline.geo.demo import load_demo_theatre
    from truceline.sim.scenario import simulate

    hours = max(1, math.ceil(1.15 * size / ARRIVALS_PER_BUSY_HOUR))  # then cut to size
    start = datetime(2026, 11, 21, tzinfo=UTC)
    sc = simulate(load_demo_theatre(), seed=17, profile="busy", start=start, hours=hours)
    sensors, weather = sc.sensors(), sc.domain_weather()
    arrivals = sc.domain_arrivals()[:size]
    del sc
    t0 = time.perf_counter()
    result = analyze_arrivals(sensors, arrivals, weather, EngineConfig(workers=workers))
    wall = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20  # KiB -> GiB
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 2**20
    return {
        "arrivals": len(arrivals),
        "events": len(result.events),
        "wall_s": wall,
        "us_per_arrival": wall / len(arrivals) * 1e6,
        "peak_gib": peak,
        "peak_worker_gib": children,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--sizes", type=int, nargs="*", default=[10_000, 100_000, 1_000_000])
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.one:
        print(json.dumps(_one(args.one, args.workers)))
        return 0
    # Compile the Numba seed loop once, outside the measurements.
    subprocess.run(
        [sys.executable, "-m", "bench.throughput", "--one", "3000"], check=True, capture_output=True
    )
    rows = []
    print(
        f"{'arrivals':>10} {'events':>7} {'wall s':>8} {'us/arrival':>11} {'peak GiB':>9}"
        f" {'worker GiB':>10}"
    )
    for size in args.sizes:
        out = subprocess.run(
            [
                sys.executable,
                "-m",
                "bench.throughput",
                "--one",
                str(size),
                "--workers",
                str(args.workers),
            ],
            check=True,
            capture_output=True,
            text=True,
        )
        row = json.loads(out.stdout.strip().splitlines()[-1])
        rows.append(row)
        print(
            f"{row['arrivals']:>10,} {row['events']:>7,} {row['wall_s']:>8.1f} "
            f"{row['us_per_arrival']:>11.1f} {row['peak_gib']:>9.2f} "
            f"{row['peak_worker_gib']:>10.2f}",
            flush=True,
        )
    per = [r["us_per_arrival"] for r in rows]
    print(
        f"time per arrival, max/min over sizes: {max(per) / min(per):.2f} (flat within 25 %: "
        f"{'yes' if max(per) / min(per) <= 1.25 else 'no'})"
    )
    big = [r for r in rows if r["arrivals"] >= 1_000_000]
    if big:
        r = big[0]
        print(
            f"10^6 arrivals: {r['wall_s']:.0f} s (target {TARGET_S_FOR_1M:.0f} s: "
            f"{'met' if r['wall_s'] <= TARGET_S_FOR_1M else 'missed'}); peak "
            f"{max(r['peak_gib'], r['peak_worker_gib']):.2f} GiB (limit {MEMORY_LIMIT_GIB})."
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
