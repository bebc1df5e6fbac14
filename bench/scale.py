"""Scale: 10^5 to 10^7 arrivals end to end on Dask (Parquet in, analyse, events.parquet out).

The input is one simulated stretch of busy days on the real line of contact (demo theatre,
seed 17: 1,276 sensors along ~1,200 km), long enough for the largest size; each size is its
first N arrivals, written as Parquet once and kept in ``--data`` (default: the temporary
directory) for later runs. Each run is a process of its own with a fresh LocalCluster
(started before the clock, as a deployed cluster would be already running; its workers
warmed with a small analysis): the time is
`analyze_files` with ``engine=DaskConfig(...)``, i.e. validate the Parquet file, stream it
window by window to the workers, join, pair, write events.parquet, unassociated.csv and
run.json. Prints the time per arrival per size, its flatness, the 10^7 wall time, 1 worker
against 2 on the same input, and the peak memory of each worker and of the client.

    python -m bench scale                                  # 10^5, 10^6, 10^7 (~40 min)
    python -m bench scale --sizes 100000 1000000 --compare 100000
"""

from __future__ import annotations

import argparse
import json
import math
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

ARRIVALS_PER_BUSY_HOUR = 5_500  # demo theatre, busy profile (about; varies by day)
TARGET_10M_S = 30 * 60.0
FLAT_WITHIN = 1.25
SPEEDUP_TARGET = 1.7
DEFAULT_DATA = Path(tempfile.gettempdir()) / "truceline-bench-scale"  # ~0.3 GB, kept


def make_inputs(data: Path, sizes: list[int]) -> None:
    """Simulate once for the largest size and write the first N arrivals for each size."""
    import pyarrow.parquet as pq

    from truceline.geo.demo import load_demo_theatre
    from truceline.io.parquet import ARRIVAL_SCHEMA, ROW_GROUP_ROWS, write_arrival_columns
    from truceline.io.sensors import write_sensors
    from truceline.io.weather import write_weather
    from truceline.sim.scenario import simulate

    missing = [n for n in sizes if not (data / f"arrivals-{n}.parquet").is_file()]
    if not missing and (data / "sensors.csv").is_file():
        return
    data.mkdir(parents=True, exist_ok=True)
    hours = math.ceil(1.2 * max(sizes) / ARRIVALS_PER_BUSY_HOUR)
    t0 = time.perf_counter()
    start = datetime(2026, 11, 21, tzinfo=UTC)
    sc = simulate(load_demo_theatre(), seed=17, profile="busy", start=start, hours=hours)
    print(f"simulated {hours} busy hours: {len(sc.arrivals):,} arrivals", end="", flush=True)
    print(f" in {time.perf_counter() - t0:.0f} s", flush=True)
    if len(sc.arrivals) < max(sizes):
        raise SystemExit(f"the simulation gave only {len(sc.arrivals):,} arrivals")
    write_sensors(data / "sensors.csv", sc.sensors())
    write_weather(data / "weather.csv", sc.domain_weather())
    a = sc.arrivals
    time_us = np.round(a.time_s * 1e6).astype(np.int64)
    sensor_id = sc.network.sensor_id[a.sensor].astype(object)
    for n in missing:
        with pq.ParquetWriter(data / f"arrivals-{n}.parquet", ARRIVAL_SCHEMA) as writer:
            for lo in range(0, n, ROW_GROUP_ROWS):
                hi = min(n, lo + ROW_GROUP_ROWS)
                write_arrival_columns(
                    data / f"arrivals-{n}.parquet",
                    arrival_id=[f"A{i + 1:08d}" for i in range(lo, hi)],
                    sensor_id=sensor_id[lo:hi],
                    time_us=time_us[lo:hi],
                    label=a.label[lo:hi].astype(object),
                    snr_db=np.asarray(a.snr_db[lo:hi], dtype=np.float64),
                    append_to=writer,
                )
        print(f"wrote arrivals-{n}.parquet", flush=True)


def run_one(data: Path, size: int, workers: int, sector_sensors: int) -> dict[str, float]:
    """One timed end-to-end run on a fresh LocalCluster of ``workers`` processes."""
    import logging

    from distributed import Client, LocalCluster

    from truceline.app.analysis import analyze_files
    from truceline.io.parquet import read_arrivals_parquet
    from truceline.io.sensors import read_sensors
    from truceline.scale.dask_engine import (
        DaskConfig,
        analyze_arrivals_dask,
        peak_rss_gib,
        worker_peak_memory_gib,
    )
    from truceline.scale.sectors import sectors_for

    out = data / f"out-{size}-{workers}"
    with (
        LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            dashboard_address=":0",  # a free port: None does not disable it
            silence_logs=logging.ERROR,
        ) as cluster,
        Client(cluster) as client,
    ):
        engine = DaskConfig(cluster.scheduler_address, workers, sensors_per_sector=sector_sensors)
        warm = read_arrivals_parquet(data / "arrivals-100000.parquet")[:3000]
        analyze_arrivals_dask(read_sensors(data / "sensors.csv"), warm, dask_cfg=engine)
        t0 = time.perf_counter()
        result, _ = analyze_files(
            sensors=data / "sensors.csv",
            arrivals=data / f"arrivals-{size}.parquet",
            weather=data / "weather.csv",
            out_dir=out,
            engine=engine,
        )
        wall = time.perf_counter() - t0
        per_worker = worker_peak_memory_gib(client)
    return {
        "arrivals": size,
        "workers": workers,
        "sectors": sectors_for(len(read_sensors(data / "sensors.csv")), sector_sensors),
        "events": len(result.events),
        "wall_s": wall,
        "us_per_arrival": wall / size * 1e6,
        "worker_peak_gib": max(per_worker.values()),
        "client_peak_gib": peak_rss_gib(),
    }


def _run(data: Path, size: int, workers: int, sector_sensors: int = 1500) -> dict[str, float]:
    cmd = [sys.executable, "-m", "bench.scale", "--data", str(data)]
    cmd += ["--one", str(size), "--workers", str(workers), "--sector-sensors", str(sector_sensors)]
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{done.stderr[-3000:]}")
    row: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    print(
        f"{row['arrivals']:>11,} {int(row['workers']):>7} {int(row['sectors']):>7}"
        f" {row['events']:>8,} {row['wall_s']:>8.1f}"
        f" {row['us_per_arrival']:>10.1f} {row['worker_peak_gib']:>10.2f}"
        f" {row['client_peak_gib']:>10.2f}",
        flush=True,
    )
    return row


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--sizes", type=int, nargs="*", default=[100_000, 1_000_000, 10_000_000])
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--compare", type=int, default=1_000_000, help="size run on 1 and 2 workers")
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--sector-sensors", type=int, default=1500, help="sensors per sector")
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.one:
        print(json.dumps(run_one(args.data, args.one, args.workers, args.sector_sensors)))
        return 0
    sizes = sorted(set(args.sizes) | {100_000, args.compare})
    make_inputs(args.data, sizes)
    print(
        f"{'arrivals':>11} {'workers':>7} {'sectors':>7} {'events':>8} {'wall s':>8} {'us/arr':>10}"
        f" {'worker GiB':>10} {'client GiB':>10}"
    )
    small = [n for n in sorted(args.sizes) if n <= args.compare]  # the quick figures first
    rows = {n: _run(args.data, n, args.workers) for n in small}
    one = _run(args.data, args.compare, 1)
    cut = _run(args.data, args.compare, args.workers, sector_sensors=800)
    rows |= {n: _run(args.data, n, args.workers) for n in sorted(args.sizes) if n not in rows}
    per = [r["us_per_arrival"] for r in rows.values()]
    ratio = max(per) / min(per)
    print(
        f"time per arrival, max/min over sizes: {ratio:.2f} (flat within 25 %: "
        f"{'yes' if ratio <= FLAT_WITHIN else 'no'})"
    )
    two = rows.get(args.compare) or _run(args.data, args.compare, 2)
    speedup = one["wall_s"] / two["wall_s"]
    print(
        f"{args.compare:,} arrivals, 1 worker {one['wall_s']:.0f} s, 2 workers "
        f"{two['wall_s']:.0f} s: {speedup:.2f}x (target {SPEEDUP_TARGET}x: "
        f"{'met' if speedup >= SPEEDUP_TARGET else 'missed'})"
    )
    print(
        f"{args.compare:,} arrivals in {int(cut['sectors'])} sectors: "
        f"{cut['wall_s'] / two['wall_s']:.2f}x the time of one sector (the halo's cost)"
    )
    if 10_000_000 in rows:
        wall = rows[10_000_000]["wall_s"]
        print(
            f"10^7 arrivals: {wall / 60:.1f} min (target {TARGET_10M_S / 60:.0f} min: "
            f"{'met' if wall <= TARGET_10M_S else 'missed'})"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
