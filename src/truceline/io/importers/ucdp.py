"""UCDP Georeferenced Event Dataset (GED) CSV -> reports (source_kind ``osint``).

One report per GED event: ``report_id`` ``ucdp-<id>``, ``source_id`` ``ucdp-ged``; time the
middle of ``date_start`` .. ``date_end`` (UTC days) with the sigma of a uniform span
(:func:`~truceline.io.importers.feed.span_time`; ``date_prec`` is kept in the provenance,
the span already says what it means); position ``latitude``/``longitude`` with
``loc_sigma_m`` from ``where_prec`` (:data:`WHERE_PREC_SIGMA_M`); the weapon class named in
the source headlines, if any; a narrative built from the dyad, the place, the deaths and the
headlines. Exact duplicate rows are skipped; an id repeated with other content is refused.
"""

from __future__ import annotations

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
    parse_int_in,
    read_feed_file,
    span_time,
)
from truceline.io.importers.weapons import weapon_from_text

FEED = "ucdp-ged"
ID_PREFIX = "ucdp-"
REQUIRED_COLUMNS = (
    "id",
    "latitude",
    "longitude",
    "where_prec",
    "date_prec",
    "date_start",
    "date_end",
    "type_of_violence",
)

#: One-sigma location error (m) per UCDP ``where_prec`` code (UCDP GED codebook 22.1).
WHERE_PREC_SIGMA_M: dict[int, float] = {
    1: 2_000.0,  # the exact place: a village or town (its extent)
    2: 12_500.0,  # within about 25 km of a known point (25 km taken as two sigma)
    3: 25_000.0,  # a second-order division (raion) only
    4: 75_000.0,  # a first-order division (oblast) only
    5: 100_000.0,  # a part of the country, or along a road, river or border
    6: 300_000.0,  # the country only (the point is its centroid)
    7: 50_000.0,  # international waters or airspace (e.g. "waters off Mariupol")
}

#: ``event_type`` per UCDP ``type_of_violence``.
VIOLENCE_EVENT_TYPES: dict[int, str] = {
    1: "armed_clash",  # state-based conflict
    2: "armed_clash",  # non-state conflict
    3: "attack_on_civilians",  # one-sided violence
}

#: Feed columns kept verbatim in the provenance notes.
_NOTE_COLUMNS = (
    "where_prec",
    "date_prec",
    "date_start",
    "date_end",
    "side_a",
    "side_b",
    "best",
    "low",
    "high",
    "event_clarity",
)


def read_ucdp(path: PathLike) -> FeedImport:
    """Read a UCDP GED CSV into reports; refuse the first malformed row.

    Returns
    -------
    FeedImport
        Reports and provenance in file order; rows without coordinates and exact duplicate
        rows are skipped with their reason.

    Raises
    ------
    InputError
        Naming file, line and column: a bad number, date, code or a reused id.
    """
    feed = read_feed_file(path, REQUIRED_COLUMNS)
    result = FeedImport(FEED, feed.file, feed.sha256, rows=len(feed.rows))
    _, duplicates = first_occurrences(feed.rows, "id")
    first_line: dict[str, int] = {}
    for row in feed.rows:
        ident = row.get("id")
        if not ident:
            raise feed.error("required value is empty", row.line, "id")
        if row.line in duplicates:
            result.skip(row.line, ident, "duplicate row", f"same as line {duplicates[row.line]}")
            continue
        if ident in first_line:
            why = f"id {ident!r} used again with other content (first on line {first_line[ident]})"
            raise feed.error(why, row.line, "id")
        first_line[ident] = row.line
        report = _report(feed, row, ident)
        if report is None:
            result.skip(row.line, ident, "no coordinates")
            continue
        result.add(report, _provenance(feed, row, ident))
    return result


def _report(feed: FeedFile, row: RawRow, ident: str) -> Report | None:
    """The report of one GED row, or None when it has no coordinates."""
    where_prec = parse_int_in(feed, row, "where_prec", 1, 7)
    parse_int_in(feed, row, "date_prec", 1, 5)
    violence = parse_int_in(feed, row, "type_of_violence", 1, 3)
    start, end = parse_date(feed, row, "date_start"), parse_date(feed, row, "date_end")
    if end < start:
        raise feed.error(f"date_end {end} is before date_start {start}", row.line, "date_end")
    deaths = {c: _deaths(feed, row, c) for c in ("best", "low", "high")}
    lat = parse_coordinate(feed, row, "latitude", 90.0)
    lon = parse_coordinate(feed, row, "longitude", 180.0)
    if lat is None or lon is None:
        return None
    when, sigma = span_time(start, end)
    return Report(
        report_id=ID_PREFIX + ident,
        source_id=FEED,
        source_kind=SourceKind.OSINT,
        time=when,
        time_sigma_s=sigma,
        event_type=VIOLENCE_EVENT_TYPES[violence],
        lon=lon,
        lat=lat,
        loc_sigma_m=WHERE_PREC_SIGMA_M[where_prec],
        weapon=weapon_from_text(row.get("source_headline")),
        text=_narrative(row, deaths),
    )


def _deaths(feed: FeedFile, row: RawRow, column: str) -> str:
    """A death count as given (checked to be a whole number when present)."""
    cell = row.get(column)
    if cell and not cell.isdigit():
        raise feed.error(f"not a whole number, got {cell!r}", row.line, column)
    return cell


def _narrative(row: RawRow, deaths: dict[str, str]) -> str:
    place = row.get("where_description") or row.get("where_coordinates")
    if row.get("adm_1"):
        place += f" ({row.get('adm_1')})"
    parts = [f"{row.get('dyad_name') or 'UCDP event'}: {place}"]
    if deaths["best"]:
        parts.append(f"deaths {deaths['best']} (low {deaths['low']}, high {deaths['high']})")
    if row.get("source_headline"):
        parts.append(f"headlines: {row.get('source_headline')}")
    return ". ".join(parts)


def _provenance(feed: FeedFile, row: RawRow, ident: str) -> Provenance:
    notes = "; ".join(f"{c}={row.get(c)}" for c in _NOTE_COLUMNS if row.get(c))
    return Provenance(
        report_id=ID_PREFIX + ident,
        feed=FEED,
        file=feed.file,
        file_sha256=feed.sha256,
        line=row.line,
        original_id=ident,
        sources=row.get("source_article"),
        notes=notes,
    )
