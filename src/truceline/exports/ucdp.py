"""A UCDP GED-compatible CSV of the fire violations: the columns of UCDP's GED, in its order.

The Uppsala Conflict Data Program's Georeferenced Event Dataset lists events of organised
violence with at least one death. Only fire violations are violence in its sense (fire across
the line, fire at a protected site); each located one becomes a row. We record no deaths, so
every row has ``best = 0``: the rows have UCDP's shape but fall below its inclusion rule.
UCDP's own conflict, dyad and actor ids are left empty (docs/exports.md lists every column).
"""

from __future__ import annotations

import hashlib
import math
from pathlib import Path

from truceline.domain import ViolationType
from truceline.exports.acled import DEFAULT_SOURCE, Country, rows_to_csv, target_party
from truceline.exports.files import write_atomically
from truceline.exports.public import OpenData, PublicFeature, features_by_id

UCDP_COLUMNS = (
    "id", "relid", "year", "active_year", "code_status", "type_of_violence", "conflict_dset_id",
    "conflict_new_id", "conflict_name", "dyad_dset_id", "dyad_new_id", "dyad_name",
    "side_a_dset_id", "side_a_new_id", "side_a", "side_b_dset_id", "side_b_new_id", "side_b",
    "number_of_sources", "source_article", "source_office", "source_date", "source_headline",
    "source_original", "where_prec", "where_coordinates", "where_description", "adm_1", "adm_2",
    "latitude", "longitude", "geom_wkt", "priogrid_gid", "country", "country_id", "region",
    "event_clarity", "date_prec", "date_start", "date_end", "deaths_a", "deaths_b",
    "deaths_civilians", "deaths_unknown", "best", "high", "low", "gwnoa", "gwnob",
)  # fmt: skip

FIRE_TYPES = frozenset({ViolationType.FIRE_ACROSS_LINE, ViolationType.FIRE_AT_PROTECTED_SITE})
STATE_BASED = "1"  # UCDP type_of_violence 1: state-based armed conflict
DEATH_COLUMNS = ("deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown", "best", "high")


def ucdp_id(violation_id: str) -> int:
    """A stable positive integer for UCDP's numeric ``id`` (48 bits of the id's SHA-256).

    >>> ucdp_id("VIO-1") == ucdp_id("VIO-1") and 0 < ucdp_id("VIO-1") < 2**48
    True
    """
    return int(hashlib.sha256(violation_id.encode("utf-8")).hexdigest()[:12], 16)


def priogrid_gid(lon: float, lat: float) -> int:
    """The PRIO-GRID cell (0.5 degree) holding a point, numbered from (-180, -90) row by row.

    >>> priogrid_gid(30.52333, 50.45)  # Kyiv, as UCDP codes it
    202022
    """
    row = min(math.floor((lat + 90.0) / 0.5), 359)
    col = min(math.floor((lon + 180.0) / 0.5), 719)
    return row * 720 + col + 1


def where_prec(err_major_m: float | None) -> int:
    """UCDP where_prec: 1 exact (within 1 km), 2 within 25 km, else 6 (the country only)."""
    if err_major_m is not None and err_major_m <= 1_000.0:
        return 1
    if err_major_m is None or err_major_m <= 25_000.0:
        return 2
    return 6


def ucdp_row(
    data: OpenData,
    violation: PublicFeature,
    events: dict[str, PublicFeature],
    *,
    country: Country,
    source: str,
) -> dict[str, str]:
    """One UCDP GED row for a located fire violation."""
    vid = violation.text("violation_id") or ""
    day = violation.time().date().isoformat()
    party, target = violation.text("party"), target_party(violation, events)
    side_a = data.party_name(party) if party else ""
    side_b = data.party_name(target) if target else ""
    event = events.get(violation.text("event_id") or "")
    lon, lat = float(violation.lon or 0.0), float(violation.lat or 0.0)
    row = dict.fromkeys(UCDP_COLUMNS, "")
    row.update(
        id=str(ucdp_id(vid)),
        relid=vid,
        year=str(violation.time().year),
        type_of_violence=STATE_BASED,
        dyad_name=f"{side_a} - {side_b}" if side_a and side_b else "",
        side_a=side_a,
        side_b=side_b,
        source_office=source,
        source_date=day,
        source_headline=violation.text("summary") or "",
        where_prec=str(where_prec(event.real("err_major_m") if event else None)),
        latitude=f"{lat:.5f}",
        longitude=f"{lon:.5f}",
        geom_wkt=f"POINT ({lon:.5f} {lat:.5f})",
        priogrid_gid=str(priogrid_gid(lon, lat)),
        country=country.name,
        country_id="" if country.gw_code is None else str(country.gw_code),
        region=country.region,
        event_clarity="1",  # one clearly delimited event, not an aggregate
        date_prec="1",  # the exact day is known
        date_start=day,
        date_end=day,
        low="0",
        **dict.fromkeys(DEATH_COLUMNS, "0"),
    )
    return row


def ucdp_rows(
    data: OpenData, *, country: Country, source: str = DEFAULT_SOURCE
) -> list[dict[str, str]]:
    """UCDP rows for every located fire violation."""
    events = features_by_id(data.events, "event_id")
    return [
        ucdp_row(data, v, events, country=country, source=source)
        for v in data.violations.features
        if v.located and v.text("type") in FIRE_TYPES
    ]


def write_ucdp_csv(path: Path, data: OpenData, *, country: Country) -> int:
    """Write the UCDP GED-compatible CSV atomically; the number of rows is returned."""
    rows = ucdp_rows(data, country=country)
    write_atomically(path, rows_to_csv(UCDP_COLUMNS, rows).encode("utf-8"))
    return len(rows)
