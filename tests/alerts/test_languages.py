"""Alerts in three languages: one <info> per language (en, uk, ru) with the same codes and
parameters and the words of each language, valid against the CAP 1.2 schema."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET

import xmlschema

from tests.alerts.conftest import (
    SENT,
    make_activation,
    make_commitment,
    make_event,
    make_finding,
    make_violation,
)
from truceline.alerts import CAP_NAMESPACE, activation_alert, alert_to_xml, violation_alert

NS = {"cap": CAP_NAMESPACE}
SHARED = ("cap:urgency", "cap:severity", "cap:certainty", "cap:eventCode/cap:value", "cap:onset")


def infos(schema: xmlschema.XMLSchema, document: bytes) -> list[ET.Element]:
    schema.validate(io.BytesIO(document))
    return ET.fromstring(document).findall("cap:info", NS)


def text(info: ET.Element, path: str) -> str:
    found = info.find(path, NS)
    assert found is not None, path
    return found.text or ""


def shared_fields(info: ET.Element) -> tuple[object, ...]:
    parameters = sorted(
        (text(p, "cap:valueName"), text(p, "cap:value")) for p in info.findall("cap:parameter", NS)
    )
    circles = [c.text for c in info.findall("cap:area/cap:circle", NS)]
    return (*(text(info, path) for path in SHARED), tuple(parameters), tuple(circles))


def test_a_violation_alert_speaks_english_ukrainian_and_russian(
    cap_schema: xmlschema.XMLSchema,
) -> None:
    violation = make_violation(party="RU", p_party=0.97)
    alert = violation_alert(violation, sent=SENT, event=make_event())
    en, uk, ru = infos(cap_schema, alert_to_xml(alert))
    assert [text(i, "cap:language") for i in (en, uk, ru)] == ["en", "uk", "ru"]
    assert shared_fields(en) == shared_fields(uk) == shared_fields(ru)
    assert text(en, "cap:event").startswith("Ceasefire violation: ")
    assert text(uk, "cap:event").startswith("Порушення режиму припинення вогню: ")
    assert text(ru, "cap:event").startswith("Нарушение режима прекращения огня: ")
    assert "приписано стороні RU (майже напевно)" in text(uk, "cap:headline")
    assert "приписано стороне RU (почти наверняка)" in text(ru, "cap:headline")
    assert "(ймовірність 0,97)" in text(uk, "cap:description")
    assert "(probability 0.97)" in text(en, "cap:description")
    assert "коло похибки 95 %" in text(uk, "cap:area/cap:areaDesc")
    assert "Не приближайтесь к району" in text(ru, "cap:instruction")
    assert violation.description in text(ru, "cap:description")  # free text kept as written


def test_an_activation_notice_speaks_the_three_languages(cap_schema: xmlschema.XMLSchema) -> None:
    alert = activation_alert(make_activation(), make_finding(), make_commitment())
    en, uk, ru = infos(cap_schema, alert_to_xml(alert))
    assert shared_fields(en) == shared_fields(uk) == shared_fields(ru)
    assert text(en, "cap:event") == "Guarantee activated"
    assert text(uk, "cap:event") == "Гарантію активовано"
    assert text(ru, "cap:event") == "Гарантия активирована"
    assert "стандарт доказування" in text(uk, "cap:description")
    assert "Виконайте зобов'язання" in text(uk, "cap:instruction")
    assert "(finding F-1)" in text(en, "cap:headline")
    assert "(заключение F-1)" in text(ru, "cap:headline")
