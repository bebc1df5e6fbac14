"""ACLED- and UCDP GED-compatible CSV: the feeds' own columns, our violations mapped onto them."""

from __future__ import annotations

import csv
from datetime import UTC, datetime
from pathlib import Path

import pytest

from truceline.domain import Severity, Violation, ViolationType
from truceline.exports.acled import Country, acled_rows, write_acled_csv
from truceline.exports.public import OpenData, build_open_data
from truceline.exports.ucdp import priogrid_gid, ucdp_rows, write_ucdp_csv

from .conftest import T0, DemoStore, make_event, observer_report, report_violation

# ACLED's export columns, in ACLED's order (ACLED codebook and API documentation).
ACLED_HEADER = [
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3",
    "location", "latitude", "longitude", "geo_precision", "source", "source_scale", "notes",
    "fatalities", "tags", "timestamp",
]  # fmt: skip
UKRAINE = Country(name="Ukraine", iso=804, gw_code=369, region="Europe")
NOW = datetime(2026, 11, 22, tzinfo=UTC)


def _read(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def test_acled_columns_and_rows(open_data: OpenData, demo: DemoStore, tmp_path: Path) -> None:
    path = tmp_path / "acled.csv"
    n = write_acled_csv(path, open_data, country=UKRAINE, generated=NOW)
    header, rows = _read(path)
    assert header == ACLED_HEADER
    assert n == len(rows) == sum(f.located for f in open_data.violations.features) > 0
    by_id = {v.violation_id: v for v in demo.violations}
    for row in rows:
        v = by_id[row["event_id_cnty"]]
        assert row["event_date"] == v.time.date().isoformat() and row["year"] == str(v.time.year)
        assert (row["iso"], row["country"], row["region"]) == ("804", "Ukraine", "Europe")
        assert -90 <= float(row["latitude"]) <= 90 and -180 <= float(row["longitude"]) <= 180
        if v.type == ViolationType.FIRE_ACROSS_LINE:
            assert (row["event_type"], row["sub_event_type"]) == (
                "Explosions/Remote violence",
                "Shelling/artillery/missile attack",
            )
            assert row["disorder_type"] == "Political violence"
            assert row["actor1"] == {"UA": "Ukraine", "RU": "Russia"}.get(v.party or "", "")
        else:
            assert row["event_type"] == "Strategic developments"


def test_acled_names_the_party_hit(tmp_path: Path) -> None:
    launch = make_event("E1", 0.0, paired_event_id="E2")
    impact = make_event("E2", 0.5, kind="impact", party_control="UA", paired_event_id="E1")
    fire = Violation(
        "V1", ViolationType.FIRE_ACROSS_LINE, Severity.HIGH, T0, event_id="E1",
        party="RU", p_party=0.98, lon=launch.lon, lat=launch.lat,
    )  # fmt: skip
    (row,) = acled_rows(build_open_data([launch, impact], [fire]), country=UKRAINE, generated=NOW)
    assert (row["actor1"], row["actor2"]) == ("RU", "UA")
    assert row["geo_precision"] == "1"  # a 40 m ellipse
    assert row["timestamp"] == str(int(NOW.timestamp()))


def test_unlocated_violations_are_not_acled_rows() -> None:
    heard = report_violation("V1", observer_report("R1", 0.0, located=False))
    assert acled_rows(build_open_data([], [heard]), country=UKRAINE, generated=NOW) == []


def test_ucdp_columns_are_the_real_feeds(
    open_data: OpenData, demo: DemoStore, shared_data: Path, tmp_path: Path
) -> None:
    with (shared_data / "ucdp-ged-ukraine" / "UCDP-Ukraine.csv").open(encoding="utf-8-sig") as f:
        real_header = next(csv.reader(f))
    path = tmp_path / "ucdp.csv"
    n = write_ucdp_csv(path, open_data, country=UKRAINE)
    header, rows = _read(path)
    assert header == real_header
    fire = {ViolationType.FIRE_ACROSS_LINE, ViolationType.FIRE_AT_PROTECTED_SITE}
    assert n == len(rows) == sum(v.type in fire for v in demo.violations) > 0
    row = rows[0]
    assert row["date_start"] == row["date_end"] and row["type_of_violence"] == "1"
    assert row["best"] == row["low"] == row["high"] == "0"  # we record no deaths
    assert row["geom_wkt"] == f"POINT ({row['longitude']} {row['latitude']})"
    assert len({r["id"] for r in rows}) == len(rows) and all(r["id"].isdigit() for r in rows)


def test_ucdp_rows_only_for_fire() -> None:
    sighted = report_violation("V1", observer_report("R1", 0.0, located=True))
    assert ucdp_rows(build_open_data([], [sighted]), country=UKRAINE) == []


@pytest.mark.parametrize(
    ("lon", "lat", "gid"), [(30.52333, 50.45, 202022), (-179.9, -89.9, 1), (179.9, 89.9, 259200)]
)
def test_priogrid_matches_ucdp(lon: float, lat: float, gid: int) -> None:
    assert priogrid_gid(lon, lat) == gid


def test_priogrid_of_the_real_feed(shared_data: Path) -> None:
    with (shared_data / "ucdp-ged-ukraine" / "UCDP-Ukraine.csv").open(encoding="utf-8-sig") as f:
        rows = [r for _, r in zip(range(200), csv.DictReader(f), strict=False)]
    for r in rows:
        assert priogrid_gid(float(r["longitude"]), float(r["latitude"])) == int(r["priogrid_gid"])
