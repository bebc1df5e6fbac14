"""CSV with HXL hashtags (Humanitarian Exchange Language, hxlstandard.org, version 1.1).

The first row names the columns, the second carries one HXL hashtag per column, the data
follow. Hashtags are all from the HXL core dictionary (``#event``, ``#date``, ``#geo``,
``#org``, ``#status``, ``#indicator``, ``#severity``, ``#description``). Attributes are the
standard ones where one says what we mean (``+id``, ``+type``, ``+occurred``, ``+lat``,
``+lon``, ``+code``, ``+num``); HXL lets a publisher add attributes of its own, and the few
we add to tell columns apart are listed in ``CUSTOM_ATTRIBUTES`` (docs/exports.md).
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from truceline.exports.files import write_atomically
from truceline.exports.public import PublicFeature, PublicLayer, format_value

POSITION_TAGS = {"lon": "#geo+lon", "lat": "#geo+lat"}

HXL_TAGS: dict[str, dict[str, str]] = {
    "events": {
        "event_id": "#event+id",
        "time": "#date+occurred",
        "kind": "#event+type",
        "corroboration": "#status+corroboration",
        "party_control": "#org+code+control",
        "p_control": "#indicator+num+control",
        "responsible_party": "#org+code+responsible",
        "p_responsible": "#indicator+num+responsible",
        "err_major_m": "#geo+error+major",
        "err_minor_m": "#geo+error+minor",
        "err_azimuth_deg": "#geo+error+azimuth",
        "paired_event_id": "#event+id+paired",
        **POSITION_TAGS,
    },
    "violations": {
        "violation_id": "#event+id",
        "time": "#date+occurred",
        "type": "#event+type",
        "severity": "#severity",
        "party": "#org+code+responsible",
        "p_party": "#indicator+num+responsible",
        "event_id": "#event+id+evidence",
        "summary": "#description",
        **POSITION_TAGS,
    },
}

# Attributes of ours (HXL 1.1 allows them); every other attribute used is in the dictionary.
CUSTOM_ATTRIBUTES = frozenset(
    {"control", "responsible", "corroboration", "error", "major", "minor", "azimuth"}
    | {"paired", "evidence"}
)
# HXL 1.1 hashtag syntax: a lower-case name, then attributes each introduced by ``+``.
HASHTAG_RE = re.compile(r"#[a-z][a-z0-9_]*(\+[a-z][a-z0-9_]*)*")


def columns(layer: PublicLayer) -> list[str]:
    """Column names: the id and time, the position, then the layer's other fields."""
    names = list(layer.field_names())
    return [*names[:2], "lon", "lat", *names[2:]]


def hashtag_row(layer: PublicLayer) -> list[str]:
    """The HXL row: one hashtag per column (KeyError if a column has none)."""
    tags = HXL_TAGS[layer.name]
    return [tags[name] for name in columns(layer)]


def _cells(feature: PublicFeature, names: list[str]) -> list[str]:
    position = {"lon": feature.lon, "lat": feature.lat}
    return [format_value(position[n] if n in position else feature.values[n]) for n in names]


def layer_to_hxl_csv(layer: PublicLayer) -> str:
    """The layer as CSV text (RFC 4180 line ends) with the HXL hashtag row second."""
    names = columns(layer)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(names)
    writer.writerow(hashtag_row(layer))
    writer.writerows(_cells(f, names) for f in layer.features)
    return buffer.getvalue()


def write_hxl_csv(path: Path, layer: PublicLayer) -> None:
    """Write the layer as an HXL-tagged CSV file, atomically."""
    write_atomically(path, layer_to_hxl_csv(layer).encode("utf-8"))
