"""A whole simulated scenario from a theatre and a seed, with complete ground truth."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import numpy as np

from truceline.domain import (
    Arrival,
    ArrivalLabel,
    Report,
    Sensor,
    Theatre,
    WeaponsRegister,
    Weather,
)
from truceline.sim import observers
from truceline.sim.acoustics import SimArrivals, simulate_arrivals
from truceline.sim.clock import to_datetime, to_seconds
from truceline.sim.fire import TrueEvents, simulate_fire
from truceline.sim.linepath import LinePath
from truceline.sim.network import Posts, SensorNetwork, place_posts, place_sensors
from truceline.sim.observers import ReportTruth
from truceline.sim.profiles import PROFILES, SimProfile
from truceline.sim.register import simulate_register
from truceline.sim.weather import WeatherSeries, simulate_weather


@dataclass(frozen=True)
class Scenario:
    """Inputs as the mechanism would receive them, and the truth behind them."""

    seed: int
    profile: SimProfile
    start_s: float
    duration_s: float
    theatre: Theatre
    network: SensorNetwork
    weather: WeatherSeries
    events: TrueEvents
    arrivals: SimArrivals
    reports: list[Report]
    report_truth: list[ReportTruth]
    monitor_teams: Posts
    cameras: Posts
    register: WeaponsRegister = field(default_factory=WeaponsRegister)

    def sensors(self) -> list[Sensor]:
        n = self.network
        return [
            Sensor(
                str(n.sensor_id[i]),
                float(n.lon[i]),
                float(n.lat[i]),
                float(n.elev_m[i]),
                "acoustic",
                float(n.clock_sigma_s[i]),
            )
            for i in range(len(n))
        ]

    def arrival_ids(self) -> list[str]:
        return [f"A{i + 1:07d}" for i in range(len(self.arrivals))]

    def event_ids(self) -> list[str]:
        return [f"T{i + 1:06d}" for i in range(len(self.events))]

    def domain_arrivals(self) -> list[Arrival]:
        a = self.arrivals
        sensor_ids = self.network.sensor_id[a.sensor]
        return [
            Arrival(aid, str(sid), to_datetime(float(t)), ArrivalLabel(str(lab)), float(snr))
            for aid, sid, t, lab, snr in zip(
                self.arrival_ids(), sensor_ids, a.time_s, a.label, a.snr_db, strict=True
            )
        ]

    def domain_weather(self) -> list[Weather]:
        """The weather the sound travelled in. It is exact (the travel times were computed
        from it), and says so: ``sound_speed_sigma_ms`` 0."""
        w = self.weather
        return [
            Weather(to_datetime(float(t)), float(tc), float(ws), float(wd), 0.0)
            for t, tc, ws, wd in zip(
                w.time_s, w.temperature_c, w.wind_speed_ms, w.wind_from_deg, strict=True
            )
        ]


def simulate(
    theatre: Theatre,
    *,
    seed: int,
    profile: str | SimProfile = "busy",
    start: datetime,
    hours: int = 24,
    windy: bool = True,
) -> Scenario:
    """Simulate ``hours`` of activity on ``theatre`` from ``start``; deterministic in ``seed``."""
    prof = PROFILES[profile] if isinstance(profile, str) else profile
    if theatre.contact_line is None:
        raise ValueError("the theatre has no contact line to simulate along")
    rng = np.random.default_rng(seed)
    start_s, duration_s = to_seconds(start), hours * 3600.0
    path = LinePath.from_geometry(theatre.contact_line)
    network = place_sensors(rng, path, prof)
    weather = simulate_weather(rng, start_s, hours, windy=windy)
    events = simulate_fire(rng, theatre, path, prof, start_s, duration_s)
    arrivals = simulate_arrivals(rng, events, network, weather, prof, start_s, duration_s)
    teams = place_posts(rng, path, prof.monitor_teams, "MT", (2.0, 6.0))
    cameras = place_posts(rng, path, prof.cameras, "CAM", (1.0, 4.0))
    book = observers.ReportBook()
    observers.monitor_reports(rng, book, events, teams, prof)
    observers.camera_reports(rng, book, events, cameras)
    observers.uav_reports(rng, book, events, prof)
    observers.osint_reports(rng, book, events, prof)
    observers.complaints(rng, book, theatre, events, path, prof, start_s, duration_s)
    observers.weapon_sightings(rng, book, theatre, path, prof, start_s, duration_s)
    observers.access_denials(rng, book, theatre, teams, prof, start_s, duration_s)
    register = simulate_register(seed, book, theatre, path, teams, start_s, duration_s)
    return Scenario(
        seed,
        prof,
        start_s,
        duration_s,
        theatre,
        network,
        weather,
        events,
        arrivals,
        book.reports,
        book.truth,
        teams,
        cameras,
        register,
    )
