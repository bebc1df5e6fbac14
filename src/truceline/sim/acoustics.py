"""Sound from true events to sensors: travel times, noise, echoes, blocked paths, false picks."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from truceline.sim.fire import TrueEvents
from truceline.sim.linepath import geodesic
from truceline.sim.network import SensorNetwork
from truceline.sim.profiles import WEAPONS, SimProfile
from truceline.sim.weather import WeatherSeries, speed_of_sound_ms

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
ABSORPTION_DB_PER_KM = 0.5
FADE_SIGMA_DB = 3.0
LABEL_CONFUSION = {  # P(label | true kind): launch, impact, unknown
    "launch": (0.88, 0.04, 0.08),
    "impact": (0.04, 0.88, 0.08),
}
LABELS = np.array(["launch", "impact", "unknown"])
CHUNK = 256


@dataclass(frozen=True)
class SimArrivals:
    """Arrivals (columnar, sorted by time) with their truth."""

    sensor: IntArray  # index into the network
    time_s: FloatArray
    label: NDArray[np.str_]
    snr_db: FloatArray
    event: IntArray  # index of the true event, -1 for a false pick
    path: NDArray[np.str_]  # direct | nlos | echo | false
    distance_m: FloatArray  # 3D source-sensor distance (nan for false picks)
    sound_speed_ms: FloatArray  # effective speed along the path (with wind)
    noise_s: FloatArray  # clock and pick error
    delay_s: FloatArray  # extra delay of a blocked path or an echo

    def __len__(self) -> int:
        return len(self.time_s)


def _detections(
    rng: np.random.Generator,
    events: TrueEvents,
    sensors: SensorNetwork,
    weather: WeatherSeries,
    profile: SimProfile,
    idx: IntArray,
) -> dict[str, FloatArray | IntArray]:
    """Direct detections of events ``idx`` by every sensor that hears them."""
    ev_lon = events.lon[idx, None]
    ev_lat = events.lat[idx, None]
    horiz, az = geodesic(ev_lon, ev_lat, sensors.lon[None, :], sensors.lat[None, :])
    dz = sensors.elev_m[None, :] - events.elev_m[idx, None]
    dist = np.hypot(horiz, dz)
    level = np.array(
        [
            WEAPONS[w].launch_level_db if k == "launch" else WEAPONS[w].impact_level_db
            for w, k in zip(events.weapon[idx], events.kind[idx], strict=True)
        ]
    )
    r_km = np.maximum(dist / 1000.0, 0.05)
    snr = (
        level[:, None]
        - 20.0 * np.log10(r_km)
        - ABSORPTION_DB_PER_KM * r_km
        + rng.normal(0, FADE_SIGMA_DB, dist.shape)
    )
    heard = snr >= profile.detection_floor_db
    ev_i, s_i = np.nonzero(heard)
    temp, wind_e, wind_n = weather.at(events.time_s[idx][ev_i])
    az_rad = np.radians(az[ev_i, s_i])
    along_wind = wind_e * np.sin(az_rad) + wind_n * np.cos(az_rad)
    speed = speed_of_sound_ms(temp) + along_wind * (horiz[ev_i, s_i] / dist[ev_i, s_i])
    return {
        "event": idx[ev_i],
        "sensor": s_i.astype(np.int64),
        "distance": dist[ev_i, s_i],
        "speed": speed,
        "snr": snr[ev_i, s_i],
    }


def simulate_arrivals(
    rng: np.random.Generator,
    events: TrueEvents,
    sensors: SensorNetwork,
    weather: WeatherSeries,
    profile: SimProfile,
    start_s: float,
    duration_s: float,
) -> SimArrivals:
    """Every arrival the network picks over the period, sorted by time, with its truth."""
    parts = [
        _detections(
            rng, events, sensors, weather, profile, np.arange(i, min(i + CHUNK, len(events)))
        )
        for i in range(0, len(events), CHUNK)
    ]
    det = {
        k: np.concatenate([p[k] for p in parts]) if parts else np.zeros(0)
        for k in ("event", "sensor", "distance", "speed", "snr")
    }
    event = det["event"].astype(np.int64)
    sensor = det["sensor"].astype(np.int64)
    n = len(event)
    noise = rng.normal(0, 1, n) * sensors.clock_sigma_s[sensor]
    blocked = rng.random(n) < profile.p_nlos
    delay = np.where(blocked, rng.exponential(profile.nlos_mean_delay_s, n), 0.0)
    time_s = events.time_s[event] + det["distance"] / det["speed"] + delay + noise
    label = _labels(rng, events.kind[event])
    path = np.where(blocked, "nlos", "direct").astype("<U6")

    echo = rng.random(n) < profile.p_echo
    echo_delay = rng.uniform(0.2, 3.0, int(echo.sum()))
    n_false = int(
        rng.poisson(profile.false_picks_per_sensor_hour * len(sensors) * duration_s / 3600)
    )
    false_sensor = rng.integers(0, len(sensors), n_false)
    cat = np.concatenate
    out = SimArrivals(
        sensor=cat([sensor, sensor[echo], false_sensor]),
        time_s=cat(
            [time_s, time_s[echo] + echo_delay, start_s + rng.uniform(0, duration_s, n_false)]
        ),
        label=cat([label, label[echo], rng.choice(LABELS, n_false, p=[0.2, 0.2, 0.6])]),
        snr_db=np.round(
            cat(
                [
                    det["snr"],
                    det["snr"][echo] - rng.uniform(3, 10, len(echo_delay)),
                    profile.detection_floor_db + rng.uniform(0, 6, n_false),
                ]
            ),
            1,
        ),
        event=cat([event, event[echo], np.full(n_false, -1)]),
        path=cat([path, np.full(len(echo_delay), "echo"), np.full(n_false, "false")]),
        distance_m=cat([det["distance"], det["distance"][echo], np.full(n_false, np.nan)]),
        sound_speed_ms=cat([det["speed"], det["speed"][echo], np.full(n_false, np.nan)]),
        noise_s=cat([noise, noise[echo], np.zeros(n_false)]),
        delay_s=cat([delay, delay[echo] + echo_delay, np.zeros(n_false)]),
    )
    order = np.argsort(out.time_s, kind="stable")
    return SimArrivals(*(getattr(out, f)[order] for f in out.__dataclass_fields__))


def _labels(rng: np.random.Generator, kinds: NDArray[np.str_]) -> NDArray[np.str_]:
    u = rng.random(len(kinds))
    out = np.full(len(kinds), "unknown", dtype="<U8")
    for kind, (p_launch, p_impact, _) in LABEL_CONFUSION.items():
        sel = kinds == kind
        out[sel & (u < p_launch)] = "launch"
        out[sel & (u >= p_launch) & (u < p_launch + p_impact)] = "impact"
    return out
