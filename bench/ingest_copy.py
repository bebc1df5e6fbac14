"""Ingest: arrivals into PostgreSQL by COPY (the store's path) against chunked INSERTs.

Each path loads the same simulated arrivals into a fresh schema (one transaction, all the
checks of ``add_arrivals``), then loads them again (all already stored: the idempotent
re-run). Needs a PostgreSQL URL.

    python -m bench ingest_copy --url postgresql+psycopg://USER:PASSWORD@HOST/DATABASE
"""

from __future__ import annotations

import argparse
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import Connection, make_url, text

from truceline.domain import Arrival, Sensor

Load = Callable[[Connection, list[Arrival]], object]


def _timed(url: str, load: Load, sensors: list[Sensor], arrivals: list[Arrival]) -> list[float]:
    """Seconds to load the arrivals into a fresh schema, then to load them again."""
    from truceline.store import add_sensors, create_engine_for, open_store

    admin = create_engine_for(url)
    schema = f"bench_{uuid.uuid4().hex}"
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    scoped = make_url(url).update_query_dict({"options": f"-csearch_path={schema}"})
    engine = open_store(scoped.render_as_string(hide_password=False))
    try:
        with engine.begin() as conn:
            add_sensors(conn, sensors=sensors)
        times = []
        for _ in range(2):  # new, then all already stored
            t0 = time.perf_counter()
            with engine.begin() as conn:
                load(conn, arrivals)
            times.append(time.perf_counter() - t0)
        return times
    finally:
        engine.dispose()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--url", required=True, help="a PostgreSQL database (schemas are made)")
    ap.add_argument("--hours", type=int, default=16, help="busy hours simulated (~6k/hour)")
    args = ap.parse_args(argv)
    from truceline.geo.demo import load_demo_theatre
    from truceline.sim.scenario import simulate
    from truceline.store.observations import ARRIVALS, add_arrivals
    from truceline.store.writes import add_rows, text_of

    start = datetime(2026, 11, 21, tzinfo=UTC)
    sc = simulate(load_demo_theatre(), seed=17, profile="busy", start=start, hours=args.hours)
    sensors, arrivals = sc.sensors(), sc.domain_arrivals()

    def rows(items: list[Arrival]) -> list[dict[str, object]]:
        return [
            {
                "arrival_id": a.arrival_id,
                "sensor_id": a.sensor_id,
                "time": a.time,
                "label": text_of(a.label),
                "snr_db": a.snr_db,
            }
            for a in items
        ]

    def insert(conn: Connection, items: list[Arrival]) -> object:
        return add_rows(conn, ARRIVALS, rows(items))

    def copy(conn: Connection, items: list[Arrival]) -> object:
        return add_arrivals(conn, arrivals=items)

    n = len(arrivals)
    got = {}
    for name, load in (("INSERT (chunks of 5,000)", insert), ("COPY (the store's path)", copy)):
        got[name] = _timed(args.url, load, sensors, arrivals)
        new, again = got[name]
        print(
            f"{name:<26} {n:,} arrivals: new {new:6.1f} s ({n / new:8,.0f}/s), "
            f"again {again:6.1f} s ({n / again:8,.0f}/s)",
            flush=True,
        )
    (ins_new, ins_again), (cp_new, cp_again) = got.values()
    print(
        f"COPY is {ins_new / cp_new:.1f}x faster for new arrivals, "
        f"{ins_again / cp_again:.1f}x for arrivals already stored"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
