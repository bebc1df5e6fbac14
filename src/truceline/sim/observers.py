"""Human and open-source observations of the true events: monitors, cameras, UAVs, OSINT,
the parties' complaints (some repeated, some fabricated), weapon sightings, denials of access."""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

import numpy as np
import shapely

from truceline.domain import Assessment, Report, SourceKind, Theatre
from truceline.geo.lines import distance_to_line_m
from truceline.geo.zones import WITHDRAWAL_DAYS, WITHDRAWAL_DISTANCES_KM
from truceline.sim.clock import to_datetime, to_seconds
from truceline.sim.fire import TrueEvents
from truceline.sim.linepath import GEOD, LinePath, geodesic
from truceline.sim.network import Posts
from truceline.sim.profiles import WEAPONS, SimProfile

SOUND_SPEED_HEARD_MS = 340.0  # what a human report is delayed by, about 2.9 s per km
DISTANCE_BRACKETS_M = (0, 1000, 2000, 3000, 5000, 7000, 10_000, 15_000, 20_000, 30_000)
# Heavy weapons that UAVs sight, parked in (or kept out of) their withdrawal zone.
SIGHTED_WEAPONS = ("tank", "artillery_152", "mlrs_122")


@dataclass(frozen=True)
class ReportTruth:
    """What a simulated report really is."""

    report_id: str
    event_index: int  # index of the true event, -1 if none
    role: str  # observation | repost | repeat | fabricated | weapon_sighting | access_denied
    duplicate_of: str = ""
    violation: bool = False  # for weapon sightings: inside its zone after the deadline


@dataclass
class ReportBook:
    """Accumulates reports and their truth, numbering them in order of creation."""

    reports: list[Report] = field(default_factory=list)
    truth: list[ReportTruth] = field(default_factory=list)

    def add(
        self,
        truth_role: str,
        event_index: int,
        duplicate_of: str = "",
        violation: bool = False,
        **fields: object,
    ) -> str:
        report_id = f"R{len(self.reports) + 1:06d}"
        self.reports.append(Report(report_id=report_id, **fields))  # type: ignore[arg-type]
        self.truth.append(ReportTruth(report_id, event_index, truth_role, duplicate_of, violation))
        return report_id


def _bracket(distance_m: float) -> tuple[float, float]:
    edges = DISTANCE_BRACKETS_M
    for lo, hi in pairwise(edges):
        if distance_m < hi:
            return float(lo), float(hi)
    return float(edges[-2]), float(edges[-1])


def _compass(bearing_deg: float) -> str:
    points = ("N", "NE", "E", "SE", "S", "SW", "W", "NW")
    return points[int(((bearing_deg + 22.5) % 360) // 45)]


def _party_at(theatre: Theatre, lon: float, lat: float) -> str:
    for area in theatre.control_areas:
        if shapely.contains_xy(area.geometry, lon, lat):
            return area.party
    return ""


def _other(theatre: Theatre, party: str) -> str:
    return next(p for p in theatre.party_ids() if p != party)


def monitor_reports(
    rng: np.random.Generator,
    book: ReportBook,
    events: TrueEvents,
    teams: Posts,
    profile: SimProfile,
) -> None:
    """Monitor teams report what they hear: time heard, bearing, distance bracket, assessment."""
    dist, az = geodesic(
        teams.lon[None, :], teams.lat[None, :], events.lon[:, None], events.lat[:, None]
    )
    level = np.array(
        [
            WEAPONS[w].launch_level_db if k == "launch" else WEAPONS[w].impact_level_db
            for w, k in zip(events.weapon, events.kind, strict=True)
        ]
    )
    audible = level[:, None] - 20 * np.log10(np.maximum(dist, 50) / 1000) > 15.0
    report = audible & (rng.random(dist.shape) < profile.p_monitor_report)
    for e, t in zip(*np.nonzero(report), strict=True):
        d = float(dist[e, t])
        heard = float(events.time_s[e]) + d / SOUND_SPEED_HEARD_MS
        approximate = rng.random() < 0.15
        heard = round(heard / 60) * 60 if approximate else heard + rng.normal(0, 2.0)
        lo, hi = _bracket(d * float(rng.lognormal(0, 0.25)))
        kind = str(events.kind[e])
        correct = rng.random() < 0.8
        assessment = (
            (Assessment.OUTGOING if kind == "launch" else Assessment.INCOMING)
            if correct
            else Assessment.UNDETERMINED
        )
        bearing = round(float((az[e, t] + rng.normal(0, 10.0)) % 360), 1)
        book.add(
            "observation",
            int(e),
            source_id=str(teams.post_id[t]),
            source_kind=SourceKind.MONITOR,
            reliability="A",
            credibility="2",
            time=to_datetime(heard),
            time_sigma_s=60.0 if approximate else 3.0,
            observer_lon=float(teams.lon[t]),
            observer_lat=float(teams.lat[t]),
            bearing_deg=bearing,
            bearing_sigma_deg=15.0,
            distance_min_m=lo,
            distance_max_m=hi,
            event_type="explosion",
            assessment=assessment,
            weapon=str(events.weapon[e]) if rng.random() < 0.6 else None,
            text=f"1 explosion, assessed as {assessment.value}, {lo / 1000:g}-{hi / 1000:g} km "
            f"{_compass(bearing)}",
        )


def camera_reports(
    rng: np.random.Generator, book: ReportBook, events: TrueEvents, cameras: Posts
) -> None:
    """Cameras see flashes: precise bearing and time (light is not delayed), no range."""
    dist, az = geodesic(
        cameras.lon[None, :], cameras.lat[None, :], events.lon[:, None], events.lat[:, None]
    )
    seen = (dist < 8000.0) & (rng.random(dist.shape) < 0.6)
    for e, c in zip(*np.nonzero(seen), strict=True):
        book.add(
            "observation",
            int(e),
            source_id=str(cameras.post_id[c]),
            source_kind=SourceKind.CAMERA,
            reliability="A",
            credibility="2",
            time=to_datetime(float(events.time_s[e]) + rng.normal(0, 0.5)),
            time_sigma_s=1.0,
            observer_lon=float(cameras.lon[c]),
            observer_lat=float(cameras.lat[c]),
            bearing_deg=round(float((az[e, c] + rng.normal(0, 1.5)) % 360), 2),
            bearing_sigma_deg=2.0,
            event_type="shot" if events.kind[e] == "launch" else "explosion",
        )


def uav_reports(
    rng: np.random.Generator, book: ReportBook, events: TrueEvents, profile: SimProfile
) -> None:
    """UAVs geolocate firing positions."""
    for e in np.nonzero(
        (events.kind == "launch") & (rng.random(len(events)) < profile.p_uav_sighting)
    )[0]:
        lon, lat, _ = GEOD.fwd(
            events.lon[e], events.lat[e], rng.uniform(0, 360), abs(rng.normal(0, 30))
        )
        book.add(
            "observation",
            int(e),
            source_id=f"UAV{rng.integers(1, 7):02d}",
            source_kind=SourceKind.UAV,
            reliability="B",
            credibility="2",
            time=to_datetime(float(events.time_s[e]) + rng.uniform(0, 120)),
            time_sigma_s=60.0,
            lon=float(lon),
            lat=float(lat),
            loc_sigma_m=30.0,
            event_type="shot",
            weapon=str(events.weapon[e]),
        )


def osint_reports(
    rng: np.random.Generator, book: ReportBook, events: TrueEvents, profile: SimProfile
) -> None:
    """Open-source posts about impacts, located loosely and late, often reposted."""
    for e in np.nonzero((events.kind == "impact") & (rng.random(len(events)) < profile.p_osint))[0]:
        sigma = float(rng.uniform(300, 1500))
        lon, lat, _ = GEOD.fwd(
            events.lon[e], events.lat[e], rng.uniform(0, 360), abs(rng.normal(0, sigma))
        )
        common: dict[str, Any] = dict(
            source_kind=SourceKind.OSINT,
            reliability=str(rng.choice(list("CDE"))),
            credibility=str(rng.choice(list("34"))),
            time=to_datetime(float(events.time_s[e]) + rng.uniform(300, 3 * 3600)),
            time_sigma_s=3600.0,
            lon=round(float(lon), 5),
            lat=round(float(lat), 5),
            loc_sigma_m=round(sigma),
            event_type="explosion",
            text="Explosions reported in the area",
        )
        original = book.add(
            "observation", int(e), source_id=f"osint_{rng.integers(1, 40):03d}", **common
        )
        for _ in range(int(rng.integers(0, 3))):
            book.add(
                "repost",
                int(e),
                duplicate_of=original,
                source_id=f"osint_{rng.integers(40, 200):03d}",
                **common,
            )


def complaints(
    rng: np.random.Generator,
    book: ReportBook,
    theatre: Theatre,
    events: TrueEvents,
    path: LinePath,
    profile: SimProfile,
    start_s: float,
    duration_s: float,
) -> None:
    """Each party complains about shelling of its area: true, repeated, and fabricated."""
    impacts = np.nonzero(events.kind == "impact")[0]
    first_of_mission: dict[int, int] = {}
    for i in impacts:
        first_of_mission.setdefault(int(events.mission[i]), int(i))
    for mission, e in first_of_mission.items():
        victim = str(events.area[e])
        if not victim or victim == events.party[e] or rng.random() >= profile.p_complaint:
            continue
        rounds = int(np.sum((events.mission == mission) & (events.kind == "impact")))
        lon, lat, _ = GEOD.fwd(
            events.lon[e], events.lat[e], rng.uniform(0, 360), abs(rng.normal(0, 400))
        )
        fields: dict[str, Any] = dict(
            source_id=f"LO-{victim}",
            source_kind=SourceKind.PARTY,
            reliability="D",
            credibility="4",
            time=to_datetime(float(events.time_s[e]) + rng.normal(0, 120)),
            time_sigma_s=300.0,
            lon=round(float(lon), 5),
            lat=round(float(lat), 5),
            loc_sigma_m=500.0,
            event_type="explosion",
            count=rounds,
            accused_party=str(events.party[e]),
            text=f"Shelling of our positions, {rounds} rounds",
        )
        original = book.add("observation", e, **fields)
        if rng.random() < 0.3:
            book.add("repeat", e, duplicate_of=original, **fields)
    n_fake = int(rng.poisson(profile.fabricated_complaints_per_day * duration_s / 86_400))
    for _ in range(n_fake):
        victim = str(rng.choice(theatre.party_ids()))
        lon, lat = point_behind_line(rng, theatre, path, victim, (1.0, 10.0))
        book.add(
            "fabricated",
            -1,
            source_id=f"LO-{victim}",
            source_kind=SourceKind.PARTY,
            reliability="D",
            credibility="4",
            time=to_datetime(start_s + rng.uniform(0, duration_s)),
            time_sigma_s=300.0,
            lon=round(lon, 5),
            lat=round(lat, 5),
            loc_sigma_m=500.0,
            event_type="explosion",
            count=int(rng.integers(1, 10)),
            accused_party=_other(theatre, victim),
            text="Shelling of civilian area",
        )


def point_behind_line(
    rng: np.random.Generator,
    theatre: Theatre,
    path: LinePath,
    party: str,
    depth_km: tuple[float, float],
) -> tuple[float, float]:
    for _ in range(20):
        d = rng.uniform(5000, path.length_m - 5000, 64)
        off = rng.uniform(*depth_km, 64) * 1000 * rng.choice([-1.0, 1.0], 64)
        lon, lat = path.offset_points(d, off)
        for x, y in zip(lon, lat, strict=True):
            if _party_at(theatre, float(x), float(y)) == party:
                return float(x), float(y)
    raise RuntimeError(f"could not place a point in the area of {party}")


def weapon_sightings(
    rng: np.random.Generator,
    book: ReportBook,
    theatre: Theatre,
    path: LinePath,
    profile: SimProfile,
    start_s: float,
    duration_s: float,
) -> None:
    """UAVs sight heavy weapons: some inside their withdrawal zone, some properly withdrawn.

    The truth flag says whether the sighting breaks the rule: within the weapon's withdrawal
    distance of the (whole) contact line, after its withdrawal deadline.
    """
    for i in range(2 * profile.weapons_in_zones):
        weapon = str(rng.choice(SIGHTED_WEAPONS))
        limit = WITHDRAWAL_DISTANCES_KM[weapon]
        inside = i < profile.weapons_in_zones
        depth = (0.3 * limit, 0.8 * limit) if inside else (1.2 * limit, 1.5 * limit)
        party = str(rng.choice(theatre.party_ids()))
        lon, lat = point_behind_line(rng, theatre, path, party, depth)
        seen_s = start_s + rng.uniform(0, duration_s)
        distance_km = float(distance_to_line_m(theatre, [lon], [lat])[0]) / 1000.0
        book.add(
            "weapon_sighting",
            -1,
            violation=distance_km < limit and _past_deadline(theatre, weapon, seen_s),
            source_id=f"UAV{rng.integers(1, 7):02d}",
            source_kind=SourceKind.UAV,
            reliability="B",
            credibility="2",
            time=to_datetime(seen_s),
            time_sigma_s=60.0,
            lon=round(lon, 6),
            lat=round(lat, 6),
            loc_sigma_m=30.0,
            event_type="weapon_sighting",
            weapon=weapon,
            count=int(rng.integers(1, 4)),
            text=f"{weapon} sighted, serial not visible",
        )


def _past_deadline(theatre: Theatre, weapon: str, when_s: float) -> bool:
    """Whether the weapon's withdrawal deadline has passed (true if no ceasefire date)."""
    timeline = theatre.timeline
    if timeline.in_force is None:
        return True
    days = timeline.withdrawal_days.get(weapon, WITHDRAWAL_DAYS.get(weapon, 0))
    return when_s >= to_seconds(timeline.in_force) + days * 86_400.0


def access_denials(
    rng: np.random.Generator,
    book: ReportBook,
    theatre: Theatre,
    teams: Posts,
    profile: SimProfile,
    start_s: float,
    duration_s: float,
) -> None:
    """Monitor teams stopped at checkpoints."""
    for _ in range(int(rng.poisson(profile.access_denials_per_day * duration_s / 86_400))):
        t = int(rng.integers(0, len(teams.post_id)))
        party = _party_at(theatre, float(teams.lon[t]), float(teams.lat[t]))
        book.add(
            "access_denied",
            -1,
            source_id=str(teams.post_id[t]),
            source_kind=SourceKind.MONITOR,
            reliability="A",
            credibility="1",
            time=to_datetime(start_s + rng.uniform(0, duration_s)),
            time_sigma_s=60.0,
            lon=float(teams.lon[t]),
            lat=float(teams.lat[t]),
            loc_sigma_m=100.0,
            event_type="access_denied",
            accused_party=party or None,
            text="Patrol denied passage at a checkpoint",
        )
