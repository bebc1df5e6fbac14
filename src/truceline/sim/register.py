"""The simulated weapons register: holding areas behind the line, tanks and mortars declared
in them by serial, and the monitors' daily inspections, some of which find a weapon missing.

It draws from its own random stream (seeded from the scenario's seed), so adding it changed
nothing else the simulator draws.
"""

from __future__ import annotations

import numpy as np
from shapely.geometry import Point

from truceline.domain import DeclaredWeapon, HoldingArea, SourceKind, Theatre, WeaponsRegister
from truceline.sim import observers
from truceline.sim.clock import to_datetime
from truceline.sim.linepath import LinePath
from truceline.sim.network import Posts

AREAS_PER_PARTY = 2
DEPTH_KM = (20.0, 35.0)  # beyond the 15 km zones of the weapons kept there
DECLARED = (("tank", 4), ("mortar_120", 3))  # per holding area
RADIUS_M = 400.0
P_MISSING = 0.3  # chance that an inspection does not find one declared weapon
REGISTER_STREAM = 7_919  # mixed with the seed: the register's own random stream


def simulate_register(
    seed: int,
    book: observers.ReportBook,
    theatre: Theatre,
    path: LinePath,
    teams: Posts,
    start_s: float,
    duration_s: float,
) -> WeaponsRegister:
    """Holding areas and declared weapons; one inspection per area and day into ``book``."""
    rng = np.random.default_rng([seed, REGISTER_STREAM])
    areas, weapons = [], []
    for party in theatre.party_ids():
        for k in range(1, AREAS_PER_PARTY + 1):
            lon, lat = observers.point_behind_line(rng, theatre, path, party, DEPTH_KM)
            name = f"HA-{party}-{k}"
            areas.append(HoldingArea(name, party, Point(round(lon, 6), round(lat, 6)), RADIUS_M))
            for weapon, n in DECLARED:
                weapons += [
                    DeclaredWeapon(f"{name}-{weapon}-{i:02d}", party, weapon, name)
                    for i in range(1, n + 1)
                ]
    register = WeaponsRegister(tuple(areas), tuple(weapons))
    days = max(1, int(np.ceil(duration_s / 86_400.0)))
    for day in range(days):
        for area in areas:
            _inspect(rng, book, register, area, teams, start_s + day * 86_400.0, duration_s)
    return register


def _inspect(
    rng: np.random.Generator,
    book: observers.ReportBook,
    register: WeaponsRegister,
    area: HoldingArea,
    teams: Posts,
    day_s: float,
    duration_s: float,
) -> None:
    declared = [w.serial for w in register.weapons if w.holding_area == area.name]
    missing = rng.random() < P_MISSING
    seen = list(declared)
    if missing:
        seen.pop(int(rng.integers(len(seen))))
    when = day_s + rng.uniform(0, min(86_400.0, duration_s))
    book.add(
        "inspection",
        -1,
        violation=missing,
        source_id=str(teams.post_id[int(rng.integers(len(teams.post_id)))]),
        source_kind=SourceKind.MONITOR,
        reliability="A",
        credibility="1",
        time=to_datetime(when),
        time_sigma_s=60.0,
        lon=area.geometry.x,
        lat=area.geometry.y,
        loc_sigma_m=50.0,
        event_type="inspection",
        count=len(seen),
        text=f"Inspection of holding area {area.name}: {len(seen)} of {len(declared)} found",
        serials=tuple(seen),
    )
