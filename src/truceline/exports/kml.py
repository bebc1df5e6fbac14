"""KML 2.2 (OGC 07-147r2) for Google Earth: a folder per layer, placemarks coloured by party.

Events and violations carry a ``<TimeStamp>`` so Google Earth's time slider plays the day;
their exported fields go into ``<ExtendedData>`` (shown in the balloon). With a theatre, the
line of contact and the control areas (tinted by party) come in folders of their own.
Coordinates are ``lon,lat`` in WGS 84, as KML requires.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from pathlib import Path

from shapely.geometry import LineString, MultiLineString, MultiPolygon, Point, Polygon
from shapely.geometry.base import BaseGeometry

from truceline.domain import Theatre
from truceline.exports.files import write_atomically
from truceline.exports.public import OpenData, PublicFeature, PublicLayer, format_value

KML_NAMESPACE = "http://www.opengis.net/kml/2.2"
KML_MEDIA_TYPE = "application/vnd.google-earth.kml+xml"
# Colours as KML writes them: aabbggrr (alpha, blue, green, red).
PALETTE = ("ffb4771f", "ff2827d6", "ff2ca02c", "ff0e7fff", "ffbd6794", "ff4b568c")
UNATTRIBUTED = "unattributed"
GREY = "ff7f7f7f"
ICON = "http://maps.google.com/mapfiles/kml/shapes/shaded_dot.png"
VIOLATION_ICON = "http://maps.google.com/mapfiles/kml/shapes/caution.png"
AREA_ALPHA = "40"  # a quarter opaque: the map shows through the control areas
LAYER_TITLES = {"events": "Events", "violations": "Violations"}
PARTY_KEYS = {"events": "responsible_party", "violations": "party"}


def _element(parent: ET.Element | None, name: str, text: str | None = None) -> ET.Element:
    # Plain tags under a root that declares the default namespace (ElementTree's
    # default_namespace option refuses the unqualified attributes KML uses).
    element = ET.Element(name) if parent is None else ET.SubElement(parent, name)
    if text is not None:
        element.text = text
    return element


def style_id(kind: str, party: str | None) -> str:
    """The id of a party's style for a kind of placemark (``event``, ``violation``, ``area``).

    >>> style_id("event", "UA"), style_id("area", None)
    ('event-UA', 'area-unattributed')
    """
    slug = re.sub(r"[^A-Za-z0-9_-]", "_", party) if party else UNATTRIBUTED
    return f"{kind}-{slug}"


def party_colours(parties: Iterable[str]) -> dict[str | None, str]:
    """A colour per party, in the order given (cycling the palette); grey for none."""
    colours: dict[str | None, str] = {None: GREY}
    for i, party in enumerate(parties):
        colours[party] = PALETTE[i % len(PALETTE)]
    return colours


def _add_styles(document: ET.Element, colours: dict[str | None, str]) -> None:
    for party, colour in colours.items():
        for kind, icon, scale in (("event", ICON, "0.6"), ("violation", VIOLATION_ICON, "0.9")):
            style = _element(document, "Style")
            style.set("id", style_id(kind, party))
            icon_style = _element(style, "IconStyle")
            _element(icon_style, "color", colour)
            _element(icon_style, "scale", scale)
            _element(_element(icon_style, "Icon"), "href", icon)
        area = _element(document, "Style")
        area.set("id", style_id("area", party))
        line = _element(area, "LineStyle")
        _element(line, "color", colour)
        _element(line, "width", "1.5")
        _element(_element(area, "PolyStyle"), "color", AREA_ALPHA + colour[2:])
    contact = _element(document, "Style")
    contact.set("id", "line-of-contact")
    line = _element(contact, "LineStyle")
    _element(line, "color", "ff000000")
    _element(line, "width", "3")


def _coordinates(coords: Iterable[tuple[float, ...]]) -> str:
    return " ".join(f"{c[0]:.7f},{c[1]:.7f}" for c in coords)


def add_geometry(parent: ET.Element, geometry: BaseGeometry) -> None:
    """Append a shapely geometry as KML (Point, LineString, Polygon, MultiGeometry)."""
    if isinstance(geometry, Point):
        _element(_element(parent, "Point"), "coordinates", _coordinates(geometry.coords))
    elif isinstance(geometry, LineString):
        line = _element(parent, "LineString")
        _element(line, "tessellate", "1")
        _element(line, "coordinates", _coordinates(geometry.coords))
    elif isinstance(geometry, Polygon):
        polygon = _element(parent, "Polygon")
        _element(polygon, "tessellate", "1")
        for boundary, rings in (
            ("outerBoundaryIs", [geometry.exterior]),
            ("innerBoundaryIs", list(geometry.interiors)),
        ):
            for ring in rings:
                linear = _element(_element(polygon, boundary), "LinearRing")
                _element(linear, "coordinates", _coordinates(ring.coords))
    elif isinstance(geometry, MultiLineString | MultiPolygon):
        multi = _element(parent, "MultiGeometry")
        for part in geometry.geoms:
            add_geometry(multi, part)
    else:
        raise ValueError(f"cannot write a {geometry.geom_type} to KML")


def _placemark(folder: ET.Element, layer: PublicLayer, feature: PublicFeature) -> None:
    kind = "event" if layer.name == "events" else "violation"
    mark = _element(folder, "Placemark")
    _element(mark, "name", format_value(feature.values[layer.fields[0].name]))
    if "summary" in feature.values:
        _element(mark, "description", format_value(feature.values["summary"]))
    _element(_element(mark, "TimeStamp"), "when", format_value(feature.time()))
    _element(mark, "styleUrl", "#" + style_id(kind, feature.text(PARTY_KEYS[layer.name])))
    data = _element(mark, "ExtendedData")
    for name, value in feature.values.items():
        field = _element(data, "Data")
        field.set("name", name)
        _element(field, "value", format_value(value))
    add_geometry(mark, Point(feature.lon, feature.lat))


def _layer_folder(document: ET.Element, layer: PublicLayer) -> None:
    folder = _element(document, "Folder")
    _element(folder, "name", LAYER_TITLES[layer.name])
    located = [f for f in layer.features if f.located]
    left_out = len(layer.features) - len(located)
    if left_out:
        _element(folder, "description", f"{left_out} without a public position not shown")
    for feature in located:
        _placemark(folder, layer, feature)


def _theatre_folders(document: ET.Element, theatre: Theatre) -> None:
    if theatre.contact_line is not None:
        folder = _element(document, "Folder")
        _element(folder, "name", "Line of contact")
        mark = _element(folder, "Placemark")
        _element(mark, "name", "Line of contact")
        _element(mark, "styleUrl", "#line-of-contact")
        add_geometry(mark, theatre.contact_line)
    folder = _element(document, "Folder")
    _element(folder, "name", "Control areas")
    names = {p.id: p.name for p in theatre.parties}
    for area in theatre.control_areas:
        mark = _element(folder, "Placemark")
        _element(mark, "name", f"{names.get(area.party, area.party)} ({area.party})")
        _element(mark, "styleUrl", "#" + style_id("area", area.party))
        add_geometry(mark, area.geometry)


def open_data_to_kml(data: OpenData, *, title: str = "Truceline open data") -> bytes:
    """The whole KML document, UTF-8 with its XML declaration."""
    root = _element(None, "kml")
    root.set("xmlns", KML_NAMESPACE)
    document = _element(root, "Document")
    _element(document, "name", title)
    _add_styles(document, party_colours(data.parties()))
    if data.theatre is not None:
        _theatre_folders(document, data.theatre)
    for layer in (data.events, data.violations):
        _layer_folder(document, layer)
    body = ET.tostring(root, encoding="unicode")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n").encode("utf-8")


def write_kml(path: Path, data: OpenData, *, title: str = "Truceline open data") -> None:
    """Write the KML document atomically."""
    write_atomically(path, open_data_to_kml(data, title=title))
