"""The Dask driver: the engine's per-partition work on a Dask distributed cluster.

The period is cut into the in-process engine's time windows (same length, same halo) and the
network into sectors (``sectors.py``); each (window, sector) is one task running the engine's
``analyze_columns``, and one task per window joins its sectors and decides its echoes
(``partition.py``). The results equal the in-process engine's: the same event ids, positions
and unassociated arrivals.

Arrivals stream from the reader to the cluster window by window: the client holds about one
window (plus halos) of arrivals, and at most ``windows_in_flight`` windows are on the cluster
at once; the events (about one per 50 arrivals) are gathered on the client.
"""

from __future__ import annotations

import importlib
import logging
import resource
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

from truceline.domain import Arrival, Sensor, Weather
from truceline.engine.network import Network
from truceline.engine.pipeline import ArrivalAnalysis, EngineConfig
from truceline.engine.soundspeed import WeatherModel
from truceline.errors import InputError
from truceline.io.csvtable import PathLike
from truceline.io.parquet import (
    ArrivalBatch,
    ArrivalScan,
    read_arrival_batches,
    scan_arrivals,
)
from truceline.scale.partition import (
    WindowPart,
    WindowResult,
    analyze_sector,
    finish_window,
    join_windows,
    window_parts,
)
from truceline.scale.sectors import SectorPlan, default_halo_m, plan_sectors, sectors_for

Client = Any  # distributed.Client (the package ships no type hints)

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class DaskConfig:
    """Where the driver runs and how it partitions the network."""

    scheduler: str | None = None  # tcp://HOST:PORT of a running scheduler; None: LocalCluster
    workers: int = 2  # LocalCluster worker processes (one thread each)
    # One sector per 1,500 sensors: the demo line (1,276 sensors, ~1,200 km) is one sector;
    # each cut adds a halo's arrivals to the work (+21 % measured for two sectors on it).
    sensors_per_sector: int = 1500
    halo_m: float | None = None  # sector halo; None: 2 * max_range_m + 5 km (sectors.py)
    windows_in_flight: int | None = None  # None: 2 per worker, plus 2
    connect_timeout_s: float = 15.0  # how long to try to reach ``scheduler``


@contextmanager
def dask_client(cfg: DaskConfig) -> Iterator[Client]:
    """A client of the scheduler at ``cfg.scheduler``, or of a LocalCluster of ``cfg.workers``."""
    dist = _distributed()
    if cfg.scheduler is None:
        with (
            dist.LocalCluster(
                n_workers=cfg.workers,
                threads_per_worker=1,
                processes=True,
                dashboard_address=":0",  # a free port: None does not disable it
                silence_logs=logging.ERROR,
            ) as cluster,
            dist.Client(cluster) as client,
        ):
            yield client
        return
    try:
        client = dist.Client(cfg.scheduler, timeout=f"{cfg.connect_timeout_s}s")
    except (OSError, TimeoutError, ValueError) as exc:
        why = f"cannot reach the Dask scheduler at {cfg.scheduler} ({exc})"
        raise InputError(why, column="--scheduler") from None
    try:
        yield client
    finally:
        client.close()


def sector_plan(network: Network, cfg: EngineConfig, dask_cfg: DaskConfig) -> SectorPlan:
    """The sectors for a network: about ``sensors_per_sector`` sensors in each core."""
    halo = dask_cfg.halo_m
    halo = default_halo_m(cfg.associate.max_range_m) if halo is None else halo
    count = sectors_for(len(network), dask_cfg.sensors_per_sector)
    return plan_sectors(network.lon, network.lat, count, halo)


def analyze_arrivals_dask(
    sensors: Sequence[Sensor],
    arrivals: Sequence[Arrival],
    weather: Sequence[Weather] = (),
    cfg: EngineConfig | None = None,
    dask_cfg: DaskConfig | None = None,
    plan: SectorPlan | None = None,
) -> ArrivalAnalysis:
    """``engine.pipeline.analyze_arrivals`` on a Dask cluster (arrivals held in memory)."""
    cfg, dask_cfg = cfg or EngineConfig(), dask_cfg or DaskConfig()
    network = Network.from_sensors(sensors)
    batch = _batch_of(arrivals, network)
    if len(batch) == 0:
        return ArrivalAnalysis([], [])
    ordered = bool(np.all(np.diff(batch.time_us) >= 0))
    t_min, t_max = int(batch.time_us.min()), int(batch.time_us.max())
    parts = window_parts([batch], t_min / 1e6, t_max / 1e6, cfg, ordered)
    plan = plan or sector_plan(network, cfg, dask_cfg)
    with dask_client(dask_cfg) as client:
        return run_windows(client, parts, network, WeatherModel.from_rows(weather), cfg, plan)


def analyze_arrival_file_dask(
    sensors: Sequence[Sensor],
    arrivals: PathLike,
    weather: Sequence[Weather] = (),
    cfg: EngineConfig | None = None,
    dask_cfg: DaskConfig | None = None,
    scan: ArrivalScan | None = None,
) -> ArrivalAnalysis:
    """Analyse an arrivals Parquet file on a Dask cluster, streaming it window by window.

    The file is validated whole first (one pass; nothing is analysed if a row is bad), then
    read again in batches (``scan``: the first pass, when already made). Memory on the client:
    about one time window of arrivals when the file is in time order (as the simulator and most
    feeds write it), else the whole file.
    """
    cfg, dask_cfg = cfg or EngineConfig(), dask_cfg or DaskConfig()
    ids = [s.sensor_id for s in sensors]
    scan = scan or scan_arrivals(arrivals, ids)
    if scan.rows == 0:
        return ArrivalAnalysis([], [])
    network = Network.from_sensors(sensors)
    batches = read_arrival_batches(arrivals, ids)
    parts = window_parts(batches, scan.t_min_us / 1e6, scan.t_max_us / 1e6, cfg, scan.time_sorted)
    plan = sector_plan(network, cfg, dask_cfg)
    with dask_client(dask_cfg) as client:
        return run_windows(client, parts, network, WeatherModel.from_rows(weather), cfg, plan)


def run_windows(
    client: Client,
    parts: Iterable[WindowPart],
    network: Network,
    model: WeatherModel,
    cfg: EngineConfig,
    plan: SectorPlan,
    windows_in_flight: int | None = None,
) -> ArrivalAnalysis:
    """Submit each window's sector tasks and its joining task; gather as they finish."""
    members = plan.members(network.lon, network.lat)
    plan_f, net_f, model_f = client.scatter([plan, network, model], broadcast=True, hash=False)
    members_f = client.scatter(list(members), broadcast=True, hash=False)
    limit = windows_in_flight or 2 * max(1, len(client.scheduler_info()["workers"])) + 2
    # On this client's own loop: dask's wait() takes the process's default client, which is
    # another one when the caller holds a client of its own (as the benchmark does).
    finished = _distributed().as_completed(loop=client.loop)
    in_flight = 0
    results: list[WindowResult] = []
    for part in parts:
        part_f = client.scatter(part, hash=False)
        touched = np.nonzero(members[:, np.unique(part.cols.sensor)].any(axis=1))[0]
        sector_fs = [
            client.submit(analyze_sector, part_f, int(s), plan_f, members_f[s], net_f, model_f, cfg)
            for s in touched
        ]
        finished.add(client.submit(finish_window, part_f, sector_fs, cfg))
        in_flight += 1
        if in_flight >= limit:
            results.append(next(finished).result())
            in_flight -= 1
    results.extend(future.result() for future in finished)
    return join_windows(results)


def worker_peak_memory_gib(client: Client) -> dict[str, float]:
    """Peak resident memory of each worker process so far (GiB)."""
    peaks: dict[str, float] = client.run(peak_rss_gib)
    return peaks


def _distributed() -> Any:
    """The distributed package, imported when the Dask engine is used (typed as Any)."""
    return importlib.import_module("distributed")


def peak_rss_gib() -> float:
    """Peak resident memory of this process (GiB) since it started its program.

    Linux's VmHWM, reset by exec; ``ru_maxrss`` is not, so a process started by a large
    one would report its parent's size.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 2**20  # kB
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20  # Linux: KiB


def _batch_of(arrivals: Sequence[Arrival], network: Network) -> ArrivalBatch:
    """Arrivals held in memory as one batch of columns (rows in the given order)."""
    index = network.index()
    n = len(arrivals)
    return ArrivalBatch(
        np.arange(n, dtype=np.int64),
        np.array([a.arrival_id for a in arrivals], dtype=object),
        np.array([a.sensor_id for a in arrivals], dtype=object),
        np.array([index[a.sensor_id] for a in arrivals], dtype=np.int64),
        np.array([(a.time - EPOCH) // timedelta(microseconds=1) for a in arrivals], np.int64),
        np.array([a.label.value if a.label else None for a in arrivals], dtype=object),
        np.array([np.nan if a.snr_db is None else a.snr_db for a in arrivals], dtype=float),
    )
