"""What may be published: one explicit list of exported fields per layer, and nothing else.

Every exporter (GeoJSON, HXL CSV, KML, GeoPackage, ACLED and UCDP CSV) writes only the
:class:`PublicLayer` built here. Reports never leave the mechanism: their text, their source
ids and the observers' positions carry who watched from where. Events keep no arrival or
report ids (arrival ids name sensors); a violation's free-text ``description`` is replaced by
a wording built from its public fields (the rules' descriptions may name a source or a report).

The redaction policy (docs/source-protection.md) is applied where the data is read
(:func:`truceline.exports.source.load_open_data`): a violation resting on a report is placed
at that report's location coarsened (or withheld) by the public export policy, and every
format follows, because the writers know no other fields or positions than the layer's own.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import Enum, StrEnum

from truceline.alerts.mapping import estimative_phrase
from truceline.domain import Event, Theatre, Violation, ViolationType
from truceline.io.timefmt import format_time

Value = str | float | datetime | None


class FieldKind(StrEnum):
    TEXT = "text"
    REAL = "real"
    TIME = "time"


@dataclass(frozen=True)
class ExportField:
    """One exported column or property: its name, type and meaning."""

    name: str
    kind: FieldKind
    description: str


T, R, D = FieldKind.TEXT, FieldKind.REAL, FieldKind.TIME

EVENT_FIELDS: tuple[ExportField, ...] = (
    ExportField("event_id", T, "unique id of the event"),
    ExportField("time", D, "origin time, UTC"),
    ExportField("kind", T, "launch, impact or unknown"),
    ExportField("corroboration", T, "single_source, corroborated or verified"),
    ExportField("party_control", T, "party whose control area holds the position"),
    ExportField("p_control", R, "probability that the true position is in that area"),
    ExportField("responsible_party", T, "party that fired (for an impact: of its launch)"),
    ExportField("p_responsible", R, "probability behind responsible_party"),
    ExportField("err_major_m", R, "one-sigma error ellipse: semi-major axis, metres"),
    ExportField("err_minor_m", R, "one-sigma error ellipse: semi-minor axis, metres"),
    ExportField("err_azimuth_deg", R, "azimuth of the major axis, degrees from north"),
    ExportField("paired_event_id", T, "the launch of an impact, or the impact of a launch"),
)

VIOLATION_FIELDS: tuple[ExportField, ...] = (
    ExportField("violation_id", T, "unique id of the violation"),
    ExportField("time", D, "when it happened, UTC"),
    ExportField("type", T, "the rule broken (fire_across_line, ...)"),
    ExportField("severity", T, "low, medium, high or critical"),
    ExportField("party", T, "party held responsible (empty when not attributable)"),
    ExportField("p_party", R, "probability behind party"),
    ExportField("event_id", T, "the event it rests on (empty when it rests on a report)"),
    ExportField("summary", T, "public wording built from the fields above"),
)

# How a violation type reads in a public summary.
TYPE_WORDS: dict[ViolationType, str] = {
    ViolationType.FIRE_ACROSS_LINE: "Fire across the line of contact",
    ViolationType.WEAPON_IN_WITHDRAWAL_ZONE: "Heavy weapon inside a withdrawal zone",
    ViolationType.BUFFER_ZONE_INCURSION: "Incursion into a buffer zone",
    ViolationType.FIRE_AT_PROTECTED_SITE: "Fire at or near a protected site",
    ViolationType.ACCESS_DENIED: "Monitors denied access",
    ViolationType.MISSING_WEAPON: "Declared weapon missing from its holding area",
}


@dataclass(frozen=True)
class PublicFeature:
    """One exported record: exactly its layer's fields, and a WGS 84 position if public."""

    values: Mapping[str, Value]
    lon: float | None
    lat: float | None

    @property
    def located(self) -> bool:
        return self.lon is not None and self.lat is not None

    def text(self, name: str) -> str | None:
        """A text field's value (None when empty)."""
        value = self.values[name]
        return value if isinstance(value, str) else None

    def real(self, name: str) -> float | None:
        """A numeric field's value (None when empty)."""
        value = self.values[name]
        return float(value) if isinstance(value, float | int) else None

    def time(self, name: str = "time") -> datetime:
        value = self.values[name]
        if not isinstance(value, datetime):
            raise TypeError(f"{name} is not a time")
        return value


@dataclass(frozen=True)
class PublicLayer:
    """A named layer: its field list and its features, in time order."""

    name: str
    fields: tuple[ExportField, ...]
    features: tuple[PublicFeature, ...]

    def field_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)


@dataclass(frozen=True)
class OpenData:
    """Everything an export may hold: the two public layers and, optionally, the theatre."""

    events: PublicLayer
    violations: PublicLayer
    theatre: Theatre | None = None

    def party_name(self, party: str) -> str:
        """The party's name from the theatre, else its id."""
        if self.theatre is not None:
            for p in self.theatre.parties:
                if p.id == party:
                    return p.name
        return party

    def parties(self) -> tuple[str, ...]:
        """Party ids: the theatre's in its order, then any other named by a feature, sorted."""
        known = list(self.theatre.party_ids()) if self.theatre is not None else []
        named = {
            v
            for layer, key in ((self.events, "responsible_party"), (self.violations, "party"))
            for f in layer.features
            if isinstance(v := f.values[key], str)
        }
        return (*known, *sorted(named - set(known)))


def _plain(value: object) -> Value:
    if isinstance(value, Enum):
        return str(value.value)
    if value is None or isinstance(value, str | float | datetime):
        return value
    if isinstance(value, int):
        return float(value)
    raise TypeError(f"cannot export a {type(value).__name__}")


def public_event(event: Event) -> PublicFeature:
    """An event as published: the fields of EVENT_FIELDS and its position."""
    values = {f.name: _plain(getattr(event, f.name)) for f in EVENT_FIELDS}
    return PublicFeature(values, event.lon, event.lat)


def violation_summary(violation: Violation) -> str:
    """Public wording of a violation, from its type, party and probability only.

    >>> from datetime import UTC
    >>> v = Violation("V1", ViolationType.FIRE_ACROSS_LINE, "high", datetime(2026, 1, 1,
    ...     tzinfo=UTC), party="RU", p_party=0.97)
    >>> violation_summary(v)
    'Fire across the line of contact; attributed to RU (almost certain, p = 0.97)'
    """
    words = TYPE_WORDS.get(violation.type, str(violation.type))
    if violation.party is None:
        return f"{words}; not attributed"
    if violation.p_party is None:
        return f"{words}; party: {violation.party}"
    phrase = estimative_phrase(violation.p_party)
    return f"{words}; attributed to {violation.party} ({phrase}, p = {violation.p_party:.2f})"


def public_violation(
    violation: Violation, located_reports: Mapping[str, tuple[float, float]]
) -> PublicFeature:
    """A violation as published; its position is public only when it is not an observer's.

    A violation resting on an event is placed at the event. One resting on a report is placed
    at the report's located observation (``located_reports``: report id -> (lon, lat), what
    was seen), and left unlocated otherwise: the rules fall back to where the observer stood.
    """
    values = {f.name: _plain(getattr(violation, f.name, None)) for f in VIOLATION_FIELDS}
    values["summary"] = violation_summary(violation)
    if violation.event_id is not None:
        return PublicFeature(values, violation.lon, violation.lat)
    lon, lat = located_reports.get(violation.report_id or "", (None, None))
    return PublicFeature(values, lon, lat)


def build_open_data(
    events: Iterable[Event],
    violations: Iterable[Violation],
    *,
    located_reports: Mapping[str, tuple[float, float]] | None = None,
    theatre: Theatre | None = None,
) -> OpenData:
    """The public layers of events and violations (the only input of every exporter)."""
    located = located_reports or {}
    return OpenData(
        PublicLayer("events", EVENT_FIELDS, tuple(public_event(e) for e in events)),
        PublicLayer(
            "violations",
            VIOLATION_FIELDS,
            tuple(public_violation(v, located) for v in violations),
        ),
        theatre,
    )


def features_by_id(layer: PublicLayer, key: str) -> dict[str, PublicFeature]:
    """The layer's features by the value of a text field (e.g. events by ``event_id``)."""
    found = {}
    for feature in layer.features:
        value = feature.text(key)
        if value is not None:
            found[value] = feature
    return found


def format_value(value: Value) -> str:
    """A field's value as text: times in ISO 8601 UTC with ``Z``, empty for None.

    >>> format_value(0.25), format_value(None), format_value("UA")
    ('0.25', '', 'UA')
    """
    if value is None:
        return ""
    if isinstance(value, datetime):
        return format_time(value)
    if isinstance(value, float):
        return repr(value)
    return value


def layer_named(data: OpenData, name: str) -> PublicLayer:
    """``events`` or ``violations`` (KeyError for any other name)."""
    return {layer.name: layer for layer in (data.events, data.violations)}[name]
