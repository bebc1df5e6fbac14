"""PyOcto as the peer associator: sound arrivals in, groups of arrival indices out.

PyOcto (Münchmeyer 2024) is a seismic phase associator: it partitions space-time into
4D nodes, keeps the nodes that enough picks could come from, and refines the leaves into
located events. With a homogeneous velocity model equal to the speed of sound, and every
pick given as a ``P`` phase with no ``S`` phase required, it associates acoustic arrivals.

Its distances are kilometres and its velocities km/s; the seismic defaults (10 km nodes,
1.5 s tolerances, 1,200 s slices) are scaled here to sound, about 18 times slower than a
crustal P wave and heard at most ~25 km away (travel times up to ~75 s). The defaults of
:class:`PyOctoSettings` were tuned on the busy scenario of the synthetic theatre (seed 1,
24 h); the tuning runs are in ``bench/README.md``.

Needs the ``bench`` extra (``pip install -e '.[bench]'``).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from types import ModuleType
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from truceline.geo.projection import LocalProjection

if TYPE_CHECKING:
    import pandas as pd
    import pyocto

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
ArrayLike = npt.ArrayLike


@dataclass(frozen=True)
class PyOctoSettings:
    """PyOcto parameters in acoustic units (km, s), tuned on the busy synthetic scenario.

    Seismic defaults in brackets. Sound is slow (0.33 km/s, so 1 km of node is 3 s of travel
    time) and well timed (clock 2-5 ms), but PyOcto's single velocity cannot follow the wind
    (up to ~1 % of the speed of sound, 0.1-0.5 s over 15 km), so tolerances sit at 0.2 s.
    """

    # Node travel-time bounds are widened by this [seismic examples ~1-2 s]. 0.1 s lost
    # far sensors to the wind; 0.3 s mixed salvo rounds.
    tolerance_s: float = 0.2
    # |observed - predicted| to attach a pick to a located event [1.5 s]: as the tolerance.
    pick_match_tolerance_s: float = 0.2
    # Only sensors this close to a node count towards its pick numbers [none]. Loud rounds
    # are heard 15-25 km away, but the near sensors decide: 10 km was as good as 15 or 20
    # and 2-6 times faster; 7.5 km lost recall.
    association_cutoff_km: float = 10.0
    # Search area: the sensors' bounding box plus this on every side (firing positions lie
    # up to 16 km behind the line, the outer sensor rows 9 km from it).
    margin_km: float = 20.0
    # Sources and sensors are 80-300 m above sea level; PyOcto's z is depth in km.
    zlim_km: tuple[float, float] = (-0.4, 0.0)
    # Overlap of consecutive time slices: the longest travel time in the network, 25 km of
    # sound [seismic: travel time through the network].
    time_before_s: float = 80.0
    time_slicing_s: float = 600.0  # [1,200 s]; 300 and 1,200 scored no better
    # Leaf size of the association search [10 km]. Each halving bought F1 (1 km 0.70,
    # 0.5 km 0.72, 0.25 km 0.73, 0.125 km 0.76) at 2-3 times the time, up to 0.125 km;
    # 0.0625 km scored the same at 4.5 times the time.
    min_node_size_km: float = 0.125
    min_node_size_location_km: float = 0.02  # resolution of its own location [1.5 km]
    # Search depth of the location [6 and 4]: 8/5 +0.02 F1 for the same time, 10/6 no more.
    location_split_depth: int = 8
    location_split_return: int = 5
    # Minimum time between two events [3 s]; rounds of a rocket salvo are 0.6 s apart.
    # 0.1 s: more split events, 0.5 s and up: rounds merged.
    min_interevent_time_s: float = 0.3
    max_pick_overlap: int = 4  # [4]; 1 made no difference
    # Minimum picks per event (all P) [10]. 4 (what "detectable" needs) let through salvo
    # mixtures (precision 0.39); 5: 0.70 F1, 6: 0.72, 7-8 lost too much recall.
    n_picks: int = 6
    min_pick_fraction: float = 0.25  # [0.25]; 0.1 and 0.5 scored lower
    refinement_iterations: int = 3  # [3]; 5 scored no better
    n_threads: int | None = None  # None: every available core (PyOcto's default)
    extra: dict[str, object] = field(default_factory=dict)  # any other OctoAssociator keyword


@dataclass(frozen=True)
class PeerResult:
    """What the peer found: groups of arrival indices, their origins, and the time it took."""

    groups: list[list[int]]  # indices into the arrival arrays given, one list per event
    time_s: FloatArray  # origin time per group, POSIX seconds
    lon: FloatArray
    lat: FloatArray
    wall_s: float  # the association call alone
    convert_s: float  # projecting and building PyOcto's input tables and reading its output


def associate_pyocto(
    sensor_lon: ArrayLike,
    sensor_lat: ArrayLike,
    sensor_elev_m: ArrayLike,
    arrival_sensor: ArrayLike,
    arrival_time_s: ArrayLike,
    *,
    sound_speed_ms: float,
    settings: PyOctoSettings | None = None,
) -> PeerResult:
    """Group arrivals into events with PyOcto on a homogeneous sound-speed model.

    ``arrival_sensor`` indexes the sensor arrays; times are POSIX seconds. Wall time covers
    ``OctoAssociator.associate`` only (PyOcto's public call, which includes its own C++
    conversion of the pick table); our projection and table building is ``convert_s``.

    >>> res = associate_pyocto(lon, lat, elev, sensor, t, sound_speed_ms=333.0)  # doctest: +SKIP
    >>> res.groups[0]  # doctest: +SKIP
    [12, 15, 16, 19, 23]
    """
    lib = _import_pyocto()
    import pandas as pd

    cfg = settings or PyOctoSettings()
    t_start = time.perf_counter()
    lon, lat = np.asarray(sensor_lon, float), np.asarray(sensor_lat, float)
    elev = np.asarray(sensor_elev_m, float)
    sensor = np.asarray(arrival_sensor, np.int64)
    t_arr = np.asarray(arrival_time_s, float)
    proj = LocalProjection.centred_on(lon, lat)
    x_m, y_m = proj.forward(lon, lat)
    x, y = x_m / 1000.0, y_m / 1000.0
    stations = pd.DataFrame(
        {"id": [f"S{i}" for i in range(len(x))], "x": x, "y": y, "z": -elev / 1000.0}
    )
    t0 = float(t_arr.min()) if len(t_arr) else 0.0
    picks = pd.DataFrame(
        {"station": stations["id"].to_numpy()[sensor], "time": t_arr - t0, "phase": "P"}
    )
    associator = _build_associator(lib, cfg, sound_speed_ms, x, y)
    t_mid = time.perf_counter()
    events, assignments = associator.associate(picks, stations)
    wall = time.perf_counter() - t_mid
    groups, ev_t, ev_x, ev_y = _read_output(events, assignments)
    ev_lon, ev_lat = proj.inverse(ev_x * 1000.0, ev_y * 1000.0)
    convert = time.perf_counter() - t_start - wall
    return PeerResult(groups, ev_t + t0, ev_lon, ev_lat, wall, convert)


def _import_pyocto() -> ModuleType:
    try:
        import pyocto
    except ImportError as exc:  # the extra is not installed
        raise ImportError("PyOcto is missing: pip install -e '.[bench]'") from exc
    return pyocto


def _build_associator(
    lib: ModuleType, cfg: PyOctoSettings, sound_speed_ms: float, x: FloatArray, y: FloatArray
) -> pyocto.OctoAssociator:
    v_kms = sound_speed_ms / 1000.0
    model = lib.VelocityModel0D(
        p_velocity=v_kms,
        s_velocity=v_kms,  # no S picks exist and none are required: never used
        tolerance=cfg.tolerance_s,
        association_cutoff_distance=cfg.association_cutoff_km,
    )
    m = cfg.margin_km
    return lib.OctoAssociator(
        xlim=(float(x.min()) - m, float(x.max()) + m),
        ylim=(float(y.min()) - m, float(y.max()) + m),
        zlim=cfg.zlim_km,
        velocity_model=model,
        time_before=cfg.time_before_s,
        min_node_size=cfg.min_node_size_km,
        min_node_size_location=cfg.min_node_size_location_km,
        pick_match_tolerance=cfg.pick_match_tolerance_s,
        min_interevent_time=cfg.min_interevent_time_s,
        max_pick_overlap=cfg.max_pick_overlap,
        n_picks=cfg.n_picks,
        n_p_picks=cfg.n_picks,
        n_s_picks=0,
        n_p_and_s_picks=0,
        refinement_iterations=cfg.refinement_iterations,
        time_slicing=cfg.time_slicing_s,
        location_split_depth=cfg.location_split_depth,
        location_split_return=cfg.location_split_return,
        min_pick_fraction=cfg.min_pick_fraction,
        n_threads=cfg.n_threads,
        **cfg.extra,
    )


def _one_event_per_pick(
    a_ev: IntArray, a_pick: IntArray, n_events: int
) -> tuple[IntArray, IntArray]:
    """Keep a pick PyOcto shared between events (``max_pick_overlap``) in the larger one."""
    size = np.bincount(a_ev, minlength=n_events)
    order = np.lexsort((-size[a_ev], a_pick))
    a_ev, a_pick = a_ev[order], a_pick[order]
    first = np.ones(len(a_pick), bool)
    first[1:] = a_pick[1:] != a_pick[:-1]
    return a_ev[first], a_pick[first]


def _read_output(
    events: pd.DataFrame, assignments: pd.DataFrame
) -> tuple[list[list[int]], FloatArray, FloatArray, FloatArray]:
    """PyOcto's events and pick assignments as groups of pick indices, one per event."""
    empty = np.zeros(0)
    if len(events) == 0:
        return [], empty, empty, empty
    ev_idx = events["idx"].to_numpy(np.int64)
    row_of = np.full(int(ev_idx.max()) + 1, -1, np.int64)
    row_of[ev_idx] = np.arange(len(ev_idx))
    a_ev = row_of[assignments["event_idx"].to_numpy(np.int64)]
    a_pick = assignments["pick_idx"].to_numpy(np.int64)
    a_ev, a_pick = _one_event_per_pick(a_ev, a_pick, len(ev_idx))
    order = np.lexsort((a_pick, a_ev))
    a_ev, a_pick = a_ev[order], a_pick[order]
    kept, starts = np.unique(a_ev, return_index=True)  # events left with at least one pick
    groups = [g.tolist() for g in np.split(a_pick, starts[1:])]
    return (
        groups,
        events["time"].to_numpy(float)[kept],
        events["x"].to_numpy(float)[kept],
        events["y"].to_numpy(float)[kept],
    )
