"""CAP XML details, and proof that the schema check rejects broken alerts."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta, timezone

import pytest
import xmlschema

from tests.alerts.conftest import SENT, make_event, make_violation
from truceline.alerts.cap import violation_alert
from truceline.alerts.message import (
    Alert,
    AlertStatus,
    Circle,
    Info,
    MsgType,
    Scope,
    alert_to_xml,
    check_cap_token,
    format_cap_time,
    format_circle,
    format_polygon,
    read_reference,
)
from truceline.errors import InputError

KYIV = timezone(timedelta(hours=2))


@pytest.fixture(scope="module")
def good_document() -> str:
    alert = violation_alert(make_violation(), sent=SENT, event=make_event(), restricted=True)
    return alert_to_xml(alert).decode("utf-8")


def is_valid(schema: xmlschema.XMLSchema, document: str) -> bool:
    return bool(schema.is_valid(io.BytesIO(document.encode("utf-8"))))


def test_the_unbroken_alert_is_valid(cap_schema: xmlschema.XMLSchema, good_document: str) -> None:
    assert is_valid(cap_schema, good_document)  # the control for every broken copy below


@pytest.mark.parametrize(
    ("what", "old", "new"),
    [
        ("fractional seconds", "10:00:12-00:00</sent>", "10:00:12.345-00:00</sent>"),
        ("Z for UTC", "10:00:12-00:00</sent>", "10:00:12Z</sent>"),
        ("no offset", "10:00:12-00:00</sent>", "10:00:12</sent>"),
        ("unknown severity", "<severity>Severe<", "<severity>Grave<"),
        ("unknown urgency", "<urgency>Immediate<", "<urgency>Now<"),
        ("unknown certainty", "<certainty>Likely<", "<certainty>Sure<"),
        ("unknown category", "<category>Security<", "<category>War<"),
        ("unknown status", "<status>Actual<", "<status>Real<"),
        ("unknown scope", "<scope>Restricted<", "<scope>Secret<"),
        ("unknown msgType", "<msgType>Alert<", "<msgType>Notice<"),
        ("unknown responseType", "<responseType>Monitor<", "<responseType>Watch<"),
        ("missing identifier", "<identifier>truceline:violation:V-1:0</identifier>", ""),
        (
            "missing event",
            "<event>Ceasefire violation: fire across the line of contact</event>",
            "",
        ),
        (
            "wrong namespace",
            "urn:oasis:names:tc:emergency:cap:1.2",
            "urn:oasis:names:tc:emergency:cap:1.1",
        ),
        ("order: severity before urgency", "<urgency>Immediate</urgency>", ""),
        ("unexpected element", "<scope>", "<colour>red</colour><scope>"),
    ],
)
def test_schema_rejects_a_broken_alert(
    cap_schema: xmlschema.XMLSchema, good_document: str, what: str, old: str, new: str
) -> None:
    assert old in good_document, what
    broken = good_document.replace(old, new, 1)
    if what.startswith("order"):  # put urgency back, after severity
        broken = broken.replace("</severity>", "</severity><urgency>Immediate</urgency>", 1)
    assert not is_valid(cap_schema, broken), what


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (datetime(2026, 11, 22, 10, 0, tzinfo=UTC), "2026-11-22T10:00:00-00:00"),
        (datetime(2026, 11, 22, 10, 0, 0, 999999, tzinfo=UTC), "2026-11-22T10:00:00-00:00"),
        (datetime(2026, 11, 22, 12, 0, tzinfo=KYIV), "2026-11-22T12:00:00+02:00"),
        (
            datetime(2026, 11, 22, 12, 0, tzinfo=timezone(timedelta(hours=-3, minutes=-30))),
            "2026-11-22T12:00:00-03:30",
        ),
        (  # an offset with seconds cannot be written: the time moves to UTC
            datetime(2026, 11, 22, 12, 0, 30, tzinfo=timezone(timedelta(seconds=30))),
            "2026-11-22T12:00:00-00:00",
        ),
    ],
)
def test_cap_time_format(moment: datetime, expected: str) -> None:
    assert format_cap_time(moment) == expected


def test_cap_time_needs_an_offset() -> None:
    with pytest.raises(InputError, match=r"onset: time .* has no timezone offset"):
        format_cap_time(datetime(2026, 11, 22, 10, 0), "onset")


@pytest.mark.parametrize("token", ["", "a b", "a,b", "a<b", "a&b", "a\tb"])
def test_identifier_tokens_without_forbidden_characters(token: str) -> None:
    with pytest.raises(InputError, match="must be non-empty"):
        check_cap_token(token, "identifier")
    assert check_cap_token("truceline:violation:V-1:0", "identifier")


def test_read_reference_round_trips_an_alert_in_another_offset() -> None:
    alert = violation_alert(make_violation(), sent=datetime(2026, 11, 22, 12, 0, tzinfo=KYIV))
    reference = read_reference(alert_to_xml(alert))
    assert reference == alert.reference
    assert str(reference).endswith(",2026-11-22T12:00:00+02:00")  # as the original wrote it


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (b"not xml", "not an XML document"),
        (b"<feed xmlns='http://www.w3.org/2005/Atom'/>", "not a CAP 1.2 alert"),
        (
            b"<alert xmlns='urn:oasis:names:tc:emergency:cap:1.2'><identifier>x</identifier>"
            b"</alert>",
            "without sender, sent",
        ),
        (
            b"<alert xmlns='urn:oasis:names:tc:emergency:cap:1.2'><identifier>x</identifier>"
            b"<sender>s</sender><sent>yesterday</sent></alert>",
            "is not a date-time",
        ),
    ],
)
def test_read_reference_refuses_what_is_not_an_alert(document: bytes, message: str) -> None:
    with pytest.raises(InputError, match=message):
        read_reference(document)


def test_restricted_without_restriction_and_update_without_references_are_refused() -> None:
    info = Info("en", "e", "Immediate", "Severe", "Likely", "h", "d")
    base = dict(identifier="x", sender="s", sent=SENT, status=AlertStatus.TEST, infos=(info,))
    with pytest.raises(InputError, match="must say who may see it"):
        alert_to_xml(Alert(msg_type=MsgType.ALERT, scope=Scope.RESTRICTED, **base))  # type: ignore[arg-type]
    with pytest.raises(InputError, match="must reference"):
        alert_to_xml(Alert(msg_type=MsgType.UPDATE, scope=Scope.PUBLIC, **base))  # type: ignore[arg-type]


def test_geometry_is_checked() -> None:
    with pytest.raises(InputError, match="at least 3 distinct points"):
        format_polygon([(37.0, 48.0), (37.1, 48.0), (37.0, 48.0)])
    with pytest.raises(InputError, match="not WGS 84"):
        format_polygon([(37.0, 48.0), (37.1, 98.0), (37.2, 48.1)])
    with pytest.raises(InputError, match="radius"):
        format_circle(Circle(37.0, 48.0, -1.0))
    with pytest.raises(InputError, match="not WGS 84"):
        format_circle(Circle(200.0, 48.0, 1.0))
    closed = format_polygon([(37.0, 48.0), (37.1, 48.0), (37.1, 48.1), (37.0, 48.0)])
    assert closed == format_polygon([(37.0, 48.0), (37.1, 48.0), (37.1, 48.1)])
