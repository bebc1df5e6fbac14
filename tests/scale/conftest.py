"""A Dask LocalCluster of two worker processes, shared by the tests of the Dask driver."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache

import pytest
from distributed import LocalCluster

from truceline.domain import Arrival, Sensor, Weather
from truceline.geo.demo import load_demo_theatre
from truceline.sim.scenario import simulate

START = datetime(2026, 11, 21, tzinfo=UTC)


@pytest.fixture(scope="session")
def cluster() -> Iterator[LocalCluster]:
    """A LocalCluster of 2 worker processes (one thread each), as in production."""
    with LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        dashboard_address=":0",  # a free port: None does not disable it
        silence_logs=logging.ERROR,
    ) as local:
        yield local


@pytest.fixture(scope="session")
def scheduler(cluster: LocalCluster) -> str:
    """The address of the shared LocalCluster's scheduler."""
    return str(cluster.scheduler_address)


@dataclass(frozen=True)
class Inputs:
    """A simulated scenario's sensors, arrivals and weather."""

    sensors: list[Sensor]
    arrivals: list[Arrival]
    weather: list[Weather]


@cache
def scenario(seed: int, profile: str, hours: int) -> Inputs:
    """Hours of activity on the real line of contact (demo theatre), cached per session."""
    sc = simulate(load_demo_theatre(), seed=seed, profile=profile, start=START, hours=hours)
    return Inputs(sc.sensors(), sc.domain_arrivals(), sc.domain_weather())
