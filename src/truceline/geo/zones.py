"""Withdrawal and buffer zones around a contact line, with Minsk-era defaults.

Distances follow the Minsk II Package of Measures (12 Feb 2015, point 2) and the addendum of
29 Sep 2015 on tanks, mortars and artillery under 100 mm. Minsk II words its distances as the
width of a security zone "from each other", reached by both sides withdrawing "by equal
distances"; Truceline's default is stricter and applies each distance on EACH side of the line
(as the project's domain note does). To follow the letter, halve the Minsk II entries::

    build_theatre(..., withdrawal_km={k: v / 2 if v > 15 else v for k, v in
                                      WITHDRAWAL_DISTANCES_KM.items()})
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import shapely
from shapely.geometry.base import BaseGeometry

from truceline.domain.theatre import ControlArea, Zone, ZoneRule
from truceline.geo.projection import LocalProjection

#: Distance (km) from the contact line within which each weapon class is banned.
WITHDRAWAL_DISTANCES_KM: dict[str, float] = {
    # 2015 addendum: tanks, mortars up to 120 mm and artillery under 100 mm.
    "tank": 15.0,
    "mortar_60": 15.0,
    "mortar_82": 15.0,
    "mortar_120": 15.0,
    "artillery_76": 15.0,
    "artillery_85": 15.0,
    # Minsk II: artillery of 100 mm and more (incl. 100 mm anti-tank guns such as MT-12).
    "artillery_100": 50.0,
    "artillery_122": 50.0,
    "artillery_152": 50.0,
    "artillery_203": 50.0,
    # Minsk II: MLRS (BM-21 Grad and similar 122 mm).
    "mlrs_122": 70.0,
    # Minsk II: Uragan (220 mm), Smerch and Tornado-S (300 mm), Tochka / Tochka-U.
    "mlrs_220": 140.0,
    "mlrs_300": 140.0,
    "tochka_u": 140.0,
}

#: Days after entry into force by which each weapon class must be out of its zone.
#: Tanks 15 and mortars / artillery under 100 mm 24 are the stages of the 2015 addendum,
#: counted here from entry into force; the Minsk II heavy weapons get its 14 days.
WITHDRAWAL_DAYS: dict[str, int] = {
    "tank": 15,
    "mortar_60": 24,
    "mortar_82": 24,
    "mortar_120": 24,
    "artillery_76": 24,
    "artillery_85": 24,
    "artillery_100": 14,
    "artillery_122": 14,
    "artillery_152": 14,
    "artillery_203": 14,
    "mlrs_122": 14,
    "mlrs_220": 14,
    "mlrs_300": 14,
    "tochka_u": 14,
}

#: Default half-width (km) of the buffer zone: this far on each side of the line.
BUFFER_ZONE_KM = 2.0
ARC_TOLERANCE_M = 10.0  # how far the chords of a buffer's arcs may fall inside the arc


def group_by_distance(distances_km: Mapping[str, float]) -> dict[float, tuple[str, ...]]:
    """Group weapon classes that share a withdrawal distance, nearest distance first.

    Examples
    --------
    >>> group_by_distance({"tank": 15, "mlrs_122": 70, "mortar_82": 15})
    {15.0: ('mortar_82', 'tank'), 70.0: ('mlrs_122',)}
    """
    groups: dict[float, list[str]] = {}
    for weapon, km in distances_km.items():
        if not km > 0:
            raise ValueError(f"withdrawal distance of {weapon!r} must be positive, got {km!r}")
        groups.setdefault(float(km), []).append(weapon)
    return {km: tuple(sorted(groups[km])) for km in sorted(groups)}


def band_around(
    line: BaseGeometry, km: float, proj: LocalProjection, *, simplify_m: float, grid: float
) -> BaseGeometry:
    """Everything within ``km`` of a lon/lat line, as a lon/lat polygon on the grid.

    The buffer is drawn in the metric projection with arcs exact to 10 m, then simplified by
    ``simplify_m``, so its outer edge is exact to within ``simplify_m`` + 10 m.

    Examples
    --------
    >>> band = band_around(shapely.LineString([(30, 48), (31, 48)]), 10, LocalProjection(30.5, 48),
    ...                    simplify_m=10, grid=1e-5)
    >>> round(band.bounds[1], 2), round(band.bounds[3], 2)
    (47.91, 48.09)
    """
    radius = km * 1000.0
    quad_segs = math.ceil(math.pi / (4 * math.acos(1 - min(ARC_TOLERANCE_M / radius, 1.0))))
    buffered = proj.to_metric(line).buffer(radius, quad_segs=max(quad_segs, 2))
    if simplify_m > 0:
        buffered = shapely.simplify(buffered, simplify_m)
    return shapely.set_precision(proj.to_lonlat(buffered), grid)


def polygonal(geometry: BaseGeometry) -> BaseGeometry:
    """Keep only the polygons of an overlay result (drop collapsed lines and points).

    Examples
    --------
    >>> mixed = shapely.GeometryCollection([shapely.box(0, 0, 1, 1), shapely.Point(5, 5)])
    >>> polygonal(mixed).geom_type
    'MultiPolygon'
    """
    parts = [p for p in shapely.get_parts(geometry) if p.geom_type == "Polygon" and not p.is_empty]
    multi = [
        q for p in shapely.get_parts(geometry) if p.geom_type == "MultiPolygon" for q in p.geoms
    ]
    return shapely.MultiPolygon(parts + multi)


def withdrawal_zones(
    line: BaseGeometry,
    areas: tuple[ControlArea, ...],
    proj: LocalProjection,
    *,
    distances_km: Mapping[str, float] = WITHDRAWAL_DISTANCES_KM,
    simplify_m: float = 250.0,
    grid: float = 1e-5,
) -> list[Zone]:
    """One withdrawal zone per party and distance: its area within that distance of the line.

    Examples
    --------
    >>> ua = ControlArea("UA", shapely.box(30, 47, 31, 49))
    >>> ru = ControlArea("RU", shapely.box(31, 47, 32, 49))
    >>> line = shapely.LineString([(31, 47), (31, 49)])
    >>> zones = withdrawal_zones(line, (ua, ru), LocalProjection(31, 48),
    ...                          distances_km={"tank": 15, "mlrs_122": 70})
    >>> [(z.name, z.weapon_classes) for z in zones][:2]
    [('Withdrawal zone 15 km (UA)', ('tank',)), ('Withdrawal zone 70 km (UA)', ('mlrs_122',))]
    """
    zones = []
    bands = {
        km: band_around(line, km, proj, simplify_m=simplify_m, grid=grid)
        for km in group_by_distance(distances_km)
    }
    for area in areas:
        for km, weapons in group_by_distance(distances_km).items():
            geometry = polygonal(shapely.intersection(area.geometry, bands[km], grid_size=grid))
            if geometry.is_empty:
                continue
            zones.append(
                Zone(
                    name=f"Withdrawal zone {km:g} km ({area.party})",
                    rule=ZoneRule.WITHDRAWAL,
                    geometry=geometry,
                    weapon_classes=weapons,
                    party=area.party,
                )
            )
    return zones


def buffer_zone(
    line: BaseGeometry,
    territory: BaseGeometry,
    proj: LocalProjection,
    *,
    km: float = BUFFER_ZONE_KM,
    simplify_m: float = 250.0,
    grid: float = 1e-5,
) -> Zone:
    """The buffer zone: the territory within ``km`` of the line on either side.

    Examples
    --------
    >>> zone = buffer_zone(shapely.LineString([(31, 47), (31, 49)]), shapely.box(30, 47, 32, 49),
    ...                    LocalProjection(31, 48))
    >>> zone.name, zone.rule.value, round(zone.geometry.bounds[0], 3)
    ('Buffer zone (2 km each side)', 'buffer', 30.973)
    """
    band = band_around(line, km, proj, simplify_m=min(simplify_m, km * 50.0), grid=grid)
    geometry = polygonal(shapely.intersection(territory, band, grid_size=grid))
    return Zone(name=f"Buffer zone ({km:g} km each side)", rule=ZoneRule.BUFFER, geometry=geometry)
