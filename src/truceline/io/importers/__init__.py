"""Importers for real feeds: UCDP GED, the CIR incidents map, KoboToolbox / ODK exports.

Each turns the feed's own CSV into :class:`~truceline.domain.Report` objects with
deterministic ids derived from the feed's ids, keeps the provenance of every row (the
sidecar of :mod:`~truceline.io.importers.provenance`) and counts every row it leaves out.
"""

from truceline.io.importers.feed import FeedImport, Provenance, Skipped
from truceline.io.importers.kobo import KoboMapping, parse_mapping, read_kobo, read_mapping
from truceline.io.importers.osint_cir import read_cir
from truceline.io.importers.provenance import read_provenance, write_provenance
from truceline.io.importers.ucdp import read_ucdp

__all__ = [
    "FeedImport",
    "KoboMapping",
    "Provenance",
    "Skipped",
    "parse_mapping",
    "read_cir",
    "read_kobo",
    "read_mapping",
    "read_provenance",
    "read_ucdp",
    "write_provenance",
]
