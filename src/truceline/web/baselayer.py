"""The dashboard's offline base layer: the theatre as one GeoJSON FeatureCollection.

No map tiles come from the internet: the national border (the outline of the parties'
control areas), the control areas, the zones, the line of contact and the protected sites are
drawn from the theatre Truceline works with, the one the attribution used.
"""

from __future__ import annotations

import functools
import json
from typing import Any

import numpy as np
import shapely
from numpy.typing import NDArray
from shapely.geometry import MultiLineString, mapping
from shapely.geometry.base import BaseGeometry
from shapely.ops import unary_union
from sqlalchemy import Connection

from truceline.domain import Theatre
from truceline.geo.demo import load_demo_theatre
from truceline.io.theatre import parse_theatre
from truceline.store.theatres import get_theatres

DECIMALS = 5  # about 1 m: finer than the theatre's simplification, and a lighter document


def base_layer(theatre: Theatre, *, decimals: int = DECIMALS) -> dict[str, Any]:
    """The theatre as GeoJSON features, each with a ``layer`` property saying what it is.

    Layers: ``border``, ``control_area`` (with ``party``), ``zone`` (``name``, ``rule``,
    ``party``), ``contact_line`` and ``protected_site`` (``name``, ``category``,
    ``radius_m``). Coordinates are rounded to ``decimals`` degrees.

    >>> layer = base_layer(load_demo_theatre())
    >>> sorted({f["properties"]["layer"] for f in layer["features"]})
    ['border', 'contact_line', 'control_area', 'protected_site', 'zone']
    >>> [p["id"] for p in layer["parties"]]
    ['UA', 'RU']
    """
    features = [_feature("border", national_border(theatre), decimals)]
    for area in theatre.control_areas:
        features.append(_feature("control_area", area.geometry, decimals, party=area.party))
    for zone in theatre.zones:
        rule = zone.rule.value
        features.append(
            _feature("zone", zone.geometry, decimals, name=zone.name, rule=rule, party=zone.party)
        )
    if theatre.contact_line is not None:
        features.append(_feature("contact_line", theatre.contact_line, decimals))
    for site in theatre.protected_sites:
        props = {"name": site.name, "category": site.category, "radius_m": site.radius_m}
        features.append(_feature("protected_site", site.geometry, decimals, **props))
    return {
        "type": "FeatureCollection",
        "name": theatre.name,
        "attribution": theatre.attribution,
        "parties": [{"id": p.id, "name": p.name} for p in theatre.parties],
        "bbox": [round(v, decimals) for v in _bounds(theatre)],
        "features": features,
    }


def national_border(theatre: Theatre) -> BaseGeometry:
    """The outline of all control areas together (their outer rings: no slivers along the
    line where two simplified areas do not quite meet)."""
    union = unary_union([a.geometry for a in theatre.control_areas])
    polygons = getattr(union, "geoms", [union])
    return MultiLineString([p.exterior.coords for p in polygons if not p.is_empty])


def current_theatre(conn: Connection) -> Theatre:
    """The newest theatre stored in the database, else the built-in demo theatre."""
    stored = sorted(get_theatres(conn), key=lambda t: (t.created_at, t.name))
    if not stored:
        return load_demo_theatre()
    return _parsed(stored[-1].geojson, stored[-1].name)


@functools.lru_cache(maxsize=4)
def _parsed(geojson: str, name: str) -> Theatre:
    return parse_theatre(json.loads(geojson), file=f"stored theatre {name!r}")


def _feature(layer: str, geometry: BaseGeometry, decimals: int, **props: Any) -> dict[str, Any]:
    rounded = shapely.transform(geometry, lambda xy: _round(xy, decimals))
    properties = {"layer": layer, **props}
    return {"type": "Feature", "properties": properties, "geometry": mapping(rounded)}


def _round(xy: NDArray[np.float64], decimals: int) -> NDArray[np.float64]:
    return np.round(xy, decimals)


def _bounds(theatre: Theatre) -> tuple[float, float, float, float]:
    minx, miny, maxx, maxy = unary_union([a.geometry for a in theatre.control_areas]).bounds
    return float(minx), float(miny), float(maxx), float(maxy)
