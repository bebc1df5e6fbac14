"""`truceline export ...`: every format from the store, and exit status 2 for bad input."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pyogrio
import pytest

from .conftest import DemoStore, RunCli


@pytest.mark.parametrize(
    ("command", "suffix"),
    [("geojson", "geojson"), ("csv", "csv"), ("kml", "kml"), ("gpkg", "gpkg"),
     ("acled", "csv"), ("ucdp", "csv")],
)  # fmt: skip
def test_each_format_is_written(
    command: str, suffix: str, run_cli: RunCli, demo: DemoStore, tmp_path: Path
) -> None:
    out = tmp_path / f"open.{suffix}"
    result = run_cli("export", command, "--out", out, "--database", demo.url)
    assert result.code == 0, result.err
    assert out.stat().st_size > 0 and str(out) in result.out


def test_geojson_violations_layer_and_window(
    run_cli: RunCli, demo: DemoStore, tmp_path: Path
) -> None:
    out = tmp_path / "v.geojson"
    start, end = "2026-11-21T01:00:00Z", "2026-11-21T02:00:00Z"
    args = ("--layer", "violations", "--from", start, "--to", end, "--database", demo.url)
    assert run_cli("export", "geojson", "--out", out, *args).code == 0
    expected = [
        v.violation_id
        for v in demo.violations
        if "2026-11-21T01" <= v.time.strftime("%Y-%m-%dT%H") < "2026-11-21T02"
    ]
    assert [f["id"] for f in json.loads(out.read_text())["features"]] == expected


def test_a_date_for_to_includes_the_whole_day(
    run_cli: RunCli, demo: DemoStore, tmp_path: Path
) -> None:
    out = tmp_path / "e.csv"
    args = ("--from", "2026-11-21", "--to", "2026-11-21", "--database", demo.url)
    assert run_cli("export", "csv", "--out", out, *args).code == 0
    with out.open(newline="") as handle:
        assert len(list(csv.reader(handle))) == 2 + len(demo.events)


def test_gpkg_with_the_theatre(run_cli: RunCli, demo: DemoStore, tmp_path: Path) -> None:
    out = tmp_path / "t.gpkg"
    theatre = demo.out_dir / "scenario" / "theatre.geojson"
    result = run_cli("export", "gpkg", "--out", out, "--database", demo.url, "--theatre", theatre)
    assert result.code == 0, result.err
    assert "control_areas" in {name for name, _ in pyogrio.list_layers(out)}


def test_atom(run_cli: RunCli, demo: DemoStore, tmp_path: Path) -> None:
    out = tmp_path / "alerts.atom"
    alerts = demo.out_dir / "alerts"
    result = run_cli("export", "atom", "--out", out, "--alerts-dir", alerts)
    assert result.code == 0, result.err
    assert f"{len(list(alerts.glob('*.cap.xml')))} alerts" in result.out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--from", "yesterday"), "--from"),
        (("--from", "2026-11-22", "--to", "2026-11-21"), "before --to"),
        (("--to", "2026-13-01"), "--to"),
        (("--layer", "reports"), "reports"),
    ],
)
def test_bad_options_exit_2(
    args: tuple[str, ...], message: str, run_cli: RunCli, demo: DemoStore, tmp_path: Path
) -> None:
    out = tmp_path / "x.csv"
    result = run_cli("export", "csv", "--out", out, "--database", demo.url, *args)
    assert result.code == 2 and message in result.err
    assert not out.exists()


def test_missing_store_exits_2_and_creates_nothing(run_cli: RunCli, tmp_path: Path) -> None:
    store = tmp_path / "typo.db"
    result = run_cli(
        "export", "kml", "--out", tmp_path / "x.kml", "--database", f"sqlite:///{store}"
    )
    assert result.code == 2 and "no store at" in result.err
    assert result.err.count("\n") == 1 and not store.exists()


def test_bad_theatre_and_bad_target_exit_2(
    run_cli: RunCli, demo: DemoStore, tmp_path: Path
) -> None:
    bad = tmp_path / "theatre.geojson"
    bad.write_text("{not json")
    result = run_cli(
        "export", "kml", "--out", tmp_path / "x.kml", "--database", demo.url, "--theatre", bad
    )
    assert result.code == 2 and "theatre.geojson" in result.err
    result = run_cli("export", "gpkg", "--out", tmp_path / "no" / "x.gpkg", "--database", demo.url)
    assert result.code == 2 and "does not exist" in result.err


def test_atom_bad_input_exits_2(run_cli: RunCli, demo: DemoStore, tmp_path: Path) -> None:
    missing = run_cli(
        "export", "atom", "--out", tmp_path / "a.atom", "--alerts-dir", tmp_path / "none"
    )
    assert missing.code == 2 and "no alerts directory" in missing.err
    alerts = demo.out_dir / "alerts"
    url = run_cli(
        "export",
        "atom",
        "--out",
        tmp_path / "a.atom",
        "--alerts-dir",
        alerts,
        "--base-url",
        "ftp:/x",
    )
    assert url.code == 2 and "--base-url" in url.err
    assert not (tmp_path / "a.atom").exists()
