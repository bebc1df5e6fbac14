"""PostGIS layers: the store's tables open in QGIS as point layers (PostgreSQL), and SQLite
stays as it was.

QGIS lists a PostGIS database's layers from ``geometry_columns`` (table, column, SRID,
geometry type), reads each layer's extent, and draws it through the spatial index.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Engine, inspect, text

from tests.store.samples import EVENTS, REPORTS, SENSORS, VIOLATIONS
from truceline.store import add_events, add_reports, add_sensors, add_violations

LAYERS = {"sensors", "events", "violations", "reports"}


def _fill(engine: Engine) -> None:
    with engine.begin() as conn:
        add_sensors(conn, sensors=SENSORS)
        add_reports(conn, reports=REPORTS)
        add_events(conn, events=EVENTS)
        add_violations(conn, violations=VIOLATIONS)


@contextmanager
def _as_qgis(engine: Engine) -> Iterator[Connection]:
    """A transaction that sees PostGIS's functions and operators, as a QGIS session does
    (the tests' stores live in schemas of their own, PostGIS in its schema)."""
    with engine.begin() as conn:
        postgis = "SELECT extnamespace::regnamespace FROM pg_extension WHERE extname = 'postgis'"
        gis = conn.execute(text(postgis)).scalar_one()
        path = f"{conn.execute(text('SELECT current_schema()')).scalar_one()}, {gis}"
        conn.execute(text("SELECT set_config('search_path', :path, true)"), {"path": path})
        yield conn


def _wkt(value: float) -> str:
    """A coordinate as PostGIS writes it in WKT (48.0 as 48)."""
    return repr(value).removesuffix(".0")


def test_layers_are_listed_in_geometry_columns_as_wgs84_points(engine: Engine) -> None:
    if engine.dialect.name != "postgresql":
        for table in LAYERS:  # SQLite: no geometry, nothing changed
            assert "geom" not in {c["name"] for c in inspect(engine).get_columns(table)}
        return
    with _as_qgis(engine) as conn:
        rows = conn.execute(
            text(
                "SELECT f_table_name, f_geometry_column, coord_dimension, srid, type"
                " FROM geometry_columns WHERE f_table_schema = current_schema() ORDER BY 1"
            )
        ).all()
    assert [tuple(r) for r in rows] == [(t, "geom", 2, 4326, "POINT") for t in sorted(LAYERS)]


def test_each_layer_has_a_gist_spatial_index(engine: Engine) -> None:
    if engine.dialect.name != "postgresql":
        assert all(
            not i["name"].endswith("_geom") for t in LAYERS for i in inspect(engine).get_indexes(t)
        )
        return
    # Our schema's GiST indexes first, their definitions after: pg_indexes would describe
    # every index of the database, including those other test workers are dropping.
    with engine.connect() as conn:
        indexes = conn.execute(
            text(
                "WITH mine AS MATERIALIZED ("
                " SELECT t.relname AS tablename, i.relname AS indexname, i.oid AS index_oid"
                " FROM pg_index x JOIN pg_class t ON t.oid = x.indrelid"
                " JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_am am ON am.oid = i.relam"
                " JOIN pg_namespace n ON n.oid = t.relnamespace"
                " WHERE n.nspname = current_schema() AND am.amname = 'gist')"
                " SELECT tablename, indexname, pg_get_indexdef(index_oid) FROM mine"
            )
        ).all()
    assert {(t, i) for t, i, _ in indexes} == {(t, f"ix_{t}_geom") for t in LAYERS}
    assert all(d.endswith("USING gist (geom)") for _, _, d in indexes)


def test_stored_points_are_the_rows_lon_lat(engine: Engine) -> None:
    _fill(engine)
    if engine.dialect.name != "postgresql":
        return
    with _as_qgis(engine) as conn:
        for table, key in [
            ("sensors", "sensor_id"),
            ("events", "event_id"),
            ("violations", "violation_id"),
            ("reports", "report_id"),
        ]:
            rows = conn.execute(
                text(
                    f"SELECT {key}, lon, lat, ST_AsText(geom), ST_SRID(geom), ST_X(geom),"
                    f" ST_Y(geom) FROM {table}"
                )
            ).all()
            assert rows, table
            for _, lon, lat, wkt, srid, x, y in rows:
                if lon is None:  # no position (an access denial, a report without one)
                    assert wkt is None
                    continue
                assert wkt == f"POINT({_wkt(lon)} {_wkt(lat)})"
                assert (srid, x, y) == (4326, lon, lat)  # exactly, not rounded


def test_a_moved_event_moves_its_point_and_the_index_finds_it(engine: Engine) -> None:
    _fill(engine)
    if engine.dialect.name != "postgresql":
        return
    near = "geom && ST_MakeEnvelope(38.49, 47.49, 38.51, 47.51, 4326)"
    with _as_qgis(engine) as conn:
        conn.execute(text("UPDATE events SET lon = 38.5, lat = 47.5 WHERE event_id = 'E2'"))
        conn.execute(text("SET LOCAL enable_seqscan = off"))
        found = conn.execute(text(f"SELECT event_id FROM events WHERE {near}")).scalars().all()
        plan = "\n".join(
            conn.execute(text(f"EXPLAIN SELECT event_id FROM events WHERE {near}")).scalars()
        )
        extent = conn.execute(text("SELECT ST_Extent(geom)::text FROM events")).scalar()
    assert found == ["E2"]
    assert "ix_events_geom" in plan
    assert extent == "BOX(37.86 47.5,38.5 48.04)"
