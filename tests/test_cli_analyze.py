"""`truceline analyze` and `truceline crlb` through the real entry point, on simulated data."""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import json
import re
import shutil
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from pyproj import Geod
from shapely.geometry import LineString, Polygon

from tests.sim.conftest import LINE
from truceline import cli
from truceline.domain import ControlArea, Party, Theatre
from truceline.io import read_events, read_sensors
from truceline.io.theatre import write_theatre
from truceline.io.violations import read_violations

GEOD = Geod(ellps="WGS84")


def run(*args: str | Path) -> tuple[int, str, str]:
    """Run `truceline ARGS` in-process through the real entry point; (status, out, err)."""
    out, err = io.StringIO(), io.StringIO()
    code = 0
    with (
        pytest.MonkeyPatch.context() as mp,
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
    ):
        mp.setattr(sys, "argv", ["truceline", *map(str, args)])
        try:
            cli.main()
        except SystemExit as exc:
            code = int(exc.code or 0)
    return code, out.getvalue(), err.getvalue()


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two quiet hours on the small synthetic theatre, written by `truceline simulate`."""
    root = tmp_path_factory.mktemp("cli_analyze")
    west = Polygon([(36.5, 47.40), *LINE, (36.5, 48.60)])
    east = Polygon([*LINE, (39.0, 48.60), (39.0, 47.40)])
    theatre = Theatre(
        parties=(Party("UA", "Ukraine"), Party("RU", "Russia")),
        control_areas=(ControlArea("UA", west), ControlArea("RU", east)),
        contact_line=LineString(LINE),
        name="synthetic",
    )
    write_theatre(root / "small_theatre.geojson", theatre)
    out = root / "scenario"
    code, _, err = run(
        "simulate", "--hours", "2", "--profile", "quiet", "--seed", "3",
        "--theatre", root / "small_theatre.geojson", "--out", out,
    )  # fmt: skip
    assert code == 0, err
    return out


def analyze_args(sc: Path, out: Path, **replace: Path) -> list[str | Path]:
    files = {
        "sensors": sc / "sensors.csv",
        "arrivals": sc / "arrivals.csv",
        "weather": sc / "weather.csv",
        "theatre": sc / "theatre.geojson",
        "reports": sc / "reports.csv",
        "register": sc / "register.json",
    }
    files.update(replace)
    args: list[str | Path] = ["analyze", "--out", out]
    for name, path in files.items():
        args += [f"--{name}", path]
    return args


@pytest.fixture(scope="module")
def analyzed(scenario: Path) -> Path:
    out = scenario.parent / "analysis"
    code, stdout, err = run(*analyze_args(scenario, out))
    assert code == 0, err
    assert re.search(r"\d+ events \(\d+ launch, \d+ impact, \d+ unknown\)", stdout), stdout
    return out


def _truth(sc: Path) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    with (sc / "truth" / "arrivals.csv").open(encoding="utf-8") as f:
        event_of = {r["arrival_id"]: r["event_id"] for r in csv.DictReader(f)}
    with (sc / "truth" / "events.csv").open(encoding="utf-8") as f:
        events = {r["event_id"]: r for r in csv.DictReader(f)}
    return event_of, events


def test_analyze_writes_events_that_match_the_truth(scenario: Path, analyzed: Path) -> None:
    """The plumbing end to end: events.csv holds located events near the simulator's truth
    (the engine's own quality, event by event, is tested in tests/engine)."""
    events = read_events(analyzed / "events.csv")
    assert len(events) >= 10
    event_of, truth = _truth(scenario)
    errors, kinds = [], []
    shared = total = 0
    for e in events:
        true_id, n = Counter(event_of[a] for a in e.arrival_ids).most_common(1)[0]
        shared, total = shared + n, total + len(e.arrival_ids)
        assert e.n_sensors == len(e.arrival_ids)
        assert e.crlb_m is not None and e.crlb_m > 0
        assert e.err_major_m is not None and e.err_minor_m is not None
        assert e.err_minor_m <= e.err_major_m
        if true_id:
            t = truth[true_id]
            _, _, d = GEOD.inv(e.lon, e.lat, float(t["lon"]), float(t["lat"]))
            errors.append(d)
            kinds.append(e.kind == t["kind"])
    assert shared / total >= 0.9
    assert np.median(errors) < 5.0
    assert np.mean(kinds) >= 0.8


def test_analyze_attributes_events_to_the_area_they_came_from(
    scenario: Path, analyzed: Path
) -> None:
    """With --theatre every event names the control area holding it; located launches name
    the party that fired, and the simulator's truth agrees."""
    event_of, truth = _truth(scenario)
    launches = right = 0
    for e in read_events(analyzed / "events.csv"):
        assert e.party_control in {"UA", "RU"} and e.p_control is not None
        true_id, _ = Counter(event_of[a] for a in e.arrival_ids).most_common(1)[0]
        if not true_id:
            continue
        t = truth[true_id]
        assert e.party_control == t["area"] or (e.p_control or 0.0) < 0.9
        if e.kind == "launch" and t["kind"] == "launch":
            launches += 1
            right += e.responsible_party == t["party"]
            assert e.responsible_party in {t["party"], None}
            assert (e.responsible_party is None) == ((e.p_responsible or 0.0) < 0.9)
    assert launches >= 5 and right >= 0.9 * launches


def test_analyze_pairs_impacts_with_launches(scenario: Path, analyzed: Path) -> None:
    events = {e.event_id: e for e in read_events(analyzed / "events.csv")}
    event_of, truth = _truth(scenario)
    pairs = right = 0
    for e in events.values():
        if e.kind != "impact" or not e.paired_event_id:
            continue
        launch = events[e.paired_event_id]
        assert launch.kind == "launch" and launch.paired_event_id == e.event_id
        assert launch.time < e.time
        assert e.responsible_party == launch.responsible_party
        pairs += 1
        true_impact = Counter(event_of[a] for a in e.arrival_ids).most_common(1)[0][0]
        true_launch = Counter(event_of[a] for a in launch.arrival_ids).most_common(1)[0][0]
        # Rockets of one salvo land in a spread, in no fixed order: the launcher and the
        # salvo (the simulator's firing mission) are what pairing can establish.
        right += bool(true_impact and true_launch) and (
            truth[true_impact]["mission"] == truth[true_launch]["mission"]
        )
    assert pairs >= 5 and right >= 0.9 * pairs


def test_analyze_writes_violations_and_the_daily_ledger(analyzed: Path) -> None:
    events = {e.event_id: e for e in read_events(analyzed / "events.csv")}
    violations = read_violations(analyzed / "violations.csv")
    across = [v for v in violations if v.type == "fire_across_line"]
    assert across, "two hours of fire across the line found no breach"
    for v in across:
        launch = events[v.event_id or ""]
        impact = events[launch.paired_event_id or ""]
        assert v.party == launch.responsible_party != impact.party_control
    with (analyzed / "ledger.csv").open(encoding="utf-8") as f:
        ledger = list(csv.DictReader(f))
    assert sum(int(r["count"]) for r in ledger) == len(violations)


def test_missing_weapons_are_exactly_the_inspections_that_missed_one(
    scenario: Path, analyzed: Path
) -> None:
    with (scenario / "truth" / "reports.csv").open(encoding="utf-8") as f:
        truth = {r["report_id"]: r for r in csv.DictReader(f)}
    inspections = {k for k, r in truth.items() if r["role"] == "inspection"}
    missed = {k for k in inspections if truth[k]["violation"] == "1"}
    found = [v for v in read_violations(analyzed / "violations.csv") if v.type == "missing_weapon"]
    assert inspections and {v.report_id for v in found} == missed
    assert all(v.party and v.severity == "high" for v in found)


def test_every_arrival_is_in_one_event_or_unassociated(scenario: Path, analyzed: Path) -> None:
    with (scenario / "arrivals.csv").open(encoding="utf-8") as f:
        all_ids = {r["arrival_id"] for r in csv.DictReader(f)}
    in_events = [a for e in read_events(analyzed / "events.csv") for a in e.arrival_ids]
    with (analyzed / "unassociated.csv").open(encoding="utf-8") as f:
        rest = [r["arrival_id"] for r in csv.DictReader(f)]
    assert len(in_events) == len(set(in_events))
    assert set(in_events).isdisjoint(rest)
    assert set(in_events) | set(rest) == all_ids


def test_run_json_records_the_inputs_and_their_hashes(scenario: Path, analyzed: Path) -> None:
    run_json = json.loads((analyzed / "run.json").read_text(encoding="utf-8"))
    inputs = run_json["inputs"]
    expected = {
        "sensors": "sensors.csv",
        "arrivals": "arrivals.csv",
        "weather": "weather.csv",
        "theatre": "theatre.geojson",
        "reports": "reports.csv",
        "register": "register.json",
    }
    assert set(inputs) == set(expected)
    for name, file in expected.items():
        assert inputs[name]["sha256"] == _sha256(scenario / file)
        assert Path(inputs[name]["path"]).name == file
    assert run_json["events"] == len(read_events(analyzed / "events.csv"))
    assert run_json["code_version"]


def test_same_input_same_events_csv(scenario: Path, analyzed: Path, tmp_path: Path) -> None:
    code, _, err = run(*analyze_args(scenario, tmp_path / "again"))
    assert code == 0, err
    first = (analyzed / "events.csv").read_bytes()
    assert (tmp_path / "again" / "events.csv").read_bytes() == first


def test_an_arrival_from_an_unknown_sensor_is_refused(scenario: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad_arrivals.csv"
    text = (scenario / "arrivals.csv").read_text(encoding="utf-8")
    lines = text.splitlines()
    header = lines[0].split(",")
    row = lines[5].split(",")
    row[header.index("arrival_id")] = "A-STRAY"
    row[header.index("sensor_id")] = "S-NOWHERE"
    lines.insert(5, ",".join(row))  # becomes line 6 of the file
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    code, _, err = run(*analyze_args(scenario, out, arrivals=bad))
    assert code == 2
    assert len(err.strip().splitlines()) == 1, err
    assert "bad_arrivals.csv" in err and "line 6" in err and "'sensor_id'" in err
    assert "S-NOWHERE" in err
    assert "Traceback" not in err
    assert not (out / "events.csv").exists()
    assert not (out / "run.json").exists()


def test_a_bad_input_leaves_an_earlier_analysis_alone(scenario: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, _, err = run(*analyze_args(scenario, out))
    assert code == 0, err
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    bad = tmp_path / "weather.csv"
    bad.write_text("time,temperature_c,wind_speed_ms,wind_from_deg\nyesterday,5,2,90\n")
    code, _, err = run(*analyze_args(scenario, out, weather=bad))
    assert code == 2 and "weather.csv" in err and "line 2" in err
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_a_sensor_with_no_arrivals_is_fine(scenario: Path, analyzed: Path, tmp_path: Path) -> None:
    sensors = tmp_path / "sensors.csv"
    shutil.copy(scenario / "sensors.csv", sensors)
    first = read_sensors(sensors)[0]
    with sensors.open("a", encoding="utf-8") as f:  # a new site beside the first, not heard
        f.write(f"S-QUIET,{first.lon + 0.002},{first.lat},120,acoustic,0.002\n")
    assert read_sensors(sensors)[-1].sensor_id == "S-QUIET"
    code, _, err = run(*analyze_args(scenario, tmp_path / "out", sensors=sensors))
    assert code == 0, err
    before = [e.event_id for e in read_events(analyzed / "events.csv")]
    assert [e.event_id for e in read_events(tmp_path / "out" / "events.csv")] == before


def test_no_arrivals_no_events(scenario: Path, tmp_path: Path) -> None:
    empty = tmp_path / "arrivals.csv"
    empty.write_text("arrival_id,sensor_id,time\n", encoding="utf-8")
    no_reports = tmp_path / "reports.csv"  # reports alone would make events (fusion)
    no_reports.write_text("report_id,source_id,source_kind,time,event_type\n", encoding="utf-8")
    args = analyze_args(scenario, tmp_path / "out", arrivals=empty, reports=no_reports)
    code, stdout, err = run(*args)
    assert code == 0, err
    assert read_events(tmp_path / "out" / "events.csv") == []
    assert "0 events" in stdout


def _bound(stdout: str) -> tuple[float, int]:
    m = re.search(r"CRLB ([0-9.]+) m RMS horizontal, from (\d+) sensors", stdout)
    assert m, stdout
    return float(m.group(1)), int(m.group(2))


def _centre(sensors: Path) -> tuple[float, float]:
    rows = read_sensors(sensors)
    return float(np.median([s.lon for s in rows])), float(np.median([s.lat for s in rows]))


def test_crlb_prints_a_bound(scenario: Path) -> None:
    sensors = scenario / "sensors.csv"
    lon, lat = _centre(sensors)
    args = ["crlb", "--sensors", sensors, "--lon", f"{lon}", "--lat", f"{lat}"]
    code, stdout, err = run(*args, "--sigma", "0.002")
    assert code == 0, err
    bound, n = _bound(stdout)
    assert 0.05 < bound < 5.0 and n >= 4
    code, stdout, _ = run(*args, "--sigma", "0.004")
    assert code == 0
    assert _bound(stdout)[0] == pytest.approx(2 * bound, abs=0.002)
    code, stdout, _ = run(*args, "--sigma", "0.002", "--max-range", "8000")
    smaller, n_near = _bound(stdout)
    assert code == 0 and n_near < n and smaller > bound  # fewer sensors hear it
    code, stdout, _ = run(*args, "--sigma", "0.002", "--height-sigma", "100")
    assert code == 0 and _bound(stdout)[0] >= bound


@pytest.mark.parametrize(
    ("lon", "lat"), [("37.7", "95"), ("200", "48"), ("37.7", "-91"), ("-181", "48")]
)
def test_crlb_refuses_a_position_out_of_range(scenario: Path, lon: str, lat: str) -> None:
    code, stdout, err = run(
        "crlb", "--sensors", scenario / "sensors.csv", f"--lon={lon}", f"--lat={lat}"
    )
    assert code == 2
    assert len(err.strip().splitlines()) == 1, err
    assert "out of range" in err and "Traceback" not in err
    assert "CRLB" not in stdout


def test_crlb_far_from_every_sensor_is_a_clear_error(scenario: Path) -> None:
    code, _, err = run("crlb", "--sensors", scenario / "sensors.csv", "--lon", "10", "--lat", "50")
    assert code == 2 and "sensors within" in err
    assert len(err.strip().splitlines()) == 1
