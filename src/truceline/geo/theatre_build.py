"""Build a theatre from an occupied-territory map and a national border.

The occupier's control area is the occupied territory inside the border; the defender's is the
rest of the border. Both come out of snap-rounded overlays of the same two inputs on a ~1 m
grid, so they share exactly the same edge, and that edge is the contact line. Sources such as
DeepStateMap draw land only and follow another border line, so before the final overlay the
occupier takes the defender's thin slivers along the border's outline and the defender's
detached pieces that open onto the outline next to the occupier (estuaries, lagoons, islands).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from truceline.domain.theatre import CeasefireTimeline, ControlArea, Party, ProtectedSite, Theatre
from truceline.errors import InputError
from truceline.geo.projection import LocalProjection
from truceline.geo.zones import (
    BUFFER_ZONE_KM,
    WITHDRAWAL_DAYS,
    WITHDRAWAL_DISTANCES_KM,
    buffer_zone,
    polygonal,
    withdrawal_zones,
)
from truceline.io.theatre import write_theatre

DEFAULT_PARTIES = (Party("UA", "Ukraine"), Party("RU", "Russia"))
GRID_DEG = 1e-5  # ~1 m: every output coordinate lies on this grid
GRID_DECIMALS = 5
M_PER_DEG = 111_320.0  # metres per degree of latitude (and of longitude at the equator)

#: Sites behind the line on the Ukrainian side. The MFU hubs are hypothetical and the hospitals
#: stand for any hospital of the city (both placed at the city centre); the nuclear power plants
#: are real, at their published coordinates (to about 100 m).
PROTECTED_SITES: tuple[ProtectedSite, ...] = (
    ProtectedSite("MFU hub Kyiv (hypothetical)", shapely.Point(30.5234, 50.4501), 5000.0, "hub"),
    ProtectedSite("MFU hub Lviv (hypothetical)", shapely.Point(24.0297, 49.8397), 5000.0, "hub"),
    ProtectedSite("MFU hub Odesa (hypothetical)", shapely.Point(30.7233, 46.4825), 5000.0, "hub"),
    ProtectedSite("MFU hub Dnipro (hypothetical)", shapely.Point(35.0462, 48.4647), 5000.0, "hub"),
    ProtectedSite("Hospital, Kharkiv", shapely.Point(36.2304, 49.9935), 1000.0, "hospital"),
    ProtectedSite("Hospital, Kramatorsk", shapely.Point(37.5560, 48.7230), 1000.0, "hospital"),
    ProtectedSite(
        "South Ukraine Nuclear Power Plant", shapely.Point(31.2219, 47.8124), 5000.0, "power_plant"
    ),
    ProtectedSite(
        "Khmelnytskyi Nuclear Power Plant", shapely.Point(26.6494, 50.3017), 5000.0, "power_plant"
    ),
)


def _deg(metres: float) -> float:
    return metres / M_PER_DEG


def _deg2(square_metres: float, lat0: float) -> float:
    return square_metres / (M_PER_DEG**2 * math.cos(math.radians(lat0)))


def drop_small(geometry: BaseGeometry, min_area: float) -> BaseGeometry:
    """Drop polygons and holes smaller than ``min_area`` (in the geometry's units squared).

    Examples
    --------
    >>> outer = shapely.box(0, 0, 10, 10).difference(shapely.box(1, 1, 1.1, 1.1))
    >>> cleaned = drop_small(shapely.union(outer, shapely.box(20, 20, 20.1, 20.1)), 0.5)
    >>> cleaned.area, len(cleaned.geoms[0].interiors)
    (100.0, 0)
    """
    polygons = []
    for part in shapely.get_parts(polygonal(geometry)):
        if part.area < min_area:
            continue
        holes = [r for r in part.interiors if shapely.Polygon(r).area >= min_area]
        polygons.append(shapely.Polygon(part.exterior, holes))
    return polygonal(shapely.make_valid(shapely.MultiPolygon(polygons)))


def simplified_lonlat(
    geometry: BaseGeometry, proj: LocalProjection, simplify_m: float, min_area_m2: float
) -> BaseGeometry:
    """Simplify a lon/lat geometry in metres; return it in lon/lat on the ~1 m grid."""
    metric = drop_small(shapely.make_valid(proj.to_metric(geometry)), min_area_m2)
    if simplify_m > 0:
        metric = drop_small(shapely.simplify(metric, simplify_m), min_area_m2)
    return polygonal(shapely.set_precision(proj.to_lonlat(metric), GRID_DEG))


def _slivers(
    rest: BaseGeometry, occupied: BaseGeometry, border: BaseGeometry, width_m: float
) -> BaseGeometry:
    """The rest's long parts thinner than ``width_m`` between the outline and ``occupied``.

    "Long" means touching the outline over at least twice ``width_m``, which spares the corners
    where the line meets the outline (the opening rounds them off too).
    """
    half = _deg(width_m / 2)
    opened = rest.buffer(-half, quad_segs=2).buffer(half, quad_segs=2)
    thin = shapely.get_parts(polygonal(shapely.difference(rest, opened, grid_size=GRID_DEG)))
    eps = 2 * GRID_DEG
    outline = border.boundary
    touching = (shapely.distance(thin, outline) <= eps) & (shapely.distance(thin, occupied) <= eps)
    thin = thin[touching]
    near_outline = outline.buffer(eps, quad_segs=1)
    along = shapely.length(shapely.intersection(shapely.boundary(thin), near_outline))
    return shapely.union_all(thin[along >= 2 * _deg(width_m)], grid_size=GRID_DEG)


def _without_enclaves(
    rest: BaseGeometry, occupied: BaseGeometry, border: BaseGeometry, min_pocket_m2: float
) -> BaseGeometry:
    """The rest without its detached pieces that belong with the occupier.

    A piece nearer the occupier than the rest's main body goes when it opens onto the border's
    outline (a lagoon, an estuary, an island) or is smaller than ``min_pocket_m2``; a real
    pocket surrounded by occupied land stays.
    """
    parts = shapely.get_parts(rest)
    if len(parts) < 2:
        return rest
    main = int(np.argmax(shapely.area(parts)))
    nearer = shapely.distance(parts, occupied) < shapely.distance(parts, parts[main])
    opens = shapely.distance(parts, border.boundary) <= 2 * GRID_DEG
    lat0 = (border.bounds[1] + border.bounds[3]) / 2
    small = shapely.area(parts) < _deg2(min_pocket_m2, lat0)
    drop = nearer & (opens | small)
    drop[main] = False
    return shapely.MultiPolygon(list(parts[~drop]))


def partition_control(
    occupied: BaseGeometry,
    border: BaseGeometry,
    *,
    simplify_m: float = 250.0,
    sliver_m: float = 1000.0,
    min_area_m2: float = 1e5,
    min_pocket_m2: float = 1e6,
) -> tuple[BaseGeometry, BaseGeometry]:
    """Split the border into (rest, occupied) polygons that share their common edge exactly.

    Examples
    --------
    >>> border = shapely.box(30, 46, 34, 50)
    >>> rest, occ = partition_control(shapely.box(32, 45, 35, 51), border)
    >>> round(rest.area, 6), round(occ.area, 6), rest.intersection(occ).area
    (8.0, 8.0, 0.0)
    """
    proj = LocalProjection.centred_on_geometry(border)
    border_ll = simplified_lonlat(border, proj, simplify_m, min_area_m2)
    occ = simplified_lonlat(occupied, proj, simplify_m, min_area_m2)
    occ = polygonal(shapely.intersection(occ, border_ll, grid_size=GRID_DEG))
    occ = drop_small(occ, _deg2(min_area_m2, proj.lat0))
    rest = polygonal(shapely.difference(border_ll, occ, grid_size=GRID_DEG))
    slivers = _slivers(rest, occ, border_ll, sliver_m)
    rest = polygonal(shapely.difference(rest, slivers, grid_size=GRID_DEG))
    rest = _without_enclaves(rest, occ, border_ll, min_pocket_m2)
    occ = polygonal(shapely.difference(border_ll, rest, grid_size=GRID_DEG))
    rest = polygonal(shapely.difference(border_ll, occ, grid_size=GRID_DEG))
    occupier = polygonal(shapely.intersection(border_ll, occ, grid_size=GRID_DEG))
    return rest, occupier


def shared_edge(
    a: BaseGeometry, b: BaseGeometry, *, min_length_m: float = 1000.0
) -> BaseGeometry | None:
    """The common boundary of two adjacent polygons, merged, without pieces under ``min_length_m``.

    Examples
    --------
    >>> edge = shared_edge(shapely.box(30, 46, 32, 50), shapely.box(32, 45, 35, 51))
    >>> edge.wkt
    'MULTILINESTRING ((32 46, 32 50))'
    """
    common = shapely.intersection(a.boundary, b.boundary, grid_size=GRID_DEG)
    lines = [p for p in shapely.get_parts(common) if p.geom_type == "LineString" and not p.is_empty]
    if not lines:
        return None
    merged = shapely.get_parts(shapely.line_merge(shapely.MultiLineString(lines)))
    proj = LocalProjection.centred_on_geometry(shapely.MultiLineString(list(merged)))
    keep = merged[shapely.length(proj.to_metric(merged)) >= min_length_m]
    return shapely.MultiLineString(list(keep)) if len(keep) else None


def build_theatre(
    occupied: BaseGeometry,
    border: BaseGeometry,
    *,
    parties: tuple[Party, Party] = DEFAULT_PARTIES,
    simplify_m: float = 250.0,
    in_force: datetime | None = None,
    withdrawal_km: Mapping[str, float] | None = None,
    withdrawal_days: Mapping[str, int] | None = None,
    buffer_km: float = BUFFER_ZONE_KM,
    protected_sites: Sequence[ProtectedSite] = PROTECTED_SITES,
    min_line_fragment_m: float = 1000.0,
    name: str = "",
    attribution: str = "",
) -> Theatre:
    """Build a theatre from lon/lat geometries: ``parties[1]`` holds ``occupied`` ∩ ``border``.

    Examples
    --------
    >>> theatre = build_theatre(shapely.box(32, 45, 35, 51), shapely.box(30, 46, 34, 50),
    ...                         protected_sites=())
    >>> [a.party for a in theatre.control_areas], round(theatre.contact_line.length, 3)
    (['UA', 'RU'], 4.0)
    >>> [z.name for z in theatre.zones][:2]
    ['Withdrawal zone 15 km (UA)', 'Withdrawal zone 50 km (UA)']
    """
    rest, occ = partition_control(occupied, border, simplify_m=simplify_m)
    areas = (ControlArea(parties[0].id, rest), ControlArea(parties[1].id, occ))
    line = shared_edge(rest, occ, min_length_m=min_line_fragment_m)
    distances = dict(WITHDRAWAL_DISTANCES_KM if withdrawal_km is None else withdrawal_km)
    zones = []
    if line is not None:
        proj = LocalProjection.centred_on_geometry(line)
        territory = shapely.union(rest, occ, grid_size=GRID_DEG)
        zones = withdrawal_zones(line, areas, proj, distances_km=distances, simplify_m=simplify_m)
        zones.append(buffer_zone(line, territory, proj, km=buffer_km, simplify_m=simplify_m))
    days = dict(WITHDRAWAL_DAYS if withdrawal_days is None else withdrawal_days)
    return Theatre(
        parties=tuple(parties),
        control_areas=areas,
        contact_line=line,
        zones=tuple(zones),
        protected_sites=tuple(protected_sites),
        timeline=CeasefireTimeline(in_force=in_force, withdrawal_days=days),
        name=name,
        attribution=attribution,
    )


def read_polygons(path: str | Path) -> BaseGeometry:
    """Union of the Polygon and MultiPolygon features of a GeoJSON file (lon/lat)."""
    file = str(path)
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"cannot read GeoJSON: {exc}", file=file) from exc
    features = data.get("features") if isinstance(data, dict) else None
    if not isinstance(features, list):
        raise InputError("not a GeoJSON FeatureCollection", file=file)
    polygons = []
    for index, feature in enumerate(features, start=1):
        geometry = feature.get("geometry") if isinstance(feature, dict) else None
        if not isinstance(geometry, dict) or geometry.get("type") not in (
            "Polygon",
            "MultiPolygon",
        ):
            continue
        try:
            polygons.append(shapely.make_valid(shape(geometry)))
        except (ValueError, TypeError, AttributeError, shapely.errors.GEOSException) as exc:
            raise InputError(
                f"feature {index}: bad geometry: {exc}", file=file, line=index, column="geometry"
            ) from exc
    if not polygons:
        raise InputError("no Polygon or MultiPolygon features", file=file)
    return polygonal(shapely.union_all(polygons))


def build_theatre_files(
    occupied_path: str | Path,
    border_path: str | Path,
    out_path: str | Path,
    **options: Any,
) -> Theatre:
    """Read the occupied territory and the border (GeoJSON), build and write theatre.geojson.

    ``options`` are passed to :func:`build_theatre`. Coordinates are written with 5 decimals,
    the grid the build puts them on.
    """
    theatre = build_theatre(read_polygons(occupied_path), read_polygons(border_path), **options)
    write_theatre(out_path, theatre, decimals=GRID_DECIMALS)
    return theatre
