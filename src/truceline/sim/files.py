"""Writing a simulated scenario as interchange files plus its ground truth (truth/*.csv)."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

from truceline.io.arrivals import write_arrivals
from truceline.io.register import write_register
from truceline.io.reports import write_reports
from truceline.io.sensors import write_sensors
from truceline.io.theatre import write_theatre
from truceline.io.timefmt import format_time
from truceline.io.weather import write_weather
from truceline.sim.clock import to_datetime
from truceline.sim.scenario import Scenario

INPUT_FILES = ("theatre.geojson", "sensors.csv", "arrivals.csv", "weather.csv", "reports.csv")


def _write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)


def _truth_events(sc: Scenario, path: Path) -> None:
    ev, ids = sc.events, sc.event_ids()
    partner: dict[tuple[int, str], str] = {
        (int(r), str(k)): i for r, k, i in zip(ev.round_id, ev.kind, ids, strict=True)
    }
    rows = (
        (
            ids[i],
            ev.kind[i],
            format_time(to_datetime(float(ev.time_s[i]))),
            repr(float(ev.lon[i])),
            repr(float(ev.lat[i])),
            round(float(ev.elev_m[i]), 1),
            ev.party[i],
            ev.weapon[i],
            int(ev.mission[i]),
            partner[(int(ev.round_id[i]), "impact" if ev.kind[i] == "launch" else "launch")],
            ev.area[i],
        )
        for i in range(len(ev))
    )
    header = (
        "event_id",
        "kind",
        "time",
        "lon",
        "lat",
        "elev_m",
        "party",
        "weapon",
        "mission",
        "paired_event_id",
        "area",
    )
    _write_csv(path, header, rows)


def _truth_arrivals(sc: Scenario, path: Path) -> None:
    a, event_ids = sc.arrivals, np.array([*sc.event_ids(), ""])
    rows = zip(
        sc.arrival_ids(),
        event_ids[a.event],
        a.path,
        np.round(a.distance_m, 3),
        np.round(a.sound_speed_ms, 4),
        np.round(a.noise_s, 7),
        np.round(a.delay_s, 7),
        strict=True,
    )
    header = (
        "arrival_id",
        "event_id",
        "path",
        "distance_m",
        "sound_speed_ms",
        "noise_s",
        "delay_s",
    )
    _write_csv(
        path, header, ((r[0], r[1], r[2], *("" if np.isnan(v) else v for v in r[3:])) for r in rows)
    )


def _truth_reports(sc: Scenario, path: Path) -> None:
    ids = sc.event_ids()
    rows = (
        (
            t.report_id,
            ids[t.event_index] if t.event_index >= 0 else "",
            t.role,
            t.duplicate_of,
            int(t.violation),
        )
        for t in sc.report_truth
    )
    _write_csv(path, ("report_id", "event_id", "role", "duplicate_of", "violation"), rows)


def write_scenario(sc: Scenario, out_dir: str | Path) -> dict[str, Path]:
    """Write inputs (interchange files) and truth/ to ``out_dir``; return the paths by name."""
    out = Path(out_dir)
    (out / "truth").mkdir(parents=True, exist_ok=True)
    paths = {name: out / name for name in INPUT_FILES}
    write_theatre(paths["theatre.geojson"], sc.theatre)
    write_sensors(paths["sensors.csv"], sc.sensors())
    write_arrivals(paths["arrivals.csv"], sc.domain_arrivals())
    write_weather(paths["weather.csv"], sc.domain_weather())
    write_reports(paths["reports.csv"], sc.reports)
    paths["register.json"] = out / "register.json"
    write_register(paths["register.json"], sc.register)
    _truth_events(sc, out / "truth" / "events.csv")
    _truth_arrivals(sc, out / "truth" / "arrivals.csv")
    _truth_reports(sc, out / "truth" / "reports.csv")
    summary = {
        "seed": sc.seed,
        "profile": sc.profile.name,
        "start": format_time(to_datetime(sc.start_s)),
        "end": format_time(to_datetime(sc.start_s + sc.duration_s)),
        "sensors": len(sc.network),
        "true_events": len(sc.events),
        "arrivals": len(sc.arrivals),
        "reports": len(sc.reports),
    }
    (out / "truth" / "scenario.json").write_text(json.dumps(summary, indent=2) + "\n")
    return paths
