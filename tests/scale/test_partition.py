"""Time windows streamed from a file: the same windows as held in memory, read lazily."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np

from tests.scale.conftest import scenario
from truceline.engine.pipeline import EngineConfig
from truceline.io.parquet import ArrivalBatch, read_arrival_batches, write_arrivals_parquet
from truceline.scale.partition import WindowPart, window_parts


def _parts(
    path: Path, ids: list[str], cfg: EngineConfig, streamed: bool, rows: int
) -> list[WindowPart]:
    batches = list(read_arrival_batches(path, ids, batch_rows=rows))
    t = np.concatenate([b.time_us for b in batches])
    return list(window_parts(batches, t.min() / 1e6, t.max() / 1e6, cfg, streamed))


def test_streamed_windows_equal_windows_cut_from_the_whole_file(tmp_path: Path) -> None:
    inputs = scenario(12, "quiet", 4)
    path = tmp_path / "arrivals.parquet"
    write_arrivals_parquet(path, inputs.arrivals)
    ids = [s.sensor_id for s in inputs.sensors]
    cfg = EngineConfig(window_s=1800.0, halo_s=300.0)
    held = _parts(path, ids, cfg, streamed=False, rows=1 << 20)
    streamed = _parts(path, ids, cfg, streamed=True, rows=97)
    assert len(held) == 8
    assert [p.index for p in streamed] == [p.index for p in held]
    for a, b in zip(streamed, held, strict=True):
        assert (a.lo, a.hi) == (b.lo, b.hi)
        assert a.row.tolist() == b.row.tolist()
        assert a.cols.arrival_id.tolist() == b.cols.arrival_id.tolist()
        assert np.array_equal(a.cols.time_s, b.cols.time_s)
        lo, hi = a.lo - cfg.halo_s, a.hi + cfg.halo_s
        assert ((a.cols.time_s >= lo) & (a.cols.time_s < hi)).all()
    times = np.array([a.time.timestamp() for a in inputs.arrivals])
    owned = sum(int(((times >= p.lo) & (times < p.hi)).sum()) for p in held)
    assert owned == len(inputs.arrivals)  # every arrival in exactly one window's own period


def test_a_time_ordered_file_is_read_only_as_far_as_the_window_needs(tmp_path: Path) -> None:
    inputs = scenario(12, "quiet", 4)
    path = tmp_path / "arrivals.parquet"
    write_arrivals_parquet(path, inputs.arrivals)
    ids = [s.sensor_id for s in inputs.sensors]
    batches = list(read_arrival_batches(path, ids, batch_rows=50))
    read: list[int] = []

    def counted() -> Iterator[ArrivalBatch]:
        for batch in batches:
            read.append(len(batch))
            yield batch

    t = np.concatenate([b.time_us for b in batches]) / 1e6
    cfg = EngineConfig(window_s=1800.0)
    parts = window_parts(counted(), float(t.min()), float(t.max()), cfg, time_sorted=True)
    first = next(parts)
    assert first.index == 0
    needed = int((t < first.hi + cfg.halo_s).sum())
    assert needed <= sum(read) <= needed + 50  # one batch beyond what window 0 needs
    assert sum(read) < len(t) / 4
