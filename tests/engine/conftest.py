"""Shared ground for the engine tests: synthetic arrays and shots with exact travel times,
and small simulated scenarios analysed once per session.

The synthetic arrivals are built independently of the engine: sensor and source positions
come from an azimuthal equidistant projection and pyproj's own earth-centred coordinates,
and each time is ``t0 + d / (c + w . u)`` with ``d`` the straight-line distance, ``c`` the
speed of sound from the temperature and ``w . u`` the wind along the horizontal path.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property

import numpy as np
import pytest
from numpy.typing import NDArray
from pyproj import CRS, Geod, Transformer
from shapely.geometry import LineString, Polygon

from tests.sim.conftest import LINE, START
from truceline.domain import Arrival, ControlArea, Event, Party, Sensor, Theatre, Weather
from truceline.engine.batch import EventBatch, build_batch
from truceline.engine.frames import to_enu
from truceline.engine.locate import Fix, LocateConfig, locate_batch
from truceline.engine.network import Network
from truceline.engine.pipeline import ArrivalAnalysis, analyze_arrivals
from truceline.engine.soundspeed import DEFAULT_TEMPERATURE_C, WeatherModel, speed_of_sound_ms
from truceline.sim.scenario import Scenario, simulate

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

CENTRE_LON, CENTRE_LAT = 37.70, 48.00
T0 = 1_795_000_000.0  # POSIX seconds, 2026-11-18
GEOD = Geod(ellps="WGS84")
C10 = float(speed_of_sound_ms(DEFAULT_TEMPERATURE_C))  # the locator's speed without weather
_LOCAL = CRS.from_proj4(f"+proj=aeqd +lat_0={CENTRE_LAT} +lon_0={CENTRE_LON} +datum=WGS84 +units=m")
_TO_LONLAT = Transformer.from_crs(_LOCAL, "EPSG:4326", always_xy=True)
_TO_ECEF = Transformer.from_crs("EPSG:4979", "EPSG:4978", always_xy=True)


def lonlat_of(east: FloatArray, north: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Lon/lat of local (east, north) metres around the array centre."""
    lon, lat = _TO_LONLAT.transform(np.asarray(east, float), np.asarray(north, float))
    return np.asarray(lon), np.asarray(lat)


def ecef_of(lon: FloatArray, lat: FloatArray, h: FloatArray) -> FloatArray:
    """Earth-centred coordinates (n, 3) by pyproj, independent of the engine's frames."""
    lon, lat, h = np.broadcast_arrays(*(np.atleast_1d(np.asarray(v, float)) for v in (lon, lat, h)))
    x, y, z = _TO_ECEF.transform(lon, lat, h)
    return np.stack([np.asarray(x), np.asarray(y), np.asarray(z)], axis=-1)


def wind_vector(speed_ms: float, from_deg: float) -> tuple[float, float]:
    """(east, north) components of the vector a wind blowing FROM ``from_deg`` blows towards."""
    towards = np.radians(from_deg + 180.0)
    return float(speed_ms * np.sin(towards)), float(speed_ms * np.cos(towards))


@dataclass(frozen=True)
class SensorArray:
    """Sensors on a jittered grid around the centre, with their local and ECEF positions."""

    sensors: list[Sensor]
    east: FloatArray
    north: FloatArray
    ecef: FloatArray

    @property
    def network(self) -> Network:
        return Network.from_sensors(self.sensors)

    @property
    def median_elev_m(self) -> float:
        return float(np.median([s.elev_m for s in self.sensors]))


def grid_array(
    n_side: int = 5, spacing_m: float = 3000.0, sigma_s: float = 0.002, seed: int = 0
) -> SensorArray:
    """``n_side`` x ``n_side`` sensors, ``spacing_m`` apart, at 100-300 m elevation."""
    rng = np.random.default_rng(seed)
    g = (np.arange(n_side) - (n_side - 1) / 2) * spacing_m
    ge, gn = np.meshgrid(g, g)
    east = ge.ravel() + rng.normal(0, 0.15 * spacing_m, n_side**2)
    north = gn.ravel() + rng.normal(0, 0.15 * spacing_m, n_side**2)
    elev = np.round(rng.uniform(100.0, 300.0, n_side**2), 1)
    lon, lat = lonlat_of(east, north)
    sensors = [
        Sensor(f"S{i:03d}", float(lon[i]), float(lat[i]), float(elev[i]), "acoustic", sigma_s)
        for i in range(len(east))
    ]
    return SensorArray(sensors, east, north, ecef_of(lon, lat, elev))


@pytest.fixture(scope="module")
def array() -> SensorArray:
    """25 sensors over about 12 x 12 km, 100-300 m up, 2 ms clocks."""
    return grid_array()


@pytest.fixture(scope="module")
def sources() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(5)
    east, north = rng.uniform(-5000.0, 5000.0, (2, 20))
    return east, north


@dataclass(frozen=True)
class Shots:
    """Arrivals of synthetic sources: one group of arrival indices per source, and the truth."""

    groups: list[IntArray]
    sensor: IntArray  # per arrival, index into the array
    time_s: FloatArray  # per arrival, POSIX seconds
    origin_s: FloatArray  # per source
    ecef: FloatArray  # per source (n, 3)
    lon: FloatArray
    lat: FloatArray


def make_shots(
    array: SensorArray,
    east: Sequence[float] | FloatArray,
    north: Sequence[float] | FloatArray,
    height_m: float | Sequence[float] | FloatArray,
    *,
    speed_ms: float,
    wind_en: tuple[float, float] = (0.0, 0.0),
    sigma_s: float = 0.0,
    max_range_m: float = np.inf,
    seed: int = 1,
) -> Shots:
    """Exact (or Gaussian-noisy) arrival times of sources at local (east, north, height)."""
    rng = np.random.default_rng(seed)
    e, n, h = np.broadcast_arrays(
        *(np.atleast_1d(np.asarray(v, float)) for v in (east, north, height_m))
    )
    lon, lat = lonlat_of(e, n)
    src = ecef_of(lon, lat, h)
    origin = T0 + 60.0 * np.arange(len(e))
    groups, sensors, times = [], [], []
    count = 0
    for i in range(len(e)):
        d = np.linalg.norm(array.ecef - src[i], axis=1)
        dx, dy = array.east - e[i], array.north - n[i]
        horiz = np.maximum(np.hypot(dx, dy), 1e-9)
        along = (wind_en[0] * dx + wind_en[1] * dy) / horiz
        t = origin[i] + d / (speed_ms + along) + rng.normal(0.0, 1.0, len(d)) * sigma_s
        heard = np.nonzero(horiz <= max_range_m)[0]
        groups.append(np.arange(count, count + len(heard), dtype=np.int64))
        sensors.append(heard.astype(np.int64))
        times.append(t[heard])
        count += len(heard)
    return Shots(groups, np.concatenate(sensors), np.concatenate(times), origin, src, lon, lat)


@dataclass(frozen=True)
class Located:
    """A batch, its fix, and the true sources in each event's frame."""

    batch: EventBatch
    fix: Fix
    true_enu: FloatArray  # (E, 3)

    @property
    def horizontal_error_m(self) -> FloatArray:
        d = self.fix.params[:, :2] - self.true_enu[:, :2]
        return np.asarray(np.hypot(d[:, 0], d[:, 1]))

    def kept(self, arrival: int) -> bool:
        """Whether the fix kept ``arrival`` (which must belong to one of the groups)."""
        slots = self.batch.arrival == arrival
        assert slots.sum() == 1
        return bool(self.fix.mask[slots][0])


def locate_shots(
    array: SensorArray,
    shots: Shots,
    *,
    weather: Sequence[Weather] = (),
    groups: Sequence[IntArray] | None = None,
    time_s: FloatArray | None = None,
    cfg: LocateConfig | None = None,
) -> Located:
    """Build the batch of the shots' groups and locate it."""
    batch = build_batch(
        list(shots.groups if groups is None else groups),
        array.network,
        shots.sensor,
        shots.time_s if time_s is None else time_s,
        WeatherModel.from_rows(list(weather)),
    )
    fix = locate_batch(batch, cfg)
    true_enu = to_enu(shots.ecef[:, None, :], batch.origin_ecef, batch.rotation)[:, 0, :]
    return Located(batch, fix, true_enu)


def weather_row(temperature_c: float, speed_ms: float = 0.0, from_deg: float = 0.0) -> Weather:
    return Weather(datetime(2026, 11, 18, tzinfo=UTC), temperature_c, speed_ms, from_deg)


# Simulated scenarios on the small synthetic theatre of tests/sim, analysed once per session.


@dataclass(frozen=True)
class ScenarioRun:
    """A simulated scenario, the arrivals as the engine received them, and its analysis."""

    scenario: Scenario
    sensors: list[Sensor]
    arrivals: list[Arrival]
    weather: list[Weather]
    result: ArrivalAnalysis

    @cached_property
    def index(self) -> dict[str, int]:
        return {a.arrival_id: i for i, a in enumerate(self.arrivals)}

    def true_events_of(self, event: Event) -> list[int]:
        """The true event of each of ``event``'s arrivals (-1 for a false pick)."""
        index = self.index
        truth = self.scenario.arrivals.event
        return [int(truth[index[a]]) for a in event.arrival_ids]

    def majority(self, event: Event) -> tuple[int, float]:
        """The true event most of ``event``'s arrivals come from, and their share (purity)."""
        (best, count), *_ = Counter(self.true_events_of(event)).most_common(1)
        return best, count / len(event.arrival_ids)

    def horizontal_error_m(self, event: Event, true_event: int) -> float:
        ev = self.scenario.events
        _, _, d = GEOD.inv(event.lon, event.lat, ev.lon[true_event], ev.lat[true_event])
        return float(d)


def small_theatre() -> Theatre:
    """The synthetic theatre of tests/sim: two parties either side of a north-south line."""
    west = Polygon([(36.5, 47.40), *LINE, (36.5, 48.60)])
    east = Polygon([*LINE, (39.0, 48.60), (39.0, 47.40)])
    return Theatre(
        parties=(Party("UA", "Ukraine"), Party("RU", "Russia")),
        control_areas=(ControlArea("UA", west), ControlArea("RU", east)),
        contact_line=LineString(LINE),
        name="synthetic",
    )


def run_scenario(profile: str, seed: int = 7, hours: int = 2) -> ScenarioRun:
    sc = simulate(small_theatre(), seed=seed, profile=profile, start=START, hours=hours)
    sensors, arrivals, weather = sc.sensors(), sc.domain_arrivals(), sc.domain_weather()
    return ScenarioRun(sc, sensors, arrivals, weather, analyze_arrivals(sensors, arrivals, weather))


@pytest.fixture(scope="session")
def quiet_run() -> ScenarioRun:
    """Two quiet hours: a few dozen events, false picks, echoes and blocked paths."""
    return run_scenario("quiet")


@pytest.fixture(scope="session")
def busy_run() -> ScenarioRun:
    """Two busy hours: salvos a second apart (MLRS), more clutter."""
    return run_scenario("busy")
