"""`truceline analyze` and `truceline crlb`: files in, events.csv out (nothing partial)."""

from __future__ import annotations

import csv
import hashlib
import json
from dataclasses import asdict, replace
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
from rich.console import Console

from truceline import __version__
from truceline.app.outbox import write_violation_alerts
from truceline.app.progress import step
from truceline.engine.attribute import attribute_events, with_attribution
from truceline.engine.crlb import crlb_horizontal_m
from truceline.engine.frames import enu_rotation, geodetic_to_ecef, to_enu
from truceline.engine.fuse import fuse_reports
from truceline.engine.pair import pair_impacts, with_pairs
from truceline.engine.pipeline import ArrivalAnalysis, EngineConfig
from truceline.engine.rules import daily_ledger, detect_violations
from truceline.engine.soundspeed import DEFAULT_TEMPERATURE_C, speed_of_sound_ms
from truceline.errors import InputError
from truceline.io.formats import write_events_file
from truceline.io.parquet import is_parquet
from truceline.io.register import read_register
from truceline.io.reports import read_reports
from truceline.io.sensors import read_sensors
from truceline.io.theatre import read_theatre
from truceline.io.violations import write_violations
from truceline.io.weather import read_weather
from truceline.scale.dask_engine import DaskConfig
from truceline.scale.engines import analyze_arrival_input, read_arrival_input
from truceline.settings import get_settings


def _sha256(path: Path) -> str:
    with path.open("rb") as f:  # in chunks: an arrivals file may be larger than memory
        return hashlib.file_digest(f, "sha256").hexdigest()


def analyze_files(
    *,
    sensors: Path,
    arrivals: Path,
    out_dir: Path,
    weather: Path | None = None,
    theatre: Path | None = None,
    reports: Path | None = None,
    register: Path | None = None,
    cfg: EngineConfig | None = None,
    console: Console | None = None,
    engine: DaskConfig | None = None,
) -> tuple[ArrivalAnalysis, dict[str, Path]]:
    """Validate every input, analyse, then write events.csv, unassociated.csv and run.json.

    ``engine``: a Dask cluster to run on (None: in-process). Parquet arrivals give
    events.parquet, and on Dask are streamed rather than held (docs/scale.md)."""
    cfg = cfg or EngineConfig()
    inputs = {
        "sensors": sensors,
        "arrivals": arrivals,
        "weather": weather,
        "theatre": theatre,
        "reports": reports,
        "register": register,
    }
    with step(console, "Validating inputs"):
        sensor_rows = read_sensors(sensors)
        arrival_rows = read_arrival_input(arrivals, sensor_rows, engine)
        weather_rows = read_weather(weather) if weather else []
        theatre_obj = read_theatre(theatre) if theatre else None
        register_obj = read_register(register) if register else None
        report_rows = read_reports(reports) if reports else []
    with step(console, f"Associating and locating {len(arrival_rows):,} arrivals"):
        result = analyze_arrival_input(arrival_rows, sensor_rows, weather_rows, cfg, engine)
    if reports is not None:
        with step(console, f"Fusing {len(report_rows):,} reports"):
            result = replace(result, events=fuse_reports(result.events, report_rows).all_events)
    if theatre_obj is not None:
        with step(console, f"Attributing {len(result.events):,} events"):
            found = attribute_events(result.events, theatre_obj)
            result = replace(result, events=with_attribution(result.events, found))
    with step(console, "Pairing impacts with launches"):
        pairs = pair_impacts(result.events)
        result = replace(result, events=with_pairs(result.events, pairs))
    violations = []
    if theatre_obj is not None:
        with step(console, "Applying the ceasefire's rules"):
            weapons = {p.launch_id: p.weapon for p in pairs}
            violations = detect_violations(
                theatre_obj, result.events, report_rows, weapons, register=register_obj
            )
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {
        "events": out_dir / ("events.parquet" if is_parquet(arrivals) else "events.csv"),
        "unassociated": out_dir / "unassociated.csv",
        "run": out_dir / "run.json",
    }
    write_events_file(paths["events"], result.events)
    if theatre_obj is not None:
        paths["violations"] = out_dir / "violations.csv"
        paths["ledger"] = out_dir / "ledger.csv"
        write_violations(paths["violations"], violations)
        alerts_dir = get_settings().alerts_dir
        if alerts_dir is not None:
            by_id = {e.event_id: e for e in result.events}
            sent = datetime.now(UTC).replace(microsecond=0)
            write_violation_alerts(
                alerts_dir,
                violations,
                by_id,
                sent,
                reports=report_rows,
                names=[s.sensor_id for s in sensor_rows],
            )
        _write_ledger(paths["ledger"], daily_ledger(violations))
    paths["unassociated"].write_text(
        "arrival_id\n" + "".join(f"{a}\n" for a in result.unassociated), encoding="utf-8"
    )
    run = {
        "code_version": __version__,
        "finished_at": datetime.now(UTC).isoformat(),
        "inputs": {k: {"path": str(p), "sha256": _sha256(p)} for k, p in inputs.items() if p},
        "parameters": asdict(cfg),
        "engine": asdict(engine) if engine is not None else "local",
        "stages_not_available": ([] if reports else ["report fusion (no --reports given)"])
        + ([] if theatre_obj else ["attribution and rules (no --theatre given)"]),
        "events": len(result.events),
        "unassociated_arrivals": len(result.unassociated),
        "pairs": len(pairs),
        "violations": len(violations) if theatre_obj is not None else None,
    }
    paths["run"].write_text(json.dumps(run, indent=2) + "\n", encoding="utf-8")
    return result, paths


def _write_ledger(path: Path, rows: list[dict[str, object]]) -> None:
    """The daily ledger per party as CSV (date, party, type, severity, count)."""
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=["date", "party", "type", "severity", "count"])
        writer.writeheader()
        writer.writerows(rows)
    tmp.replace(path)


def crlb_at(
    *,
    sensors: Path,
    lon: float,
    lat: float,
    elev_m: float | None = None,
    max_range_m: float = 25_000.0,
    sigma_s: float | None = None,
    temperature_c: float = DEFAULT_TEMPERATURE_C,
    height_sigma_m: float | None = None,
) -> tuple[float, int]:
    """The horizontal CRLB (m) for a source at lon/lat heard by every sensor within range."""
    if not (-180.0 <= lon <= 180.0 and -90.0 <= lat <= 90.0):
        raise InputError(f"position out of range: lon {lon}, lat {lat}", column="--lon/--lat")
    rows = read_sensors(sensors)
    lon_s = np.array([s.lon for s in rows])
    lat_s = np.array([s.lat for s in rows])
    elev = np.array([s.elev_m for s in rows])
    sigma = np.array([sigma_s if sigma_s is not None else s.clock_sigma_s for s in rows])
    h = float(np.median(elev)) if elev_m is None else elev_m
    origin = geodetic_to_ecef(np.array([lon]), np.array([lat]), np.array([h]))
    rot = enu_rotation(np.array([lon]), np.array([lat]))
    enu = to_enu(geodetic_to_ecef(lon_s, lat_s, elev)[None, ...], origin, rot)
    heard = np.linalg.norm(enu[0], axis=1) <= max_range_m
    if heard.sum() < 3:
        raise InputError(f"only {int(heard.sum())} sensors within {max_range_m:g} m: no bound")
    bound = crlb_horizontal_m(
        np.zeros((1, 3)),
        enu,
        sigma[None, :],
        heard[None, :],
        speed_of_sound_ms(temperature_c).reshape(1),
        height_sigma_m,
    )
    return float(bound[0]), int(heard.sum())
