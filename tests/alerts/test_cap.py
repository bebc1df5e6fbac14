"""CAP alerts for violations and activations: valid against the official CAP 1.2 schema."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import timedelta

import pytest
import xmlschema

from tests.alerts.conftest import (
    SENT,
    T0,
    make_activation,
    make_commitment,
    make_event,
    make_finding,
    make_violation,
)
from truceline.alerts import texts
from truceline.alerts.cap import (
    AlertPolicy,
    activation_alert,
    alert_identifier,
    parse_identifier,
    serious_violation_alerts,
    violation_alert,
)
from truceline.alerts.message import (
    CAP_NAMESPACE,
    Alert,
    AlertStatus,
    Area,
    Circle,
    alert_to_xml,
    read_reference,
)
from truceline.domain import ActivationStatus, Severity, StandardOfProof, ViolationType
from truceline.errors import InputError

NS = {"cap": CAP_NAMESPACE}


def valid_document(schema: xmlschema.XMLSchema, alert: Alert) -> ET.Element:
    """The alert's XML, after checking it against the CAP 1.2 schema."""
    document = alert_to_xml(alert)
    schema.validate(io.BytesIO(document))
    return ET.fromstring(document)


def text_of(root: ET.Element, path: str) -> list[str]:
    return [element.text or "" for element in root.findall(path, NS)]


def parameters_of(root: ET.Element) -> dict[str, str]:
    return {
        p.findtext("cap:valueName", "", NS): p.findtext("cap:value", "", NS)
        for p in root.findall("cap:info[1]/cap:parameter", NS)
    }


@pytest.mark.parametrize(
    ("severity", "cap_severity", "urgency"),
    [
        (Severity.LOW, "Minor", "Future"),
        (Severity.MEDIUM, "Moderate", "Expected"),
        (Severity.HIGH, "Severe", "Immediate"),
        (Severity.CRITICAL, "Extreme", "Immediate"),
    ],
)
def test_violation_alert_of_each_severity_is_valid_cap(
    cap_schema: xmlschema.XMLSchema, severity: Severity, cap_severity: str, urgency: str
) -> None:
    alert = violation_alert(make_violation(severity=severity), sent=SENT, event=make_event())
    root = valid_document(cap_schema, alert)
    assert text_of(root, "cap:info[1]/cap:severity") == [cap_severity]
    assert text_of(root, "cap:info[1]/cap:urgency") == [urgency]
    assert text_of(root, "cap:info[1]/cap:category") == ["Security"]
    assert text_of(root, "cap:info/cap:language") == ["en", "uk", "ru"]
    assert text_of(root, "cap:msgType") == ["Alert"]
    assert text_of(root, "cap:scope") == ["Public"]


def test_every_violation_type_yields_a_valid_alert(cap_schema: xmlschema.XMLSchema) -> None:
    for kind in ViolationType:
        alert = violation_alert(make_violation(type=kind), sent=SENT, event=make_event())
        root = valid_document(cap_schema, alert)
        assert text_of(root, "cap:info[1]/cap:eventCode/cap:value") == [kind.value]
        assert "_" not in text_of(root, "cap:info[1]/cap:event")[0]  # words, not the code


def test_alert_is_namespaced_utf8_with_whole_second_offset_times(
    cap_schema: xmlschema.XMLSchema,
) -> None:
    document = alert_to_xml(violation_alert(make_violation(), sent=SENT, event=make_event()))
    assert document.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    root = ET.fromstring(document)
    assert root.tag == f"{{{CAP_NAMESPACE}}}alert"
    assert text_of(root, "cap:sent") == ["2026-11-22T10:00:12-00:00"]  # .345678 s dropped
    assert text_of(root, "cap:info[1]/cap:onset") == ["2026-11-22T09:30:12-00:00"]
    assert text_of(root, "cap:info[1]/cap:expires") == ["2026-11-23T10:00:12-00:00"]


def test_unicode_text_survives_and_validates(cap_schema: xmlschema.XMLSchema) -> None:
    words = "Обстріл біля Часового Яру — «школа» & <лікарня> ✓"
    violation = make_violation(description=words, party="RU", p_party=0.97)
    root = valid_document(cap_schema, violation_alert(violation, sent=SENT))
    assert words in text_of(root, "cap:info[1]/cap:description")[0]


def test_characters_xml_cannot_carry_are_dropped(cap_schema: xmlschema.XMLSchema) -> None:
    violation = make_violation(description="bell\x07 and null\x00 here", report_id="R\x0b-1")
    root = valid_document(cap_schema, violation_alert(violation, sent=SENT))
    assert "bell and null here" in text_of(root, "cap:info[1]/cap:description")[0]
    assert parameters_of(root)["truceline:report_id"] == "R-1"


def test_circle_is_the_95_percent_error_circle_of_the_event(
    cap_schema: xmlschema.XMLSchema,
) -> None:
    root = valid_document(
        cap_schema, violation_alert(make_violation(), sent=SENT, event=make_event())
    )
    # 120 m one-sigma semi-major axis x sqrt(chi2 95 %, 2 dof) = 2.4477 x 120 m = 0.294 km
    assert text_of(root, "cap:info[1]/cap:area/cap:circle") == ["48.58030,37.95120 0.294"]
    assert "95 %" in text_of(root, "cap:info[1]/cap:area/cap:areaDesc")[0]


def test_position_without_ellipse_is_a_point(cap_schema: xmlschema.XMLSchema) -> None:
    root = valid_document(cap_schema, violation_alert(make_violation(), sent=SENT))
    assert text_of(root, "cap:info[1]/cap:area/cap:circle") == ["48.58030,37.95120 0.000"]


def test_violation_without_position_has_no_area(cap_schema: xmlschema.XMLSchema) -> None:
    violation = make_violation(
        type=ViolationType.ACCESS_DENIED, event_id=None, lon=None, lat=None, report_id="R-9"
    )
    root = valid_document(cap_schema, violation_alert(violation, sent=SENT))
    assert root.findall("cap:info[1]/cap:area", NS) == []
    assert text_of(root, "cap:info[1]/cap:certainty") == ["Unknown"]  # no attribution, no event


def test_polygon_is_added_closed(cap_schema: xmlschema.XMLSchema) -> None:
    zone = [(37.9, 48.5), (38.0, 48.5), (38.0, 48.6), (37.9, 48.6)]
    alert = violation_alert(make_violation(), sent=SENT, event=make_event(), polygon=zone)
    root = valid_document(cap_schema, alert)
    [polygon] = text_of(root, "cap:info[1]/cap:area/cap:polygon")
    points = polygon.split()
    assert len(points) == 5 and points[0] == points[-1] == "48.50000,37.90000"
    assert len(root.findall("cap:info[1]/cap:area/cap:circle", NS)) == 1


def test_attribution_falls_back_to_the_event(cap_schema: xmlschema.XMLSchema) -> None:
    root = valid_document(
        cap_schema, violation_alert(make_violation(), sent=SENT, event=make_event())
    )
    params = parameters_of(root)
    assert params["truceline:party"] == "RU"
    assert params["truceline:p_party"] == "0.910"
    assert params["truceline:violation_id"] == "V-1"
    assert params["truceline:event_id"] == "E-1"
    assert "RU (very likely)" in text_of(root, "cap:info[1]/cap:headline")[0]
    # very likely attribution (Likely) is weaker than the verified event (Observed)
    assert text_of(root, "cap:info[1]/cap:certainty") == ["Likely"]


def test_violation_attribution_wins_over_the_event() -> None:
    violation = make_violation(party="UA", p_party=0.6)
    alert = violation_alert(violation, sent=SENT, event=make_event())
    params = dict(alert.infos[0].parameters)
    assert (params["truceline:party"], params["truceline:p_party"]) == ("UA", "0.600")


def test_unattributed_violation_says_so(cap_schema: xmlschema.XMLSchema) -> None:
    event = make_event(responsible_party=None, p_responsible=None)
    root = valid_document(cap_schema, violation_alert(make_violation(), sent=SENT, event=event))
    assert "not attributed" in text_of(root, "cap:info[1]/cap:headline")[0]
    assert "truceline:party" not in parameters_of(root)
    assert text_of(root, "cap:info[1]/cap:certainty") == ["Observed"]  # verified event


def test_old_violation_has_urgency_past() -> None:
    alert = violation_alert(make_violation(), sent=T0 + timedelta(days=2))
    assert alert.infos[0].urgency == "Past"


def test_same_violation_gives_the_same_alert() -> None:
    first = alert_to_xml(violation_alert(make_violation(), sent=SENT, event=make_event()))
    again = alert_to_xml(violation_alert(make_violation(), sent=SENT, event=make_event()))
    other = violation_alert(make_violation(violation_id="V-2"), sent=SENT)
    assert first == again
    assert read_reference(first).identifier == "truceline:violation:V-1:0"
    assert other.identifier != read_reference(first).identifier


def test_awkward_ids_give_valid_distinct_identifiers(cap_schema: xmlschema.XMLSchema) -> None:
    ids = ["V 1", "V,1", "V<1&", "V:1", "V%201", "В-1"]
    identifiers = set()
    for violation_id in ids:
        alert = violation_alert(make_violation(violation_id=violation_id), sent=SENT)
        valid_document(cap_schema, alert)
        identifiers.add(alert.identifier)
        assert parse_identifier(alert.identifier) == ("violation", violation_id, 0)
    assert len(identifiers) == len(ids)


def test_update_references_the_alert_it_updates(cap_schema: xmlschema.XMLSchema) -> None:
    first = violation_alert(make_violation(), sent=SENT, event=make_event())
    later = SENT + timedelta(hours=2)
    reference = read_reference(alert_to_xml(first))
    assert reference == first.reference
    revised = make_violation(severity=Severity.CRITICAL)
    update = violation_alert(revised, sent=later, event=make_event(), updates=[reference])
    root = valid_document(cap_schema, update)
    assert text_of(root, "cap:msgType") == ["Update"]
    assert text_of(root, "cap:identifier") == ["truceline:violation:V-1:1"]
    assert text_of(root, "cap:references") == [
        "alerts@truceline.invalid,truceline:violation:V-1:0,2026-11-22T10:00:12-00:00"
    ]
    second = violation_alert(revised, sent=later, updates=[reference, update.reference])
    assert second.identifier == "truceline:violation:V-1:2"
    assert len(text_of(valid_document(cap_schema, second), "cap:references")[0].split()) == 2


def test_update_of_another_objects_alert_is_refused() -> None:
    other = violation_alert(make_violation(violation_id="V-2"), sent=SENT)
    with pytest.raises(InputError, match="not an alert on violation 'V-1'"):
        violation_alert(make_violation(), sent=SENT, updates=[other.reference])


def test_restricted_alert_names_who_may_see_it(cap_schema: xmlschema.XMLSchema) -> None:
    alert = violation_alert(make_violation(), sent=SENT, restricted=True)
    root = valid_document(cap_schema, alert)
    assert text_of(root, "cap:scope") == ["Restricted"]
    assert text_of(root, "cap:restriction") == [AlertPolicy().restriction]
    public = valid_document(cap_schema, violation_alert(make_violation(), sent=SENT))
    assert public.find("cap:restriction", NS) is None


def test_exercise_alert_is_marked(cap_schema: xmlschema.XMLSchema) -> None:
    policy = AlertPolicy(status=AlertStatus.EXERCISE, sender="demo@mechanism.example")
    root = valid_document(cap_schema, violation_alert(make_violation(), sent=SENT, policy=policy))
    assert text_of(root, "cap:status") == ["Exercise"]
    assert text_of(root, "cap:sender") == ["demo@mechanism.example"]
    assert "not a real alert" in text_of(root, "cap:note")[0]


def test_more_languages_become_more_info_blocks(
    cap_schema: xmlschema.XMLSchema, monkeypatch: pytest.MonkeyPatch
) -> None:
    def ukrainian(facts: texts.ViolationFacts) -> texts.InfoText:
        return replace(texts.english_violation_text(facts), headline="Порушення режиму тиші")

    monkeypatch.setitem(texts.VIOLATION_TEXTS, "uk", ukrainian)
    policy = AlertPolicy(languages=("en", "uk"))
    root = valid_document(cap_schema, violation_alert(make_violation(), sent=SENT, policy=policy))
    assert text_of(root, "cap:info/cap:language") == ["en", "uk"]
    assert text_of(root, "cap:info/cap:headline")[1] == "Порушення режиму тиші"
    severities = text_of(root, "cap:info/cap:severity")
    assert severities == ["Severe", "Severe"]


def test_unknown_language_is_refused() -> None:
    with pytest.raises(InputError, match="no alert text in language 'xx'"):
        violation_alert(make_violation(), sent=SENT, policy=AlertPolicy(languages=("xx",)))


@pytest.mark.parametrize(
    ("field", "value"),
    [("sent", SENT.replace(tzinfo=None)), ("time", T0.replace(tzinfo=None))],
)
def test_times_without_offset_are_refused(field: str, value: object) -> None:
    violation = make_violation(time=value) if field == "time" else make_violation()
    sent = value if field == "sent" else SENT
    with pytest.raises(InputError, match="no timezone offset"):
        violation_alert(violation, sent=sent)  # type: ignore[arg-type]


def test_event_of_another_violation_is_refused() -> None:
    with pytest.raises(InputError, match="is not the event of violation"):
        violation_alert(make_violation(), sent=SENT, event=make_event(event_id="E-9"))


def test_sender_with_spaces_is_refused() -> None:
    alert = violation_alert(make_violation(), sent=SENT, policy=AlertPolicy(sender="the mission"))
    with pytest.raises(InputError, match="sender 'the mission'"):
        alert_to_xml(alert)


def test_only_serious_violations_raise_alerts() -> None:
    violations = [
        make_violation(violation_id=f"V-{severity.value}", severity=severity)
        for severity in Severity
    ]
    events = {"E-1": make_event()}
    default = serious_violation_alerts(violations, sent=SENT, events=events)
    assert [a.identifier for a in default] == [
        "truceline:violation:V-high:0",
        "truceline:violation:V-critical:0",
    ]
    assert all(a.infos[0].areas[0].circles[0].radius_km > 0 for a in default)  # event found
    everything = serious_violation_alerts(
        violations,
        sent=SENT,
        policy=AlertPolicy(min_severity=Severity.LOW),
        restricted_ids=frozenset({"V-low"}),
    )
    assert len(everything) == 4
    assert [a.scope.value for a in everything] == ["Restricted", "Public", "Public", "Public"]


@pytest.mark.parametrize(
    ("status", "urgency", "response"),
    [
        (ActivationStatus.ACTIVATED, "Immediate", "Execute"),
        (ActivationStatus.PENDING_RATIFICATION, "Future", "Prepare"),
        (ActivationStatus.LAPSED, "Past", "AllClear"),
    ],
)
def test_activation_alert_is_valid_cap(
    cap_schema: xmlschema.XMLSchema, status: ActivationStatus, urgency: str, response: str
) -> None:
    alert = activation_alert(
        make_activation(status=status), make_finding(), make_commitment(), restricted=True
    )
    root = valid_document(cap_schema, alert)
    assert text_of(root, "cap:identifier") == ["truceline:activation:A-1:0"]
    assert text_of(root, "cap:sent") == ["2026-11-25T10:30:12-00:00"]  # the activation's time
    assert text_of(root, "cap:scope") == ["Restricted"]
    assert text_of(root, "cap:info[1]/cap:urgency") == [urgency]
    assert text_of(root, "cap:info[1]/cap:responseType") == [response]
    assert text_of(root, "cap:info[1]/cap:severity") == ["Extreme"]  # finding severity critical
    assert text_of(root, "cap:info[1]/cap:certainty") == ["Observed"]  # clear and convincing
    params = parameters_of(root)
    assert params["truceline:finding_id"] == "F-1"
    assert params["truceline:commitment_id"] == "K-1"
    assert params["truceline:case_id"] == "C-1"
    assert params["truceline:guarantor"] == "FR"
    assert params["truceline:activation_status"] == status.value
    description = text_of(root, "cap:info[1]/cap:description")[0]
    assert "One member found the attribution unproven." in description


def test_activation_with_area_and_update(cap_schema: xmlschema.XMLSchema) -> None:
    area = Area("Donetsk oblast, line of contact", circles=(Circle(37.8, 48.0, 25.0),))
    pending = activation_alert(
        make_activation(status=ActivationStatus.PENDING_RATIFICATION),
        make_finding(),
        make_commitment(),
        area=area,
    )
    promoted = activation_alert(
        make_activation(),
        make_finding(),
        make_commitment(),
        sent=SENT + timedelta(days=10),
        updates=[pending.reference],
        area=area,
    )
    root = valid_document(cap_schema, promoted)
    assert text_of(root, "cap:msgType") == ["Update"]
    assert text_of(root, "cap:info[1]/cap:area/cap:areaDesc") == [area.description]
    assert text_of(root, "cap:identifier") == ["truceline:activation:A-1:1"]


def test_not_attributable_finding_and_lower_proof(cap_schema: xmlschema.XMLSchema) -> None:
    finding = make_finding(
        responsible_party=None, standard_of_proof=StandardOfProof.REASONABLE_GROUNDS
    )
    root = valid_document(
        cap_schema, activation_alert(make_activation(), finding, make_commitment())
    )
    assert parameters_of(root)["truceline:responsible_party"] == "not_attributable"
    assert text_of(root, "cap:info[1]/cap:certainty") == ["Possible"]


def test_activation_of_another_finding_or_commitment_is_refused() -> None:
    with pytest.raises(InputError, match="is for finding 'F-1', not 'F-2'"):
        activation_alert(make_activation(), make_finding(finding_id="F-2"), make_commitment())
    with pytest.raises(InputError, match="is for commitment 'K-1', not 'K-2'"):
        activation_alert(make_activation(), make_finding(), make_commitment(commitment_id="K-2"))


def test_identifier_round_trips() -> None:
    assert parse_identifier(alert_identifier("activation", "A 1/x", 3)) == (
        "activation",
        "A 1/x",
        3,
    )
    assert parse_identifier("someone-else:42") is None
    with pytest.raises(InputError):
        alert_identifier("violation", "V-1", -1)
