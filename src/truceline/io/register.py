"""register.json: the weapons register (holding areas and declared weapons, by serial)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from shapely.geometry import Point, Polygon

from truceline.domain import DeclaredWeapon, HoldingArea, WeaponsRegister
from truceline.errors import InputError


def read_register(path: Path) -> WeaponsRegister:
    """Read and check a register; any bad value is an InputError naming the file and field.

    ``holding_areas``: ``{name, party, lon, lat, radius_m}`` or ``{name, party, polygon:
    [[lon, lat], ...]}``; ``weapons``: ``{serial, party, weapon, holding_area}``, each in a
    holding area of its own party.
    """
    file = str(path)
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot read the register: {exc}", file=file) from None
    if not isinstance(data, dict):
        raise InputError("expected a JSON object with holding_areas and weapons", file=file)
    areas = [_area(row, i, file) for i, row in enumerate(_list(data, "holding_areas", file))]
    by_name = {a.name: a for a in areas}
    if len(by_name) != len(areas):
        raise InputError("holding area names must be unique", file=file, column="holding_areas")
    weapons = []
    seen: set[str] = set()
    for i, row in enumerate(_list(data, "weapons", file)):
        w = DeclaredWeapon(*(_text(row, k, f"weapons[{i}]", file) for k in _WEAPON_KEYS))
        where = f"weapons[{i}]"
        if w.serial in seen:
            raise InputError(f"serial {w.serial!r} declared twice", file=file, column=where)
        area = by_name.get(w.holding_area)
        if area is None:
            why = f"no holding area {w.holding_area!r}"
            raise InputError(why, file=file, column=f"{where}.holding_area")
        if area.party != w.party:
            why = f"{w.serial} of {w.party} declared in {area.name} of {area.party}"
            raise InputError(why, file=file, column=f"{where}.party")
        seen.add(w.serial)
        weapons.append(w)
    return WeaponsRegister(tuple(areas), tuple(weapons))


_WEAPON_KEYS = ("serial", "party", "weapon", "holding_area")


def _list(data: dict[str, Any], key: str, file: str) -> list[Any]:
    value = data.get(key, [])
    if not isinstance(value, list):
        raise InputError("expected a list", file=file, column=key)
    return value


def _text(row: Any, key: str, where: str, file: str) -> str:
    value = row.get(key) if isinstance(row, dict) else None
    if not isinstance(value, str) or not value.strip():
        raise InputError("a non-empty text is required", file=file, column=f"{where}.{key}")
    return value.strip()


def _number(row: dict[str, Any], key: str, where: str, file: str, lo: float, hi: float) -> float:
    value = row.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float) or not lo <= value <= hi:
        why = f"a number from {lo:g} to {hi:g} is required"
        raise InputError(why, file=file, column=f"{where}.{key}")
    return float(value)


def _area(row: Any, i: int, file: str) -> HoldingArea:
    where = f"holding_areas[{i}]"
    name, party = _text(row, "name", where, file), _text(row, "party", where, file)
    if "polygon" in row:
        try:
            polygon = Polygon(row["polygon"])
        except (TypeError, ValueError) as exc:
            raise InputError(
                f"not a polygon: {exc}", file=file, column=f"{where}.polygon"
            ) from None
        if not polygon.is_valid or polygon.is_empty:
            raise InputError("an invalid polygon", file=file, column=f"{where}.polygon")
        return HoldingArea(name, party, polygon)
    lon = _number(row, "lon", where, file, -180, 180)
    lat = _number(row, "lat", where, file, -90, 90)
    radius = _number(row, "radius_m", where, file, 1, 50_000)
    return HoldingArea(name, party, Point(lon, lat), radius)


def write_register(path: Path, register: WeaponsRegister) -> None:
    """Write a register that `read_register` reads back the same (atomically)."""
    areas = []
    for a in register.holding_areas:
        if a.radius_m > 0:
            c = a.geometry.centroid
            areas.append(
                {"name": a.name, "party": a.party, "lon": c.x, "lat": c.y, "radius_m": a.radius_m}
            )
        else:
            coords = [list(xy) for xy in a.geometry.exterior.coords]
            areas.append({"name": a.name, "party": a.party, "polygon": coords})
    weapons = [
        {"serial": w.serial, "party": w.party, "weapon": w.weapon, "holding_area": w.holding_area}
        for w in register.weapons
    ]
    tmp = Path(path).with_suffix(".tmp")
    tmp.write_text(
        json.dumps({"holding_areas": areas, "weapons": weapons}, indent=1) + "\n", encoding="utf-8"
    )
    tmp.replace(path)
