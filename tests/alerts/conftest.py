"""The official CAP 1.2 schema and small domain records for the alert tests."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import xmlschema

from truceline.domain import (
    Activation,
    ActivationStatus,
    Commitment,
    Corroboration,
    Event,
    EventKind,
    Finding,
    RatificationStatus,
    Severity,
    StandardOfProof,
    Violation,
    ViolationType,
)

CAP_XSD = Path(__file__).parent / "data" / "CAP-v1.2.xsd"
T0 = datetime(2026, 11, 22, 9, 30, 12, 345678, tzinfo=UTC)
SENT = T0 + timedelta(minutes=30)


@pytest.fixture(scope="session")
def cap_schema() -> xmlschema.XMLSchema:
    """The OASIS CAP 1.2 schema shipped with the tests (see data/SOURCE.md)."""
    return xmlschema.XMLSchema(CAP_XSD)


def make_event(**changes: object) -> Event:
    """An impact located by seven sensors, 120 m x 60 m one-sigma, attributed to RU."""
    event = Event(
        event_id="E-1",
        time=T0,
        lon=37.9512,
        lat=48.5803,
        kind=EventKind.IMPACT,
        n_sensors=7,
        err_major_m=120.0,
        err_minor_m=60.0,
        err_azimuth_deg=30.0,
        corroboration=Corroboration.VERIFIED,
        responsible_party="RU",
        p_responsible=0.91,
    )
    return replace(event, **changes)  # type: ignore[arg-type]


def make_violation(**changes: object) -> Violation:
    """Fire across the line from event E-1, high severity."""
    violation = Violation(
        violation_id="V-1",
        type=ViolationType.FIRE_ACROSS_LINE,
        severity=Severity.HIGH,
        time=T0,
        event_id="E-1",
        lon=37.9512,
        lat=48.5803,
        description="Impact 400 m west of the contact line",
    )
    return replace(violation, **changes)  # type: ignore[arg-type]


def make_finding(**changes: object) -> Finding:
    finding = Finding(
        finding_id="F-1",
        case_id="C-1",
        decided_at=T0 + timedelta(days=3),
        responsible_party="RU",
        standard_of_proof=StandardOfProof.CLEAR_AND_CONVINCING,
        severity="critical",
        votes_for=5,
        votes_against=1,
        abstentions=1,
        dissent="One member found the attribution unproven.",
    )
    return replace(finding, **changes)  # type: ignore[arg-type]


def make_commitment(**changes: object) -> Commitment:
    commitment = Commitment(
        commitment_id="K-1",
        guarantor="FR",
        kind="air policing",
        quantity=12,
        unit="aircraft",
        trigger="finding severity >= critical",
        status=RatificationStatus.IN_FORCE,
    )
    return replace(commitment, **changes)  # type: ignore[arg-type]


def make_activation(**changes: object) -> Activation:
    activation = Activation(
        activation_id="A-1",
        commitment_id="K-1",
        guarantor="FR",
        finding_id="F-1",
        status=ActivationStatus.ACTIVATED,
        issued_at=T0 + timedelta(days=3, hours=1),
        reason="Critical finding against RU meets the trigger.",
    )
    return replace(activation, **changes)  # type: ignore[arg-type]
