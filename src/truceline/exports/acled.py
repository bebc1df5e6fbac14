"""An ACLED-compatible CSV of the violations: ACLED's columns, in ACLED's order.

ACLED (Armed Conflict Location & Event Data) codes political violence events by type and
actor. Each located violation becomes one row; the mapping and what is left empty (admin
units, place names, ACLED's actor codes, fatalities, which we do not record) are documented
in docs/exports.md. The rows are ACLED-shaped, not ACLED data: ``source`` says who made them.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from truceline.domain import ViolationType
from truceline.exports.files import write_atomically
from truceline.exports.public import OpenData, PublicFeature, features_by_id

ACLED_COLUMNS = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2",
    "admin3", "location", "latitude", "longitude", "geo_precision", "source", "source_scale",
    "notes", "fatalities", "tags", "timestamp",
)  # fmt: skip

POLITICAL_VIOLENCE = "Political violence"
STRATEGIC = "Strategic developments"
REMOTE = "Explosions/Remote violence"
SHELLING = "Shelling/artillery/missile attack"
# Violation type -> (disorder_type, event_type, sub_event_type), from ACLED's codebook.
ACLED_TYPES: dict[str, tuple[str, str, str]] = {
    ViolationType.FIRE_ACROSS_LINE: (POLITICAL_VIOLENCE, REMOTE, SHELLING),
    ViolationType.FIRE_AT_PROTECTED_SITE: (POLITICAL_VIOLENCE, REMOTE, SHELLING),
    ViolationType.WEAPON_IN_WITHDRAWAL_ZONE: (STRATEGIC, STRATEGIC, "Change to group/activity"),
    ViolationType.BUFFER_ZONE_INCURSION: (STRATEGIC, STRATEGIC, "Change to group/activity"),
    ViolationType.ACCESS_DENIED: (STRATEGIC, STRATEGIC, "Other"),
    ViolationType.MISSING_WEAPON: (STRATEGIC, STRATEGIC, "Other"),
}
DEFAULT_SOURCE = "Truceline ceasefire monitoring and verification mechanism"


@dataclass(frozen=True)
class Country:
    """The country of the theatre, as the feeds code it (empty when not given)."""

    name: str = ""
    iso: int | None = None  # ISO 3166-1 numeric (ACLED ``iso``), e.g. 804 for Ukraine
    gw_code: int | None = None  # Gleditsch-Ward number (UCDP ``country_id``), e.g. 369
    region: str = ""  # e.g. "Europe"


def geo_precision(err_major_m: float | None) -> int:
    """ACLED geo_precision from the error ellipse: 1 within 1 km, 2 within 25 km, else 3.

    A violation without an ellipse (resting on a located report) is given 2.

    >>> geo_precision(40.0), geo_precision(5_000.0), geo_precision(None), geo_precision(9e4)
    (1, 2, 2, 3)
    """
    if err_major_m is None:
        return 2
    if err_major_m <= 1_000.0:
        return 1
    return 2 if err_major_m <= 25_000.0 else 3


def target_party(violation: PublicFeature, events: Mapping[str, PublicFeature]) -> str | None:
    """The party on the receiving end: who controls where the fire landed (else None)."""
    event = events.get(violation.text("event_id") or "")
    if event is None:
        return None
    if event.text("kind") == "launch":
        event = events.get(event.text("paired_event_id") or "")
    target = event.text("party_control") if event is not None else None
    return target if target != violation.text("party") else None


def _ellipse_major(violation: PublicFeature, events: Mapping[str, PublicFeature]) -> float | None:
    event = events.get(violation.text("event_id") or "")
    return event.real("err_major_m") if event is not None else None


def acled_row(
    data: OpenData,
    violation: PublicFeature,
    events: Mapping[str, PublicFeature],
    *,
    country: Country,
    generated: datetime,
    source: str,
) -> dict[str, str]:
    """One ACLED row for a located violation."""
    when = violation.time()
    vtype = violation.text("type") or ""
    disorder, event_type, sub_type = ACLED_TYPES.get(vtype, (STRATEGIC, STRATEGIC, "Other"))
    party, target = violation.text("party"), target_party(violation, events)
    row = dict.fromkeys(ACLED_COLUMNS, "")
    row.update(
        event_id_cnty=violation.text("violation_id") or "",
        event_date=when.date().isoformat(),
        year=str(when.year),
        time_precision="1",  # the day is known (the time is known to the second)
        disorder_type=disorder,
        event_type=event_type,
        sub_event_type=sub_type,
        actor1=data.party_name(party) if party else "",
        actor2=data.party_name(target) if target else "",
        iso="" if country.iso is None else str(country.iso),
        region=country.region,
        country=country.name,
        latitude=f"{violation.lat:.5f}",
        longitude=f"{violation.lon:.5f}",
        geo_precision=str(geo_precision(_ellipse_major(violation, events))),
        source=source,
        source_scale="Other",
        notes=f"{violation.text('summary')}. Truceline violation {violation.text('violation_id')}.",
        fatalities="0",  # ACLED's value when none are reported; we record none
        tags=f"severity={violation.text('severity')}",
        timestamp=str(int(generated.timestamp())),
    )
    return row


def acled_rows(
    data: OpenData, *, country: Country, generated: datetime, source: str = DEFAULT_SOURCE
) -> list[dict[str, str]]:
    """ACLED rows for every located violation (an unlocated one cannot be an ACLED event)."""
    events = features_by_id(data.events, "event_id")
    return [
        acled_row(data, v, events, country=country, generated=generated, source=source)
        for v in data.violations.features
        if v.located
    ]


def rows_to_csv(columns: tuple[str, ...], rows: list[dict[str, str]]) -> str:
    """CSV text with the header and the rows (RFC 4180 line ends)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def write_acled_csv(path: Path, data: OpenData, *, country: Country, generated: datetime) -> int:
    """Write the ACLED-compatible CSV atomically; the number of rows is returned."""
    rows = acled_rows(data, country=country, generated=generated)
    write_atomically(path, rows_to_csv(ACLED_COLUMNS, rows).encode("utf-8"))
    return len(rows)
