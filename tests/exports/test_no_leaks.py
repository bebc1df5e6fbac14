"""No export carries what reports reveal: report text, report, source, sensor or arrival ids,
weapon serials, or where an observer stood."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from truceline.exports.acled import Country, write_acled_csv
from truceline.exports.atom import write_atom
from truceline.exports.geojson import write_geojson
from truceline.exports.gpkg import write_gpkg
from truceline.exports.hxl import write_hxl_csv
from truceline.exports.kml import write_kml
from truceline.exports.public import OpenData
from truceline.exports.ucdp import write_ucdp_csv

from .conftest import DemoStore


@pytest.fixture(scope="module")
def exports(
    open_data: OpenData, demo: DemoStore, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, bytes]:
    out = tmp_path_factory.mktemp("all")
    country, now = Country("Ukraine", 804, 369, "Europe"), datetime.now(UTC)
    for layer in (open_data.events, open_data.violations):
        write_geojson(out / f"{layer.name}.geojson", layer, ellipses=True)
        write_hxl_csv(out / f"{layer.name}.csv", layer)
    write_kml(out / "open.kml", open_data)
    write_gpkg(out / "open.gpkg", open_data)
    write_acled_csv(out / "acled.csv", open_data, country=country, generated=now)
    write_ucdp_csv(out / "ucdp.csv", open_data, country=country)
    write_atom(out / "alerts.atom", demo.out_dir / "alerts")
    return {p.name: p.read_bytes() for p in sorted(out.iterdir())}


def _secrets(demo: DemoStore) -> set[str]:
    found = {r.report_id for r in demo.reports} | {r.source_id for r in demo.reports}
    found |= set(demo.sensor_ids) | {a for e in demo.events for a in e.arrival_ids}
    found |= {s for r in demo.reports for s in r.serials}
    found |= {r.text for r in demo.reports if r.text and len(r.text) >= 10}
    return found


def test_the_demo_has_what_could_leak(demo: DemoStore) -> None:
    # The check below means something only if the store holds such things and the rules
    # worded some of them into violation descriptions.
    assert demo.reports and demo.sensor_ids
    secrets = _secrets(demo)
    assert any(s in v.description for v in demo.violations for s in secrets)


def test_no_export_contains_report_source_or_sensor_material(
    exports: dict[str, bytes], demo: DemoStore
) -> None:
    assert len(exports) == 9
    secrets = sorted(_secrets(demo))
    for name, content in exports.items():
        text = content.decode("utf-8", errors="replace")
        leaked = [s for s in secrets if s in text]
        assert not leaked, f"{name} contains {leaked[:5]}"


def test_no_violation_is_placed_where_an_observer_stood(
    exports: dict[str, bytes], demo: DemoStore
) -> None:
    observers = {
        (round(r.observer_lon, 6), round(r.observer_lat, 6))
        for r in demo.reports
        if r.observer_lon is not None and r.observer_lat is not None
    }
    features = json.loads(exports["violations.geojson"])["features"]
    placed = {
        (round(f["geometry"]["coordinates"][0], 6), round(f["geometry"]["coordinates"][1], 6))
        for f in features
        if f["geometry"] is not None
    }
    assert observers and placed and not observers & placed


def test_the_exports_are_not_empty(exports: dict[str, bytes], demo: DemoStore) -> None:
    assert demo.events[0].event_id.encode() in exports["open.kml"]
    assert demo.violations[0].violation_id.encode() in exports["open.gpkg"]
