"""Report fusion: sound delay, association by uncertainty, independence, corroboration."""

from __future__ import annotations

import doctest
import json
import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import pytest
from bench.fuse_sim import association_f1, fabricated_corroborated, ours, truth_of

from tests.sim.conftest import START
from truceline.app.analysis import analyze_files
from truceline.domain import Corroboration, Event, EventKind, Report, SourceKind
from truceline.engine import fuse, report_fit, report_likelihood, report_sources
from truceline.engine.fuse import FusionResult, fuse_reports
from truceline.engine.pipeline import analyze_arrivals
from truceline.engine.report_config import FuseConfig
from truceline.engine.report_likelihood import corrected_times, report_columns
from truceline.geo.projection import LocalProjection, geodesic_azimuth_deg, geodesic_distance_m
from truceline.io.events import read_events
from truceline.sim.files import write_scenario
from truceline.sim.profiles import PROFILES
from truceline.sim.scenario import simulate
from truceline.sim.theatres import synthetic_theatre

PROJ = LocalProjection(37.7, 48.0)
T0 = datetime(2026, 11, 21, 3, 0, tzinfo=UTC)
C_HEARD = FuseConfig().sound_speed_ms


def at(east: float, north: float) -> tuple[float, float]:
    lon, lat = PROJ.inverse([east], [north])
    return float(lon[0]), float(lat[0])


def sensor_event(
    event_id: str, east: float, north: float, dt: float = 0.0, kind: EventKind = EventKind.IMPACT
) -> Event:
    lon, lat = at(east, north)
    t = T0 + timedelta(seconds=dt)
    return Event(event_id, t, lon, lat, kind, 12, 5.0, 4.0, 30.0, ("A1", "A2", "A3"))


def report(
    report_id: str, source_id: str, kind: SourceKind, dt: float = 0.0, **fields: Any
) -> Report:
    fields.setdefault("event_type", "explosion")
    return Report(report_id, source_id, kind, T0 + timedelta(seconds=dt), **fields)


def located(
    report_id: str, source_id: str, kind: SourceKind, east: float, north: float, **fields: Any
) -> Report:
    lon, lat = at(east, north)
    return report(report_id, source_id, kind, lon=lon, lat=lat, **fields)


def heard(
    report_id: str,
    source_id: str,
    observer: tuple[float, float],
    target: tuple[float, float],
    dt: float,
    bracket: tuple[float, float],
    **fields: Any,
) -> Report:
    """A monitor's bearing and distance bracket to ``target`` (exact bearing) from ``observer``."""
    olon, olat = at(*observer)
    tlon, tlat = at(*target)
    bearing = float(geodesic_azimuth_deg(olon, olat, tlon, tlat))
    return report(
        report_id,
        source_id,
        SourceKind.MONITOR,
        dt,
        observer_lon=olon,
        observer_lat=olat,
        bearing_deg=round(bearing, 1),
        bearing_sigma_deg=15.0,
        distance_min_m=bracket[0],
        distance_max_m=bracket[1],
        time_sigma_s=3.0,
        **fields,
    )


def event_of(out: FusionResult, report_id: str) -> Event:
    eid = out.assignment[report_id]
    return next(e for e in out.all_events if e.event_id == eid)


# -- time and place -----------------------------------------------------------------------


def test_heard_time_is_moved_back_by_the_sound_delay_of_its_bracket() -> None:
    r = heard("R1", "MT1", (0, 0), (0, 5000), dt=100.0, bracket=(4000, 6000))
    t, sigma = corrected_times(report_columns([r], PROJ, FuseConfig()), FuseConfig())
    delay = np.sqrt(4000 * 6000) / C_HEARD  # the bracket's log-middle, ~14.4 s
    assert t[0] == pytest.approx(r.time.timestamp() - delay, abs=1e-6)
    assert 3.0 < sigma[0] < 8.0  # the report's own 3 s and the bracket's spread


def test_a_heard_report_joins_the_event_whose_sound_arrived_when_it_was_heard() -> None:
    # Two explosions at one place 14.7 s apart; the monitor 5 km away hears the first one
    # exactly when the second one happens: uncorrected, it would pick the second.
    delay = 5000 / C_HEARD
    events = [sensor_event("EV-A", 0, 5000, 0.0), sensor_event("EV-B", 0, 5000, delay)]
    r = heard("R1", "MT1", (0, 0), (0, 5000), dt=delay, bracket=(3000, 7000))
    assert fuse_reports(events, [r]).assignment == {"R1": "EV-A"}


def test_a_bearing_joins_the_event_it_points_at() -> None:
    events = [sensor_event("EV-N", 0, 6000), sensor_event("EV-E", 4000, 5000)]
    delay = 6000 / C_HEARD
    r = heard("R1", "MT1", (0, 0), (0, 6000), dt=delay, bracket=(5000, 7000))
    out = fuse_reports(events, [r])
    assert out.assignment == {"R1": "EV-N"}
    assert {e.event_id: e.report_ids for e in out.events} == {"EV-N": ("R1",), "EV-E": ()}


def test_the_gate_follows_each_reports_uncertainty_not_a_fixed_radius() -> None:
    event = sensor_event("EV-1", 0, 0)
    near_uav = located("R1", "UAV1", SourceKind.UAV, 300, 0, loc_sigma_m=30.0, dt=10)
    loose_osint = located("R2", "o1", SourceKind.OSINT, 300, 0, loc_sigma_m=1500.0, dt=600)
    out = fuse_reports([event], [near_uav, loose_osint])
    assert out.assignment["R2"] == "EV-1"  # 300 m is 0.2 sigma for a loose OSINT item
    assert out.assignment["R1"] != "EV-1"  # and 10 sigma for a UAV fix


def test_a_vague_event_does_not_swallow_every_report() -> None:
    sharp = sensor_event("EV-SHARP", 0, 0)
    vague = replace(sensor_event("EV-VAGUE", 100_000, 0), err_major_m=300_000.0)
    complaint = located("R1", "LO-UA", SourceKind.PARTY, 200, 0, loc_sigma_m=500.0, dt=60)
    assert fuse_reports([vague, sharp], [complaint]).assignment == {"R1": "EV-SHARP"}


def test_a_monitors_reports_of_a_salvo_go_to_its_rounds_one_to_one() -> None:
    rounds = [sensor_event(f"EV-{k}", 0, 4000 + 40 * k, 4.0 * k) for k in range(3)]
    delay = 4000 / C_HEARD
    # The first report is nearer in time to round 1 than to round 0, but round 1 has its own.
    heard_at = [2.1, 4.5, 8.0]
    reports = [
        heard(f"R{k}", "MT1", (0, 0), (0, 4000), dt=t + delay, bracket=(3000, 5000))
        for k, t in enumerate(heard_at)
    ]
    out = fuse_reports(rounds, reports)
    assert out.assignment == {"R0": "EV-0", "R1": "EV-1", "R2": "EV-2"}
    other_teams = [replace(r, source_id=f"MT{k}") for k, r in enumerate(reports)]
    assert fuse_reports(rounds, other_teams).assignment["R0"] == "EV-1"  # no constraint


def test_crossing_camera_bearings_make_a_located_report_only_event() -> None:
    target = (2000.0, 3000.0)
    cams = []
    for k, cam in enumerate([(0.0, 0.0), (5000.0, 0.0)]):
        olon, olat = at(*cam)
        bearing = float(geodesic_azimuth_deg(olon, olat, *at(*target)))
        cams.append(
            report(
                f"R{k}",
                f"CAM{k}",
                SourceKind.CAMERA,
                0.3 * k,
                event_type="shot",
                observer_lon=olon,
                observer_lat=olat,
                bearing_deg=bearing,
                bearing_sigma_deg=1.0,
                time_sigma_s=1.0,
            )
        )
    out = fuse_reports([], cams)
    (event,) = out.report_events
    assert event.report_ids == ("R0", "R1") and event.n_sensors == 0
    assert event.kind == EventKind.LAUNCH
    assert float(geodesic_distance_m(event.lon, event.lat, *at(*target))) < 20.0
    assert event.err_major_m is not None and event.err_major_m < 150.0
    assert event.corroboration == Corroboration.VERIFIED  # two of the mission's cameras


# -- independence and corroboration -------------------------------------------------------


def complaint(report_id: str, source: str, east: float, dt: float = 60.0) -> Report:
    return located(
        report_id,
        source,
        SourceKind.PARTY,
        east,
        0,
        loc_sigma_m=500.0,
        time_sigma_s=300.0,
        reliability="D",
        credibility="4",
        accused_party="RU",
        dt=dt,
    )


def test_a_partys_repeated_complaints_count_once() -> None:
    event = sensor_event("EV-1", 0, 0)
    once = fuse_reports([event], [complaint("R1", "LO-UA", 100)])
    twice = fuse_reports([event], [complaint("R1", "LO-UA", 100), complaint("R2", "LO-UA", 150)])
    assert twice.events[0].report_ids == ("R1", "R2")
    assert twice.belief["EV-1"] == pytest.approx(once.belief["EV-1"])
    alone = fuse_reports([], [complaint("R1", "LO-UA", 100), complaint("R2", "LO-UA", 150)])
    (event,) = alone.report_events
    assert event.report_ids == ("R1", "R2")
    assert event.corroboration == Corroboration.SINGLE_SOURCE


def test_source_groups_make_several_liaison_officers_one_party() -> None:
    reports = [complaint("R1", "LO-UA-1", 100), complaint("R2", "LO-UA-2", 150)]
    separate = fuse_reports([sensor_event("EV-1", 0, 0)], reports)
    grouped = fuse_reports(
        [sensor_event("EV-1", 0, 0)],
        reports,
        FuseConfig(source_groups={"LO-UA-1": "UA", "LO-UA-2": "UA"}),
    )
    assert grouped.belief["EV-1"] > separate.belief["EV-1"]  # D4 counted once, not twice


def osint(report_id: str, source: str, east: float, text: str, dt: float = 1800.0) -> Report:
    return located(
        report_id,
        source,
        SourceKind.OSINT,
        east,
        0,
        loc_sigma_m=800.0,
        time_sigma_s=3600.0,
        reliability="C",
        credibility="3",
        text=text,
        dt=dt,
    )


def test_reposts_of_one_item_count_once_even_under_other_accounts() -> None:
    text = "Explosions reported near the water tower"
    reposts = [osint(f"R{k}", f"acct{k}", 250.0, text) for k in range(3)]
    out = fuse_reports([], reposts)
    (event,) = out.report_events
    assert event.report_ids == ("R0", "R1", "R2")
    assert event.corroboration == Corroboration.SINGLE_SOURCE


def test_independent_open_sources_corroborate_but_do_not_verify() -> None:
    items = [
        osint("R0", "acct0", 0.0, "Explosions reported near the water tower"),
        osint("R1", "acct1", 900.0, "Two loud blasts in the eastern district", dt=2400.0),
    ]
    (event,) = fuse_reports([], items).report_events
    assert event.corroboration == Corroboration.CORROBORATED
    strong = [replace(r, reliability="A", credibility="1") for r in items]
    (event,) = fuse_reports([], strong).report_events
    assert event.corroboration == Corroboration.CORROBORATED  # no mission means: not verified


def test_verified_needs_the_missions_own_means() -> None:
    item = osint("R0", "acct0", 0.0, "Explosions reported near the water tower")
    uav = located("R1", "UAV1", SourceKind.UAV, 60.0, 0, loc_sigma_m=50.0, dt=20)
    (event,) = fuse_reports([], [item, uav]).report_events
    assert event.corroboration == Corroboration.VERIFIED
    lonely = fuse_reports([sensor_event("EV-1", 0, 0)], [])
    assert lonely.events[0].corroboration == Corroboration.SINGLE_SOURCE


def test_a_fabricated_complaint_far_from_any_event_stays_single_source() -> None:
    events = [sensor_event("EV-1", 0, 0), sensor_event("EV-2", 500, 300, 40.0)]
    fake = complaint("R9", "LO-RU", 20_000.0)
    out = fuse_reports(events, [fake])
    assert all(e.report_ids == () for e in out.events)
    assert event_of(out, "R9").corroboration == Corroboration.SINGLE_SOURCE
    assert event_of(out, "R9").n_sensors == 0


def test_a_complaint_is_fire_received_so_it_prefers_an_impact_to_a_launch() -> None:
    launch = sensor_event("EV-L", 0, 0, kind=EventKind.LAUNCH)
    impact = sensor_event("EV-I", 900, 0, 30.0, kind=EventKind.IMPACT)
    out = fuse_reports([launch, impact], [complaint("R1", "LO-UA", 100.0, dt=20.0)])
    assert out.assignment == {"R1": "EV-I"}  # the launch is closer, but it is outgoing fire
    alone = fuse_reports([launch], [complaint("R1", "LO-UA", 100.0, dt=20.0)])
    assert alone.assignment == {"R1": "EV-L"}  # an assessment can be wrong: not a hard rule


# -- what is not fused, and the shape of the result ---------------------------------------


def test_sightings_denials_and_unplaceable_reports_are_not_fused() -> None:
    sighting = located("R1", "UAV1", SourceKind.UAV, 0, 0, event_type="weapon_sighting")
    denial = located("R2", "MT1", SourceKind.MONITOR, 0, 0, event_type="access_denied")
    nowhere = report("R3", "LO-UA", SourceKind.PARTY, text="shelling somewhere")
    out = fuse_reports([sensor_event("EV-1", 0, 0)], [sighting, denial, nowhere])
    assert out.assignment == {} and out.report_events == []
    assert out.unplaced == ("R3",)


def test_no_input_gives_no_output() -> None:
    out = fuse_reports([], [])
    assert out.events == [] and out.report_events == [] and out.assignment == {}


def test_fusion_is_deterministic_and_ignores_input_order() -> None:
    events = [sensor_event(f"EV-{k}", 3000.0 * k, 0, 20.0 * k) for k in range(5)]
    reports = [
        located(f"R{k}", f"UAV{k % 2}", SourceKind.UAV, 3000.0 * k + 40, 0, dt=20.0 * k + 30)
        for k in range(5)
    ] + [complaint("R9", "LO-UA", 50_000.0), osint("R8", "acct", 6100.0, "blasts")]
    first = fuse_reports(events, reports)
    shuffled_events, shuffled_reports = list(events), list(reports)
    random.Random(1).shuffle(shuffled_events)
    random.Random(2).shuffle(shuffled_reports)
    assert fuse_reports(shuffled_events, shuffled_reports) == first
    assert fuse_reports(events, reports) == first
    assert [e.event_id for e in first.all_events] == sorted(
        (e.event_id for e in first.all_events),
        key=lambda i: next(e.time for e in first.all_events if e.event_id == i),
    )


@pytest.mark.parametrize("module", [fuse, report_fit, report_likelihood, report_sources])
def test_docstring_examples(module: ModuleType) -> None:
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0


# -- on a simulated scenario --------------------------------------------------------------


@pytest.fixture(scope="module")
def quiet_with_fakes() -> tuple[Any, list[Event]]:
    """Six quiet hours on the synthetic theatre, with many fabricated complaints."""
    profile = replace(PROFILES["quiet"], fabricated_complaints_per_day=80)
    sc = simulate(synthetic_theatre(), seed=1, profile=profile, start=START, hours=6)
    events = analyze_arrivals(sc.sensors(), sc.domain_arrivals(), sc.domain_weather()).events
    return sc, events


def test_reports_join_their_events_on_a_simulated_quiet_period(
    quiet_with_fakes: tuple[Any, list[Event]],
) -> None:
    sc, events = quiet_with_fakes
    truth = truth_of(sc, events)
    fused = ours(events, sc.reports)
    precision, recall, f1 = association_f1(truth, fused, salvo=True)
    assert f1 >= 0.93, (precision, recall)
    up, n = fabricated_corroborated(truth, fused)
    assert n >= 10 and up <= 0.1 * n


def test_analyze_with_reports_writes_fused_events(tmp_path: Path) -> None:
    sc = simulate(synthetic_theatre(), seed=3, profile="quiet", start=START, hours=2)
    paths = write_scenario(sc, tmp_path / "sc")
    _, out = analyze_files(
        sensors=paths["sensors.csv"],
        arrivals=paths["arrivals.csv"],
        weather=paths["weather.csv"],
        reports=paths["reports.csv"],
        out_dir=tmp_path / "out",
    )
    events = read_events(out["events"])
    assert any(e.report_ids for e in events if e.n_sensors > 0)
    assert {e.corroboration for e in events} >= {Corroboration.VERIFIED}
    run = json.loads(out["run"].read_text())
    assert not any("fusion" in s for s in run["stages_not_available"])
