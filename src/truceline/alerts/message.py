"""CAP 1.2 messages as plain data, and their XML (namespace-qualified, UTF-8).

The element order, cardinalities and value lists follow OASIS CAP 1.2 (2010); the tests check
every message this package builds against the official schema.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from truceline.errors import InputError

CAP_NAMESPACE = "urn:oasis:names:tc:emergency:cap:1.2"
CAP_MEDIA_TYPE = "application/cap+xml"
# CAP 3.2.1: identifier and sender carry no spaces, commas or restricted characters (< and &).
_FORBIDDEN_IN_ID = re.compile(r"[\s,<&]")
# Characters XML 1.0 cannot carry at all (not even escaped): dropped from free text.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'


class AlertStatus(StrEnum):
    ACTUAL = "Actual"
    EXERCISE = "Exercise"  # e.g. the demo: simulated data, no real violation
    TEST = "Test"


class MsgType(StrEnum):
    ALERT = "Alert"
    UPDATE = "Update"


class Scope(StrEnum):
    PUBLIC = "Public"
    RESTRICTED = "Restricted"  # who may see it is said in <restriction>


@dataclass(frozen=True)
class AlertReference:
    """An earlier message: CAP writes it as ``sender,identifier,sent``."""

    sender: str
    identifier: str
    sent: datetime

    def __str__(self) -> str:
        return f"{self.sender},{self.identifier},{format_cap_time(self.sent)}"


@dataclass(frozen=True)
class Circle:
    """A centre (WGS 84 degrees) and a radius in kilometres."""

    lon: float
    lat: float
    radius_km: float


@dataclass(frozen=True)
class Area:
    """An <area>: a description, circles and polygons (rings of (lon, lat) points)."""

    description: str
    circles: tuple[Circle, ...] = ()
    polygons: tuple[tuple[tuple[float, float], ...], ...] = ()


@dataclass(frozen=True)
class Info:
    """One <info> block: everything a recipient reads, in one language."""

    language: str
    event: str
    urgency: str
    severity: str
    certainty: str
    headline: str
    description: str
    instruction: str = ""
    response_types: tuple[str, ...] = ()
    categories: tuple[str, ...] = ("Security",)
    event_codes: tuple[tuple[str, str], ...] = ()
    onset: datetime | None = None
    expires: datetime | None = None
    sender_name: str = ""
    web: str | None = None
    parameters: tuple[tuple[str, str], ...] = ()
    areas: tuple[Area, ...] = ()


@dataclass(frozen=True)
class Alert:
    """A whole CAP <alert>: the envelope and one <info> per language."""

    identifier: str
    sender: str
    sent: datetime
    status: AlertStatus
    msg_type: MsgType
    scope: Scope
    infos: tuple[Info, ...]
    restriction: str | None = None
    note: str | None = None
    references: tuple[AlertReference, ...] = ()

    @property
    def reference(self) -> AlertReference:
        """How a later update refers to this message."""
        return AlertReference(self.sender, self.identifier, self.sent)


def format_cap_time(moment: datetime, field: str = "sent") -> str:
    """A CAP date-time: explicit offset, whole seconds, UTC written ``-00:00`` (CAP 3.3.2).

    >>> format_cap_time(datetime(2026, 11, 22, 10, 0, 0, 750000, tzinfo=UTC))
    '2026-11-22T10:00:00-00:00'
    """
    offset = moment.utcoffset()
    if offset is None:
        raise InputError(f"{field}: time {moment.isoformat()} has no timezone offset")
    if offset % timedelta(minutes=1):
        moment = moment.astimezone(UTC)  # CAP offsets are whole minutes
    text = moment.replace(microsecond=0).isoformat()
    return text[:-6] + "-00:00" if moment.utcoffset() == timedelta(0) else text


def check_cap_token(value: str, field: str) -> str:
    """``value`` if it is a valid CAP identifier/sender (non-empty; no space, comma, < or &)."""
    if not value or _FORBIDDEN_IN_ID.search(value):
        raise InputError(f"{field} {value!r} must be non-empty, without spaces, commas, < or &")
    return value


def alert_to_xml(alert: Alert) -> bytes:
    """The alert as a UTF-8 CAP 1.2 document with the XML declaration."""
    root = _element("alert")
    _add(root, "identifier", check_cap_token(alert.identifier, "identifier"))
    _add(root, "sender", check_cap_token(alert.sender, "sender"))
    _add(root, "sent", format_cap_time(alert.sent))
    _add(root, "status", alert.status.value)
    _add(root, "msgType", alert.msg_type.value)
    _add(root, "scope", alert.scope.value)
    _add_restriction(root, alert)
    _add(root, "note", alert.note)
    _add_references(root, alert)
    for info in alert.infos:
        _add_info(root, info)
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode", default_namespace=CAP_NAMESPACE)
    return (XML_DECLARATION + body + "\n").encode("utf-8")


def read_reference(document: bytes) -> AlertReference:
    """The sender, identifier and sent time of an issued CAP 1.2 document (to update it)."""
    try:
        root = ET.fromstring(document)
    except ET.ParseError as exc:
        raise InputError(f"not an XML document: {exc}") from exc
    if root.tag != _qualified("alert"):
        raise InputError(f"not a CAP 1.2 alert: root element {root.tag!r}")
    values = {name: root.findtext(_qualified(name)) for name in ("sender", "identifier", "sent")}
    missing = [name for name, value in values.items() if not value]
    if missing:
        raise InputError(f"CAP alert without {', '.join(missing)}")
    try:
        sent = datetime.fromisoformat(str(values["sent"]))
    except ValueError as exc:
        raise InputError(f"sent: {values['sent']!r} is not a date-time") from exc
    return AlertReference(str(values["sender"]), str(values["identifier"]), sent)


def _qualified(name: str) -> str:
    return f"{{{CAP_NAMESPACE}}}{name}"


def _element(name: str) -> ET.Element:
    return ET.Element(_qualified(name))


def _add(parent: ET.Element, name: str, text: str | None) -> None:
    """Append ``<name>text</name>``; an absent or empty value writes nothing (optional)."""
    if text:
        ET.SubElement(parent, _qualified(name)).text = _NOT_XML.sub("", text)


def _add_restriction(root: ET.Element, alert: Alert) -> None:
    if alert.scope is Scope.RESTRICTED and not alert.restriction:
        raise InputError("a Restricted alert must say who may see it (restriction)")
    _add(root, "restriction", alert.restriction if alert.scope is Scope.RESTRICTED else None)


def _add_references(root: ET.Element, alert: Alert) -> None:
    if alert.msg_type is MsgType.UPDATE and not alert.references:
        raise InputError("an Update must reference the message(s) it updates")
    _add(root, "references", " ".join(str(reference) for reference in alert.references))


def _add_info(root: ET.Element, info: Info) -> None:
    block = ET.SubElement(root, _qualified("info"))
    _add(block, "language", info.language)
    for category in info.categories:
        _add(block, "category", category)
    _add(block, "event", info.event)
    for response in info.response_types:
        _add(block, "responseType", response)
    _add(block, "urgency", info.urgency)
    _add(block, "severity", info.severity)
    _add(block, "certainty", info.certainty)
    _add_pairs(block, "eventCode", info.event_codes)
    if info.onset is not None:
        _add(block, "onset", format_cap_time(info.onset, "onset"))
    if info.expires is not None:
        _add(block, "expires", format_cap_time(info.expires, "expires"))
    _add(block, "senderName", info.sender_name)
    _add(block, "headline", info.headline)
    _add(block, "description", info.description)
    _add(block, "instruction", info.instruction)
    _add(block, "web", info.web)
    _add_pairs(block, "parameter", info.parameters)
    for area in info.areas:
        _add_area(block, area)


def _add_pairs(parent: ET.Element, name: str, pairs: Sequence[tuple[str, str]]) -> None:
    for value_name, value in pairs:
        pair = ET.SubElement(parent, _qualified(name))
        ET.SubElement(pair, _qualified("valueName")).text = _NOT_XML.sub("", value_name)
        ET.SubElement(pair, _qualified("value")).text = _NOT_XML.sub("", value)


def _add_area(block: ET.Element, area: Area) -> None:
    element = ET.SubElement(block, _qualified("area"))
    _add(element, "areaDesc", area.description or "unspecified")
    for ring in area.polygons:
        _add(element, "polygon", format_polygon(ring))
    for circle in area.circles:
        _add(element, "circle", format_circle(circle))


def format_circle(circle: Circle) -> str:
    """CAP circle ``lat,lon radius_km``.

    >>> format_circle(Circle(lon=37.8, lat=48.0, radius_km=1.25))
    '48.00000,37.80000 1.250'
    """
    _check_position(circle.lon, circle.lat)
    if not circle.radius_km >= 0.0:
        raise InputError(f"circle radius must be >= 0 km, got {circle.radius_km}")
    return f"{circle.lat:.5f},{circle.lon:.5f} {circle.radius_km:.3f}"


def format_polygon(ring: Sequence[tuple[float, float]]) -> str:
    """CAP polygon from (lon, lat) points: ``lat,lon`` pairs, closed (first point repeated).

    >>> format_polygon([(37.0, 48.0), (37.1, 48.0), (37.1, 48.1)])
    '48.00000,37.00000 48.00000,37.10000 48.10000,37.10000 48.00000,37.00000'
    """
    points = list(ring)
    if len(points) > 1 and points[0] == points[-1]:
        points.pop()  # closed by the caller already; we close it below
    if len(set(points)) < 3:
        raise InputError(f"a polygon needs at least 3 distinct points, got {len(set(points))}")
    for lon, lat in points:
        _check_position(lon, lat)
    return " ".join(f"{lat:.5f},{lon:.5f}" for lon, lat in [*points, points[0]])


def _check_position(lon: float, lat: float) -> None:
    if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):
        raise InputError(f"position lon={lon}, lat={lat} is not WGS 84 degrees")
