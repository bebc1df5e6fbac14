"""From arrivals to located events: associate, locate, bound, classify (one partition)."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

import numpy as np
from numpy.typing import NDArray

from truceline.domain import Arrival, Event, EventKind, Sensor, Weather
from truceline.engine.associate import AssociateConfig, associate_arrivals
from truceline.engine.batch import EventBatch, build_batch
from truceline.engine.crlb import crlb_horizontal_m
from truceline.engine.echoes import EchoConfig, find_echoes
from truceline.engine.ellipse import error_ellipse
from truceline.engine.frames import EARTH_RADIUS_M, ecef_to_geodetic
from truceline.engine.locate import Fix, LocateConfig, locate_batch
from truceline.engine.merge import merge_duplicates
from truceline.engine.network import Network
from truceline.engine.recruit import RecruitConfig, recruit
from truceline.engine.repair import RepairConfig, reassociate
from truceline.engine.soundspeed import WeatherModel

FloatArray = NDArray[np.float64]
LABEL_AGREEMENT = 2 / 3  # share of labelled arrivals that must agree on launch or impact


@dataclass(frozen=True)
class EngineConfig:
    """Every knob of the arrival analysis, in one place."""

    associate: AssociateConfig = field(default_factory=AssociateConfig)
    locate: LocateConfig = field(default_factory=LocateConfig)
    echoes: EchoConfig = field(default_factory=EchoConfig)
    repair: RepairConfig = field(default_factory=RepairConfig)
    recruit: RecruitConfig = field(default_factory=RecruitConfig)
    workers: int = 1  # processes; more than one cuts the period into time windows
    # Longest window in parallel (windows.py cuts short periods finer). 3 h, not 6: a day gives 8
    # windows, so two or four workers share them evenly (the halos add 5.6 % of work instead
    # of 2.8 %); the results do not depend on it (docs/scale.md).
    window_s: float = 3 * 3600.0
    halo_s: float = 300.0  # arrivals either side of a window seen by it (longer than any event)


@dataclass(frozen=True)
class ArrivalAnalysis:
    """Located events and the arrivals that joined none of them."""

    events: list[Event]
    unassociated: list[str]


def event_id_for(arrival_ids: Sequence[str]) -> str:
    """A stable id from the arrivals an event rests on: the same input gives the same id."""
    digest = hashlib.sha256(";".join(sorted(arrival_ids)).encode()).hexdigest()
    return f"EV-{digest[:16]}"


def classify(labels: Sequence[str | None]) -> EventKind:
    """Launch or impact when the sensors' labels agree; unknown when they do not."""
    launch = sum(1 for x in labels if x == "launch")
    impact = sum(1 for x in labels if x == "impact")
    labelled = launch + impact
    if labelled >= 2 and launch >= LABEL_AGREEMENT * labelled:
        return EventKind.LAUNCH
    if labelled >= 2 and impact >= LABEL_AGREEMENT * labelled:
        return EventKind.IMPACT
    return EventKind.UNKNOWN


def _positions(batch: EventBatch, fix: Fix) -> tuple[FloatArray, FloatArray]:
    lon, lat, _ = ecef_to_geodetic(batch.source_ecef(fix.params))
    return lon, lat


@dataclass(frozen=True)
class ArrivalColumns:
    """Arrivals as arrays: sensor index, POSIX time, id and label."""

    sensor: NDArray[np.int64]
    time_s: FloatArray
    arrival_id: NDArray[np.object_]
    label: NDArray[np.object_]
    snr_db: FloatArray  # nan where the sensor gave none

    @classmethod
    def from_arrivals(cls, arrivals: Sequence[Arrival], network: Network) -> ArrivalColumns:
        index = network.index()
        return cls(
            np.array([index[a.sensor_id] for a in arrivals], dtype=np.int64),
            np.array([a.time.timestamp() for a in arrivals], dtype=np.float64),
            np.array([a.arrival_id for a in arrivals], dtype=object),
            np.array([a.label.value if a.label else None for a in arrivals], dtype=object),
            np.array([np.nan if a.snr_db is None else a.snr_db for a in arrivals], dtype=float),
        )

    def take(self, idx: NDArray[np.int64]) -> ArrivalColumns:
        return ArrivalColumns(
            self.sensor[idx],
            self.time_s[idx],
            self.arrival_id[idx],
            self.label[idx],
            self.snr_db[idx],
        )


def analyze_arrivals(
    sensors: Sequence[Sensor],
    arrivals: Sequence[Arrival],
    weather: Sequence[Weather] = (),
    cfg: EngineConfig | None = None,
) -> ArrivalAnalysis:
    """Associate the arrivals into events and locate each with its error ellipse and CRLB.

    A period longer than ``cfg.window_s`` (with several workers, also a shorter one: see
    ``windows.plan_windows``) is cut into time windows, each with a halo of arrivals on both
    sides, keeping the events whose origin is its own; ``cfg.workers`` processes analyse
    them at once.
    """
    from truceline.engine.windows import analyze_in_windows

    cfg = cfg or EngineConfig()
    network = Network.from_sensors(sensors)
    cols = ArrivalColumns.from_arrivals(arrivals, network)
    cols = cols.take(_first_of_duplicates(cols))
    model = WeatherModel.from_rows(weather)
    events = analyze_in_windows(network, cols, model, cfg)
    events.sort(key=lambda e: (e.time, e.event_id))
    used = {a for e in events for a in e.arrival_ids}
    rest = [a.arrival_id for a in arrivals if a.arrival_id not in used]
    return ArrivalAnalysis(events, rest)


def _first_of_duplicates(cols: ArrivalColumns) -> NDArray[np.int64]:
    """Indices of arrivals that are not a repeat of an earlier one (same sensor, same time to
    the microsecond): a feed that sends one pick twice must not make two events."""
    keys = np.stack([cols.sensor, np.round(cols.time_s * 1e6).astype(np.int64)], axis=1)
    _, first = np.unique(keys, axis=0, return_index=True)
    return np.sort(first).astype(np.int64)


def analyze_columns(
    network: Network,
    cols: ArrivalColumns,
    model: WeatherModel,
    cfg: EngineConfig,
    origin_window: tuple[float, float] = (-np.inf, np.inf),
) -> list[Event]:
    """Events from arrivals (one partition), keeping those whose origin is in the window."""
    groups = associate_arrivals(network, cols.sensor, cols.time_s, model, cfg.associate)
    if not groups:
        return []
    batch = build_batch(groups, network, cols.sensor, cols.time_s, model, cols.snr_db)
    fix = locate_batch(batch, cfg.locate)
    if cfg.repair.enabled:
        groups = reassociate(batch, fix, network, cols.sensor, cols.time_s, cfg.repair)
        if not groups:
            return []
        batch = build_batch(groups, network, cols.sensor, cols.time_s, model, cols.snr_db)
        fix = locate_batch(batch, cfg.locate)
    if cfg.recruit.enabled:
        batch, fix = recruit(
            batch,
            fix,
            network,
            cols.sensor,
            cols.time_s,
            cols.snr_db,
            model,
            cfg.locate,
            cfg.recruit,
        )
    joined, absorbed = merge_duplicates(batch, fix, cols.sensor)
    keep = np.array([bool(fix.ok[i]) and i not in absorbed for i in range(len(batch))])
    events = events_of_fixes(batch, fix, keep, cols, cfg, origin_window)
    if joined:
        batch2 = build_batch(joined, network, cols.sensor, cols.time_s, model, cols.snr_db)
        fix2 = locate_batch(batch2, cfg.locate)
        events += events_of_fixes(batch2, fix2, fix2.ok, cols, cfg, origin_window)
    row_of = {str(a): i for i, a in enumerate(cols.arrival_id)}
    echoes = find_echoes(events, row_of, cols.sensor, cols.time_s, cols.snr_db, cfg.echoes)
    return [e for e in events if e.event_id not in echoes]


def events_of_fixes(
    batch: EventBatch,
    fix: Fix,
    keep: NDArray[np.bool_],
    cols: ArrivalColumns,
    cfg: EngineConfig,
    origin_window: tuple[float, float],
) -> list[Event]:
    """Events for the fixes selected by ``keep`` whose origin time is in the window."""
    lon, lat = _positions(batch, fix)
    major, minor, azimuth = error_ellipse(fix.cov[:, :2, :2])
    source = fix.params[:, :3].copy()
    source[:, 2] -= (source[:, 0] ** 2 + source[:, 1] ** 2) / (2.0 * EARTH_RADIUS_M)
    bound = crlb_horizontal_m(
        source,
        batch.sensor_enu,
        batch.sigma_s,
        fix.mask,
        batch.c_still,
        cfg.locate.height_sigma_m,
    )
    origin = batch.t_ref + fix.params[:, 3] / batch.c_still
    keep = keep & (origin >= origin_window[0]) & (origin < origin_window[1])
    events = []
    for i in np.nonzero(keep)[0]:
        members = batch.arrival[i][fix.mask[i]]
        ids = [str(x) for x in cols.arrival_id[members]]
        events.append(
            Event(
                event_id=event_id_for(ids),
                time=datetime.fromtimestamp(round(float(origin[i]), 6), tz=UTC),
                lon=round(float(lon[i]), 7),
                lat=round(float(lat[i]), 7),
                kind=classify(list(cols.label[members])),
                n_sensors=len(ids),
                err_major_m=round(float(major[i]), 2),
                err_minor_m=round(float(minor[i]), 2),
                err_azimuth_deg=round(float(azimuth[i]), 1) % 180.0,
                arrival_ids=tuple(sorted(ids)),
                crlb_m=round(float(bound[i]), 2),
            )
        )
    return events
