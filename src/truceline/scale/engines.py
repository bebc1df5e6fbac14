"""Choosing the engine for `truceline analyze`: in-process (default) or on a Dask cluster.

Arrivals are held in memory for the in-process engine and for CSV files; a Parquet file
analysed on Dask is validated in one pass and then streamed window by window.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from truceline.domain import Arrival, Sensor, Weather
from truceline.engine.pipeline import ArrivalAnalysis, EngineConfig, analyze_arrivals
from truceline.errors import InputError
from truceline.io.formats import read_arrivals_file
from truceline.io.parquet import ArrivalScan, is_parquet, scan_arrivals
from truceline.scale.dask_engine import (
    DaskConfig,
    analyze_arrival_file_dask,
    analyze_arrivals_dask,
)

ENGINES = ("local", "dask")


def engine_config(engine: str, scheduler: str | None, workers: int) -> DaskConfig | None:
    """The `--engine` and `--scheduler` options: None for the in-process engine."""
    if engine not in ENGINES:
        why = f"unknown engine {engine!r}; choose one of {', '.join(ENGINES)}"
        raise InputError(why, column="--engine")
    if engine == "local":
        if scheduler is not None:
            raise InputError("--scheduler needs --engine dask", column="--scheduler")
        return None
    if scheduler is not None and not scheduler.startswith(("tcp://", "tls://", "inproc://")):
        why = f"expected an address like tcp://HOST:PORT, got {scheduler!r}"
        raise InputError(why, column="--scheduler")
    return DaskConfig(scheduler=scheduler, workers=workers)


@dataclass(frozen=True)
class ArrivalInput:
    """A validated arrivals file: its rows in memory, or (streamed) what its scan found."""

    path: Path
    rows: list[Arrival] | None
    scan: ArrivalScan | None

    def __len__(self) -> int:
        return self.scan.rows if self.scan is not None else len(self.rows or ())


def read_arrival_input(
    path: Path, sensors: Sequence[Sensor], engine: DaskConfig | None
) -> ArrivalInput:
    """Validate an arrivals file; hold its rows unless it is Parquet analysed on Dask."""
    ids = [s.sensor_id for s in sensors]
    if engine is not None and is_parquet(path):
        return ArrivalInput(path, None, scan_arrivals(path, ids))
    return ArrivalInput(path, read_arrivals_file(path, sensor_ids=set(ids)), None)


def analyze_arrival_input(
    arrivals: ArrivalInput,
    sensors: Sequence[Sensor],
    weather: Sequence[Weather],
    cfg: EngineConfig,
    engine: DaskConfig | None,
) -> ArrivalAnalysis:
    """Associate and locate on the chosen engine (``None``: in-process); same results."""
    if engine is None:
        return analyze_arrivals(sensors, arrivals.rows or [], weather, cfg)
    if arrivals.rows is not None:
        return analyze_arrivals_dask(sensors, arrivals.rows, weather, cfg, engine)
    return analyze_arrival_file_dask(sensors, arrivals.path, weather, cfg, engine, arrivals.scan)
