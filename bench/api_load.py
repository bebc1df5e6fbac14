"""API load: arrivals per second in batches, and paced single-report POSTs, over loopback.

Starts a real `truceline serve` (bench/serving.py) on a fresh store of the chosen backend,
with the rate limit raised far above the load, then measures:

1. sustained arrival intake: several clients POST batches (JSON, then arrivals.csv) as fast
   as the server answers, for ``--intake-duration`` seconds each; arrivals per second
   acknowledged, per 10 s window too (the store grows as it goes);
2. single-report POSTs offered at ``--rate`` per second for ``--duration`` seconds by an
   open-loop client (each request is sent at its scheduled time whatever the server does,
   and its latency counts from that time): p50/p95/p99 and the errors.

For context, the same writes straight through the API's intake functions (no HTTP, no JSON,
same engine settings: SQLite WAL with synchronous=FULL), on a fresh store, in this run:
what the machine can do raw, and the ratio of the two.

    python -m bench api_load                              # SQLite
    python -m bench api_load --backend postgresql         # TRUCELINE_BENCH_POSTGRES_URL
    python -m bench api_load --duration 60 --intake-duration 30 --clients 4 --batch 10000
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
from sqlalchemy import make_url, text

from bench.serving import SECRET_KEY, KeepAliveClient, ServerProcess, add_token

if TYPE_CHECKING:
    from truceline.api.state import ApiState

POSTGRES_URL_ENV = "TRUCELINE_BENCH_POSTGRES_URL"
DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres:postgres@127.0.0.1:5432/truceline_bench"
SENSORS = [f"S{n:03d}" for n in range(100)]
TAG = "@@@@@@@@@@"  # replaced in a body template by a batch's own 10-character tag
T0 = datetime(2026, 3, 1, tzinfo=UTC)
TARGET_ARRIVALS_PER_S = 20_000
TARGET_P99_MS = 100.0
WINDOW_S = 10.0


# --- stores ----------------------------------------------------------------------------------


@contextmanager
def fresh_store(backend: str, workdir: Path, name: str) -> Iterator[str]:
    """The URL of an empty store: a new SQLite file, or a new schema dropped at the end."""
    if backend == "sqlite":
        yield f"sqlite:///{workdir / f'{name}.db'}"
        return
    from truceline.store import create_engine_for

    base = os.environ.get(POSTGRES_URL_ENV, DEFAULT_POSTGRES_URL)
    admin = create_engine_for(base)
    schema = f"bench_{name}_{uuid.uuid4().hex[:8]}"
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        options = {"options": f"-csearch_path={schema}"}
        yield make_url(base).update_query_dict(options).render_as_string(hide_password=False)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


# --- request bodies ----------------------------------------------------------------------------


def arrival_rows(size: int) -> list[dict[str, object]]:
    """``size`` arrivals whose ids start with TAG, spread over sensors and an hour."""
    return [
        {
            "arrival_id": f"{TAG}-{i:06d}",
            "sensor_id": SENSORS[i % len(SENSORS)],
            "time": (T0 + timedelta(seconds=i * 3600 / size)).isoformat().replace("+00:00", "Z"),
            "label": None,
            "snr_db": round(6 + (i % 200) / 10, 1),
        }
        for i in range(size)
    ]


def json_template(size: int) -> bytes:
    """A JSON batch with TAG in every id."""
    return json.dumps(arrival_rows(size)).encode()


def csv_template(size: int) -> bytes:
    """An arrivals.csv batch with TAG in every id."""
    lines = ["arrival_id,sensor_id,time,label,snr_db"]
    rows = arrival_rows(size)
    lines += [f"{r['arrival_id']},{r['sensor_id']},{r['time']},,{r['snr_db']}" for r in rows]
    return ("\n".join(lines) + "\n").encode()


# --- (a) sustained batch intake --------------------------------------------------------------


@dataclass
class IntakeFigures:
    """Acknowledged arrivals of a timed intake run."""

    label: str
    seconds: float
    arrivals: int = 0
    batches: int = 0
    errors: list[str] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)
    completions: list[tuple[float, int]] = field(default_factory=list)
    server_cpu_s: float = 0.0  # CPU time the server process spent meanwhile

    @property
    def per_second(self) -> float:
        return self.arrivals / self.seconds if self.seconds else 0.0

    def windows(self) -> list[float]:
        """Arrivals per second in each WINDOW_S window of the run."""
        count = max(1, int(self.seconds // WINDOW_S))
        sums = [0] * count
        for at, n in self.completions:
            sums[min(count - 1, int(at // WINDOW_S))] += n
        return [s / WINDOW_S for s in sums]


def run_intake(
    base_url: str, token: str, *, csv: bool, clients: int, batch: int, seconds: float, run: str
) -> IntakeFigures:
    """``clients`` threads POST batches back to back for ``seconds``; what was acknowledged."""
    template = csv_template(batch) if csv else json_template(batch)
    path, kind = ("/arrivals/csv", "text/csv") if csv else ("/arrivals", "application/json")
    headers = {"Authorization": f"Bearer {token}", "Content-Type": kind}
    figures = IntakeFigures("arrivals.csv" if csv else "JSON", seconds)
    lock = threading.Lock()
    start = time.perf_counter()

    def client(number: int) -> None:
        with httpx.Client(base_url=base_url, headers=headers, timeout=120) as http:
            for seq in range(100_000):
                if time.perf_counter() - start >= seconds:
                    return
                body = template.replace(TAG.encode(), batch_tag(run, number, seq).encode())
                sent = time.perf_counter()
                stored, error = _post_batch(http, path, body, batch)
                done = time.perf_counter()
                with lock:
                    if error:
                        figures.errors.append(error)
                        continue
                    figures.arrivals += stored
                    figures.batches += 1
                    figures.latencies.append(done - sent)
                    figures.completions.append((done - start, stored))

    threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    figures.seconds = time.perf_counter() - start  # the last batches finish after the bell
    return figures


def batch_tag(run: str, client: int, seq: int) -> str:
    """The 10 characters that replace TAG in the ids of one batch (unique in a run).

    >>> batch_tag("jfc", 3, 42)
    'jfc0300042'
    """
    tag = f"{run}{client:02d}{seq:05d}"
    if len(tag) != len(TAG):
        raise ValueError(f"batch tag {tag!r} is not {len(TAG)} characters")
    return tag


def _post_batch(http: httpx.Client, path: str, body: bytes, size: int) -> tuple[int, str]:
    """Arrivals newly stored by one POST, and an error ("" when all ``size`` were new)."""
    try:
        response = http.post(path, content=body)
    except httpx.HTTPError as exc:
        return 0, f"{type(exc).__name__}: {exc}"
    if response.status_code != 200:
        return 0, f"{response.status_code} {response.text[:200]}"
    new = int(response.json()["new"])
    return new, "" if new == size else f"{new} of {size} arrivals new: ids reused?"


# --- (b) paced single reports ----------------------------------------------------------------


@dataclass
class PacedFigures:
    """Latencies (from each request's scheduled time) of an open-loop run."""

    offered: int
    seconds: float
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    late_sends: int = 0  # requests the client itself sent over 10 ms after their time
    server_cpu_s: float = 0.0  # CPU time the server process spent meanwhile
    client_cpu_s: float = 0.0  # CPU time of this (client) process


def report_body(number: int, run: str) -> bytes:
    """A batch of one report with its own id."""
    report = {
        "report_id": f"{run}-R{number:08d}",
        "source_id": "OSCE-7",
        "source_kind": "monitor",
        "time": (T0 + timedelta(seconds=number)).isoformat().replace("+00:00", "Z"),
        "event_type": "explosion",
        "lon": 37.8,
        "lat": 48.0,
        "reliability": "B",
        "credibility": "2",
        "text": "two explosions heard north-east of the checkpoint",
    }
    return json.dumps([report]).encode()


async def _paced(base_url: str, token: str, rate: float, seconds: float, run: str) -> PacedFigures:
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    total = int(rate * seconds)
    figures = PacedFigures(total, seconds)
    client = KeepAliveClient(base_url, headers)

    async def one(number: int, scheduled: float) -> None:
        try:
            status, answer = await client.post("/reports", report_body(number, run))
        except (OSError, ValueError, IndexError, asyncio.IncompleteReadError) as exc:
            figures.errors.append(f"{type(exc).__name__}: {exc}")
            return
        if status != 200:
            figures.errors.append(f"{status} {answer[:200]!r}")
        else:
            figures.latencies.append(time.perf_counter() - scheduled)

    start = time.perf_counter()
    tasks = []
    for number in range(total):
        scheduled = start + number / rate
        delay = scheduled - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        elif delay < -0.010:
            figures.late_sends += 1
        tasks.append(asyncio.create_task(one(number, scheduled)))
    await asyncio.gather(*tasks)
    client.close()
    return figures


def run_paced(base_url: str, token: str, *, rate: float, seconds: float, run: str) -> PacedFigures:
    """Single-report POSTs at ``rate`` per second for ``seconds`` (open loop)."""
    cpu = time.process_time()
    figures = asyncio.run(_paced(base_url, token, rate, seconds, run))
    figures.client_cpu_s = time.process_time() - cpu
    return figures


# --- raw: the same writes without HTTP -------------------------------------------------------


def raw_intake(url: str, *, batch: int, seconds: float) -> float:
    """Arrivals per second through `intake.store_arrivals` alone (one writer; the domain
    objects are built beforehand, outside the timed part)."""
    from truceline.api import intake
    from truceline.domain import Arrival, Sensor

    state = _api_state(url)
    intake.store_sensors(state.engine, [Sensor(s, 37.8, 48.0) for s in SENSORS])
    rows = arrival_rows(batch)
    stored, busy, seq = 0, 0.0, 0
    while busy < seconds:
        arrivals = [
            Arrival(
                arrival_id=str(r["arrival_id"]).replace(TAG, f"raw{seq:07d}"),
                sensor_id=str(r["sensor_id"]),
                time=datetime.fromisoformat(str(r["time"])),
                snr_db=float(str(r["snr_db"])),
            )
            for r in rows
        ]
        began = time.perf_counter()
        with state.writing():
            intake.store_arrivals(state.engine, arrivals)
        busy += time.perf_counter() - began
        stored += batch
        seq += 1
    state.engine.dispose()
    return stored / busy


def raw_reports(url: str, *, count: int) -> list[float]:
    """Latency (s) of single-report transactions through `intake.store_reports`, in a row."""
    from truceline.api import intake
    from truceline.api.roles import Principal, Role
    from truceline.domain import Report, SourceKind

    state = _api_state(url)
    monitor = Principal("bench", Role.MONITOR)
    latencies = []
    for number in range(count):
        report = Report(
            report_id=f"raw-R{number:08d}",
            source_id="OSCE-7",
            source_kind=SourceKind.MONITOR,
            time=T0 + timedelta(seconds=number),
            event_type="explosion",
            lon=37.8,
            lat=48.0,
            text="two explosions heard north-east of the checkpoint",
        )
        began = time.perf_counter()
        with state.writing():
            intake.store_reports(state.engine, [report], monitor)
        latencies.append(time.perf_counter() - began)
    state.engine.dispose()
    return latencies


def _api_state(url: str) -> ApiState:
    """The engine set up as the API sets it up (SQLite: synchronous=FULL)."""
    from truceline.api.state import build_state
    from truceline.settings import Settings

    return build_state(Settings(database_url=url, api_secret_key=SECRET_KEY))


def quantile_ms(values: list[float], q: float) -> float:
    """The ``q`` quantile of durations in seconds, in milliseconds.

    >>> quantile_ms([0.001, 0.002, 0.003, 0.004], 0.5)
    3.0
    """
    if not values:
        return float("nan")
    ordered = sorted(values)
    return 1000 * ordered[min(len(ordered) - 1, int(q * len(ordered)))]


# --- the run ---------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    ap.add_argument("--duration", type=float, default=60.0, help="single-report phase, s")
    ap.add_argument("--intake-duration", type=float, default=30.0, help="each intake phase, s")
    ap.add_argument("--raw-duration", type=float, default=10.0, help="raw store time, s")
    ap.add_argument("--clients", type=int, default=4, help="concurrent intake clients")
    ap.add_argument("--batch", type=int, default=10_000, help="arrivals per POST")
    ap.add_argument("--rate", type=float, default=200.0, help="single reports offered per s")
    phases = ("json", "csv", "reports", "raw")
    ap.add_argument("--phases", nargs="*", default=list(phases), choices=phases)
    args = ap.parse_args(argv)
    run = uuid.uuid4().hex[:2]
    print(f"api_load on {args.backend}: {os.cpu_count()} cores; run {run}", flush=True)
    with tempfile.TemporaryDirectory(prefix="truceline-api-load-") as workdir:
        if "raw" in args.phases:
            _print_raw(args, Path(workdir))
        with fresh_store(args.backend, Path(workdir), "http") as url:
            _serve_and_load(args, url, Path(workdir), run)
    return 0


def _serve_and_load(args: argparse.Namespace, url: str, workdir: Path, run: str) -> None:
    from truceline.store.database import open_store

    engine = open_store(url)
    token = add_token(engine, name="bench-feed", role="analyst")
    engine.dispose()
    # The rate limit stays on, raised far above the load (its cost is measured too).
    limits = {"api_rate_per_second": "1000000", "api_rate_burst": "1000000"}
    with ServerProcess(url, workdir / "serve.log", **limits) as server:
        sensors = [{"sensor_id": s, "lon": 37.8, "lat": 48.0} for s in SENSORS]
        headers = {"Authorization": f"Bearer {token}"}
        httpx.post(f"{server.url}/sensors", json=sensors, headers=headers).raise_for_status()
        for phase in ("json", "csv"):
            if phase in args.phases:
                cpu = server.cpu_seconds()
                figures = run_intake(
                    server.url,
                    token,
                    csv=phase == "csv",
                    clients=args.clients,
                    batch=args.batch,
                    seconds=args.intake_duration,
                    run=f"{phase[0]}{run}",
                )
                figures.server_cpu_s = server.cpu_seconds() - cpu
                _print_intake(figures, args)
        if "reports" in args.phases:
            cpu = server.cpu_seconds()
            paced = run_paced(server.url, token, rate=args.rate, seconds=args.duration, run=run)
            paced.server_cpu_s = server.cpu_seconds() - cpu
            _print_paced(paced, args)


def _print_raw(args: argparse.Namespace, workdir: Path) -> None:
    with fresh_store(args.backend, workdir, "raw") as url:
        rate = raw_intake(url, batch=args.batch, seconds=args.raw_duration)
        latencies = raw_reports(url, count=1_000)
    _RAW.update(rate=rate, p50=quantile_ms(latencies, 0.5), p99=quantile_ms(latencies, 0.99))
    print(
        f"raw (no HTTP): {rate:,.0f} arrivals/s in batches of {args.batch:,} "
        f"({args.raw_duration:.0f} s of store time); one report per transaction: "
        f"p50 {_RAW['p50']:.1f} ms, p99 {_RAW['p99']:.1f} ms",
        flush=True,
    )


_RAW: dict[str, float] = {}


def _print_intake(figures: IntakeFigures, args: argparse.Namespace) -> None:
    verdict = "meets" if figures.per_second >= TARGET_ARRIVALS_PER_S else "MISSES"
    ratio = f"; HTTP/raw {figures.per_second / _RAW['rate']:.2f}" if "rate" in _RAW else ""
    windows = ", ".join(f"{w:,.0f}" for w in figures.windows())
    batch_p50 = quantile_ms(figures.latencies, 0.5)
    per_cpu_s = figures.arrivals / figures.server_cpu_s if figures.server_cpu_s else 0.0
    print(
        f"intake {figures.label}: {figures.per_second:,.0f} arrivals/s sustained over "
        f"{figures.seconds:.1f} s ({figures.arrivals:,} arrivals, {figures.batches} batches of "
        f"{args.batch:,}, {args.clients} clients; batch p50 {batch_p50:.0f} ms); "
        f"per {WINDOW_S:.0f} s: {windows}; server CPU {figures.server_cpu_s:.1f} s, i.e. "
        f"{per_cpu_s:,.0f} arrivals per CPU-second; errors {len(figures.errors)}{ratio}; "
        f"{verdict} the {TARGET_ARRIVALS_PER_S:,}/s target",
        flush=True,
    )
    for error in figures.errors[:5]:
        print(f"  error: {error}")


def _print_paced(figures: PacedFigures, args: argparse.Namespace) -> None:
    p50, p95, p99, worst = (quantile_ms(figures.latencies, q) for q in (0.5, 0.95, 0.99, 1.0))
    ok = p99 < TARGET_P99_MS and not figures.errors
    raw = f"; raw p50 {_RAW['p50']:.1f} ms, p99 {_RAW['p99']:.1f} ms" if "p50" in _RAW else ""
    print(
        f"single reports: {figures.offered:,} offered at {args.rate:.0f}/s for "
        f"{figures.seconds:.0f} s; latency from the scheduled time p50 {p50:.1f} ms, "
        f"p95 {p95:.1f} ms, p99 {p99:.1f} ms, max {worst:.0f} ms; "
        f"errors {len(figures.errors)}; late sends {figures.late_sends}; CPU per request: "
        f"server {1000 * figures.server_cpu_s / figures.offered:.2f} ms, "
        f"client {1000 * figures.client_cpu_s / figures.offered:.2f} ms{raw}; "
        f"{'meets' if ok else 'MISSES'} the p99 < {TARGET_P99_MS:.0f} ms, zero errors target",
        flush=True,
    )
    for error in figures.errors[:5]:
        print(f"  error: {error}")
