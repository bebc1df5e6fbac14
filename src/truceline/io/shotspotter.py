"""ShotSpotter Pittsburgh 2018 live-fire data (CC BY 4.0) as interchange files plus truth.

One firing position (``FP1`` .. ``FP6``, 18 ``test_NNN`` folders each) becomes one data
set: every test's ``allpulses.json`` pooled into sensors and arrivals, the METAR rows of
``weather.json``, and the truth (``survey.json``, ``nlos-tuples.json``) kept apart.

The vendor's local x/y/z frame (metres, a different arbitrary origin per firing position)
is taken as an azimuthal equidistant plane whose origin ``x = y = 0`` sits at an anchor
(central Pittsburgh by default), x east and y north. Constants of the conversion:

- ``ELEVATION_OFFSET_M``: z is relative to an unknown datum; ``elev_m = z + 300``.
- ``CLOCK_SIGMA_S``: the data says nothing of the sensors' timing accuracy, so the
  interchange default (5 ms) is used. The 1 ms resolution of the times (0.29 ms of rounding)
  is not the accuracy of a pick in a city: onsets blurred by multipath scatter by several
  milliseconds.

Sensor positions: each pulse reports the sensor position of its moment. Most sensors
report one position (or a few within centimetres); a few GPS-only ones wander by 10-25 m,
and in FP4 test_055 eight sensors report ``location_error`` 0 at positions metres away
from their surveyed ones. A sensor is placed at the component-wise median of its pulses'
positions (robust to both); the spread is kept in ``ShotSpotterSet.sites``, and each
pulse keeps its own position in ``ShotSpotterSet.pulses``. A wandering sensor's position is
uncertain by the scatter of what it reported (RMS distance from the median), and the
interchange has one number for a sensor's uncertainty, ``clock_sigma_s``: it becomes
``hypot(CLOCK_SIGMA_S, position_rms_m / SOUND_SPEED_FOR_SIGMA_MS)`` (5 ms for the sensors
that stay put; 20-30 ms for the GPS-only ones, whose arrivals miss the surveyed shots by
about that much).
"""

from __future__ import annotations

import json
import math
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np

from truceline.domain import Arrival, Sensor, Weather
from truceline.errors import InputError
from truceline.geo.projection import LocalProjection
from truceline.io.arrivals import write_arrivals
from truceline.io.sensors import write_sensors
from truceline.io.shotspotter_truth import (
    SensorSite,
    ShotTruth,
    TestTruth,
    write_sensor_sites,
    write_shot_truth,
)
from truceline.io.timefmt import parse_time
from truceline.io.weather import write_weather

ANCHOR_LON, ANCHOR_LAT = -79.9959, 40.4406  # central Pittsburgh
ELEVATION_OFFSET_M = 300.0
CLOCK_SIGMA_S = 0.005  # the interchange default for clock_sigma_s
SOUND_SPEED_FOR_SIGMA_MS = 343.0  # turns a position uncertainty into a timing one
MAX_SENSOR_SPREAD_M = 50.0
ATTRIBUTION = (
    "Derived from the ShotSpotter Pittsburgh 2018 live-fire test data, GitHub\n"
    "ShotSpotter/research.accuracy-of-gunshot-location (commit b0dc2840), described in\n"
    'ShotSpotter Tech Note 098 "Precision and accuracy of acoustic gunshot location in an\n'
    'urban environment" (2020). Licence: CC BY 4.0. Positions moved to an arbitrary anchor.\n'
)


@dataclass(frozen=True)
class Pulse:
    """One pulse as reported: its test, the sensor position it carried, its quality."""

    arrival_id: str
    test_id: int
    sensor_id: str
    x: float
    y: float
    z: float
    location_error_m: float
    power_db_spl: float


@dataclass(frozen=True)
class ShotSpotterSet:
    """One firing position: interchange records, local-frame extras and the truth.

    ``twins`` lists groups of pulses identical but for their uuid (the first id of each
    group is the one kept when loaded with ``merge_twins=True``).
    """

    firing_position: str
    projection: LocalProjection
    sensors: tuple[Sensor, ...]
    arrivals: tuple[Arrival, ...]
    weather: tuple[Weather, ...]
    tests: tuple[TestTruth, ...]
    shots: tuple[ShotTruth, ...]
    sites: Mapping[str, SensorSite]
    pulses: Mapping[str, Pulse]
    twins: tuple[tuple[str, ...], ...]


def load_firing_position(
    fp_dir: Path,
    *,
    anchor_lon: float = ANCHOR_LON,
    anchor_lat: float = ANCHOR_LAT,
    merge_twins: bool = False,
    max_sensor_spread_m: float = MAX_SENSOR_SPREAD_M,
) -> ShotSpotterSet:
    """Load every test of one firing position folder into one data set.

    Parameters
    ----------
    fp_dir
        A firing position folder, e.g. ``.../shotspotter-pittsburgh-2018/FP1``.
    anchor_lon, anchor_lat
        Where the local origin (x = y = 0) is placed.
    merge_twins
        Keep only the first of pulses identical but for their uuid (FP6 has 473 pairs);
        vendor tuples naming a dropped twin then name the kept one.
    max_sensor_spread_m
        A sensor reporting a position farther than this from its median is refused.

    Raises
    ------
    InputError
        A missing or malformed file, the same uuid with different content, weather rows
        that disagree, a sensor that moved too far, a tuple naming an unknown shot.

    Examples
    --------
    >>> ds = load_firing_position(shotspotter_root / "FP3")
    >>> len(ds.tests), len(ds.shots), len(ds.sensors), len(ds.arrivals)
    (18, 36, 27, 947)
    """
    test_dirs = sorted(p for p in Path(fp_dir).glob("test_*") if p.is_dir())
    if not test_dirs:
        raise InputError("no test_NNN folder found", file=str(fp_dir))
    projection = LocalProjection(anchor_lon, anchor_lat)
    raw = _pool_pulses(test_dirs)
    kept, twins = _find_twins(raw, merge_twins)
    parsed = {uid: _parse_pulse(item, file) for uid, (item, file) in kept.items()}
    pulses = {uid: pulse for uid, (pulse, _) in parsed.items()}
    sites = _sensor_sites(pulses, max_sensor_spread_m, str(fp_dir))
    weather_by_test, weather = _weather(test_dirs)
    tests = tuple(_test_truth(d, projection, weather_by_test[d.name]) for d in test_dirs)
    _check_tests(tests, fp_dir)
    rename = {uid: group[0] for group in twins for uid in group} if merge_twins else {}
    shots = tuple(
        shot
        for d, test in zip(test_dirs, tests, strict=True)
        for shot in _shots(d, test, pulses.keys(), rename)
    )
    return ShotSpotterSet(
        firing_position=tests[0].firing_position,
        projection=projection,
        sensors=tuple(_sensor(site, projection) for site in sites.values()),
        arrivals=tuple(sorted((a for _, a in parsed.values()), key=_arrival_order)),
        weather=weather,
        tests=tests,
        shots=shots,
        sites=sites,
        pulses=pulses,
        twins=twins,
    )


def write_firing_position(dataset: ShotSpotterSet, out_dir: Path) -> dict[str, Path]:
    """Write sensors.csv, arrivals.csv, weather.csv and truth/ to ``out_dir``; return paths."""
    out = Path(out_dir)
    (out / "truth").mkdir(parents=True, exist_ok=True)
    paths = {
        name: out / name
        for name in (
            "sensors.csv",
            "arrivals.csv",
            "weather.csv",
            "truth/shots.csv",
            "truth/sensors_local.csv",
            "ATTRIBUTION.md",
        )
    }
    write_sensors(paths["sensors.csv"], dataset.sensors)
    write_arrivals(paths["arrivals.csv"], dataset.arrivals)
    write_weather(paths["weather.csv"], dataset.weather)
    write_shot_truth(paths["truth/shots.csv"], dataset.shots)
    write_sensor_sites(paths["truth/sensors_local.csv"], dataset.sites.values())
    paths["ATTRIBUTION.md"].write_text(ATTRIBUTION, encoding="utf-8")
    return paths


# Reading the JSON files.


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"cannot read the file ({exc.strerror})", file=str(path)) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        line = getattr(exc, "lineno", None)
        raise InputError(f"not valid JSON ({exc})", file=str(path), line=line) from None


def _test_file(test_dir: Path, kind: str) -> Path:
    return test_dir / f"{test_dir.name}.{kind}.json"


def _get(obj: Any, key: str, kind: type, file: Path, where: str = "") -> Any:
    """``obj[key]``, checked to be of ``kind`` (a finite number for ``float``)."""
    value: Any = obj.get(key) if isinstance(obj, dict) else None
    if isinstance(value, bool):
        pass
    elif kind is float and isinstance(value, int | float) and math.isfinite(value):
        return float(value)
    elif kind is not float and isinstance(value, kind):
        return value
    expected = "a finite number" if kind is float else kind.__name__
    raise InputError(f"expected {expected}, got {value!r}", file=str(file), column=where + key)


def _xyz(obj: Any, key: str, file: Path, where: str = "") -> tuple[float, float, float]:
    loc = _get(obj, key, dict, file, where)
    x, y, z = (_get(loc, c, float, file, f"{where}{key}.") for c in "xyz")
    return x, y, z


def _time(obj: Any, key: str, file: Path, where: str = "") -> datetime:
    try:
        return parse_time(_get(obj, key, str, file, where))
    except ValueError as exc:
        raise InputError(str(exc), file=str(file), column=where + key) from None


# Pulses, twins and sensors.

RawPulses = dict[str, tuple[dict[str, Any], Path]]


def _pool_pulses(test_dirs: list[Path]) -> RawPulses:
    """All pulses by uuid; a uuid met again must come with the same content."""
    pooled: RawPulses = {}
    for test_dir in test_dirs:
        file = _test_file(test_dir, "allpulses")
        items = _read_json(file)
        if not isinstance(items, list):
            raise InputError("expected a JSON list of pulses", file=str(file))
        for i, item in enumerate(items):
            uid = _get(item, "pulse_uuid", str, file, f"[{i}].")
            if uid in pooled and pooled[uid][0] != item:
                first = pooled[uid][1]
                why = f"pulse {uid} differs from the one of the same uuid in {first}"
                raise InputError(why, file=str(file), column=f"[{i}].pulse_uuid")
            pooled.setdefault(uid, (item, file))
    return pooled


def _find_twins(raw: RawPulses, merge: bool) -> tuple[RawPulses, tuple[tuple[str, ...], ...]]:
    """Group pulses identical but for their uuid; drop all but the first when merging."""
    groups: dict[str, list[str]] = {}
    for uid, (item, _) in raw.items():
        content = {k: v for k, v in item.items() if k != "pulse_uuid"}
        groups.setdefault(json.dumps(content, sort_keys=True), []).append(uid)
    twins = tuple(tuple(g) for g in groups.values() if len(g) > 1)
    if not merge:
        return raw, twins
    dropped = {uid for group in twins for uid in group[1:]}
    return {u: v for u, v in raw.items() if u not in dropped}, twins


def _parse_pulse(item: dict[str, Any], file: Path) -> tuple[Pulse, Arrival]:
    """A pulse with the sensor position it reported, and its arrival."""
    where = f"[{item['pulse_uuid']}]."
    x, y, z = _xyz(item, "location", file, where)
    sensor_id = _get(item, "serial_number", str, file, where)
    pulse = Pulse(
        arrival_id=item["pulse_uuid"],
        test_id=int(file.parent.name.removeprefix("test_")),
        sensor_id=sensor_id,
        x=x,
        y=y,
        z=z,
        location_error_m=_get(item, "location_error", float, file, where),
        power_db_spl=_get(item, "power_dB_SPL", float, file, where),
    )
    arrival = Arrival(
        arrival_id=item["pulse_uuid"],
        sensor_id=sensor_id,
        time=_time(item, "arrival_time_utc", file, where),
        snr_db=_get(item, "signal_to_noise_dB", float, file, where),
    )
    return pulse, arrival


def _arrival_order(a: Arrival) -> tuple[Any, ...]:
    return a.time, a.sensor_id, a.arrival_id


def _sensor_sites(
    pulses: Mapping[str, Pulse], max_spread_m: float, where: str
) -> dict[str, SensorSite]:
    """Each sensor at the median of its pulses' positions, with the spread around it."""
    by_sensor: dict[str, list[Pulse]] = {}
    for pulse in pulses.values():
        by_sensor.setdefault(pulse.sensor_id, []).append(pulse)
    sites = {}
    for sensor_id in sorted(by_sensor):
        xyz = np.array([(p.x, p.y, p.z) for p in by_sensor[sensor_id]])
        centre = np.median(xyz, axis=0)
        spread_h = float(np.hypot(*(xyz[:, :2] - centre[:2]).T).max())
        if spread_h > max_spread_m:
            why = f"sensor {sensor_id} reports positions {spread_h:.1f} m from its median"
            raise InputError(f"{why} (more than {max_spread_m:g} m)", file=where)
        sites[sensor_id] = SensorSite(
            sensor_id=sensor_id,
            x=float(centre[0]),
            y=float(centre[1]),
            z=float(centre[2]),
            n_pulses=len(xyz),
            n_positions=len({tuple(row) for row in xyz.tolist()}),
            spread_h_m=spread_h,
            spread_v_m=float(np.abs(xyz[:, 2] - centre[2]).max()),
            position_rms_m=float(np.sqrt(np.mean(np.sum((xyz - centre) ** 2, axis=1)))),
        )
    return sites


def _sensor(site: SensorSite, projection: LocalProjection) -> Sensor:
    lon, lat = projection.inverse(site.x, site.y)
    return Sensor(
        sensor_id=site.sensor_id,
        lon=float(lon),
        lat=float(lat),
        elev_m=site.z + ELEVATION_OFFSET_M,
        clock_sigma_s=sensor_sigma_s(site),
    )


def sensor_sigma_s(site: SensorSite) -> float:
    """The timing sigma of a sensor: its clock's, and the scatter of its reported positions.

    >>> site = SensorSite("S", 0.0, 0.0, 0.0, 10, 2, 20.0, 0.0, position_rms_m=6.86)
    >>> round(sensor_sigma_s(site) * 1000, 1)
    20.6
    """
    return float(math.hypot(CLOCK_SIGMA_S, site.position_rms_m / SOUND_SPEED_FOR_SIGMA_MS))


# Weather and truth.


def _check_tests(tests: tuple[TestTruth, ...], fp_dir: Path) -> None:
    if len({t.firing_position for t in tests}) != 1:
        raise InputError("tests of several firing positions in one folder", file=str(fp_dir))
    if len({t.test_id for t in tests}) != len(tests):
        raise InputError("the same test_id in two test folders", file=str(fp_dir))


def _weather(test_dirs: list[Path]) -> tuple[dict[str, Weather], tuple[Weather, ...]]:
    """Each test's METAR row, and the distinct rows by time (same time, same values)."""
    by_test: dict[str, Weather] = {}
    by_time: dict[Any, Weather] = {}
    for test_dir in test_dirs:
        file = _test_file(test_dir, "weather")
        doc = _read_json(file)
        row = Weather(
            time=_time(doc, "observation_time", file),
            temperature_c=_get(doc, "temperature", float, file),
            wind_speed_ms=_get(doc, "speed", float, file),
            wind_from_deg=_get(doc, "direction", float, file) % 360.0,
        )
        if by_time.setdefault(row.time, row) != row:
            why = "weather differs from another test's at the same observation_time"
            raise InputError(why, file=str(file), column="observation_time")
        by_test[test_dir.name] = row
    return by_test, tuple(sorted(by_time.values(), key=lambda w: w.time))


def _test_truth(test_dir: Path, projection: LocalProjection, weather: Weather) -> TestTruth:
    file = _test_file(test_dir, "survey")
    doc = _read_json(file)
    x, y, z = _xyz(doc, "survey_location", file)
    lon, lat = projection.inverse(x, y)
    rounds = _get(doc, "num_rounds", int, file)
    if rounds < 1:
        raise InputError(f"expected at least 1 round, got {rounds}", file=str(file))
    return TestTruth(
        test_id=_get(doc, "test_id", int, file),
        firing_position=_get(doc, "firing_position", str, file),
        num_rounds=rounds,
        firearm=_get(doc, "firearm", str, file),
        approximate_time=_time(doc, "approximate_time_utc", file),
        x=x,
        y=y,
        z=z,
        lon=float(lon),
        lat=float(lat),
        elev_m=z + ELEVATION_OFFSET_M,
        weather=weather,
    )


def _vendor_tuples(
    test_dir: Path, rounds: int, rename: Mapping[str, str]
) -> dict[int, tuple[str, ...]]:
    """``nlos-tuples.json`` (optional) as shot index -> pulse ids, renamed for merged twins."""
    file = _test_file(test_dir, "nlos-tuples")
    if not file.exists():
        return {}
    items = _read_json(file)
    tuples: dict[int, tuple[str, ...]] = {}
    for i, item in enumerate(items if isinstance(items, list) else [None]):
        index = _get(item, "shot_index", int, file, f"[{i}].")
        ids = _get(item, "pulse_uuids", list, file, f"[{i}].")
        if not 0 <= index < rounds or index in tuples or not all(isinstance(u, str) for u in ids):
            raise InputError(f"bad tuple for shot {index}", file=str(file), column=f"[{i}]")
        tuples[index] = tuple(dict.fromkeys(rename.get(u, u) for u in ids))
    return tuples


def _shots(
    test_dir: Path, test: TestTruth, known: Collection[str], rename: Mapping[str, str]
) -> list[ShotTruth]:
    tuples = _vendor_tuples(test_dir, test.num_rounds, rename)
    shots = []
    for index in range(test.num_rounds):
        ids = tuples.get(index, ())
        shots.append(
            ShotTruth(
                test_id=test.test_id,
                shot_index=index,
                x=test.x,
                y=test.y,
                z=test.z,
                lon=test.lon,
                lat=test.lat,
                elev_m=test.elev_m,
                firearm=test.firearm,
                vendor_pulse_ids=tuple(u for u in ids if u in known),
                firing_position=test.firing_position,
                num_rounds=test.num_rounds,
                approximate_time=test.approximate_time,
                temperature_c=test.weather.temperature_c,
                vendor_missing_pulse_ids=tuple(u for u in ids if u not in known),
            )
        )
    return shots


__all__ = [
    "CLOCK_SIGMA_S",
    "ELEVATION_OFFSET_M",
    "Pulse",
    "SensorSite",
    "ShotSpotterSet",
    "ShotTruth",
    "TestTruth",
    "load_firing_position",
    "write_firing_position",
]
