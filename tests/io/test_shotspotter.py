"""The ShotSpotter Pittsburgh 2018 loader, and facts about the real data it reads."""

from __future__ import annotations

import doctest
import json
import shutil
from collections import Counter
from collections.abc import Callable
from itertools import combinations
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from truceline.errors import InputError
from truceline.geo.projection import geodesic_distance_m
from truceline.io import read_arrivals, read_sensors, read_weather, shotspotter
from truceline.io.shotspotter import (
    CLOCK_SIGMA_S,
    ELEVATION_OFFSET_M,
    ShotSpotterSet,
    load_firing_position,
    sensor_sigma_s,
    write_firing_position,
)
from truceline.io.shotspotter_truth import read_sensor_sites, read_shot_truth

FPS = ("FP1", "FP2", "FP3", "FP4", "FP5", "FP6")
PULSES = {"FP1": 1791, "FP2": 692, "FP3": 947, "FP4": 1438, "FP5": 1282, "FP6": 1718}
SENSORS = {"FP1": 29, "FP2": 31, "FP3": 27, "FP4": 27, "FP5": 28, "FP6": 27}
FIREARMS = ("45 Cal Automatic Handgun", "40 Cal Automatic Handgun", "9mm Automatic Handgun")
# Vendor tuple ids absent from every allpulses file, per (test_id, shot_index).
MISSING_VENDOR_IDS = {
    (8, 0): 3,
    (8, 1): 3,
    (8, 2): 3,
    (29, 0): 1,
    (32, 1): 3,
    (32, 2): 3,
    (34, 0): 1,
}
# Two arrivals of one sensor at the same millisecond (FP6: pulses duplicated under a new uuid).
SAME_TIME_PAIRS = {"FP1": 4, "FP2": 0, "FP3": 8, "FP4": 5, "FP5": 2, "FP6": 473}
TWIN_GROUPS = {"FP1": 0, "FP2": 0, "FP3": 0, "FP4": 1, "FP5": 0, "FP6": 473}


@pytest.fixture(scope="session")
def shotspotter_root(shared_data: Path) -> Path:
    return shared_data / "shotspotter-pittsburgh-2018"


@pytest.fixture(scope="session")
def datasets(shotspotter_root: Path) -> dict[str, ShotSpotterSet]:
    """Every firing position, loaded once per session."""
    return {fp: load_firing_position(shotspotter_root / fp) for fp in FPS}


@pytest.fixture(scope="session")
def merged(shotspotter_root: Path) -> dict[str, ShotSpotterSet]:
    """The firing positions with twins, loaded with ``merge_twins=True``."""
    return {fp: load_firing_position(shotspotter_root / fp, merge_twins=True) for fp in FPS}


def _same_time_pairs(ds: ShotSpotterSet) -> int:
    counts = Counter((a.sensor_id, a.time) for a in ds.arrivals)
    return sum(n - 1 for n in counts.values())


# Facts about the data.


@pytest.mark.parametrize("fp", FPS)
def test_counts_per_firing_position(datasets: dict[str, ShotSpotterSet], fp: str) -> None:
    ds = datasets[fp]
    assert ds.firing_position == fp
    assert len(ds.tests) == 18
    assert [t.num_rounds for t in ds.tests] == [3, 3, 3, 1, 1, 1] * 3
    assert [t.firearm for t in ds.tests] == [f for f in FIREARMS for _ in range(6)]
    assert len(ds.shots) == 36
    assert len(ds.arrivals) == len(ds.pulses) == PULSES[fp]
    assert len(ds.sensors) == len(ds.sites) == SENSORS[fp]
    assert {a.sensor_id for a in ds.arrivals} == {s.sensor_id for s in ds.sensors}


def test_totals(datasets: dict[str, ShotSpotterSet]) -> None:
    assert sum(len(ds.shots) for ds in datasets.values()) == 216
    assert sum(len(ds.arrivals) for ds in datasets.values()) == 7868


def test_vendor_tuples_cover_215_of_216_shots(datasets: dict[str, ShotSpotterSet]) -> None:
    without = [
        (ds.firing_position, s.test_id, s.shot_index)
        for ds in datasets.values()
        for s in ds.shots
        if not s.vendor_pulse_ids and not s.vendor_missing_pulse_ids
    ]
    assert without == [("FP4", 55, 0)]  # the first round of the first test at FP4


def test_seventeen_vendor_pulse_ids_are_in_no_allpulses_file(
    datasets: dict[str, ShotSpotterSet],
) -> None:
    missing = {
        (s.test_id, s.shot_index): len(s.vendor_missing_pulse_ids)
        for ds in datasets.values()
        for s in ds.shots
        if s.vendor_missing_pulse_ids
    }
    assert missing == MISSING_VENDOR_IDS
    for ds in datasets.values():
        for shot in ds.shots:
            assert set(shot.vendor_pulse_ids) <= ds.pulses.keys()
            assert not set(shot.vendor_missing_pulse_ids) & ds.pulses.keys()


def test_only_duplicate_uuid_is_repeated_in_one_file(shotspotter_root: Path) -> None:
    seen: Counter[tuple[str, str]] = Counter()
    for fp in FPS:
        for file in sorted((shotspotter_root / fp).glob("test_*/*.allpulses.json")):
            seen.update((fp, p["pulse_uuid"]) for p in json.loads(file.read_text()))
    repeated = [key for key, n in seen.items() if n > 1]
    assert repeated == [("FP6", "bd82eac5-7a9f-35e9-1546-9d9dfa71f247")]  # twice in test_121
    assert sum(seen.values()) == 7868 + 1


@pytest.mark.parametrize("fp", FPS)
def test_arrival_times_are_not_unique_per_sensor(
    datasets: dict[str, ShotSpotterSet], merged: dict[str, ShotSpotterSet], fp: str
) -> None:
    assert _same_time_pairs(datasets[fp]) == SAME_TIME_PAIRS[fp]
    assert len(datasets[fp].twins) == TWIN_GROUPS[fp]
    assert _same_time_pairs(merged[fp]) == SAME_TIME_PAIRS[fp] - TWIN_GROUPS[fp]


def test_merging_twins_keeps_vendor_tuples_valid(merged: dict[str, ShotSpotterSet]) -> None:
    fp6 = merged["FP6"]
    assert len(fp6.arrivals) == 1718 - 473
    for shot in fp6.shots:
        assert set(shot.vendor_pulse_ids) <= fp6.pulses.keys()
        assert len(shot.vendor_pulse_ids) >= 9


def test_sensor_positions_move_by_at_most_28_m(datasets: dict[str, ShotSpotterSet]) -> None:
    spread = {fp: max(s.spread_h_m for s in ds.sites.values()) for fp, ds in datasets.items()}
    assert spread["FP5"] == 0.0
    assert 27.0 < spread["FP3"] < 28.0  # SCP-00-BNG-5515, GPS-only positions
    wandering = {k for ds in datasets.values() for k, s in ds.sites.items() if s.spread_h_m > 10}
    assert wandering == {"SCP-00-BNG-5515", "SCP-00-BNQ-2069"}
    site = datasets["FP3"].sites["SCP-00-BNG-5515"]
    assert (site.x, site.y) == pytest.approx((-8925.0566, -1873.1419), abs=1e-3)


@pytest.mark.parametrize("fp", FPS)
def test_projection_round_trips_within_a_millimetre(
    datasets: dict[str, ShotSpotterSet], fp: str
) -> None:
    ds = datasets[fp]
    sites = [ds.sites[s.sensor_id] for s in ds.sensors]
    x, y = ds.projection.forward([s.lon for s in ds.sensors], [s.lat for s in ds.sensors])
    assert np.hypot(x - [s.x for s in sites], y - [s.y for s in sites]).max() < 1e-3
    x, y = ds.projection.forward([t.lon for t in ds.tests], [t.lat for t in ds.tests])
    assert np.hypot(x - [t.x for t in ds.tests], y - [t.y for t in ds.tests]).max() < 1e-3
    assert all(s.elev_m == ds.sites[s.sensor_id].z + ELEVATION_OFFSET_M for s in ds.sensors)
    for sensor in ds.sensors:
        site = ds.sites[sensor.sensor_id]
        assert sensor.clock_sigma_s == sensor_sigma_s(site) >= CLOCK_SIGMA_S
        if site.position_rms_m < 0.1:  # the sensors that stay put keep the clock's sigma
            assert sensor.clock_sigma_s == pytest.approx(CLOCK_SIGMA_S, abs=1e-5)


def test_a_wandering_gps_sensor_gets_the_timing_sigma_of_its_scatter(
    datasets: dict[str, ShotSpotterSet],
) -> None:
    """FP3's SCP-00-BNG-5515 reports positions up to 27 m from its median (GPS only); its
    arrivals miss the surveyed shots by ~17 ms RMS, and its sigma says so."""
    ds = datasets["FP3"]
    (wanderer,) = [s for s in ds.sensors if s.sensor_id.endswith("5515")]
    site = ds.sites[wanderer.sensor_id]
    assert site.position_rms_m > 3.0
    assert 0.010 < wanderer.clock_sigma_s < 0.040
    others = [s.clock_sigma_s for s in ds.sensors if s is not wanderer]
    assert max(others) < wanderer.clock_sigma_s


@pytest.mark.parametrize("fp", FPS)
def test_geodesic_distances_match_the_local_frame(
    datasets: dict[str, ShotSpotterSet], fp: str
) -> None:
    ds = datasets[fp]
    pairs = list(combinations(ds.sensors, 2))
    a, b = zip(*pairs, strict=True)
    geodesic = geodesic_distance_m(
        [s.lon for s in a], [s.lat for s in a], [s.lon for s in b], [s.lat for s in b]
    )
    xy_a = np.array([(ds.sites[s.sensor_id].x, ds.sites[s.sensor_id].y) for s in a])
    xy_b = np.array([(ds.sites[s.sensor_id].x, ds.sites[s.sensor_id].y) for s in b])
    local = np.hypot(*(xy_a - xy_b).T)
    assert local.max() > 1800
    assert np.abs(geodesic / local - 1).max() < 1e-6  # measured at most 7.9e-7 (FP2)


def test_weather_rows_are_distinct_metar_observations(datasets: dict[str, ShotSpotterSet]) -> None:
    counts = {fp: len(ds.weather) for fp, ds in datasets.items()}
    assert counts == {"FP1": 2, "FP2": 1, "FP3": 1, "FP4": 2, "FP5": 1, "FP6": 2}
    for ds in datasets.values():
        assert {t.weather for t in ds.tests} == set(ds.weather)
        assert all(-4.0 < w.temperature_c < 1.5 for w in ds.weather)


# Writing.


def test_written_files_read_back(datasets: dict[str, ShotSpotterSet], tmp_path: Path) -> None:
    ds = datasets["FP4"]
    paths = write_firing_position(ds, tmp_path / "fp4")
    assert all(p.is_file() for p in paths.values())
    sensors = read_sensors(paths["sensors.csv"])
    assert sensors == list(ds.sensors)
    arrivals = read_arrivals(paths["arrivals.csv"], sensor_ids={s.sensor_id for s in sensors})
    assert arrivals == list(ds.arrivals)
    assert read_weather(paths["weather.csv"]) == list(ds.weather)
    assert read_shot_truth(paths["truth/shots.csv"]) == list(ds.shots)
    assert read_sensor_sites(paths["truth/sensors_local.csv"]) == list(ds.sites.values())
    header = paths["truth/shots.csv"].read_text().splitlines()[0]
    assert header.startswith("test_id,shot_index,x,y,z,lon,lat,elev_m,firearm,vendor_pulse_ids,")


def test_docstring_examples(shotspotter_root: Path) -> None:
    globs = {"shotspotter_root": shotspotter_root}
    result = doctest.testmod(shotspotter, extraglobs=globs, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0


# Refusals.


@pytest.fixture
def one_test(shotspotter_root: Path, tmp_path: Path) -> Path:
    """A firing position folder holding a copy of FP3's first test (and its second)."""
    fp_dir = tmp_path / "FP3"
    for name in ("test_037", "test_038"):
        shutil.copytree(shotspotter_root / "FP3" / name, fp_dir / name)
    return fp_dir


def _edit(path: Path, change: Callable[[Any], object]) -> None:
    doc = json.loads(path.read_text())
    change(doc)
    path.write_text(json.dumps(doc))


def test_small_copy_loads(one_test: Path) -> None:
    ds = load_firing_position(one_test)
    assert [t.test_id for t in ds.tests] == [37, 38]
    assert len(ds.shots) == 6


def test_refuses_a_uuid_with_two_contents(one_test: Path) -> None:
    first = json.loads((one_test / "test_037" / "test_037.allpulses.json").read_text())[0]
    clash = dict(first, signal_to_noise_dB=first["signal_to_noise_dB"] + 1)
    _edit(one_test / "test_038" / "test_038.allpulses.json", lambda d: d.append(clash))
    with pytest.raises(InputError, match=r"test_038\.allpulses\.json.*differs") as info:
        load_firing_position(one_test)
    assert info.value.column is not None and info.value.column.endswith("pulse_uuid")


def test_accepts_a_uuid_repeated_identically(one_test: Path) -> None:
    first = json.loads((one_test / "test_037" / "test_037.allpulses.json").read_text())[0]
    _edit(one_test / "test_038" / "test_038.allpulses.json", lambda d: d.append(first))
    plain = load_firing_position(one_test)
    assert first["pulse_uuid"] in plain.pulses
    assert plain.pulses[first["pulse_uuid"]].test_id == 37


def test_refuses_disagreeing_weather(one_test: Path) -> None:
    _edit(one_test / "test_038" / "test_038.weather.json", lambda d: d.update(temperature=9.0))
    with pytest.raises(InputError, match=r"test_038\.weather\.json.*observation_time"):
        load_firing_position(one_test)


def test_refuses_a_sensor_that_moved_too_far(shotspotter_root: Path) -> None:
    with pytest.raises(InputError, match=r"SCP-00-BNG-5515 .* 27\.8 m .*more than 20 m"):
        load_firing_position(shotspotter_root / "FP3", max_sensor_spread_m=20.0)


def test_refuses_a_bad_field(one_test: Path) -> None:
    def break_time(doc: list[dict[str, object]]) -> None:
        doc[3]["arrival_time_utc"] = "2018-12-19 02:12:37"

    _edit(one_test / "test_037" / "test_037.allpulses.json", break_time)
    with pytest.raises(
        InputError, match=r"allpulses\.json.*arrival_time_utc.*expected an ISO 8601"
    ):
        load_firing_position(one_test)


def test_refuses_bad_json_and_empty_folders(one_test: Path, tmp_path: Path) -> None:
    (one_test / "test_038" / "test_038.survey.json").write_text("{\n  'test_id': 38\n}")
    with pytest.raises(InputError, match=r"survey\.json, line 2: not valid JSON"):
        load_firing_position(one_test)
    with pytest.raises(InputError, match="no test_NNN folder"):
        load_firing_position(tmp_path / "empty")


def test_refuses_a_tuple_for_a_shot_not_fired(one_test: Path) -> None:
    path = one_test / "test_037" / "test_037.nlos-tuples.json"
    _edit(path, lambda d: d.append({"shot_index": 3, "pulse_uuids": []}))
    with pytest.raises(InputError, match=r"nlos-tuples\.json.*bad tuple for shot 3"):
        load_firing_position(one_test)
