"""Withdrawal and buffer zones, and their Minsk-era defaults."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from truceline.domain.theatre import ControlArea, ZoneRule
from truceline.geo.projection import LocalProjection
from truceline.geo.zones import (
    WITHDRAWAL_DAYS,
    WITHDRAWAL_DISTANCES_KM,
    buffer_zone,
    group_by_distance,
    withdrawal_zones,
)

LINE = shapely.LineString([(31.0, 47.0), (31.0, 49.0)])
UA = ControlArea("UA", shapely.box(29.0, 47.0, 31.0, 49.0))
RU = ControlArea("RU", shapely.box(31.0, 47.0, 33.0, 49.0))
PROJ = LocalProjection(31.0, 48.0)


def test_minsk_defaults() -> None:
    km = WITHDRAWAL_DISTANCES_KM
    assert km["tank"] == km["mortar_82"] == km["mortar_120"] == km["artillery_85"] == 15
    assert km["artillery_122"] == km["artillery_152"] == 50
    assert km["mlrs_122"] == 70
    assert km["mlrs_220"] == km["mlrs_300"] == km["tochka_u"] == 140
    assert set(WITHDRAWAL_DAYS) == set(km)
    assert WITHDRAWAL_DAYS["tank"] == 15 and WITHDRAWAL_DAYS["mortar_120"] == 24


def test_group_by_distance_sorts_and_groups() -> None:
    groups = group_by_distance(WITHDRAWAL_DISTANCES_KM)
    assert list(groups) == [15.0, 50.0, 70.0, 140.0]
    assert groups[70.0] == ("mlrs_122",)
    assert "tank" in groups[15.0]
    with pytest.raises(ValueError, match="positive"):
        group_by_distance({"tank": 0})


def test_one_withdrawal_zone_per_party_and_distance() -> None:
    zones = withdrawal_zones(LINE, (UA, RU), PROJ, distances_km={"tank": 15, "mlrs_122": 70})
    assert [(z.party, z.weapon_classes) for z in zones] == [
        ("UA", ("tank",)),
        ("UA", ("mlrs_122",)),
        ("RU", ("tank",)),
        ("RU", ("mlrs_122",)),
    ]
    assert all(z.rule is ZoneRule.WITHDRAWAL for z in zones)


@pytest.mark.parametrize("km", [15.0, 50.0])
def test_withdrawal_zone_is_the_band_within_d_of_the_line(km: float) -> None:
    (ua_zone, ru_zone) = withdrawal_zones(LINE, (UA, RU), PROJ, distances_km={"x": km})
    assert ua_zone.geometry.difference(UA.geometry).area < 1e-9
    assert ru_zone.geometry.difference(RU.geometry).area < 1e-9
    # At the middle latitude, the zone reaches D km from the line and no further.
    lon = np.linspace(29.0, 33.0, 4001)
    lat = np.full_like(lon, 48.0)
    inside = shapely.contains_xy(ua_zone.geometry, lon, lat) | shapely.contains_xy(
        ru_zone.geometry, lon, lat
    )
    x, _ = PROJ.forward(lon[inside], lat[inside])
    assert np.abs(x).max() == pytest.approx(km * 1000, abs=300)


def test_buffer_zone_spans_both_sides() -> None:
    zone = buffer_zone(LINE, shapely.union(UA.geometry, RU.geometry), PROJ, km=2.0)
    assert zone.rule is ZoneRule.BUFFER and zone.party is None and zone.weapon_classes == ()
    lon = np.linspace(30.9, 31.1, 2001)
    inside = shapely.contains_xy(zone.geometry, lon, 48.0)
    x, _ = PROJ.forward(lon[inside], np.full(inside.sum(), 48.0))
    assert x.min() == pytest.approx(-2000, abs=20) and x.max() == pytest.approx(2000, abs=20)
