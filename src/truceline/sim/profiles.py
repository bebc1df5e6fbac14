"""Scenario profiles and the weapon table the simulator draws from."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Weapon:
    """A weapon class: where it fires from, how far, how loud, how fast the round flies."""

    name: str
    depth_km: tuple[float, float]  # distance of firing positions behind the line
    range_km: tuple[float, float]  # distance from launch to impact
    launch_level_db: float  # source level, dB above the detection floor at 1 km
    impact_level_db: float
    flight_speed_ms: float  # mean ground speed of the round (time of flight = range / this)
    salvo: tuple[int, int]  # rounds per firing (min, max)
    salvo_interval_s: float  # seconds between rounds of one salvo
    spread_m: float  # spread of the impacts of one salvo
    weight: float  # relative frequency of this weapon


WEAPONS: dict[str, Weapon] = {
    w.name: w
    for w in (
        Weapon("mortar_82", (0.5, 2.5), (1.0, 3.5), 33.0, 31.0, 180.0, (1, 4), 4.0, 60.0, 0.25),
        Weapon("mortar_120", (1.0, 4.0), (2.0, 6.0), 36.0, 35.0, 200.0, (1, 4), 5.0, 80.0, 0.25),
        Weapon(
            "artillery_122", (4.0, 10.0), (6.0, 14.0), 39.0, 37.0, 330.0, (1, 3), 8.0, 120.0, 0.2
        ),
        Weapon(
            "artillery_152", (6.0, 14.0), (8.0, 18.0), 41.0, 39.0, 380.0, (1, 3), 9.0, 150.0, 0.2
        ),
        Weapon("mlrs_122", (8.0, 16.0), (10.0, 19.0), 40.0, 37.0, 520.0, (4, 12), 0.6, 250.0, 0.1),
    )
}


@dataclass(frozen=True)
class SimProfile:
    """How much happens in a simulated period and how noisy the sensing is."""

    name: str
    firings_per_day: float  # firing missions (each a salvo of one or more rounds)
    hotspots: int  # activity clusters along the line
    hotspot_sigma_km: float
    sensor_spacing_km: float  # along the line
    sensor_offsets_km: tuple[float, ...]  # perpendicular offsets of sensor rows
    false_picks_per_sensor_hour: float
    p_echo: float  # probability a detection is followed by an echo
    p_nlos: float  # probability the direct path is blocked (late first arrival)
    nlos_mean_delay_s: float
    detection_floor_db: float
    monitor_teams: int
    cameras: int
    p_monitor_report: float  # per event heard by a team
    p_uav_sighting: float  # per launch
    p_osint: float  # per impact
    p_complaint: float  # per firing mission that hit the complaining party's area
    fabricated_complaints_per_day: float
    access_denials_per_day: float
    weapons_in_zones: int  # heavy weapons parked inside their withdrawal zone


PROFILES: dict[str, SimProfile] = {
    "quiet": SimProfile(
        name="quiet",
        firings_per_day=40,
        hotspots=3,
        hotspot_sigma_km=25.0,
        sensor_spacing_km=4.0,
        sensor_offsets_km=(-9.0, -3.5, 3.5, 9.0),
        false_picks_per_sensor_hour=0.5,
        p_echo=0.1,
        p_nlos=0.03,
        nlos_mean_delay_s=0.03,
        detection_floor_db=10.0,
        monitor_teams=12,
        cameras=8,
        p_monitor_report=0.5,
        p_uav_sighting=0.15,
        p_osint=0.2,
        p_complaint=0.4,
        fabricated_complaints_per_day=3,
        access_denials_per_day=1,
        weapons_in_zones=2,
    ),
    "busy": SimProfile(
        name="busy",
        firings_per_day=500,
        hotspots=8,
        hotspot_sigma_km=30.0,
        sensor_spacing_km=4.0,
        sensor_offsets_km=(-9.0, -3.5, 3.5, 9.0),
        false_picks_per_sensor_hour=2.0,
        p_echo=0.2,
        p_nlos=0.05,
        nlos_mean_delay_s=0.03,
        detection_floor_db=10.0,
        monitor_teams=24,
        cameras=16,
        p_monitor_report=0.4,
        p_uav_sighting=0.1,
        p_osint=0.08,
        p_complaint=0.25,
        fabricated_complaints_per_day=15,
        access_denials_per_day=4,
        weapons_in_zones=6,
    ),
}
