"""Open data: what the mechanism publishes, in the formats other tools read.

``public`` holds the one explicit list of exported fields per layer (events, violations) and
builds the public records every writer takes; ``source`` reads them from the store. Writers:
``geojson`` (RFC 7946), ``hxl`` (CSV with HXL hashtags), ``kml`` (Google Earth), ``gpkg``
(GeoPackage for QGIS), ``acled`` and ``ucdp`` (the two feeds' CSV columns) and ``atom`` (an
Atom feed of the CAP alerts). See docs/exports.md.
"""

from truceline.exports.public import (
    EVENT_FIELDS,
    VIOLATION_FIELDS,
    ExportField,
    OpenData,
    PublicFeature,
    PublicLayer,
    build_open_data,
)

__all__ = [
    "EVENT_FIELDS",
    "VIOLATION_FIELDS",
    "ExportField",
    "OpenData",
    "PublicFeature",
    "PublicLayer",
    "build_open_data",
]
