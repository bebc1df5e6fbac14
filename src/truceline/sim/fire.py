"""Ground truth of fire: firing missions by both parties, each round a launch and an impact."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from numpy.typing import NDArray

from truceline.domain import Theatre
from truceline.sim.linepath import GEOD, LinePath
from truceline.sim.profiles import WEAPONS, SimProfile

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
StrArray = NDArray[np.str_]

POSITION_SCATTER_M = {"mortar": 10.0, "artillery": 40.0, "mlrs": 3.0}


@dataclass(frozen=True)
class TrueEvents:
    """Every true launch and impact, columnar; a launch and its impact share a ``round_id``."""

    kind: StrArray  # "launch" | "impact"
    time_s: FloatArray  # POSIX seconds of the origin
    lon: FloatArray
    lat: FloatArray
    elev_m: FloatArray
    party: StrArray  # the firing party
    weapon: StrArray
    mission: IntArray  # firing mission (salvo) number
    round_id: IntArray
    area: StrArray  # party whose control area holds the point ("" if none)

    def __len__(self) -> int:
        return len(self.kind)


def _side_of_parties(theatre: Theatre, lon: FloatArray, lat: FloatArray) -> StrArray:
    out = np.full(lon.shape, "", dtype="<U8")
    for area in theatre.control_areas:
        inside = shapely.contains_xy(area.geometry, lon, lat)
        out[inside] = area.party
    return out


def _firing_positions(
    rng: np.random.Generator,
    theatre: Theatre,
    path: LinePath,
    profile: SimProfile,
    n: int,
) -> tuple[FloatArray, FloatArray, FloatArray, StrArray, StrArray, FloatArray]:
    """Where firing missions come from: near hotspots, behind the line of the firing party."""
    centres = rng.uniform(0, path.length_m, profile.hotspots)
    parties = np.array(theatre.party_ids())
    names = np.array(list(WEAPONS))
    weights = np.array([WEAPONS[w].weight for w in names])
    lon_out, lat_out, d_out, party_out, weapon_out, depth_out = [], [], [], [], [], []
    have = 0
    while have < n:
        m = 2 * (n - have) + 16
        d = rng.choice(centres, m) + rng.normal(0, profile.hotspot_sigma_km * 1000, m)
        d = np.clip(d, 2_000.0, path.length_m - 2_000.0)
        party = rng.choice(parties, m)
        weapon = rng.choice(names, m, p=weights / weights.sum())
        lo = np.array([WEAPONS[w].depth_km[0] for w in weapon])
        hi = np.array([WEAPONS[w].depth_km[1] for w in weapon])
        depth = rng.uniform(lo, hi) * 1000.0
        lon_r, lat_r = path.offset_points(d, depth)
        lon_l, lat_l = path.offset_points(d, -depth)
        right = _side_of_parties(theatre, lon_r, lat_r) == party
        left = ~right & (_side_of_parties(theatre, lon_l, lat_l) == party)
        ok = right | left
        lon_out.append(np.where(right, lon_r, lon_l)[ok])
        lat_out.append(np.where(right, lat_r, lat_l)[ok])
        d_out.append(d[ok])
        party_out.append(party[ok])
        weapon_out.append(weapon[ok])
        depth_out.append(np.where(right, depth, -depth)[ok])
        have += int(ok.sum())
    cat = np.concatenate
    return (
        cat(lon_out)[:n],
        cat(lat_out)[:n],
        cat(d_out)[:n],
        cat(party_out)[:n],
        cat(weapon_out)[:n],
        cat(depth_out)[:n],
    )


def simulate_fire(
    rng: np.random.Generator,
    theatre: Theatre,
    path: LinePath,
    profile: SimProfile,
    start_s: float,
    duration_s: float,
) -> TrueEvents:
    """Firing missions over a period; each round yields a launch and its impact."""
    n_missions = int(rng.poisson(profile.firings_per_day * duration_s / 86_400.0))
    lon0, lat0, d, party, weapon, signed_depth = _firing_positions(
        rng, theatre, path, profile, n_missions
    )
    t0 = start_s + rng.uniform(0, duration_s, n_missions)
    rows: list[tuple[float, float, float, float, float, float, str, str, int]] = []
    areas = {a.party: a.geometry for a in theatre.control_areas}
    for geometry in areas.values():
        shapely.prepare(geometry)
    line_az = path.azimuth_at(d)
    # Fire towards the line: perpendicular to it, from the firing side.
    towards = np.where(signed_depth >= 0, line_az - 90.0, line_az + 90.0)
    for i in range(n_missions):
        w = WEAPONS[str(weapon[i])]
        rounds = int(rng.integers(w.salvo[0], w.salvo[1] + 1))
        depth_m = abs(float(signed_depth[i]))
        rng_lo = max(w.range_km[0] * 1000.0, depth_m + 500.0)
        rng_hi = max(w.range_km[1] * 1000.0, rng_lo + 500.0)
        aim_range = rng.uniform(rng_lo, rng_hi)
        aim_az = towards[i] + rng.normal(0, 15.0)
        scatter = POSITION_SCATTER_M[w.name.split("_")[0]]
        for k in range(rounds):
            t_launch = t0[i] + k * w.salvo_interval_s * rng.uniform(0.8, 1.2)
            l_lon, l_lat, _ = GEOD.fwd(
                lon0[i], lat0[i], rng.uniform(0, 360), abs(rng.normal(0, scatter))
            )
            if not shapely.contains_xy(areas[str(party[i])], l_lon, l_lat):
                l_lon, l_lat = lon0[i], lat0[i]  # scatter must not leave the party's area
            i_lon, i_lat, _ = GEOD.fwd(
                l_lon, l_lat, aim_az + rng.normal(0, 0.5), aim_range + rng.normal(0, w.spread_m)
            )
            flight = aim_range / w.flight_speed_ms * rng.uniform(0.97, 1.03)
            rows.append(
                (t_launch, l_lon, l_lat, t_launch + flight, i_lon, i_lat, str(party[i]), w.name, i)
            )
    return _to_events(rng, theatre, rows)


def _to_events(
    rng: np.random.Generator,
    theatre: Theatre,
    rows: list[tuple[float, float, float, float, float, float, str, str, int]],
) -> TrueEvents:
    n = len(rows)
    cols: list[tuple[object, ...]] = list(zip(*rows, strict=True)) if rows else [()] * 9
    t_l, lon_l, lat_l, t_i, lon_i, lat_i = (np.asarray(c, dtype=np.float64) for c in cols[:6])
    party = np.asarray(cols[6], dtype="<U8")
    weapon = np.asarray(cols[7], dtype="<U16")
    mission = np.asarray(cols[8], dtype=np.int64)
    kind = np.concatenate([np.full(n, "launch"), np.full(n, "impact")]).astype("<U8")
    time_s = np.concatenate([t_l, t_i])
    lon = np.concatenate([lon_l, lon_i])
    lat = np.concatenate([lat_l, lat_i])
    order = np.argsort(time_s, kind="stable")
    round_id = np.concatenate([np.arange(n), np.arange(n)])
    events = TrueEvents(
        kind=kind[order],
        time_s=time_s[order],
        lon=lon[order],
        lat=lat[order],
        elev_m=rng.uniform(80.0, 250.0, 2 * n)[order],
        party=np.concatenate([party, party])[order],
        weapon=np.concatenate([weapon, weapon])[order],
        mission=np.concatenate([mission, mission])[order],
        round_id=round_id[order],
        area=_side_of_parties(theatre, lon, lat)[order],
    )
    return events
