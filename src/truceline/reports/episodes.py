"""Notable violations: the serious ones, grouped into episodes of fire, with their wording.

A busy day has hundreds of fire-across-the-line violations, most of them rounds of one
firing mission: the same party, from the same place, minutes apart. Listing each would bury
the reader, so consecutive violations of one type, party and severity within
``EPISODE_GAP`` of each other and ``EPISODE_RADIUS_M`` of the episode's first one are one
episode. An episode is stated as firmly as its *weakest* attribution allows (its smallest
probability), with what the attribution of its first launch rests on (sensors, reports, error
ellipse, distance to the line).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from truceline.domain import Event, EventKind, Severity, Theatre, Violation, ViolationType
from truceline.engine.attribute import attribute_events
from truceline.geo.projection import geodesic_distance_m
from truceline.i18n import _, _n
from truceline.reports.formats import (
    CORROBORATION_LABELS,
    count,
    decimal,
    likelihood,
    violation_label,
)

EPISODE_GAP = timedelta(minutes=20)
EPISODE_RADIUS_M = 5000.0
NOTABLE_LIMIT = 20
FIRE_TYPES = (
    ViolationType.FIRE_ACROSS_LINE,
    ViolationType.FIRE_AT_PROTECTED_SITE,
    ViolationType.BUFFER_ZONE_INCURSION,
)
SEVERITY_RANK = {Severity.LOW: 0, Severity.MEDIUM: 1, Severity.HIGH: 2, Severity.CRITICAL: 3}


@dataclass(frozen=True)
class Episode:
    """Violations of one type by one party, close in time and place."""

    violations: tuple[Violation, ...]

    @property
    def first(self) -> Violation:
        return self.violations[0]

    @property
    def start(self) -> datetime:
        return self.violations[0].time

    @property
    def end(self) -> datetime:
        return self.violations[-1].time

    @property
    def p_min(self) -> float | None:
        ps = [v.p_party for v in self.violations if v.p_party is not None]
        return min(ps) if ps else None


@dataclass(frozen=True)
class Notable:
    """An episode as the report lists it."""

    label: str
    severity: Severity
    party: str | None
    start: datetime
    end: datetime
    count: int
    likelihood: str  # ICD 203 words and the weakest probability of the episode
    area: str
    lon: float | None
    lat: float | None
    description: str
    corroboration: str  # e.g. "12 verified, 2 single source"
    basis: str  # what the attribution of the first event rests on
    violation_id: str  # the first violation (the rest are listed in the open data)


def group_episodes(violations: Sequence[Violation]) -> list[Episode]:
    """Group violations (any order) into episodes, in time order of their first violation.

    >>> from datetime import UTC
    >>> t0 = datetime(2026, 11, 21, 6, tzinfo=UTC)
    >>> v = [Violation(f"V{i}", ViolationType.FIRE_ACROSS_LINE, Severity.HIGH,
    ...      t0 + timedelta(minutes=m), party="RU", lon=37.0, lat=48.0)
    ...      for i, m in enumerate([0, 5, 12, 90])]
    >>> [len(e.violations) for e in group_episodes(v)]
    [3, 1]
    """
    open_groups: dict[tuple[str, str | None, str], list[Violation]] = {}
    done: list[list[Violation]] = []
    for v in sorted(violations, key=lambda v: (v.time, v.violation_id)):
        key = (v.type.value, v.party, v.severity.value)
        group = open_groups.get(key)
        if group is not None and _continues(group, v):
            group.append(v)
            continue
        if group is not None:
            done.append(group)
        open_groups[key] = [v]
    done.extend(open_groups.values())
    done.sort(key=lambda g: (g[0].time, g[0].violation_id))
    return [Episode(tuple(g)) for g in done]


def _continues(group: list[Violation], v: Violation) -> bool:
    if v.time - group[-1].time > EPISODE_GAP:
        return False
    first = group[0]
    if first.lon is None or first.lat is None or v.lon is None or v.lat is None:
        return first.lon is None and v.lon is None
    d = geodesic_distance_m(first.lon, first.lat, v.lon, v.lat)
    return bool(d <= EPISODE_RADIUS_M)


def is_notable(episode: Episode) -> bool:
    """Serious fire: high or critical severity, or any fire at a protected site."""
    first = episode.first
    if first.type not in FIRE_TYPES:
        return False
    return (
        first.type == ViolationType.FIRE_AT_PROTECTED_SITE
        or SEVERITY_RANK[first.severity] >= SEVERITY_RANK[Severity.HIGH]
    )


def rank_notable(episodes: Sequence[Episode]) -> list[Episode]:
    """Notable episodes, most serious first: severity, then size, then time."""
    chosen = [e for e in episodes if is_notable(e)]
    return sorted(
        chosen, key=lambda e: (-SEVERITY_RANK[e.first.severity], -len(e.violations), e.start)
    )


def describe_notable(
    episodes: Sequence[Episode],
    events: Mapping[str, Event],
    areas: Mapping[str, str],
    theatre: Theatre,
) -> list[Notable]:
    """The listed form of each episode; ``areas`` maps violation id to area name."""
    firsts = [_origin_event(events.get(e.first.event_id or ""), events) for e in episodes]
    located = [ev for ev in firsts if ev is not None]
    attributions = {a.event_id: a for a in attribute_events(located, theatre)}
    out = []
    for episode, event in zip(episodes, firsts, strict=True):
        attribution = attributions.get(event.event_id) if event is not None else None
        v = episode.first
        out.append(
            Notable(
                label=violation_label(v.type),
                severity=v.severity,
                party=v.party,
                start=episode.start,
                end=episode.end,
                count=len(episode.violations),
                likelihood=likelihood(v.party, episode.p_min),
                area=areas.get(v.violation_id, ""),
                lon=v.lon,
                lat=v.lat,
                description=v.description,
                corroboration=_corroboration(episode, events),
                basis=_basis(attribution.reason) if attribution else "",
                violation_id=v.violation_id,
            )
        )
    return out


def _origin_event(event: Event | None, events: Mapping[str, Event]) -> Event | None:
    """The launch an event was fired from: itself, or the launch an impact is paired with."""
    if event is None or event.kind != EventKind.IMPACT:
        return event
    return events.get(event.paired_event_id or "")


def _corroboration(episode: Episode, events: Mapping[str, Event]) -> str:
    counts = Counter(
        events[v.event_id].corroboration
        for v in episode.violations
        if v.event_id is not None and v.event_id in events
    )
    parts = [
        f"{count(counts[c])} {_(label)}" for c, label in CORROBORATION_LABELS.items() if counts[c]
    ]
    return ", ".join(parts) or _("no stored event")


def _basis(reason: str) -> str:
    """The attribution engine's JSON reason as a phrase a reader follows."""
    data = json.loads(reason)
    sources = data.get("sources", {})
    sensors, reports = int(sources.get("sensors", 0)), int(sources.get("reports", 0))
    parts = [
        _n("%(num)s sensor", "%(num)s sensors", sensors) % {"num": count(sensors)},
        _n("%(num)s report", "%(num)s reports", reports) % {"num": count(reports)},
    ]
    major, minor, _azimuth = data.get("ellipse_m") or [None, None, None]
    if major is not None and minor is not None:
        parts.append(
            _("error ellipse %(major)s × %(minor)s (one sigma)")
            % {"major": _metres(major), "minor": _metres(minor)}
        )
    distance = data.get("distance_to_line_m")
    if distance is not None:
        parts.append(
            _("%(km)s km from the line of contact") % {"km": decimal(distance / 1000, "0.0")}
        )
    return "; ".join(parts)


def _metres(m: float) -> str:
    if m >= 1000:
        return _("%(num)s km") % {"num": decimal(m / 1000, "0.0")}
    return _("%(num)s m") % {"num": decimal(m, "0.0" if m < 10 else "0")}
