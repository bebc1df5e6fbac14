"""The command line: one clear line and exit status 2 for bad input, nothing stored."""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from truceline import __version__, cli
from truceline.domain import Arrival, ArrivalLabel, Report, Sensor, SourceKind
from truceline.io import write_arrivals, write_reports, write_sensors
from truceline.store.database import count_rows, open_store

T0 = datetime(2026, 11, 21, 6, 0, tzinfo=UTC)


def run(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str
) -> tuple[int, str, str]:
    """Run `truceline ARGS` in-process through the real entry point."""
    monkeypatch.setattr(sys, "argv", ["truceline", *args])
    code = 0
    try:
        cli.main()
    except SystemExit as exc:
        code = int(exc.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture()
def good_files(tmp_path: Path) -> dict[str, Path]:
    sensors = [Sensor(f"S{i}", 37.5 + 0.01 * i, 48.0, 150.0) for i in range(4)]
    arrivals = [
        Arrival(f"A{i}", f"S{i % 4}", T0 + timedelta(seconds=i), ArrivalLabel.LAUNCH, 20.0)
        for i in range(8)
    ]
    reports = [
        Report("R1", "MT01", SourceKind.MONITOR, T0, "explosion", reliability="A", credibility="2")
    ]
    paths = {name: tmp_path / f"{name}.csv" for name in ("sensors", "arrivals", "reports")}
    write_sensors(paths["sensors"], sensors)
    write_arrivals(paths["arrivals"], arrivals)
    write_reports(paths["reports"], reports)
    return paths


@pytest.fixture()
def database(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'store.db'}"


def _counts(url: str) -> dict[str, int]:
    engine = open_store(url)
    with engine.connect() as conn:
        counts = count_rows(conn)
    engine.dispose()
    return counts


def test_version(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(monkeypatch, capsys, "--version")
    assert code == 0 and __version__ in out


def test_ingest_twice_stores_nothing_twice(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    good_files: dict[str, Path],
    database: str,
) -> None:
    args = [
        "ingest",
        "--database",
        database,
        "--sensors",
        str(good_files["sensors"]),
        "--arrivals",
        str(good_files["arrivals"]),
        "--reports",
        str(good_files["reports"]),
    ]
    code, out, err = run(monkeypatch, capsys, *args)
    assert code == 0, err
    assert "arrivals: 8 new, 0 already stored" in out
    first = _counts(database)
    code, out, _ = run(monkeypatch, capsys, *args)
    assert code == 0 and "arrivals: 0 new, 8 already stored" in out
    assert _counts(database) == first
    assert first["sensors"] == 4 and first["arrivals"] == 8 and first["reports"] == 1


BAD_ARRIVALS = {
    "bad time": ("arrival_id,sensor_id,time\nA9,S1,2026-11-21 06:00\n", "line 2", "time"),
    "unknown sensor": (
        "arrival_id,sensor_id,time\nA9,S77,2026-11-21T06:00:00Z\n",
        "line 2",
        "sensor_id",
    ),
    "duplicate id": (
        "arrival_id,sensor_id,time\nA9,S1,2026-11-21T06:00:00Z\nA9,S2,2026-11-21T06:00:01Z\n",
        "line 3",
        "arrival_id",
    ),
    "missing column": ("arrival_id,time\nA9,2026-11-21T06:00:00Z\n", "line 1", "sensor_id"),
    "empty file": ("", "line 1", None),
}


@pytest.mark.parametrize("case", list(BAD_ARRIVALS))
def test_bad_arrivals_refused_and_store_unchanged(
    case: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    good_files: dict[str, Path],
    database: str,
    tmp_path: Path,
) -> None:
    run(
        monkeypatch,
        capsys,
        "ingest",
        "--database",
        database,
        "--sensors",
        str(good_files["sensors"]),
        "--arrivals",
        str(good_files["arrivals"]),
    )
    before = _counts(database)
    text, line, column = BAD_ARRIVALS[case]
    bad = tmp_path / "bad_arrivals.csv"
    bad.write_text(text, encoding="utf-8")
    code, _, err = run(
        monkeypatch,
        capsys,
        "ingest",
        "--database",
        database,
        "--arrivals",
        str(bad),
        "--reports",
        str(good_files["reports"]),
    )
    assert code == 2
    assert len(err.strip().splitlines()) == 1, err
    assert "bad_arrivals.csv" in err and line in err
    if column:
        assert repr(column) in err
    assert "Traceback" not in err
    assert _counts(database) == before


@pytest.mark.parametrize(
    ("content", "line", "column"),
    [
        ("sensor_id,lon,lat\nS9,37.0,91\n", "line 2", "lat"),
        ("sensor_id,lon,lat\nS9,37.0,48.0\nS9,37.1,48.0\n", "line 3", "sensor_id"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe garbage", "line 1", None),
    ],
    ids=["latitude 91", "duplicate id", "binary garbage"],
)
def test_bad_sensors_refused_and_store_unchanged(
    content: str | bytes,
    line: str,
    column: str | None,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    good_files: dict[str, Path],
    database: str,
    tmp_path: Path,
) -> None:
    run(
        monkeypatch,
        capsys,
        "ingest",
        "--database",
        database,
        "--sensors",
        str(good_files["sensors"]),
    )
    before = _counts(database)
    bad = tmp_path / "bad_sensors.csv"
    if isinstance(content, bytes):
        bad.write_bytes(content)
    else:
        bad.write_text(content, encoding="utf-8")
    code, _, err = run(monkeypatch, capsys, "ingest", "--database", database, "--sensors", str(bad))
    assert code == 2
    assert len(err.strip().splitlines()) == 1, err
    assert "bad_sensors.csv" in err and line in err
    if column:
        assert repr(column) in err
    assert _counts(database) == before


def test_conflicting_content_under_a_stored_id_is_refused(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    good_files: dict[str, Path],
    database: str,
    tmp_path: Path,
) -> None:
    run(
        monkeypatch,
        capsys,
        "ingest",
        "--database",
        database,
        "--sensors",
        str(good_files["sensors"]),
    )
    before = _counts(database)
    moved = tmp_path / "moved.csv"
    moved.write_text("sensor_id,lon,lat\nS0,30.0,50.0\nS99,30.0,50.0\n", encoding="utf-8")
    code, _, err = run(
        monkeypatch, capsys, "ingest", "--database", database, "--sensors", str(moved)
    )
    assert code == 2 and "S0" in err
    assert _counts(database) == before


def test_unknown_profile_is_a_clear_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = run(
        monkeypatch, capsys, "simulate", "--out", str(tmp_path / "x"), "--profile", "frantic"
    )
    assert code == 2 and "frantic" in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("command", [[], ["theatre"], ["db"], ["simulate"], ["ingest"], ["demo"]])
def test_help_everywhere(
    command: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(monkeypatch, capsys, *command, "--help")
    assert code == 0 and "Usage" in out


def test_db_counts_lists_tables(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    good_files: dict[str, Path],
    database: str,
) -> None:
    run(
        monkeypatch,
        capsys,
        "ingest",
        "--database",
        database,
        "--sensors",
        str(good_files["sensors"]),
    )
    code, out, _ = run(monkeypatch, capsys, "db", "counts", "--database", database)
    assert code == 0 and "sensors" in out and " 4" in out


def test_ingest_with_nothing_is_an_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], database: str
) -> None:
    code, _, err = run(monkeypatch, capsys, "ingest", "--database", database)
    assert code == 2 and "nothing to ingest" in err


def test_demo_refuses_a_directory_it_did_not_write(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    keep = tmp_path / "precious.txt"
    keep.write_text("do not delete")
    code, _, err = run(monkeypatch, capsys, "demo", "--out", str(tmp_path))
    assert code == 2 and "not an earlier demo output" in err
    assert keep.read_text() == "do not delete"


def test_unreachable_database_is_one_line(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    good_files: dict[str, Path],
) -> None:
    url = "postgresql+psycopg://nobody:secret@127.0.0.1:1/none"
    code, _, err = run(
        monkeypatch, capsys, "ingest", "--database", url, "--sensors", str(good_files["sensors"])
    )
    assert code == 1 and err.startswith("error: the database failed")
    assert len(err.strip().splitlines()) == 1


def test_theatre_store_keeps_one_copy_and_refuses_other_text_under_its_name(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    database: str,
) -> None:
    demo = tmp_path / "theatre.geojson"
    assert run(monkeypatch, capsys, "theatre", "demo", "--out", str(demo))[0] == 0
    args = ("theatre", "store", str(demo), "--name", "line", "--database", database)
    code, out, _ = run(monkeypatch, capsys, *args)
    assert code == 0 and "Theatre 'line' stored" in out
    assert run(monkeypatch, capsys, *args)[0] == 0  # the same text again: nothing changes
    assert _counts(database)["theatres"] == 1
    other = tmp_path / "other.geojson"
    other.write_text(demo.read_text(encoding="utf-8").replace("2026", "2027", 1), "utf-8")
    code, _, err = run(
        monkeypatch,
        capsys,
        "theatre",
        "store",
        str(other),
        "--name",
        "line",
        "--database",
        database,
    )
    assert code == 2 and "line" in err
    assert _counts(database)["theatres"] == 1


def test_theatre_store_refuses_a_malformed_file_naming_it(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    database: str,
) -> None:
    bad = tmp_path / "bad.geojson"
    bad.write_text('{"type": "FeatureCollection", "features": [{"type": "Feature"}]}', "utf-8")
    code, _, err = run(monkeypatch, capsys, "theatre", "store", str(bad), "--database", database)
    assert code == 2 and "bad.geojson" in err and len(err.strip().splitlines()) == 1
    assert _counts(database).get("theatres", 0) == 0
