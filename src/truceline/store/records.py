"""What the store returns besides domain objects: write results, runs, stored theatres."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class AddResult:
    """How many records of a write were stored now and how many were already there.

    A record repeated within one batch counts once as new and then as existing, so
    ``new + existing`` is always the number of records given.
    """

    new: int = 0
    existing: int = 0

    @property
    def total(self) -> int:
        return self.new + self.existing

    def __add__(self, other: AddResult) -> AddResult:
        return AddResult(new=self.new + other.new, existing=self.existing + other.existing)


@dataclass(frozen=True)
class Run:
    """Provenance of one analysis run: what went in, with which parameters, which code.

    ``input_hashes`` maps an input's name (e.g. ``arrivals.csv``) to its SHA-256;
    ``parameters`` holds JSON values (tuples come back as lists).
    """

    run_id: str
    started_at: datetime
    code_version: str
    input_hashes: dict[str, str] = field(default_factory=dict)
    parameters: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class StoredTheatre:
    """A theatre as stored: its GeoJSON text verbatim and the SHA-256 of its UTF-8 bytes."""

    name: str
    geojson: str
    sha256: str
    created_at: datetime
