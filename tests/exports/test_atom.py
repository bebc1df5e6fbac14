"""The Atom feed of the CAP alerts: parsed back, one entry per public alert, unique ids."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from pathlib import Path

import pytest

from truceline.alerts.message import Alert, AlertStatus, Info, MsgType, Scope, alert_to_xml
from truceline.errors import InputError
from truceline.exports.atom import ATOM_NAMESPACE, entry_id, write_atom

from .conftest import DemoStore

NS = {"a": ATOM_NAMESPACE}
CAP_NS = {"c": "urn:oasis:names:tc:emergency:cap:1.2"}
SENT = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)


def _alert(identifier: str, scope: Scope = Scope.PUBLIC) -> bytes:
    info = Info("en", "Ceasefire violation", "Immediate", "Severe", "Likely", "Shelling", "Details")
    alert = Alert(
        identifier, "alerts@example.org", SENT, AlertStatus.EXERCISE, MsgType.ALERT, scope, (info,),
        restriction="guarantors only" if scope is Scope.RESTRICTED else None,
    )  # fmt: skip
    return alert_to_xml(alert)


@pytest.fixture
def alerts_dir(demo: DemoStore, tmp_path: Path) -> Path:
    target = tmp_path / "alerts"
    shutil.copytree(demo.out_dir / "alerts", target)
    return target


def _feed(path: Path) -> ET.Element:
    root = ET.parse(path).getroot()
    assert root.tag == f"{{{ATOM_NAMESPACE}}}feed"
    return root


def test_one_entry_per_alert_with_unique_ids(alerts_dir: Path, tmp_path: Path) -> None:
    files = sorted(alerts_dir.glob("*.cap.xml"))
    assert files  # the demo's commission stage issues activation alerts
    out = tmp_path / "alerts.atom"
    assert write_atom(out, alerts_dir, base_url="https://example.org/alerts/") == len(files)
    feed = _feed(out)
    entries = feed.findall("a:entry", NS)
    ids = [e.findtext("a:id", namespaces=NS) for e in entries]
    assert len(entries) == len(files) and len(set(ids)) == len(ids)
    assert feed.findtext("a:id", namespaces=NS) == "https://example.org/alerts/alerts.atom"
    hrefs = {e.find("a:link[@rel='alternate']", NS).get("href") for e in entries}  # type: ignore[union-attr]
    assert hrefs == {f"https://example.org/alerts/{f.name}" for f in files}
    for entry in entries:
        content = entry.find("a:content", NS)
        assert content is not None and content.get("type") == "application/cap+xml"
        assert content.get("src") == entry.find("a:link", NS).get("href")  # type: ignore[union-attr]
        assert entry.findtext("a:title", namespaces=NS) and entry.findtext(
            "a:summary", namespaces=NS
        )


def test_entry_fields_come_from_the_cap_message(tmp_path: Path) -> None:
    alerts = tmp_path / "alerts"
    alerts.mkdir()
    (alerts / "one.cap.xml").write_bytes(_alert("truceline:violation:V-1:0"))
    write_atom(tmp_path / "feed.atom", alerts)
    (entry,) = _feed(tmp_path / "feed.atom").findall("a:entry", NS)
    assert entry.findtext("a:id", namespaces=NS) == entry_id(
        "alerts@example.org", "truceline:violation:V-1:0", SENT
    )
    assert entry.findtext("a:updated", namespaces=NS) == "2026-11-23T09:30:00Z"
    assert entry.findtext("a:title", namespaces=NS) == "Shelling"
    assert entry.findtext("a:summary", namespaces=NS) == "Details"
    assert entry.find("a:link", NS).get("href") == "one.cap.xml"  # type: ignore[union-attr]


def test_restricted_alerts_and_copies_are_left_out(tmp_path: Path) -> None:
    alerts = tmp_path / "alerts"
    alerts.mkdir()
    (alerts / "a.cap.xml").write_bytes(_alert("ID-1"))
    (alerts / "a-copy.cap.xml").write_bytes(_alert("ID-1"))
    (alerts / "b.cap.xml").write_bytes(_alert("ID-2", Scope.RESTRICTED))
    (alerts / "notes.txt").write_text("not an alert")
    assert write_atom(tmp_path / "feed.atom", alerts) == 1


def test_an_empty_outbox_is_a_valid_empty_feed(tmp_path: Path) -> None:
    (tmp_path / "alerts").mkdir()
    assert write_atom(tmp_path / "feed.atom", tmp_path / "alerts") == 0
    feed = _feed(tmp_path / "feed.atom")
    assert feed.findall("a:entry", NS) == [] and feed.findtext("a:updated", namespaces=NS)


def test_a_broken_alert_is_named(tmp_path: Path) -> None:
    alerts = tmp_path / "alerts"
    alerts.mkdir()
    (alerts / "bad.cap.xml").write_text("<alert>")
    with pytest.raises(InputError, match=r"bad\.cap\.xml"):
        write_atom(tmp_path / "feed.atom", alerts)
    assert not (tmp_path / "feed.atom").exists()


def test_entry_id_without_a_domain_sender_is_a_stable_uuid_urn() -> None:
    first = entry_id("mechanism", "ID-1", SENT)
    assert first.startswith("urn:uuid:") and first == entry_id("mechanism", "ID-1", SENT)
    assert first != entry_id("mechanism", "ID-2", SENT)
    assert entry_id("ops.example.org", "a b", SENT).endswith(":cap/a%20b")
