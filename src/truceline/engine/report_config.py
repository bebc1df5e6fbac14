"""The knobs of report fusion, and the Admiralty grade table, in one place.

Every field of :class:`FuseConfig` is documented where it is declared; docs/fusion.md explains
the models they tune. The defaults are the mission's prior knowledge of its sources, not fitted
to any one scenario.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from truceline.domain import SourceKind

# NATO Admiralty code (AJP-2.1, STANAG 2511) mapped to "probability that the report is true,
# on this grade alone". F and 6 ("cannot be judged") are neutral: they move nothing.
RELIABILITY_P: dict[str, float] = {
    "A": 0.95,  # completely reliable
    "B": 0.80,  # usually reliable
    "C": 0.65,  # fairly reliable
    "D": 0.45,  # not usually reliable
    "E": 0.25,  # unreliable
    "F": 0.50,  # reliability cannot be judged
}
CREDIBILITY_P: dict[str, float] = {
    "1": 0.95,  # confirmed by other sources
    "2": 0.80,  # probably true
    "3": 0.60,  # possibly true
    "4": 0.40,  # doubtful
    "5": 0.20,  # improbable
    "6": 0.50,  # truth cannot be judged
}

MISSION_MEANS = frozenset({SourceKind.MONITOR, SourceKind.UAV, SourceKind.CAMERA})
SENSOR_SOURCE = "sensors"  # the acoustic network: one source, however many sensors heard


def _default_grades() -> dict[SourceKind, tuple[str, str]]:
    return {
        SourceKind.MONITOR: ("A", "2"),
        SourceKind.CAMERA: ("A", "2"),
        SourceKind.UAV: ("B", "2"),
        SourceKind.OSINT: ("F", "6"),
        SourceKind.PARTY: ("F", "6"),
    }


def _default_time_sigma() -> dict[SourceKind, float]:
    return {
        SourceKind.MONITOR: 30.0,
        SourceKind.CAMERA: 2.0,
        SourceKind.UAV: 60.0,
        SourceKind.OSINT: 3600.0,
        SourceKind.PARTY: 600.0,
    }


def _default_loc_sigma() -> dict[SourceKind, float]:
    return {
        SourceKind.MONITOR: 300.0,
        SourceKind.CAMERA: 300.0,
        SourceKind.UAV: 50.0,
        SourceKind.OSINT: 2000.0,
        SourceKind.PARTY: 1000.0,
    }


@dataclass(frozen=True)
class FuseConfig:
    """Every knob of report fusion (see docs/fusion.md for the models behind them)."""

    # -- time ----------------------------------------------------------------------------
    sound_speed_ms: float = 340.0  # speed of the sound a human hears (about 2.9 s per km)
    heard_kinds: frozenset[SourceKind] = frozenset({SourceKind.MONITOR})
    # sources whose reported time is when the SOUND arrived (corrected for travel)
    late_kinds: frozenset[SourceKind] = frozenset({SourceKind.OSINT})
    # sources whose time is a publication time: the event lies in [t - window, t]
    late_window_sigmas: float = 3.0  # that window, in units of the report's time sigma
    late_edge_s: float = 120.0  # softness of the window's edges (s)
    time_sigma_s: dict[SourceKind, float] = field(default_factory=_default_time_sigma)
    # one-sigma time uncertainty when a report gives none
    # -- space ---------------------------------------------------------------------------
    loc_sigma_m: dict[SourceKind, float] = field(default_factory=_default_loc_sigma)
    # one-sigma radius of a located report (lon/lat) that gives no loc_sigma_m
    bearing_sigma_deg: float = 15.0  # bearing uncertainty when a report gives none
    range_log_sigma: float = 0.25  # observers misjudge distance by ~25 % (log-normal)
    default_range_m: tuple[float, float] = (0.0, 15_000.0)
    # distance bracket assumed for a bearing (or an observer alone) with no distance given
    min_range_ratio: float = 0.1  # a bracket starting at 0 is taken as [ratio * max, max] to locate
    # -- association ---------------------------------------------------------------------
    event_sigma_m: float = 200.0  # position error assumed for a sensor event with no ellipse
    gate_probability: float = 0.999  # chi-square gate (3 degrees of freedom: x, y, t)
    kind_mismatch_d2: float = 9.0
    # -2 log LR when a report says launch and the event is an impact (or the reverse): a
    # definite assessment is wrong about 1 % of the time
    complaints_are_impacts: bool = True  # a party's complaint (accused_party) is fire received
    exclusive_kinds: frozenset[SourceKind] = MISSION_MEANS
    # one report per physical event from these sources: two reports of one team are two events
    not_fire_types: frozenset[str] = frozenset({"weapon_sighting", "access_denied", "inspection"})
    # event types that are not fire: never fused (the rules read them from the reports)
    launch_types: frozenset[str] = frozenset({"shot", "launch", "firing"})
    # event types that say launch (as an `outgoing` assessment does); "explosion" says neither
    impact_types: frozenset[str] = frozenset({"impact", "shelling"})
    # event types that say impact (as an `incoming` assessment does)
    # -- independence --------------------------------------------------------------------
    source_groups: dict[str, str] = field(default_factory=dict)
    # source_id -> one independent source (e.g. several liaison officers of one party)
    repost_kinds: frozenset[SourceKind] = frozenset({SourceKind.OSINT})
    repost_time_s: float = 900.0  # reposts: times within this ...
    repost_distance_m: float = 100.0  # ... locations within this ...
    repost_text_similarity: float = 0.8  # ... and texts this alike (word-set Jaccard)
    # -- corroboration -------------------------------------------------------------------
    default_grades: dict[SourceKind, tuple[str, str]] = field(default_factory=_default_grades)
    # (reliability, credibility) assumed when a report gives none
    sensor_p: float = 0.95  # a located sensor event, as evidence that something happened
    prior_p: float = 0.5  # probability an event is real before any source speaks
    p_corroborated: float = 0.8  # two independent sources AND this combined probability
    p_verified: float = 0.95  # ... AND one of the mission's own means AND this probability
    mission_kinds: frozenset[SourceKind] = MISSION_MEANS
    # the mission's own means (with the sensor network): needed for `verified`
