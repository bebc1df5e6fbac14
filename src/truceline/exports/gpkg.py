"""GeoPackage (OGC 12-128r18) for QGIS: one file, a layer per public layer, EPSG:4326.

Written through pyogrio's raw interface (GDAL; no pandas or GeoPandas needed). Layers:
``events`` and ``violations`` (Point; an unlocated violation has an empty geometry), and,
with a theatre, ``line_of_contact`` (MultiLineString) and ``control_areas`` (MultiPolygon).
Times are GeoPackage DATETIME fields in UTC, to the millisecond (the format's precision).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from numpy.typing import NDArray
from pyogrio import raw
from shapely.geometry import LineString, MultiLineString, MultiPolygon, Point, Polygon
from shapely.geometry.base import BaseGeometry

from truceline.domain import Theatre
from truceline.exports.files import atomic_target
from truceline.exports.public import ExportField, FieldKind, OpenData, PublicLayer

CRS = "EPSG:4326"
GDAL_UTC = 100  # GDAL's time zone flag for UTC (100 + offset in quarter hours)
GPKG_MEDIA_TYPE = "application/geopackage+sqlite3"


def _times(values: Sequence[Any]) -> NDArray[np.datetime64]:
    utc = [
        v.astimezone(UTC).replace(tzinfo=None) if isinstance(v, datetime) else None for v in values
    ]
    return np.array(
        [np.datetime64(v, "ms") if v else np.datetime64("NaT") for v in utc], dtype="datetime64[ms]"
    )


def field_array(
    field: ExportField, values: Sequence[Any]
) -> tuple[NDArray[Any], NDArray[np.bool_] | None]:
    """A field's values as the numpy array GDAL writes, and its null mask (None: no nulls)."""
    missing = np.array([v is None for v in values], dtype=bool)
    if field.kind is FieldKind.REAL:
        array: NDArray[Any] = np.array(
            [np.nan if v is None else float(v) for v in values], dtype=np.float64
        )
    elif field.kind is FieldKind.TIME:
        array = _times(values)
    else:
        array = np.array(list(values), dtype=object)
    return array, (missing if missing.any() else None)


def _wkb(geometries: Sequence[BaseGeometry | None]) -> NDArray[Any]:
    return np.array([None if g is None else shapely.to_wkb(g) for g in geometries], dtype=object)


def _write_layer(
    path: Path,
    name: str,
    geometry_type: str,
    geometries: Sequence[BaseGeometry | None],
    fields: Sequence[ExportField],
    rows: Sequence[Sequence[Any]],
    description: str,
) -> None:
    arrays, masks = [], []
    for i, field in enumerate(fields):
        array, mask = field_array(field, [row[i] for row in rows])
        arrays.append(array)
        masks.append(mask)
    offsets = {f.name: np.full(len(rows), GDAL_UTC) for f in fields if f.kind is FieldKind.TIME}
    raw.write(
        str(path),
        _wkb(geometries),
        arrays,
        [f.name for f in fields],
        field_mask=masks,
        layer=name,
        driver="GPKG",
        geometry_type=geometry_type,
        crs=CRS,
        gdal_tz_offsets=offsets,
        layer_options={"DESCRIPTION": description},
    )


def _write_public(path: Path, layer: PublicLayer, description: str) -> None:
    names = layer.field_names()
    _write_layer(
        path,
        layer.name,
        "Point",
        [Point(f.lon, f.lat) if f.located else None for f in layer.features],
        layer.fields,
        [[f.values[n] for n in names] for f in layer.features],
        description,
    )


AREA_FIELDS = (
    ExportField("party", FieldKind.TEXT, "party id"),
    ExportField("party_name", FieldKind.TEXT, "party name"),
)
LINE_FIELDS = (ExportField("name", FieldKind.TEXT, "what the line is"),)


def _as_multi(geometry: BaseGeometry) -> BaseGeometry:
    if isinstance(geometry, Polygon):
        return MultiPolygon([geometry])
    if isinstance(geometry, LineString):
        return MultiLineString([geometry])
    return geometry


def _write_theatre(path: Path, theatre: Theatre) -> None:
    if theatre.contact_line is not None:
        _write_layer(
            path, "line_of_contact", "MultiLineString", [_as_multi(theatre.contact_line)],
            LINE_FIELDS, [["line of contact"]], "The line of contact between the parties",
        )  # fmt: skip
    names = {p.id: p.name for p in theatre.parties}
    areas = theatre.control_areas
    _write_layer(
        path, "control_areas", "MultiPolygon", [_as_multi(a.geometry) for a in areas],
        AREA_FIELDS, [[a.party, names.get(a.party, a.party)] for a in areas],
        "The area each party controls",
    )  # fmt: skip


def write_gpkg(path: Path, data: OpenData) -> None:
    """Write the GeoPackage atomically (built in a temporary file, then renamed)."""
    with atomic_target(path) as tmp:
        _write_public(tmp, data.events, "Located events (launches, impacts), one-sigma ellipses")
        _write_public(tmp, data.violations, "Violations of the ceasefire's rules")
        if data.theatre is not None:
            _write_theatre(tmp, data.theatre)
