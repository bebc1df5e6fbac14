"""Small, fully populated domain records for the store tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from truceline.domain import (
    Arrival,
    ArrivalLabel,
    Assessment,
    Case,
    CaseStatus,
    Commitment,
    Corroboration,
    Event,
    EventKind,
    Finding,
    RatificationStatus,
    Remedy,
    Report,
    Sensor,
    Severity,
    SourceKind,
    StandardOfProof,
    Violation,
    ViolationType,
    Weather,
)
from truceline.store import Run

T0 = datetime(2026, 3, 1, 4, 12, 33, 123456, tzinfo=UTC)
KYIV = timezone(timedelta(hours=2), "EET")

SENSORS = (
    Sensor("S1", 37.801, 48.015, 180.0, "acoustic", 0.005),
    Sensor("S2", 37.912, 48.102, elev_m=0.0, kind="seismic", clock_sigma_s=0.001),
)

ARRIVALS = (
    Arrival("A1", "S1", T0, ArrivalLabel.LAUNCH, 17.25),
    Arrival("A2", "S2", T0 + timedelta(seconds=1.5), ArrivalLabel.IMPACT, None),
    Arrival("A3", "S1", (T0 + timedelta(seconds=3)).astimezone(KYIV)),
)

WEATHER = (
    Weather(T0, -3.5, 4.2, 270.0),
    Weather(T0 + timedelta(hours=1), -2.0, 6.0, 285.5, sound_speed_sigma_ms=0.4),
)

REPORTS = (
    Report(
        report_id="R1",
        source_id="team-7",
        source_kind=SourceKind.MONITOR,
        time=T0 + timedelta(seconds=9),
        event_type="explosion",
        reliability="A",
        credibility="2",
        time_sigma_s=2.0,
        observer_lon=37.85,
        observer_lat=48.05,
        bearing_deg=135.0,
        bearing_sigma_deg=10.0,
        distance_min_m=3000.0,
        distance_max_m=5000.0,
        lon=37.87,
        lat=48.03,
        loc_sigma_m=250.0,
        count=3,
        assessment=Assessment.INCOMING,
        weapon="artillery_152",
        accused_party="RU",
        text="Three explosions 3-5 km SE; é, ß and 🛰 survive.",
    ),
    Report("R2", "osint-12", SourceKind.OSINT, T0 + timedelta(minutes=5), "burst"),
)

EVENTS = (
    Event(
        event_id="E1",
        time=T0 - timedelta(seconds=4),
        lon=37.86,
        lat=48.04,
        kind=EventKind.LAUNCH,
        n_sensors=2,
        err_major_m=120.5,
        err_minor_m=40.25,
        err_azimuth_deg=33.0,
        arrival_ids=("A1", "A2"),
        report_ids=("R1",),
        corroboration=Corroboration.VERIFIED,
        party_control="RU",
        p_control=0.93,
        responsible_party="RU",
        p_responsible=0.91,
        paired_event_id="E2",
    ),
    Event("E2", T0, 37.9, 48.0, EventKind.IMPACT),
)

VIOLATIONS = (
    Violation(
        violation_id="V1",
        type=ViolationType.FIRE_ACROSS_LINE,
        severity=Severity.HIGH,
        time=T0 - timedelta(seconds=4),
        event_id="E1",
        report_id="R1",
        party="RU",
        p_party=0.91,
        lon=37.86,
        lat=48.04,
        description="Launch from RU-controlled area, impact across the line.",
    ),
    Violation("V2", ViolationType.ACCESS_DENIED, Severity.LOW, T0 + timedelta(hours=2)),
)

CASE = Case(
    case_id="C1",
    title="Shelling near Avdiivka",
    status=CaseStatus.INVESTIGATION,
    opened_at=T0 + timedelta(days=1),
    violation_ids=("V1", "V2"),
    alleged_by="UA",
    accused_party="RU",
)

FINDING = Finding(
    finding_id="F1",
    case_id="C1",
    decided_at=T0 + timedelta(days=9),
    responsible_party="RU",
    standard_of_proof=StandardOfProof.CLEAR_AND_CONVINCING,
    severity="high",
    votes_for=5,
    votes_against=1,
    abstentions=1,
    dissent="One member found the pairing uncertain.",
)

REMEDY = Remedy(
    remedy_id="M1",
    finding_id="F1",
    kind="demand_to_withdraw",
    party="RU",
    due_at=T0 + timedelta(days=10),
    complied_at=(T0 + timedelta(days=10, hours=-3)).astimezone(KYIV),
    description="Withdraw the battery beyond 50 km within 24 hours.",
)

COMMITMENTS = (
    Commitment(
        commitment_id="K1",
        guarantor="FR",
        kind="air_policing",
        quantity=4.0,
        unit="aircraft",
        trigger="finding of armed attack, severity critical",
        status=RatificationStatus.RATIFIED_BY_PARLIAMENT,
        delivered=2.0,
        notes={"vote": "2026-02-11", "chamber": "Assemblée nationale"},
    ),
    Commitment("K2", "UK", "funds", 1.5e9, "GBP", "ceasefire in force"),
)

RUN = Run(
    run_id="run-2026-03-01",
    started_at=T0 + timedelta(hours=6),
    code_version="0.1.0+g1234abc",
    input_hashes={"arrivals.csv": "ab" * 32, "theatre.geojson": "cd" * 32},
    parameters={"max_residual_s": 0.05, "min_sensors": 3, "parties": ["UA", "RU"]},
)

THEATRE_GEOJSON = '{"type": "FeatureCollection", "parties": [{"id": "UA"}], "features": []}\n'
