"""The Centre for Information Resilience incidents CSV -> reports (source_kind ``osint``).

Columns: ``entry, date, event_group, title, brief description, lat, lon, country, province,
district, town/city, arms/munition, violence level, link, geolocation``. One report per row:

- ``report_id`` ``cir-<entry>``; an entry shared by rows of different content (the feed has
  a few, and some rows have no entry) gets ``cir-<entry or noid>-<digest of the row>``; an
  exact duplicate row is skipped.
- time: the ``date`` at noon UTC, ``time_sigma_s`` 24,942 s (a uniform day); a row without
  a date takes the ``dd/mm/yyyy`` that starts its title, or is skipped.
- position ``lat``/``lon``: ``loc_sigma_m`` 250 m when a geolocation link is given, 5 km
  (the settlement) otherwise; a row without coordinates is skipped.
- scope: rows whose country (spelling normalised, the province when the country is empty) is
  not in ``countries`` (default Ukraine, Crimea included) are skipped with the country named.
- ``event_type`` from ``event_group`` (:data:`EVENT_GROUP_TYPES`), the weapon class from the
  munition, title and description; the narrative: title, description, place, munition, links.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from datetime import date

from truceline.domain import Report, SourceKind
from truceline.io.importers.feed import (
    FeedFile,
    FeedImport,
    PathLike,
    Provenance,
    RawRow,
    first_occurrences,
    parse_coordinate,
    parse_date,
    read_feed_file,
    span_time,
)
from truceline.io.importers.weapons import weapon_from_text

FEED = "cir-monitor"
ID_PREFIX = "cir-"
REQUIRED_COLUMNS = ("entry", "date", "event_group", "title", "lat", "lon", "country")
DEFAULT_COUNTRIES = ("Ukraine",)
GEOLOCATED_SIGMA_M = 250.0
SETTLEMENT_SIGMA_M = 5_000.0

#: ``event_type`` by the start of CIR's ``event_group`` (monthly groups share a start).
EVENT_GROUP_TYPES: tuple[tuple[str, str], ...] = (
    ("bombing or explosion", "explosion"),
    ("civilian infrastructure damage", "damage"),
    ("military infrastructure damage", "damage"),
    ("civilian casualty", "casualty"),
    ("russian firing positions", "firing_position"),
    ("russian military presence", "weapon_sighting"),
    ("russian allies presence", "weapon_sighting"),
    ("russian military losses", "equipment_loss"),
    ("ukrainian military losses", "equipment_loss"),
    ("ground battle", "armed_clash"),
    ("munitions", "munition_remnant"),
    ("detentions or arrests", "detention"),
    ("mass grave", "mass_grave"),
)
OTHER_EVENT_TYPE = "other"

#: Spellings of countries met in the feed (lower case) -> the country.
COUNTRY_SPELLINGS: dict[str, str] = {
    "ukraine": "Ukraine",
    "ukrain": "Ukraine",
    "crimea": "Ukraine",
    "russia": "Russia",
    "russa": "Russia",
    "kursk oblast": "Russia",
    "belarus": "Belarus",
    "belaurs": "Belarus",
}
#: Starts of Ukrainian province names, for rows whose country is empty.
UKRAINIAN_PROVINCES = (
    "cherkas", "chernihiv", "chernivt", "crimea", "dnipro", "donetsk", "donbas", "ivano",
    "kharkiv", "khrkiv", "kherson", "khmeln", "kirovohrad", "kropyvnyts", "kyiv", "kiev",
    "luhansk", "lviv", "mykolai", "odes", "poltav", "rivne", "sevastopol", "sumy", "ternop",
    "vinnyts", "volyn", "zakarpat", "zaporiz", "zhytomyr",
)  # fmt: skip
_TITLE_DATE = re.compile(r"\s*(\d{2})/(\d{2})/(\d{4})")


def read_cir(path: PathLike, *, countries: Collection[str] = DEFAULT_COUNTRIES) -> FeedImport:
    """Read the CIR incidents CSV into reports; refuse the first malformed row.

    Parameters
    ----------
    path
        The feed's ``events.csv``.
    countries
        The countries in scope (as normalised: ``Ukraine``, ``Russia``, ``Belarus``, ...).

    Raises
    ------
    InputError
        Naming file, line and column: a bad date or coordinate.
    """
    feed = read_feed_file(path, REQUIRED_COLUMNS)
    scope = {c.strip().lower() for c in countries}
    result = FeedImport(FEED, feed.file, feed.sha256, rows=len(feed.rows))
    per_entry, duplicates = first_occurrences(feed.rows, "entry")
    for row in feed.rows:
        entry = row.get("entry")
        if row.line in duplicates:
            result.skip(row.line, entry, "duplicate row", f"same as line {duplicates[row.line]}")
            continue
        report_id = _report_id(row, entry, shared=per_entry[entry] > 1 or not entry)
        lat = parse_coordinate(feed, row, "lat", 90.0)
        lon = parse_coordinate(feed, row, "lon", 180.0)
        day = _day(feed, row)
        reason = _skip_reason(row, scope, lon, lat, day)
        if reason:
            result.skip(row.line, entry, reason)
            continue
        assert lon is not None and lat is not None and day is not None
        report = _report(row, report_id, lon, lat, day)
        result.add(report, _provenance(feed, row, report_id, entry))
    return result


def _report_id(row: RawRow, entry: str, *, shared: bool) -> str:
    """``cir-<entry>``, or with the row's digest when the entry does not name one row."""
    if not shared:
        return ID_PREFIX + entry
    return f"{ID_PREFIX}{entry or 'noid'}-{row.content_key()}"


def country_of(row: RawRow) -> str:
    """The row's country, spelling normalised; the province decides when it is empty."""
    text = row.get("country")
    if text:
        return COUNTRY_SPELLINGS.get(text.lower(), text)
    province = row.get("province").lower()
    return "Ukraine" if province.startswith(UKRAINIAN_PROVINCES) else ""


def _skip_reason(
    row: RawRow, scope: set[str], lon: float | None, lat: float | None, day: date | None
) -> str | None:
    """Why a valid row is left out (country, coordinates, date), or None."""
    country = country_of(row)
    if not country:
        return "country not given"
    if country.lower() not in scope:
        return f"outside scope: country {country}"
    if lon is None or lat is None:
        return "no coordinates"
    if day is None:
        return "no date"
    return None


def _day(feed: FeedFile, row: RawRow) -> date | None:
    """The row's date, or the title's ``dd/mm/yyyy`` when the date is empty."""
    if row.get("date"):
        return parse_date(feed, row, "date")
    match = _TITLE_DATE.match(row.get("title"))
    if match is None:
        return None
    day, month, year = match.groups()
    return parse_date(feed, row, "title", f"{year}-{month}-{day}")


def event_type_of(group: str) -> str:
    """The ``event_type`` of a CIR ``event_group`` (``other`` when unknown).

    >>> event_type_of("Civilian Infrastructure Damage March 2022"), event_type_of("Other")
    ('damage', 'other')
    """
    lowered = group.strip().lower()
    for start, event_type in EVENT_GROUP_TYPES:
        if lowered.startswith(start):
            return event_type
    return OTHER_EVENT_TYPE


def _report(row: RawRow, report_id: str, lon: float, lat: float, day: date) -> Report:
    when, sigma = span_time(day, day)
    munition = row.get("arms/munition")
    title, description = row.get("title"), row.get("brief description")
    geolocated = bool(row.get("geolocation"))
    return Report(
        report_id=report_id,
        source_id=FEED,
        source_kind=SourceKind.OSINT,
        time=when,
        time_sigma_s=sigma,
        event_type=event_type_of(row.get("event_group")),
        lon=lon,
        lat=lat,
        loc_sigma_m=GEOLOCATED_SIGMA_M if geolocated else SETTLEMENT_SIGMA_M,
        weapon=weapon_from_text(munition, title, description),
        text=_narrative(row),
    )


def _urls(row: RawRow) -> list[str]:
    return [u for u in (row.get("link"), row.get("geolocation")) if u.startswith("http")]


def _narrative(row: RawRow) -> str:
    title, description = row.get("title"), row.get("brief description")
    parts = [title] if description in title else [title, description]
    place = ", ".join(p for p in (row.get("town/city"), row.get("province")) if p)
    if place:
        parts.append(f"place: {place}")
    if row.get("arms/munition"):
        parts.append(f"munition: {row.get('arms/munition')}")
    urls = _urls(row)
    if urls:
        parts.append("sources: " + " ".join(urls))
    return ". ".join(p for p in parts if p)


def _provenance(feed: FeedFile, row: RawRow, report_id: str, entry: str) -> Provenance:
    notes = {
        "event_group": row.get("event_group"),
        "country": row.get("country"),
        "violence_level": row.get("violence level"),
        "link": "" if _urls(row) else row.get("link"),  # e.g. "hidden for privacy reasons"
    }
    return Provenance(
        report_id=report_id,
        feed=FEED,
        file=feed.file,
        file_sha256=feed.sha256,
        line=row.line,
        original_id=entry,
        sources=" ".join(_urls(row)),
        notes="; ".join(f"{k}={v}" for k, v in notes.items() if v),
    )
