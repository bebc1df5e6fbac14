"""CAP 1.2 alerts for serious violations and for guarantee activations (pure).

An alert's identifier is a function of what it reports (``truceline:violation:<id>:<revision>``),
so issuing the same alert twice gives the same identifier, and an update (msgType ``Update``)
gets the next revision and references the message it updates. ``alert_to_xml`` writes it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from urllib.parse import quote, unquote

from truceline.alerts.mapping import (
    activation_response,
    cap_certainty,
    cap_severity,
    cap_urgency,
    finding_certainty,
    is_serious,
)
from truceline.alerts.message import (
    Alert,
    AlertReference,
    AlertStatus,
    Area,
    Circle,
    Info,
    MsgType,
    Scope,
    format_cap_time,
)
from truceline.alerts.texts import (
    ACTIVATION_TEXTS,
    VIOLATION_TEXTS,
    ActivationFacts,
    Facts,
    InfoText,
    ViolationFacts,
    text_for,
)
from truceline.domain.commission import Activation, Commitment, Finding
from truceline.domain.events import Event, Severity, Violation
from truceline.engine.ellipse import CHI2_2DOF_95
from truceline.errors import InputError
from truceline.i18n import LANGUAGES

IDENTIFIER_PREFIX = "truceline"
PARAMETER_PREFIX = "truceline:"
# A circle of this many one-sigma semi-major axes holds the 95 % error ellipse.
CIRCLE_SIGMAS = math.sqrt(CHI2_2DOF_95)


@dataclass(frozen=True)
class AlertPolicy:
    """Who sends alerts, for which violations, in which languages, and how they are marked."""

    sender: str = "alerts@truceline.invalid"  # set to the mechanism's own address or domain
    sender_name: str = "Ceasefire monitoring and verification mechanism"
    min_severity: Severity = Severity.HIGH  # violations below this raise no alert
    status: AlertStatus = AlertStatus.ACTUAL  # Exercise or Test for demo and test data
    languages: tuple[str, ...] = LANGUAGES  # one <info> block each (RFC 3066 codes), in order
    expires_after: timedelta | None = timedelta(hours=24)
    stale_after: timedelta = timedelta(hours=24)  # older violations get urgency Past
    restriction: str = "Commission members and guarantors only; not for publication."
    web: str | None = None
    note: str | None = None  # defaults to a warning when status is not Actual


DEFAULT_POLICY = AlertPolicy()


def alert_identifier(kind: str, object_id: str, revision: int = 0) -> str:
    """The stable identifier of revision ``revision`` of the alert on one object.

    >>> alert_identifier("violation", "V-7, north", 1)
    'truceline:violation:V-7%2C%20north:1'
    """
    if revision < 0:
        raise InputError(f"revision must be >= 0, got {revision}")
    return f"{IDENTIFIER_PREFIX}:{kind}:{quote(object_id, safe='-._~')}:{revision}"


def parse_identifier(identifier: str) -> tuple[str, str, int] | None:
    """(kind, object id, revision) of an identifier made by ``alert_identifier``, else None."""
    parts = identifier.split(":")
    if len(parts) != 4 or parts[0] != IDENTIFIER_PREFIX or not parts[3].isdigit():
        return None
    return parts[1], unquote(parts[2]), int(parts[3])


def next_revision(kind: str, object_id: str, updates: Sequence[AlertReference]) -> int:
    """0 for a first alert; one past the newest revision among the alerts it updates."""
    revisions = []
    for reference in updates:
        parsed = parse_identifier(reference.identifier)
        if parsed is None or parsed[:2] != (kind, object_id):
            raise InputError(
                f"references: {reference.identifier!r} is not an alert on {kind} {object_id!r}"
            )
        revisions.append(parsed[2])
    return max(revisions) + 1 if revisions else 0


def violation_alert(
    violation: Violation,
    *,
    sent: datetime,
    event: Event | None = None,
    policy: AlertPolicy = DEFAULT_POLICY,
    restricted: bool = False,
    updates: Sequence[AlertReference] = (),
    polygon: Sequence[tuple[float, float]] | None = None,
) -> Alert:
    """The CAP alert on one violation, located by its event's 95 % error circle.

    ``restricted`` marks an unpublished or confidential violation (scope Restricted);
    ``updates`` lists the earlier alerts this one updates; ``polygon`` ((lon, lat) points,
    e.g. the zone entered) is added to the area.

    >>> from datetime import UTC, datetime
    >>> from truceline.domain import Severity, Violation, ViolationType
    >>> when = datetime(2026, 11, 22, 9, 30, tzinfo=UTC)
    >>> found = Violation("V-1", ViolationType.FIRE_ACROSS_LINE, Severity.HIGH, when)
    >>> alert = violation_alert(found, sent=when)
    >>> alert.identifier, alert.msg_type.value, alert.infos[0].severity
    ('truceline:violation:V-1:0', 'Alert', 'Severe')
    """
    facts = violation_facts(violation, event)
    age = _aware(sent, "sent") - _aware(violation.time, "violation time")
    shared = Info(
        language="",
        event="",
        urgency=cap_urgency(violation.severity, age, policy.stale_after),
        severity=cap_severity(violation.severity),
        certainty=cap_certainty(facts.p_party, event.corroboration if event else None),
        headline="",
        description="",
        response_types=("Monitor",),
        event_codes=(("truceline:violation_type", violation.type.value),),
        onset=violation.time,
        expires=sent + policy.expires_after if policy.expires_after else None,
        parameters=violation_parameters(facts),
        areas=_violation_areas(facts, polygon),
    )
    infos = _localised(shared, VIOLATION_TEXTS, facts, policy)
    return _envelope("violation", violation.violation_id, sent, policy, restricted, updates, infos)


def serious_violation_alerts(
    violations: Iterable[Violation],
    *,
    sent: datetime,
    events: Mapping[str, Event] | None = None,
    policy: AlertPolicy = DEFAULT_POLICY,
    restricted_ids: frozenset[str] = frozenset(),
) -> list[Alert]:
    """One alert per violation at or above ``policy.min_severity``; the others are skipped."""
    found = events or {}
    return [
        violation_alert(
            violation,
            sent=sent,
            event=found.get(violation.event_id) if violation.event_id else None,
            policy=policy,
            restricted=violation.violation_id in restricted_ids,
        )
        for violation in violations
        if is_serious(violation.severity, policy.min_severity)
    ]


def activation_alert(
    activation: Activation,
    finding: Finding,
    commitment: Commitment,
    *,
    sent: datetime | None = None,
    policy: AlertPolicy = DEFAULT_POLICY,
    restricted: bool = False,
    updates: Sequence[AlertReference] = (),
    area: Area | None = None,
) -> Alert:
    """The CAP notice of an activation (or pending activation) to the public or guarantors.

    ``sent`` defaults to the activation's ``issued_at``; ``area`` (e.g. the theatre) is
    optional because a commitment has no position of its own.
    """
    _check_activation(activation, finding, commitment)
    facts = ActivationFacts(activation, finding, commitment)
    urgency, response = activation_response(activation.status)
    shared = Info(
        language="",
        event="",
        urgency=urgency,
        severity=cap_severity(finding.severity),
        certainty=finding_certainty(finding.standard_of_proof),
        headline="",
        description="",
        response_types=(response,),
        event_codes=(("truceline:activation_status", activation.status.value),),
        onset=finding.decided_at,  # no expiry: it stands until the commission says otherwise
        parameters=activation_parameters(facts),
        areas=(area,) if area is not None else (),
    )
    infos = _localised(shared, ACTIVATION_TEXTS, facts, policy)
    moment = sent if sent is not None else activation.issued_at
    return _envelope(
        "activation", activation.activation_id, moment, policy, restricted, updates, infos
    )


def violation_facts(violation: Violation, event: Event | None) -> ViolationFacts:
    """The violation with its event, attribution (violation first, then event) and circle."""
    if event is not None and violation.event_id != event.event_id:
        raise InputError(
            f"event {event.event_id!r} is not the event of violation {violation.violation_id!r}"
            f" ({violation.event_id!r})"
        )
    party = violation.party or (event.responsible_party if event else None)
    p_party = violation.p_party if violation.party else (event.p_responsible if event else None)
    major_m = event.err_major_m if event is not None else None
    radius_km = CIRCLE_SIGMAS * major_m / 1000.0 if major_m is not None else None
    return ViolationFacts(violation, event, party, p_party, radius_km)


def violation_parameters(facts: ViolationFacts) -> tuple[tuple[str, str], ...]:
    """The Truceline ids and numbers of a violation, as CAP parameters."""
    violation, event = facts.violation, facts.event
    values: list[tuple[str, object]] = [
        ("violation_id", violation.violation_id),
        ("severity", violation.severity.value),
        ("time", format_cap_time(violation.time, "violation time")),
        ("event_id", violation.event_id),
        ("report_id", violation.report_id),
        ("party", facts.party),
        ("p_party", None if facts.p_party is None else f"{facts.p_party:.3f}"),
    ]
    if event is not None:
        values += [
            ("corroboration", event.corroboration.value),
            ("err_major_m", event.err_major_m),
            ("err_minor_m", event.err_minor_m),
            ("err_azimuth_deg", event.err_azimuth_deg),
        ]
    return _parameters(values)


def activation_parameters(facts: ActivationFacts) -> tuple[tuple[str, str], ...]:
    """The Truceline ids of an activation, its finding and its commitment, as CAP parameters."""
    activation, finding, commitment = facts.activation, facts.finding, facts.commitment
    return _parameters(
        [
            ("activation_id", activation.activation_id),
            ("activation_status", activation.status.value),
            ("finding_id", finding.finding_id),
            ("case_id", finding.case_id),
            ("responsible_party", finding.responsible_party or "not_attributable"),
            ("standard_of_proof", finding.standard_of_proof.value),
            ("commitment_id", commitment.commitment_id),
            ("guarantor", commitment.guarantor),
            ("commitment_kind", commitment.kind),
            ("quantity", f"{commitment.quantity:g} {commitment.unit}"),
            ("ratification_status", commitment.status.value),
        ]
    )


def _parameters(values: Sequence[tuple[str, object]]) -> tuple[tuple[str, str], ...]:
    """Prefixed (name, text) pairs; absent values are left out, floats get 1 decimal."""
    return tuple(
        (PARAMETER_PREFIX + name, f"{value:.1f}" if isinstance(value, float) else str(value))
        for name, value in values
        if value is not None and value != ""
    )


def _violation_areas(
    facts: ViolationFacts, polygon: Sequence[tuple[float, float]] | None
) -> tuple[Area, ...]:
    """The 95 % circle around the position (a point without an ellipse) and any polygon."""
    violation, event = facts.violation, facts.event
    lon = violation.lon if violation.lon is not None else (event.lon if event else None)
    lat = violation.lat if violation.lat is not None else (event.lat if event else None)
    circles: tuple[Circle, ...] = ()
    if lon is not None and lat is not None:
        circles = (Circle(lon, lat, facts.radius_km or 0.0),)
    polygons = (tuple(polygon),) if polygon else ()
    if not circles and not polygons:
        return ()
    return (Area("", circles, polygons),)  # described per language in _localised


def _check_activation(activation: Activation, finding: Finding, commitment: Commitment) -> None:
    if activation.finding_id != finding.finding_id:
        raise InputError(
            f"activation {activation.activation_id!r} is for finding {activation.finding_id!r},"
            f" not {finding.finding_id!r}"
        )
    if activation.commitment_id != commitment.commitment_id:
        raise InputError(
            f"activation {activation.activation_id!r} is for commitment "
            f"{activation.commitment_id!r}, not {commitment.commitment_id!r}"
        )


def _localised(
    shared: Info,
    texts: dict[str, Callable[[Facts], InfoText]],
    facts: Facts,
    policy: AlertPolicy,
) -> tuple[Info, ...]:
    """One <info> per policy language: the shared codes with that language's words."""
    infos = []
    for language in policy.languages:
        text = text_for(texts, language)(facts)
        areas = tuple(
            area if area.description else replace(area, description=text.area_description)
            for area in shared.areas
        )
        infos.append(
            replace(
                shared,
                language=language,
                event=text.event,
                headline=text.headline,
                description=text.description,
                instruction=text.instruction,
                sender_name=policy.sender_name,
                web=policy.web,
                areas=areas,
            )
        )
    return tuple(infos)


def _envelope(
    kind: str,
    object_id: str,
    sent: datetime,
    policy: AlertPolicy,
    restricted: bool,
    updates: Sequence[AlertReference],
    infos: tuple[Info, ...],
) -> Alert:
    revision = next_revision(kind, object_id, updates)
    note = policy.note
    if note is None and policy.status is not AlertStatus.ACTUAL:
        note = f"{policy.status.value}: generated from simulated or test data, not a real alert."
    return Alert(
        identifier=alert_identifier(kind, object_id, revision),
        sender=policy.sender,
        sent=_aware(sent, "sent").replace(microsecond=0),  # as written: whole seconds
        status=policy.status,
        msg_type=MsgType.UPDATE if updates else MsgType.ALERT,
        scope=Scope.RESTRICTED if restricted else Scope.PUBLIC,
        infos=infos,
        restriction=policy.restriction if restricted else None,
        note=note,
        references=tuple(updates),
    )


def _aware(moment: datetime, field_name: str) -> datetime:
    if moment.utcoffset() is None:
        raise InputError(f"{field_name}: time {moment.isoformat()} has no timezone offset")
    return moment
