"""Read and write theatre.geojson (shared/spec/interchange.md, section theatre.geojson).

A GeoJSON FeatureCollection whose features carry ``properties.kind``:

============== ============================ ==============================================
kind           geometry                     properties
============== ============================ ==============================================
control_area   Polygon / MultiPolygon       ``party`` (a party id)
contact_line   LineString / MultiLineString —
zone           Polygon / MultiPolygon       ``name``, ``rule`` (withdrawal, buffer, no_fly),
                                            ``weapon_classes`` (list; required for
                                            withdrawal), optional ``party``
protected_site Point / Polygon              ``name``, ``radius_m`` (required for points),
                                            optional ``category``
============== ============================ ==============================================

Optional top-level members: ``parties`` ([{"id", "name"}], as in the spec) and, added by
Truceline, ``name`` (str), ``attribution`` (str, data credits) and ``ceasefire``:
``{"in_force": "2026-11-01T00:00:00Z" or null, "withdrawal_days": {weapon_class: days}}``
(times as in :mod:`truceline.io.timefmt`).
Unknown members and properties are ignored. Without ``parties``, the parties are those named by
the features (name = id). Several control_area features of one party are unioned; several
contact_line features are gathered into one MultiLineString.

Errors are :class:`~truceline.errors.InputError` naming the file, the feature as ``line``
(feature N is the N-th element of ``features``, counting from 1) and the property as
``column``; JSON syntax errors give the line of the text instead.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry

from truceline.domain.theatre import (
    CeasefireTimeline,
    ControlArea,
    Party,
    ProtectedSite,
    Theatre,
    Zone,
    ZoneRule,
)
from truceline.errors import InputError
from truceline.io.timefmt import format_time, parse_time

GEOMETRY_TYPES = {
    "control_area": ("Polygon", "MultiPolygon"),
    "contact_line": ("LineString", "MultiLineString"),
    "zone": ("Polygon", "MultiPolygon"),
    "protected_site": ("Point", "Polygon"),
}
_DEPTH = {"Point": 0, "LineString": 1, "Polygon": 2, "MultiLineString": 2, "MultiPolygon": 3}


class _Where:
    """Where an error is: the file and, inside a feature, its number."""

    def __init__(self, file: str, feature: int | None = None) -> None:
        self.file, self.feature = file, feature

    def error(self, message: str, column: str | None = None) -> InputError:
        prefix = "" if self.feature is None else f"feature {self.feature}: "
        return InputError(prefix + message, file=self.file, line=self.feature, column=column)


def read_theatre(path: str | Path) -> Theatre:
    """Read and validate a theatre.geojson file."""
    file = str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", file=file) from exc
    if b"\x00" in raw:
        raise InputError("binary file, expected GeoJSON text", file=file)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text (byte {exc.start})", file=file) from exc
    try:
        data = json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"not valid JSON: {exc.msg} (column {exc.colno})", file=file, line=exc.lineno
        ) from exc
    except ValueError as exc:
        raise InputError(f"not valid JSON: {exc}", file=file) from exc
    return parse_theatre(data, file=file)


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def parse_theatre(data: Any, *, file: str = "<theatre>") -> Theatre:
    """Validate parsed theatre.geojson content and build the :class:`Theatre`."""
    top = _Where(file)
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise top.error("not a GeoJSON FeatureCollection", "type")
    features = data.get("features")
    if not isinstance(features, list):
        raise top.error("'features' must be a list", "features")
    declared = _parties(data.get("parties"), top)
    known = {p.id for p in declared} if declared is not None else None
    areas: dict[str, list[BaseGeometry]] = {}
    lines: list[BaseGeometry] = []
    zones: list[Zone] = []
    sites: list[ProtectedSite] = []
    named: list[str] = []
    for index, feature in enumerate(features, start=1):
        where = _Where(file, index)
        kind, geometry, props = _feature(feature, where)
        if kind == "control_area":
            party = _party_ref(props, where, known, required=True)
            assert party is not None
            areas.setdefault(party, []).append(geometry)
            named.append(party)
        elif kind == "contact_line":
            lines.append(geometry)
        elif kind == "zone":
            zone = _zone(props, geometry, where, known)
            zones.append(zone)
            named.extend([zone.party] if zone.party else [])
        else:
            sites.append(_site(props, geometry, where))
    parties = declared if declared is not None else tuple(Party(i, i) for i in dict.fromkeys(named))
    return Theatre(
        parties=parties,
        control_areas=tuple(ControlArea(p, _union(g)) for p, g in areas.items()),
        contact_line=_gather_lines(lines),
        zones=tuple(zones),
        protected_sites=tuple(sites),
        timeline=_ceasefire(data.get("ceasefire"), top),
        name=_optional_str(data, "name", top) or "",
        attribution=_optional_str(data, "attribution", top) or "",
    )


def _parties(value: Any, top: _Where) -> tuple[Party, ...] | None:
    if value is None:
        return None
    if not isinstance(value, list):
        raise top.error("'parties' must be a list of {id, name}", "parties")
    parties: list[Party] = []
    for i, item in enumerate(value):
        pid = item.get("id") if isinstance(item, dict) else None
        name = item.get("name", pid) if isinstance(item, dict) else None
        if not isinstance(pid, str) or not pid or not isinstance(name, str):
            raise top.error(f"parties[{i}] must have a string 'id' and 'name'", "parties")
        if pid in {p.id for p in parties}:
            raise top.error(f"duplicate party id {pid!r}", "parties")
        parties.append(Party(pid, name))
    return tuple(parties)


def _feature(feature: Any, where: _Where) -> tuple[str, BaseGeometry, dict[str, Any]]:
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        raise where.error("not a GeoJSON Feature", "type")
    props = feature.get("properties")
    if not isinstance(props, dict):
        raise where.error("missing required 'properties' object", "properties")
    if "kind" not in props:
        raise where.error("missing required property 'kind'", "kind")
    kind = props["kind"]
    if not isinstance(kind, str) or kind not in GEOMETRY_TYPES:
        raise where.error(
            f"unknown kind {kind!r}; expected one of {', '.join(GEOMETRY_TYPES)}", "kind"
        )
    return kind, _geometry(feature.get("geometry"), GEOMETRY_TYPES[kind], kind, where), props


def _geometry(value: Any, allowed: tuple[str, ...], kind: str, where: _Where) -> BaseGeometry:
    if not isinstance(value, dict):
        raise where.error(f"missing geometry ({' or '.join(allowed)})", "geometry")
    gtype = value.get("type")
    if gtype not in allowed:
        raise where.error(
            f"geometry type {gtype!r} is not allowed for {kind}; use {' or '.join(allowed)}",
            "geometry",
        )
    coords = value.get("coordinates")
    problem = _check_positions(coords, _DEPTH[gtype])
    if problem:
        raise where.error(f"bad {gtype} coordinates: {problem}", "geometry")
    try:
        geometry = shape(value)
    except (ValueError, TypeError, IndexError, shapely.errors.GEOSException) as exc:
        raise where.error(f"bad {gtype}: {exc}", "geometry") from exc
    if geometry.is_empty:
        raise where.error(f"empty {gtype}", "geometry")
    reason = shapely.is_valid_reason(geometry)
    if reason != "Valid Geometry":
        raise where.error(f"invalid {gtype}: {reason}", "geometry")
    return geometry


def _check_positions(value: Any, depth: int) -> str | None:
    """Return what is wrong with nested GeoJSON positions, or None."""
    if depth == 0:
        if not isinstance(value, list) or len(value) not in (2, 3):
            return "a position must be [lon, lat] or [lon, lat, elevation]"
        if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in value):
            return f"non-numeric position {value!r}"
        if not all(math.isfinite(v) for v in value):
            return f"non-finite position {value!r}"
        lon, lat = value[0], value[1]
        if not (-180.0 <= lon <= 180.0 and -90.0 <= lat <= 90.0):
            return f"position {value!r} out of range (lon -180..180, lat -90..90)"
        return None
    if not isinstance(value, list):
        return "coordinates must be nested lists"
    for item in value:
        problem = _check_positions(item, depth - 1)
        if problem:
            return problem
    if depth == 1 and 0 < len(value) < 2:
        return "a line needs at least 2 positions"
    return None


def _required_str(props: dict[str, Any], key: str, where: _Where) -> str:
    value = props.get(key)
    if value is None:
        raise where.error(f"missing required property {key!r}", key)
    if not isinstance(value, str) or not value.strip():
        raise where.error(f"property {key!r} must be a non-empty string", key)
    return value


def _optional_str(props: dict[str, Any], key: str, where: _Where) -> str | None:
    value = props.get(key)
    if value is not None and not isinstance(value, str):
        raise where.error(f"property {key!r} must be a string", key)
    return value


def _party_ref(
    props: dict[str, Any], where: _Where, known: set[str] | None, *, required: bool
) -> str | None:
    if not required and props.get("party") is None:
        return None
    party = _required_str(props, "party", where)
    if known is not None and party not in known:
        raise where.error(f"unknown party {party!r}; parties are {sorted(known)}", "party")
    return party


def _zone(
    props: dict[str, Any], geometry: BaseGeometry, where: _Where, known: set[str] | None
) -> Zone:
    name = _required_str(props, "name", where)
    rule_text = _required_str(props, "rule", where)
    try:
        rule = ZoneRule(rule_text)
    except ValueError:
        choices = ", ".join(r.value for r in ZoneRule)
        raise where.error(
            f"unknown rule {rule_text!r}; expected one of {choices}", "rule"
        ) from None
    weapons = props.get("weapon_classes")
    if weapons is None and rule is ZoneRule.WITHDRAWAL:
        raise where.error("missing required property 'weapon_classes'", "weapon_classes")
    weapons = [] if weapons is None else weapons
    if not isinstance(weapons, list) or not all(isinstance(w, str) and w for w in weapons):
        raise where.error("'weapon_classes' must be a list of strings", "weapon_classes")
    party = _party_ref(props, where, known, required=False)
    return Zone(name, rule, geometry, tuple(weapons), party)


def _site(props: dict[str, Any], geometry: BaseGeometry, where: _Where) -> ProtectedSite:
    name = _required_str(props, "name", where)
    radius = props.get("radius_m")
    if radius is None and geometry.geom_type == "Point":
        raise where.error("missing required property 'radius_m' (for a point site)", "radius_m")
    radius = 0.0 if radius is None else radius
    if isinstance(radius, bool) or not isinstance(radius, int | float):
        raise where.error("'radius_m' must be a number of metres", "radius_m")
    if not (math.isfinite(radius) and radius >= 0):
        raise where.error(f"'radius_m' must be >= 0, got {radius!r}", "radius_m")
    category = _optional_str(props, "category", where)
    return ProtectedSite(name, geometry, float(radius), category)


def _ceasefire(value: Any, top: _Where) -> CeasefireTimeline:
    if value is None:
        return CeasefireTimeline()
    if not isinstance(value, dict):
        raise top.error("'ceasefire' must be an object", "ceasefire")
    in_force = value.get("in_force")
    when = None if in_force is None else _utc_time(in_force, top, "ceasefire.in_force")
    days = value.get("withdrawal_days", {})
    if not isinstance(days, dict):
        raise top.error("must map weapon classes to days", "ceasefire.withdrawal_days")
    for weapon, n in days.items():
        if isinstance(n, bool) or not isinstance(n, int) or n < 0:
            raise top.error(
                f"days for {weapon!r} must be a whole number >= 0, got {n!r}",
                "ceasefire.withdrawal_days",
            )
    return CeasefireTimeline(in_force=when, withdrawal_days=dict(days))


def _utc_time(value: Any, top: _Where, column: str) -> datetime:
    if not isinstance(value, str):
        raise top.error(f"time must be an ISO 8601 UTC string, got {value!r}", column)
    try:
        return parse_time(value)
    except ValueError as exc:
        raise top.error(f"{exc}, got {value!r}", column) from None


def _union(geometries: list[BaseGeometry]) -> BaseGeometry:
    return geometries[0] if len(geometries) == 1 else shapely.union_all(geometries)


def _gather_lines(lines: list[BaseGeometry]) -> BaseGeometry | None:
    if not lines:
        return None
    if len(lines) == 1:
        return lines[0]
    return shapely.MultiLineString([p for g in lines for p in shapely.get_parts(g)])


def theatre_to_geojson(theatre: Theatre, *, decimals: int | None = None) -> dict[str, Any]:
    """The theatre as a GeoJSON dict; ``decimals`` rounds coordinates."""
    features = [_area_feature(a, decimals) for a in theatre.control_areas]
    if theatre.contact_line is not None:
        features.append(_feature_dict(theatre.contact_line, {"kind": "contact_line"}, decimals))
    features += [_zone_feature(z, decimals) for z in theatre.zones]
    features += [_site_feature(s, decimals) for s in theatre.protected_sites]
    head: dict[str, Any] = {"type": "FeatureCollection"}
    if theatre.name:
        head["name"] = theatre.name
    if theatre.attribution:
        head["attribution"] = theatre.attribution
    head["parties"] = [{"id": p.id, "name": p.name} for p in theatre.parties]
    head["ceasefire"] = {
        "in_force": _format_time(theatre.timeline.in_force),
        "withdrawal_days": dict(theatre.timeline.withdrawal_days),
    }
    head["features"] = features
    return head


def _format_time(when: datetime | None) -> str | None:
    return None if when is None else format_time(when)


def _feature_dict(
    geometry: BaseGeometry, props: dict[str, Any], decimals: int | None
) -> dict[str, Any]:
    if geometry.is_empty:
        raise ValueError(f"cannot write an empty geometry ({props})")
    if decimals is not None:
        geometry = shapely.transform(geometry, lambda c: np.round(c, decimals))
    return {"type": "Feature", "properties": props, "geometry": mapping(geometry)}


def _area_feature(area: ControlArea, decimals: int | None) -> dict[str, Any]:
    return _feature_dict(area.geometry, {"kind": "control_area", "party": area.party}, decimals)


def _zone_feature(zone: Zone, decimals: int | None) -> dict[str, Any]:
    props: dict[str, Any] = {"kind": "zone", "name": zone.name, "rule": zone.rule.value}
    if zone.weapon_classes or zone.rule is ZoneRule.WITHDRAWAL:
        props["weapon_classes"] = list(zone.weapon_classes)
    if zone.party is not None:
        props["party"] = zone.party
    return _feature_dict(zone.geometry, props, decimals)


def _site_feature(site: ProtectedSite, decimals: int | None) -> dict[str, Any]:
    props: dict[str, Any] = {"kind": "protected_site", "name": site.name, "radius_m": site.radius_m}
    if site.category is not None:
        props["category"] = site.category
    return _feature_dict(site.geometry, props, decimals)


def write_theatre(path: str | Path, theatre: Theatre, *, decimals: int | None = None) -> None:
    """Write theatre.geojson atomically (temporary file, then rename), one feature a line."""
    doc = theatre_to_geojson(theatre, decimals=decimals)
    features = doc.pop("features")
    head = json.dumps(doc, ensure_ascii=False, allow_nan=False)
    body = ",\n".join(
        json.dumps(f, ensure_ascii=False, allow_nan=False, separators=(",", ":")) for f in features
    )
    text = f'{head[:-1]}, "features": [\n{body}\n]}}\n'
    _write_atomically(Path(path), text)


def _write_atomically(path: Path, text: str) -> None:
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
