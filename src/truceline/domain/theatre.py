"""The geography of a ceasefire: parties, control areas, the contact line, zones, sites."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from shapely.geometry.base import BaseGeometry


@dataclass(frozen=True)
class Party:
    """A side bound by the ceasefire, e.g. ``Party("UA", "Ukraine")``."""

    id: str
    name: str


class ZoneRule(StrEnum):
    WITHDRAWAL = "withdrawal"
    BUFFER = "buffer"
    NO_FLY = "no_fly"


@dataclass(frozen=True)
class ControlArea:
    """The territory a party controls (Polygon or MultiPolygon, lon/lat)."""

    party: str
    geometry: BaseGeometry


@dataclass(frozen=True)
class Zone:
    """An area with a rule: withdrawal (per weapon class), buffer or no-fly."""

    name: str
    rule: ZoneRule
    geometry: BaseGeometry
    weapon_classes: tuple[str, ...] = ()
    party: str | None = None


@dataclass(frozen=True)
class ProtectedSite:
    """A site that must not be fired at (MFU hub, hospital, power plant, ...)."""

    name: str
    geometry: BaseGeometry
    radius_m: float = 0.0
    category: str | None = None


@dataclass(frozen=True)
class CeasefireTimeline:
    """When the ceasefire enters into force and withdrawal deadlines per weapon class (days)."""

    in_force: datetime | None = None
    withdrawal_days: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Theatre:
    """Everything geographic the rules and the attribution need."""

    parties: tuple[Party, ...]
    control_areas: tuple[ControlArea, ...]
    contact_line: BaseGeometry | None
    zones: tuple[Zone, ...] = ()
    protected_sites: tuple[ProtectedSite, ...] = ()
    timeline: CeasefireTimeline = field(default_factory=CeasefireTimeline)
    name: str = ""
    attribution: str = ""

    def party_ids(self) -> tuple[str, ...]:
        return tuple(p.id for p in self.parties)

    def control_area(self, party: str) -> ControlArea:
        for area in self.control_areas:
            if area.party == party:
                return area
        raise KeyError(party)
