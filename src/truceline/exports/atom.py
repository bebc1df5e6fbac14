"""An Atom 1.0 feed (RFC 4287) of the CAP alerts in the outbox, as public alerting hubs publish.

One entry per ``*.cap.xml`` file, newest first: its id comes from the CAP sender and
identifier, ``updated`` and ``published`` from ``sent``, the title from the first
``<headline>`` (else ``<event>``), the summary from ``<description>``; the entry links to the
file and names it as its content (``application/cap+xml``), so a CAP reader fetches the alert
itself. Alerts with ``scope`` other than Public are left out of a public feed.
"""

from __future__ import annotations

import re
import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

from truceline.alerts.message import CAP_MEDIA_TYPE, CAP_NAMESPACE, read_reference
from truceline.errors import InputError
from truceline.exports.files import write_atomically

ATOM_NAMESPACE = "http://www.w3.org/2005/Atom"
ATOM_MEDIA_TYPE = "application/atom+xml"
ALERT_SUFFIX = ".cap.xml"
# RFC 4151 tag authorities: a DNS name or an e-mail address.
_AUTHORITY = re.compile(r"([A-Za-z0-9._%+-]+@)?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+")


@dataclass(frozen=True)
class AlertEntry:
    """What the feed says of one CAP file."""

    file_name: str
    sender: str
    identifier: str
    sent: datetime
    title: str
    summary: str
    author: str
    event: str


def entry_id(sender: str, identifier: str, sent: datetime) -> str:
    """A permanent IRI for an alert: a tag URI (RFC 4151) minted by its sender when it can be.

    >>> entry_id("alerts@truceline.invalid", "truceline:violation:V-1:0",
    ...          datetime(2026, 11, 22, tzinfo=UTC))
    'tag:alerts@truceline.invalid,2026-11-22:cap/truceline:violation:V-1:0'
    """
    if _AUTHORITY.fullmatch(sender):
        return f"tag:{sender},{sent.date().isoformat()}:cap/{quote(identifier, safe=':@-._~')}"
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'cap:{sender},{identifier}')}"


def _cap(name: str) -> str:
    return f"{{{CAP_NAMESPACE}}}{name}"


def read_alert_entry(path: Path) -> AlertEntry | None:
    """The entry for one CAP file; None for a non-public alert; InputError naming a bad file."""
    try:
        document = path.read_bytes()
        reference = read_reference(document)
        root = ET.fromstring(document)
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", file=str(path)) from None
    except InputError as exc:
        raise InputError(exc.message, file=str(path)) from None
    if root.findtext(_cap("scope")) != "Public":
        return None
    info = root.find(_cap("info"))  # the first language's block
    event = _info_text(info, "event")
    return AlertEntry(
        file_name=path.name,
        sender=reference.sender,
        identifier=reference.identifier,
        sent=reference.sent,
        title=_info_text(info, "headline") or event or reference.identifier,
        summary=_info_text(info, "description"),
        author=_info_text(info, "senderName") or reference.sender,
        event=event,
    )


def _info_text(info: ET.Element | None, name: str) -> str:
    return "" if info is None else (info.findtext(_cap(name)) or "").strip()


def read_alert_entries(alerts_dir: Path) -> list[AlertEntry]:
    """The public alerts of a directory, newest first, each (sender, identifier) once."""
    if not alerts_dir.is_dir():
        raise InputError(f"no alerts directory {alerts_dir}", column="--alerts-dir")
    found: dict[tuple[str, str], AlertEntry] = {}
    for path in sorted(alerts_dir.glob(f"*{ALERT_SUFFIX}")):
        entry = read_alert_entry(path)
        if entry is not None:  # a copy of an alert under another name appears once
            found.setdefault((entry.sender, entry.identifier), entry)
    return sorted(found.values(), key=lambda e: (e.sent, e.identifier), reverse=True)


def _atom_time(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _add(parent: ET.Element, name: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, name, attrs)  # the root declares the Atom namespace
    if text is not None:
        element.text = text
    return element


def _link(base_url: str | None, name: str) -> str:
    return f"{base_url.rstrip('/')}/{quote(name)}" if base_url else quote(name)


def _add_entry(feed: ET.Element, entry: AlertEntry, base_url: str | None) -> None:
    element = _add(feed, "entry")
    _add(element, "id", entry_id(entry.sender, entry.identifier, entry.sent))
    _add(element, "title", entry.title, type="text")
    _add(element, "updated", _atom_time(entry.sent))
    _add(element, "published", _atom_time(entry.sent))
    _add(_add(element, "author"), "name", entry.author)
    if entry.event:
        _add(element, "category", term=entry.event)
    href = _link(base_url, entry.file_name)
    _add(element, "link", rel="alternate", type=CAP_MEDIA_TYPE, href=href)
    _add(element, "summary", entry.summary or entry.title, type="text")
    _add(element, "content", type=CAP_MEDIA_TYPE, src=href)


def alerts_feed(
    entries: list[AlertEntry],
    *,
    feed_name: str,
    base_url: str | None = None,
    title: str = "Truceline: ceasefire alerts (CAP 1.2)",
    now: datetime | None = None,
) -> bytes:
    """The Atom document (UTF-8, with its XML declaration) for the entries given."""
    feed = ET.Element("feed", {"xmlns": ATOM_NAMESPACE})
    senders = sorted({e.sender for e in entries})
    self_link = _link(base_url, feed_name) if base_url else None
    feed_id = (
        self_link or f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'cap-feed:' + ','.join(senders))}"
    )
    _add(feed, "id", feed_id)
    _add(feed, "title", title, type="text")
    latest = max((e.sent for e in entries), default=now or datetime.now(UTC))
    _add(feed, "updated", _atom_time(latest))
    _add(_add(feed, "author"), "name", entries[0].author if entries else "Truceline")
    if self_link:
        _add(feed, "link", rel="self", type=ATOM_MEDIA_TYPE, href=self_link)
    _add(feed, "generator", "Truceline")
    for entry in entries:
        _add_entry(feed, entry, base_url)
    ET.indent(feed)
    body = ET.tostring(feed, encoding="unicode")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n").encode("utf-8")


def write_atom(path: Path, alerts_dir: Path, *, base_url: str | None = None) -> int:
    """Write the feed of the directory's public alerts atomically; the entry count is returned."""
    entries = read_alert_entries(alerts_dir)
    write_atomically(path, alerts_feed(entries, feed_name=path.name, base_url=base_url))
    return len(entries)
