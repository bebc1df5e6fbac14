"""Crash test: `truceline serve` killed with SIGKILL under batched intake, then restarted.

A real server process on loopback takes batches of arrivals (JSON and CSV) and reports from
several client threads; it is killed (SIGKILL, no shutdown) while requests are in flight,
several times, and restarted on the same store. Then: every batch the client saw
acknowledged (2xx) is entirely stored, no batch is half stored (ids counted per batch with
SQL), the server takes intake again, and the batches never acknowledged, sent again, end up
stored exactly once. Runs on SQLite and PostgreSQL (the ``store_url`` backends).
"""

from __future__ import annotations

import random
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from bench.serving import ServerProcess, add_token
from sqlalchemy import Engine, func, select

from truceline.store.database import open_store
from truceline.store.tables import arrivals, reports

CLIENTS = 4
KILLS = 3  # rounds of load, each ended by a SIGKILL
ACKED_BEFORE_KILL = 3  # acknowledged batches a round waits for before killing
SIZES = {"arrivals": 1_500, "arrivals.csv": 1_000, "reports": 500}
KINDS = tuple(SIZES)
SENSORS = [f"S{n:02d}" for n in range(12)]
TAG_LENGTH = len("k1c2b0003-")  # every id of a batch starts with the batch's tag
ROUND_DEADLINE_S = 30.0


@dataclass
class Batch:
    """One intake request: ``size`` records whose ids all start with ``tag``."""

    tag: str
    kind: str
    outcome: str = "unsent"  # then "in flight", "acked", "lost" (no answer) or "refused"
    answer: dict[str, int] = field(default_factory=dict)

    @property
    def size(self) -> int:
        return SIZES[self.kind]

    @property
    def table(self) -> str:
        return "reports" if self.kind == "reports" else "arrivals"

    def request(self) -> dict[str, Any]:
        """The path and body of the POST."""
        if self.kind == "reports":
            return {"url": "/reports", "json": [_report(self.tag, i) for i in range(self.size)]}
        if self.kind == "arrivals":
            return {"url": "/arrivals", "json": [_arrival(self.tag, i) for i in range(self.size)]}
        rows = (_arrival(self.tag, i) for i in range(self.size))
        lines = [f"{a['arrival_id']},{a['sensor_id']},{a['time']},,{a['snr_db']}" for a in rows]
        body = "arrival_id,sensor_id,time,label,snr_db\n" + "\n".join(lines) + "\n"
        return {"url": "/arrivals/csv", "content": body, "headers": {"content-type": "text/csv"}}


def _arrival(tag: str, i: int) -> dict[str, Any]:
    time_ = f"2026-03-01T04:{i // 600 % 60:02d}:{i // 10 % 60:02d}.{i % 10}Z"
    sensor = SENSORS[i % len(SENSORS)]
    return {"arrival_id": f"{tag}{i:05d}", "sensor_id": sensor, "time": time_, "snr_db": 10.5}


def _report(tag: str, i: int) -> dict[str, Any]:
    return {
        "report_id": f"{tag}{i:05d}",
        "source_id": "OSCE-7",
        "source_kind": "monitor",
        "time": f"2026-03-01T05:{i // 60 % 60:02d}:{i % 60:02d}Z",
        "event_type": "explosion",
        "lon": 37.8,
        "lat": 48.0,
        "text": "heard, not seen",
    }


class Load:
    """Client threads posting batches to a server until told to stop."""

    def __init__(self, base_url: str, token: str, round_no: int) -> None:
        self.base_url, self.token, self.round_no = base_url, token, round_no
        self.batches: list[Batch] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._client, args=(c,)) for c in range(CLIENTS)]

    def start(self) -> None:
        for thread in self._threads:
            thread.start()

    def stop(self) -> None:
        """Send no new batch (those in flight go on until answered or cut)."""
        self._stop.set()

    def join(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=60)
        assert not any(t.is_alive() for t in self._threads), "a client thread hangs"

    def count(self, outcome: str) -> int:
        with self._lock:
            return sum(b.outcome == outcome for b in self.batches)

    def _client(self, client_no: int) -> None:
        headers = {"Authorization": f"Bearer {self.token}"}
        with httpx.Client(base_url=self.base_url, headers=headers, timeout=60) as client:
            for seq in range(10_000):
                if self._stop.is_set():
                    return
                tag = f"k{self.round_no}c{client_no}b{seq:04d}-"
                batch = Batch(tag, KINDS[(client_no + seq) % len(KINDS)])
                request = batch.request()
                with self._lock:
                    self.batches.append(batch)
                    batch.outcome = "in flight"
                try:
                    response = client.post(**request)
                except httpx.TransportError:
                    batch.outcome = "lost"  # cut by the kill: stored or not, nobody knows
                    return
                batch.outcome = "acked" if response.is_success else "refused"
                batch.answer = response.json() if response.is_success else {}


def stored_per_batch(engine: Engine) -> Counter[str]:
    """Ids stored per batch tag (arrivals and reports), counted by the database."""
    counts: Counter[str] = Counter()
    for table, key in ((arrivals, arrivals.c.arrival_id), (reports, reports.c.report_id)):
        tag = func.substr(key, 1, TAG_LENGTH)
        query = select(tag, func.count()).select_from(table).group_by(tag)
        with engine.connect() as conn:
            counts.update({str(t): int(n) for t, n in conn.execute(query)})
    return counts


@pytest.fixture
def store(store_url: str) -> Iterator[Engine]:
    """The migrated store the servers run on (and the test counts with)."""
    engine = open_store(store_url)
    yield engine
    engine.dispose()


def test_sigkill_mid_intake_loses_no_acknowledged_batch_and_splits_none(
    store_url: str, store: Engine, tmp_path: Path
) -> None:
    token = add_token(store, name="feed", role="analyst")
    server = ServerProcess(store_url, tmp_path / "serve.log", api_rate_per_second="0")
    batches: list[Batch] = []
    try:
        server.start()
        _post_sensors(server.url, token)
        for round_no in range(1, KILLS + 1):
            batches += _load_then_kill(server, token, round_no)
            server.start()  # on the same store
        stored = stored_per_batch(store)
        _check_all_or_nothing(batches, stored)
        _check_recovery(server, token, batches, stored, store)
    finally:
        server.kill()


def _load_then_kill(server: ServerProcess, token: str, round_no: int) -> list[Batch]:
    """Post batches from several clients, SIGKILL the server while some are in flight."""
    load = Load(server.url, token, round_no)
    load.start()
    deadline = time.monotonic() + ROUND_DEADLINE_S
    try:
        while load.count("acked") < ACKED_BEFORE_KILL:
            _wait_a_little(deadline, server)
        time.sleep(random.uniform(0, 0.03))  # anywhere in a request, commit included
        while load.count("in flight") < 2:
            _wait_a_little(deadline, server)
        load.stop()
        in_flight = load.count("in flight")
        server.kill()
    finally:
        load.join()
    print(
        f"round {round_no}: {load.count('acked')} batches acknowledged, {in_flight} in flight "
        f"at the SIGKILL, {load.count('lost')} never answered"
    )
    refused = [(b.tag, b.kind) for b in load.batches if b.outcome == "refused"]
    assert not refused, f"batches refused before the kill: {refused}\n{server.log_tail()}"
    return load.batches


def _wait_a_little(deadline: float, server: ServerProcess) -> None:
    assert time.monotonic() < deadline, f"the load did not get going:\n{server.log_tail()}"
    time.sleep(0.002)


def _check_all_or_nothing(batches: list[Batch], stored: Counter[str]) -> None:
    acked = [b for b in batches if b.outcome == "acked"]
    lost = [b for b in batches if b.outcome == "lost"]
    print(
        f"after {KILLS} kills: {len(acked)} acknowledged batches, {len(lost)} never answered "
        f"({sum(stored[b.tag] == b.size for b in lost)} of them stored whole); "
        f"{sum(stored.values())} records stored"
    )
    assert lost, "no request was cut by the kills: the test did not test a crash"
    missing = [(b.tag, stored[b.tag], b.size) for b in acked if stored[b.tag] != b.size]
    assert not missing, f"acknowledged batches not (fully) stored: {missing}"
    assert all(b.answer == {"new": b.size, "existing": 0} for b in acked)
    half = [(b.tag, stored[b.tag], b.size) for b in batches if stored[b.tag] not in (0, b.size)]
    assert not half, f"half-stored batches: {half}"
    strays = set(stored) - {b.tag for b in batches}
    assert not strays, f"records of no batch sent: {strays}"


def _check_recovery(
    server: ServerProcess, token: str, batches: list[Batch], before: Counter[str], store: Engine
) -> None:
    """The restarted server takes new intake; lost batches sent again are stored once."""
    headers = {"Authorization": f"Bearer {token}"}
    lost = [b for b in batches if b.outcome == "lost"]
    fresh = Batch("k0c0b0000-", "arrivals")
    with httpx.Client(base_url=server.url, headers=headers, timeout=60) as client:
        response = client.post(**fresh.request())
        assert (response.status_code, response.json()) == (200, {"new": fresh.size, "existing": 0})
        for batch in lost:
            response = client.post(**batch.request())
            assert response.status_code == 200, response.text
            was_stored = before[batch.tag] == batch.size
            new = 0 if was_stored else batch.size
            assert response.json() == {"new": new, "existing": batch.size - new}, batch.tag
        again = next(b for b in batches if b.outcome == "acked")
        response = client.post(**again.request())
        assert response.json() == {"new": 0, "existing": again.size}
    after = stored_per_batch(store)
    wrong = [(b.tag, after[b.tag]) for b in [*batches, fresh] if after[b.tag] != b.size]
    assert not wrong, f"batches not stored exactly once after the retries: {wrong}"
    assert sum(after.values()) == sum(b.size for b in [*batches, fresh])
    print(f"after the restart: {len(lost)} batches sent again, {sum(after.values())} records")


def _post_sensors(base_url: str, token: str) -> None:
    sensors = [{"sensor_id": s, "lon": 37.8 + n / 100, "lat": 48.0} for n, s in enumerate(SENSORS)]
    response = httpx.post(
        f"{base_url}/sensors", json=sensors, headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 200, response.text
