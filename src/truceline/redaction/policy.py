"""Who may see where the mechanism's observers and sensors are, and who they are (pure).

A :class:`RedactionPolicy` is chosen per audience (the public, a party's liaison, a guarantor,
the mechanism's staff) and per publication (API and dashboard, reports, exports, alerts, the
transparency log). It says, for each kind of protected position, whether it is published
exactly, coarsened to a grid cell centre or withheld; whether identities (sensor ids, source
ids, report ids, user names) are withheld or replaced by pseudonyms; and whether free text is
screened. Event positions are the mechanism's findings and are never in its scope.
docs/source-protection.md describes the table of :func:`policy_for`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from types import MappingProxyType

from truceline.errors import InputError


class Audience(StrEnum):
    """Who reads an output."""

    PUBLIC = "public"
    PARTY_LIAISON = "party_liaison"
    GUARANTOR = "guarantor"
    STAFF = "staff"  # the mechanism's monitors, analysts and commissioners: everything


class Publication(StrEnum):
    """Where an output goes."""

    API = "api"  # the HTTP API and the dashboard's data
    REPORT = "report"  # daily and thematic reports (HTML and PDF)
    EXPORT = "export"  # open data: GeoJSON, HXL, KML, GeoPackage, ACLED, UCDP
    ALERT = "alert"  # CAP alerts and their Atom feed
    LOG = "log"  # the transparency log: append-only, never corrected


class Protected(StrEnum):
    """Kinds of position that can give away a source."""

    SENSOR = "sensor"  # a sensor station
    OBSERVER = "observer"  # where a monitor team, a UAV or a camera stood
    SOURCE_REPORT = "source_report"  # a location reported by a monitor, UAV, camera or OSINT
    COMPLAINT = "complaint"  # a location in a party's complaint


class Placement(StrEnum):
    EXACT = "exact"
    COARSEN = "coarsen"  # snapped to the centre of a grid cell
    WITHHOLD = "withhold"


class Naming(StrEnum):
    EXACT = "exact"
    PSEUDONYM = "pseudonym"  # a keyed hash: stable, but does not reveal the id
    WITHHOLD = "withhold"  # a plain label such as "monitor team"


PRESETS = ("standard", "strict", "off")
DEFAULT_GRID_M = 5000.0
POLICY_SETTING = "TRUCELINE_REDACTION_POLICY"
GRID_SETTING = "TRUCELINE_REDACTION_GRID_M"
NAMES_SETTING = "TRUCELINE_REDACTION_NAMES_FILE"


@dataclass(frozen=True)
class PositionRule:
    """What becomes of one kind of protected position."""

    placement: Placement
    grid_m: float = DEFAULT_GRID_M


EXACT_RULE = PositionRule(Placement.EXACT)
WITHHOLD_RULE = PositionRule(Placement.WITHHOLD)


@dataclass(frozen=True)
class RedactionPolicy:
    """The rules of one audience and publication."""

    audience: Audience
    publication: Publication
    positions: Mapping[Protected, PositionRule]
    naming: Naming
    screen_text: bool
    pseudonym_key: str = field(default="", repr=False)
    names: frozenset[str] = frozenset()  # known names to screen beyond those of the store

    def rule(self, kind: Protected) -> PositionRule:
        """The rule of ``kind`` (withheld when the policy does not mention it)."""
        return self.positions.get(kind, WITHHOLD_RULE)

    @property
    def is_exact(self) -> bool:
        """True when the policy changes nothing (staff, or redaction turned off)."""
        exact = all(self.rule(k).placement == Placement.EXACT for k in Protected)
        return exact and self.naming == Naming.EXACT and not self.screen_text


@dataclass(frozen=True)
class RedactionSettings:
    """The validated redaction settings (see :func:`redaction_settings`)."""

    preset: str = "standard"
    grid_m: float = DEFAULT_GRID_M
    pseudonym_key: str = field(default="", repr=False)
    names: frozenset[str] = frozenset()


def check_redaction_settings(
    preset: str, grid_m: float, *, environment: str = "development"
) -> None:
    """Raise InputError naming the setting when the preset or the grid is not usable.

    >>> check_redaction_settings("standard", 5000.0)
    >>> check_redaction_settings("standard", 0.0)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    truceline.errors.InputError: ...: grid size must be > 0 m, not 0.0
    """
    if preset not in PRESETS:
        raise InputError(
            f"unknown redaction policy {preset!r}; choose one of {', '.join(PRESETS)}",
            column=POLICY_SETTING,
        )
    if not math.isfinite(grid_m) or grid_m <= 0:
        raise InputError(f"grid size must be > 0 m, not {grid_m}", column=GRID_SETTING)
    if preset == "off" and environment == "production":
        raise InputError("redaction cannot be turned off in production", column=POLICY_SETTING)


def read_names_file(path: Path | None) -> frozenset[str]:
    """Names to withhold, one per line (``#`` starts a comment); none without a file."""
    if path is None:
        return frozenset()
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read the names file ({exc})", file=str(path),
                         column=NAMES_SETTING) from None  # fmt: skip
    return frozenset(n for line in lines if (n := line.split("#", 1)[0].strip()))


def audience_of_role(role: str) -> Audience:
    """The audience of an API role (staff roles see everything, a sensor feed too little).

    >>> [audience_of_role(r).value for r in ("analyst", "party_liaison", "sensor_feed")]
    ['staff', 'party_liaison', 'public']
    """
    if role in ("monitor", "analyst", "commissioner"):
        return Audience.STAFF
    if role in (Audience.PARTY_LIAISON, Audience.GUARANTOR):
        return Audience(role)
    return Audience.PUBLIC


def policy_for(
    audience: Audience, publication: Publication, config: RedactionSettings | None = None
) -> RedactionPolicy:
    """The policy of one audience and publication under the configured preset.

    >>> p = policy_for(Audience.PUBLIC, Publication.EXPORT)
    >>> p.rule(Protected.OBSERVER), p.naming.value
    (PositionRule(placement=<Placement.COARSEN: 'coarsen'>, grid_m=5000.0), 'withhold')
    >>> policy_for(Audience.STAFF, Publication.API).is_exact
    True
    """
    config = config or RedactionSettings()
    check_redaction_settings(config.preset, config.grid_m)
    if audience == Audience.STAFF or config.preset == "off":
        return RedactionPolicy(audience, publication, _all(EXACT_RULE), Naming.EXACT, False)
    positions = _positions(audience, publication, config)
    naming = Naming.PSEUDONYM if audience == Audience.GUARANTOR else Naming.WITHHOLD
    return RedactionPolicy(
        audience, publication, positions, naming, True, config.pseudonym_key, config.names
    )


def _positions(
    audience: Audience, publication: Publication, config: RedactionSettings
) -> Mapping[Protected, PositionRule]:
    """The position rules of a non-staff audience."""
    if config.preset == "strict" or publication == Publication.LOG:
        # The log can never be corrected: nothing protected goes into it, even coarsened.
        return _all(WITHHOLD_RULE)
    coarse = PositionRule(Placement.COARSEN, config.grid_m)
    if audience == Audience.PARTY_LIAISON:
        # A party is who the monitors most need protecting from: it gets no observer or
        # sensor position at all, only the coarse place of a reported observation.
        return MappingProxyType(
            {
                Protected.SENSOR: WITHHOLD_RULE,
                Protected.OBSERVER: WITHHOLD_RULE,
                Protected.SOURCE_REPORT: coarse,
                Protected.COMPLAINT: coarse,
            }
        )
    return _all(coarse)


def _all(rule: PositionRule) -> Mapping[Protected, PositionRule]:
    return MappingProxyType(dict.fromkeys(Protected, rule))
