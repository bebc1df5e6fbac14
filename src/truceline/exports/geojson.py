"""GeoJSON (RFC 7946): a FeatureCollection per public layer, WGS 84, (lon, lat) order.

Each record is a Point feature whose ``id`` is the record's id and whose properties are
exactly the layer's exported fields. Unlocated records (a violation resting on an observer's
report) have a ``null`` geometry, as RFC 7946 section 3.2 allows. With ``ellipses``, every
event with an error ellipse is followed by a Polygon feature of that one-sigma ellipse.
"""

from __future__ import annotations

import json
import math
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
from shapely.geometry import Polygon
from shapely.geometry.polygon import orient

from truceline.exports.files import write_atomically
from truceline.exports.public import PublicFeature, PublicLayer, format_value
from truceline.geo.projection import WGS84

DECIMALS = 7  # about 1 cm: finer than any error ellipse, coarser than float noise
ELLIPSE_POINTS = 36
ELLIPSE_DECIMALS = 9


def ellipse_polygon(
    lon: float, lat: float, major_m: float, minor_m: float, azimuth_deg: float
) -> Polygon:
    """A one-sigma error ellipse as a counter-clockwise lon/lat polygon (geodesic offsets).

    >>> ring = ellipse_polygon(30.0, 50.0, 100.0, 50.0, 0.0).exterior.coords
    >>> round(max(y for _, y in ring) - 50.0, 6)  # 100 m north is 0.0009 degrees
    0.000899
    """
    t = np.linspace(0.0, 2.0 * math.pi, ELLIPSE_POINTS, endpoint=False)
    az = math.radians(azimuth_deg)
    east = major_m * np.cos(t) * math.sin(az) + minor_m * np.sin(t) * math.cos(az)
    north = major_m * np.cos(t) * math.cos(az) - minor_m * np.sin(t) * math.sin(az)
    bearings = np.degrees(np.arctan2(east, north))
    lons, lats, _ = WGS84.fwd(
        np.full(t.shape, lon), np.full(t.shape, lat), bearings, np.hypot(east, north)
    )
    return orient(Polygon(np.column_stack([lons, lats])), sign=1.0)  # RFC 7946 right-hand rule


def _polygon_json(polygon: Polygon) -> dict[str, Any]:
    # Finer than DECIMALS: a ring a few centimetres across must keep its shape.
    ring = np.round(np.asarray(polygon.exterior.coords), ELLIPSE_DECIMALS).tolist()
    return {"type": "Polygon", "coordinates": [ring]}


def _point(feature: PublicFeature) -> dict[str, Any] | None:
    if feature.lon is None or feature.lat is None:
        return None
    return {
        "type": "Point",
        "coordinates": [round(feature.lon, DECIMALS), round(feature.lat, DECIMALS)],
    }


def _properties(feature: PublicFeature) -> dict[str, Any]:
    """Numbers stay numbers, empty fields are null, times are ISO 8601 UTC text."""
    return {
        name: format_value(value) if isinstance(value, datetime) else value
        for name, value in feature.values.items()
    }


def _record(layer: PublicLayer, feature: PublicFeature) -> dict[str, Any]:
    return {
        "type": "Feature",
        "id": feature.values[layer.fields[0].name],
        "geometry": _point(feature),
        "properties": _properties(feature),
    }


def _ellipse(feature: PublicFeature) -> dict[str, Any] | None:
    major, minor = feature.real("err_major_m"), feature.real("err_minor_m")
    if feature.lon is None or feature.lat is None or major is None or minor is None:
        return None
    polygon = ellipse_polygon(
        feature.lon, feature.lat, major, minor, feature.real("err_azimuth_deg") or 0.0
    )
    return {
        "type": "Feature",
        "geometry": _polygon_json(polygon),
        "properties": {"event_id": feature.values["event_id"], "role": "error_ellipse_1sigma"},
    }


def layer_to_geojson(layer: PublicLayer, *, ellipses: bool = False) -> dict[str, Any]:
    """A FeatureCollection of the layer (RFC 7946: no ``crs`` member, WGS 84 implied)."""
    features: list[dict[str, Any]] = []
    for feature in layer.features:
        features.append(_record(layer, feature))
        if ellipses and layer.name == "events" and (ring := _ellipse(feature)) is not None:
            features.append(ring)
    return {"type": "FeatureCollection", "name": layer.name, "features": features}


def write_geojson(path: Path, layer: PublicLayer, *, ellipses: bool = False) -> None:
    """Write the layer as GeoJSON, atomically, one feature a line."""
    doc = layer_to_geojson(layer, ellipses=ellipses)
    lines = ",\n".join(
        json.dumps(f, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
        for f in doc["features"]
    )
    text = (
        f'{{"type":"FeatureCollection","name":{json.dumps(layer.name)},"features":[\n{lines}\n]}}\n'
    )
    write_atomically(path, text.encode("utf-8"))
