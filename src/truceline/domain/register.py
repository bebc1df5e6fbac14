"""The weapons register: holding areas and the heavy weapons declared in them, by serial."""

from __future__ import annotations

from dataclasses import dataclass

from shapely.geometry.base import BaseGeometry


@dataclass(frozen=True)
class HoldingArea:
    """Where a party keeps its withdrawn heavy weapons, open to the monitors' inspections."""

    name: str
    party: str
    geometry: BaseGeometry  # lon/lat polygon (a point is buffered by ``radius_m``)
    radius_m: float = 0.0


@dataclass(frozen=True)
class DeclaredWeapon:
    """A heavy weapon a party declared, by serial number, kept in a holding area."""

    serial: str
    party: str
    weapon: str  # weapon class, as in reports.csv
    holding_area: str


@dataclass(frozen=True)
class WeaponsRegister:
    """Every holding area and declared weapon."""

    holding_areas: tuple[HoldingArea, ...] = ()
    weapons: tuple[DeclaredWeapon, ...] = ()
