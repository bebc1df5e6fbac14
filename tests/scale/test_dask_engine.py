"""The Dask driver on a LocalCluster of 2 workers gives exactly the in-process engine's results."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from distributed import Client, LocalCluster

from tests.scale.conftest import Inputs, scenario
from truceline.domain import Event
from truceline.engine.network import Network
from truceline.engine.pipeline import ArrivalAnalysis, EngineConfig, analyze_arrivals
from truceline.errors import InputError
from truceline.io.parquet import write_arrivals_parquet
from truceline.scale.dask_engine import (
    DaskConfig,
    analyze_arrival_file_dask,
    analyze_arrivals_dask,
    dask_client,
    worker_peak_memory_gib,
)
from truceline.scale.sectors import SectorPlan, default_halo_m, plan_sectors, split_at

_LOCAL: dict[tuple[int, EngineConfig], ArrivalAnalysis] = {}


def _local(inputs: Inputs, cfg: EngineConfig) -> ArrivalAnalysis:
    """The in-process engine's result (computed once per scenario and configuration)."""
    key = (id(inputs), cfg)
    if key not in _LOCAL:
        _LOCAL[key] = analyze_arrivals(inputs.sensors, inputs.arrivals, inputs.weather, cfg)
    return _LOCAL[key]


def _assert_same(dask: ArrivalAnalysis, local: ArrivalAnalysis) -> None:
    assert [e.event_id for e in dask.events] == [e.event_id for e in local.events]
    assert dask.events == local.events  # positions, ellipses, kinds: every field
    assert dask.unassociated == local.unassociated


@pytest.mark.parametrize(
    ("seed", "profile", "hours", "window_s", "sensors_per_sector"),
    [
        (11, "busy", 1, 900.0, 350),  # 4 windows x 4 sectors
        (12, "quiet", 4, 3600.0, 500),  # sparse activity, 4 windows x 3 sectors
    ],
)
def test_dask_equals_the_local_engine(
    scheduler: str,
    seed: int,
    profile: str,
    hours: int,
    window_s: float,
    sensors_per_sector: int,
) -> None:
    inputs = scenario(seed, profile, hours)
    cfg = EngineConfig(window_s=window_s)
    local = _local(inputs, cfg)
    engine = DaskConfig(scheduler=scheduler, sensors_per_sector=sensors_per_sector)
    dask = analyze_arrivals_dask(inputs.sensors, inputs.arrivals, inputs.weather, cfg, engine)
    assert len(local.events) > 20
    _assert_same(dask, local)


def _straddler(inputs: Inputs, local: ArrivalAnalysis) -> tuple[Event, float, float]:
    """The best-heard event, the median time of its arrivals and the median easting of its
    sensors (in the sector plan's projection): edges there cut its arrivals in two."""
    event = max(local.events, key=lambda e: (e.n_sensors, e.event_id))
    by_id = {a.arrival_id: a for a in inputs.arrivals}
    where = {s.sensor_id: (s.lon, s.lat) for s in inputs.sensors}
    times = [by_id[a].time.timestamp() for a in event.arrival_ids]
    lon, lat = zip(*(where[by_id[a].sensor_id] for a in event.arrival_ids), strict=True)
    plan = plan_sectors([s.lon for s in inputs.sensors], [s.lat for s in inputs.sensors], 1, 0)
    x, _ = plan.project(lon, lat)
    return event, float(np.median(times)), float(np.median(x))


def _cut_through(inputs: Inputs, x_cut: float, halo_m: float) -> tuple[Network, SectorPlan]:
    network = Network.from_sensors(inputs.sensors)
    plan = plan_sectors(network.lon, network.lat, 1, halo_m)
    return network, split_at(plan, [x_cut - 150_000.0, x_cut, x_cut + 150_000.0])


def test_an_event_cut_by_a_sector_edge_and_a_time_edge_is_found_once(scheduler: str) -> None:
    inputs = scenario(13, "busy", 1)
    event, t_mid, x_mid = _straddler(inputs, _local(inputs, EngineConfig()))
    t_min = min(a.time.timestamp() for a in inputs.arrivals)
    windows = max(1, round((t_mid - t_min) / 900.0))
    cfg = EngineConfig(window_s=(t_mid - t_min) / windows)  # a window edge at t_mid
    local = _local(inputs, cfg)
    network, plan = _cut_through(inputs, x_mid, default_halo_m(25_000.0))
    xs, _ = plan.project(network.lon, network.lat)
    assert event in local.events
    heard = {a.sensor_id for a in inputs.arrivals if a.arrival_id in event.arrival_ids}
    sides = {bool(x < x_mid) for x, s in zip(xs, network.sensor_id, strict=True) if s in heard}
    assert sides == {True, False}  # its sensors are on both sides of the sector edge
    engine = DaskConfig(scheduler=scheduler)
    dask = analyze_arrivals_dask(
        inputs.sensors, inputs.arrivals, inputs.weather, cfg, engine, plan=plan
    )
    assert [e.event_id for e in dask.events].count(event.event_id) == 1
    _assert_same(dask, local)
    # The check has teeth: a halo too narrow for the events near the edges changes them.
    _, narrow = _cut_through(inputs, x_mid, 5_000.0)
    cut = analyze_arrivals_dask(
        inputs.sensors, inputs.arrivals, inputs.weather, cfg, engine, plan=narrow
    )
    assert cut.events != local.events


def test_a_parquet_file_streamed_to_the_cluster_gives_the_same_events(
    scheduler: str, tmp_path: Path
) -> None:
    inputs = scenario(11, "busy", 1)
    cfg = EngineConfig(window_s=900.0)
    path = tmp_path / "arrivals.parquet"
    write_arrivals_parquet(path, inputs.arrivals)
    engine = DaskConfig(scheduler=scheduler, sensors_per_sector=600)
    dask = analyze_arrival_file_dask(inputs.sensors, path, inputs.weather, cfg, engine)
    _assert_same(dask, _local(inputs, cfg))


def test_arrivals_out_of_time_order_give_the_same_events(scheduler: str) -> None:
    inputs = scenario(12, "quiet", 4)
    shuffled = list(inputs.arrivals)
    np.random.default_rng(5).shuffle(shuffled)
    cfg = EngineConfig(window_s=3600.0)
    local = analyze_arrivals(inputs.sensors, shuffled, inputs.weather, cfg)
    engine = DaskConfig(scheduler=scheduler, sensors_per_sector=500)
    dask = analyze_arrivals_dask(inputs.sensors, shuffled, inputs.weather, cfg, engine)
    _assert_same(dask, local)


def test_no_arrivals_give_no_events(scheduler: str) -> None:
    inputs = scenario(12, "quiet", 4)
    result = analyze_arrivals_dask(inputs.sensors, [], dask_cfg=DaskConfig(scheduler=scheduler))
    assert result == ArrivalAnalysis([], [])


def test_workers_report_their_peak_memory(scheduler: str) -> None:
    with dask_client(DaskConfig(scheduler=scheduler)) as client:
        peaks = worker_peak_memory_gib(client)
    assert len(peaks) == 2
    assert all(0.01 < gib < 64 for gib in peaks.values())


def test_an_unreachable_scheduler_is_an_input_error() -> None:
    unreachable = DaskConfig(scheduler="tcp://127.0.0.1:9", connect_timeout_s=1.0)
    with pytest.raises(InputError, match="cannot reach the Dask scheduler"):  # noqa: SIM117
        with dask_client(unreachable):
            pass


def test_more_windows_than_in_flight_beside_a_client_of_the_callers_own(
    cluster: LocalCluster, scheduler: str
) -> None:
    inputs = scenario(12, "quiet", 4)
    cfg = EngineConfig(window_s=900.0)  # 16 windows: the driver waits for some to finish
    engine = DaskConfig(scheduler=scheduler, sensors_per_sector=800)
    with Client(cluster):  # the process's default client: not the driver's, on another loop
        dask = analyze_arrivals_dask(inputs.sensors, inputs.arrivals, inputs.weather, cfg, engine)
    _assert_same(dask, _local(inputs, cfg))
