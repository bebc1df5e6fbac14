"""A small world with confidential and published material of two parties and two guarantors.

Every confidential record carries a marker (a unique text) and every visible one is named,
so a response can be searched for what its caller must not see.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from tests.api.conftest import Api
from truceline.api.casework import load_membership
from truceline.app import commission as case_ops
from truceline.app.evidence import add_evidence
from truceline.app.guarantees import activate_for_finding, advance_ratification, record_delivery
from truceline.domain import (
    Case,
    CaseStatus,
    Commitment,
    Event,
    EventKind,
    Finding,
    RatificationStatus,
    Severity,
    StandardOfProof,
    Violation,
    ViolationType,
)
from truceline.domain.commission import EvidenceKind
from truceline.guarantees.ratification import pledge
from truceline.store.analysis import add_events, add_violations
from truceline.store.commission import open_case, record_finding
from truceline.store.guarantees import register_commitment

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)

# What each viewer may see of the markers (the rest it must never see).
MARKERS = {
    "report_monitor": "MARK-REPORT-MONITOR",
    "report_ua": "MARK-REPORT-UA",
    "report_ru": "MARK-REPORT-RU",
    "violation_unpublished": "MARK-VIOLATION-UNPUBLISHED",
    "case_published": "MARK-CASE-DECIDED",
    "case_open": "MARK-CASE-OPEN",
    "case_ua": "MARK-CASE-UA",
    "case_ru": "MARK-CASE-RU",
    "commitment_fr": "MARK-COMMITMENT-FR",
    "commitment_de": "MARK-COMMITMENT-DE",
    "evidence": "MARK-EVIDENCE",
    "event_unpublished": "E-UNPUBLISHED",
    # The routes of issue 6: casework and the guarantors' records.
    "member": "MARK-MEMBER",
    "lock": "MARK-LOCK-HOLDER",
    "remedy_ua": "MARK-REMEDY-UA",
    "remedy_ru": "MARK-REMEDY-RU",
    "ratify_fr": "MARK-RATIFY-FR",
    "ratify_de": "MARK-RATIFY-DE",
    "delivery_fr": "MARK-DELIVERY-FR",
    "delivery_de": "MARK-DELIVERY-DE",
}
PUBLISHED_TEXT = "PUBLISHED-VIOLATION"

VIEWERS = (
    "public",
    "monitor",
    "sensor_feed",
    "analyst",
    "commissioner",
    "liaison_ua",
    "liaison_ru",
    "guarantor_fr",
    "guarantor_de",
)
ROLE_OF = {
    "liaison_ua": "party_liaison",
    "liaison_ru": "party_liaison",
    "guarantor_fr": "guarantor",
    "guarantor_de": "guarantor",
}
BINDING = {
    "liaison_ua": {"party": "UA"},
    "liaison_ru": {"party": "RU"},
    "guarantor_fr": {"state": "FR"},
    "guarantor_de": {"state": "DE"},
}
OWN_MARKERS = {
    "liaison_ua": {"report_ua", "case_ua", "remedy_ua"},
    "liaison_ru": {"report_ru", "case_ru", "remedy_ru"},
    "guarantor_fr": {"commitment_fr", "ratify_fr", "delivery_fr"},
    "guarantor_de": {"commitment_de", "ratify_de", "delivery_de"},
}
STAFF = {"monitor", "analyst", "commissioner"}


def forbidden_markers(viewer: str) -> set[str]:
    """The markers ``viewer`` must never see in any response."""
    if viewer in STAFF:
        return set()
    own = OWN_MARKERS.get(viewer, set())
    return {text for key, text in MARKERS.items() if key not in own}


@dataclass
class World:
    """The seeded world: who is who, and the ids of what was stored."""

    headers: dict[str, dict[str, str]]
    case_ids: dict[str, str]
    finding_id: str
    remedy_ids: dict[str, str]
    commitment_ids: tuple[str, ...]


def build_world(api: Api) -> World:
    """Seed the store: reports of three filers, cases of both parties, a published finding."""
    headers = {"public": {}}
    for viewer in VIEWERS[1:]:
        headers[viewer] = api.user(viewer, ROLE_OF.get(viewer, viewer), **BINDING.get(viewer, {}))
    _file_reports(api, headers)
    case_ids = _seed_cases(api)
    case_ids["ua"] = _allege(api, headers["liaison_ua"], "RU", MARKERS["case_ua"])
    case_ids["ru"] = _allege(api, headers["liaison_ru"], "UA", MARKERS["case_ru"])
    add_evidence(
        api.engine,
        case_id=case_ids["ua"],
        actor="analyst",
        kind=EvidenceKind.LINK,
        target="https://example.org/clip",
        evidence_dir=api.settings.output_dir / "evidence",
        description=MARKERS["evidence"],
    )
    remedy_ids = _seed_casework(api, case_ids["ua"])
    commitment_ids = ("FR-1", "DE-1", *_seed_pledges(api))
    return World(headers, case_ids, "F-1", remedy_ids, commitment_ids)


def _report(report_id: str, text: str, kind: str) -> dict[str, object]:
    return {
        "report_id": report_id,
        "source_id": f"SRC-{report_id}",
        "source_kind": kind,
        "time": "2026-12-01T08:00:00Z",
        "event_type": "explosion",
        "accused_party": "RU",
        "text": text,
    }


def _file_reports(api: Api, headers: dict[str, dict[str, str]]) -> None:
    filings = [
        ("monitor", "R-MON", MARKERS["report_monitor"], "monitor"),
        ("liaison_ua", "R-UA", MARKERS["report_ua"], "party"),
        ("liaison_ru", "R-RU", MARKERS["report_ru"], "party"),
    ]
    for viewer, report_id, text, kind in filings:
        response = api.client.post(
            "/reports", json=[_report(report_id, text, kind)], headers=headers[viewer]
        )
        assert response.status_code == 200, response.text


def _allege(api: Api, headers: dict[str, str], accused: str, title: str) -> str:
    body = {"accused_party": accused, "title": title}
    response = api.client.post("/cases", json=body, headers=headers)
    assert response.status_code == 201, response.text
    case_id: str = response.json()["case_id"]
    return case_id


def _seed_cases(api: Api) -> dict[str, str]:
    events = [
        Event("E-PUBLISHED", T0, 37.8, 48.0, EventKind.LAUNCH, responsible_party="RU"),
        Event(MARKERS["event_unpublished"], T0, 37.9, 48.1, EventKind.LAUNCH),
    ]
    violations = [
        Violation(
            "V-PUB",
            ViolationType.FIRE_ACROSS_LINE,
            Severity.HIGH,
            T0,
            "E-PUBLISHED",
            party="RU",
            lon=37.8,
            lat=48.0,
            description=PUBLISHED_TEXT,
        ),
        Violation(
            "V-UNPUB",
            ViolationType.FIRE_ACROSS_LINE,
            Severity.HIGH,
            T0,
            MARKERS["event_unpublished"],
            party="UA",
            lon=37.9,
            lat=48.1,
            description=MARKERS["violation_unpublished"],
        ),
    ]
    trigger = json.dumps({"responsible_party": "RU", "min_severity": "high"})
    commitments = [
        Commitment(
            "FR-1",
            "FR",
            "troops",
            100.0,
            "personnel",
            trigger,
            RatificationStatus.IN_FORCE,
            notes={"note": MARKERS["commitment_fr"]},
            requires_parliament=False,
        ),
        Commitment(
            "DE-1",
            "DE",
            "funds",
            1e9,
            "EUR",
            trigger,
            RatificationStatus.IN_FORCE,
            notes={"note": MARKERS["commitment_de"]},
            requires_parliament=False,
        ),
    ]
    decided = Case("C-DECIDED", MARKERS["case_published"], CaseStatus.FINDING, T0, ("V-PUB",))
    still_open = Case("C-OPEN", MARKERS["case_open"], CaseStatus.ALLEGATION, T0, ("V-UNPUB",))
    finding = Finding(
        "F-1", "C-DECIDED", T0, "RU", StandardOfProof.CLEAR_AND_CONVINCING, "high", votes_for=4
    )
    with api.engine.begin() as conn:
        add_events(conn, events=events)
        add_violations(conn, violations=violations)
        for commitment in commitments:
            register_commitment(conn, commitment=commitment, history=[])
        open_case(conn, case=decided, actor="analyst")
        open_case(conn, case=still_open, actor="analyst")
        record_finding(conn, finding=finding, actor="commissioner")
        notices = activate_for_finding(conn, "F-1", at=T0)
    assert {n.guarantor for n in notices} == {"FR", "DE"}
    return {"decided": "C-DECIDED", "open": "C-OPEN"}


MEMBERSHIP: dict[str, Any] = {
    "mechanism": "commission",
    "rules": {"quorum": {"fraction": "1/2"}, "majority": {"kind": "simple"}},
    "members": [
        {"id": "chair", "name": "Chair", "affiliation": "neutral"},
        {"id": "fr", "name": "France", "affiliation": "guarantor", "state": "FR"},
        {"id": "ua", "name": MARKERS["member"], "affiliation": "party", "state": "UA"},
        {"id": "ru", "name": "Russia", "affiliation": "party", "state": "RU"},
    ],
}


def _seed_casework(api: Api, locked_case: str) -> dict[str, str]:
    """Members; a finding against UA too; remedies on both findings, complied with notes;
    and a case locked by a user whose name is a marker."""
    load_membership(api.engine, document=MEMBERSHIP, actor="setup", now=T0)
    decided_ua = Case("C-DECIDED-UA", "decided against UA", CaseStatus.FINDING, T0)
    finding_ua = Finding("F-2", "C-DECIDED-UA", T0, "UA", StandardOfProof.REASONABLE_GROUNDS, "low")
    with api.engine.begin() as conn:
        open_case(conn, case=decided_ua, actor="analyst")
        record_finding(conn, finding=finding_ua, actor="commissioner")
    remedy_ids = {}
    for party, case_id in (("ru", "C-DECIDED"), ("ua", "C-DECIDED-UA")):
        later = T0 + timedelta(hours=1)
        imposed = case_ops.impose_remedies(api.engine, case_id=case_id, actor="com", now=later)
        remedy_ids[party] = imposed[0].remedy_id
        case_ops.record_compliance(
            api.engine,
            remedy_id=imposed[0].remedy_id,
            actor="com",
            complied_at=later,
            note=MARKERS[f"remedy_{party}"],
            now=later,
        )
    case_ops.unlock_case(api.engine, case_id=locked_case, actor="analyst")  # the evidence's
    case_ops.lock_case(api.engine, case_id=locked_case, actor=MARKERS["lock"], minutes=600)
    return remedy_ids


def _seed_pledges(api: Api) -> tuple[str, ...]:
    """A pledged commitment per guarantor, approved and partly delivered, with marked notes."""
    trigger = json.dumps({"responsible_party": "RU", "min_severity": "critical"})
    ids = []
    with api.engine.begin() as conn:
        for state in ("FR", "DE"):
            commitment = Commitment(f"{state}-2", state, "equipment", 10.0, "vehicles", trigger)
            register_commitment(
                conn,
                commitment=commitment,
                history=[pledge(commitment, on=date(2026, 1, 6), at=T0)],
            )
            advance_ratification(
                conn,
                commitment.commitment_id,
                to=RatificationStatus.APPROVED_BY_GOVERNMENT,
                on=date(2026, 2, 1),
                at=T0,
                note=MARKERS[f"ratify_{state.lower()}"],
            )
            record_delivery(
                conn,
                commitment.commitment_id,
                quantity=2,
                on=date(2026, 3, 1),
                at=T0,
                note=MARKERS[f"delivery_{state.lower()}"],
            )
            ids.append(commitment.commitment_id)
    return tuple(ids)


# Who may call each route: the intended policy, written independently of the code.
EVERYONE = frozenset(VIEWERS)
STAFF_ROLES = frozenset({"monitor", "analyst", "commissioner"})
LIAISONS = frozenset({"liaison_ua", "liaison_ru"})
GUARANTORS = frozenset({"guarantor_fr", "guarantor_de"})
EXPECTED_POLICY: dict[tuple[str, str], frozenset[str]] = {
    ("POST", "/sensors"): frozenset({"sensor_feed", "analyst"}),
    ("POST", "/sensors/csv"): frozenset({"sensor_feed", "analyst"}),
    ("GET", "/sensors"): STAFF_ROLES | {"sensor_feed"},
    ("POST", "/arrivals"): frozenset({"sensor_feed", "analyst"}),
    ("POST", "/arrivals/csv"): frozenset({"sensor_feed", "analyst"}),
    ("GET", "/arrivals"): STAFF_ROLES | {"sensor_feed"},
    ("POST", "/reports"): frozenset({"monitor", "analyst"}) | LIAISONS,
    ("POST", "/reports/csv"): frozenset({"monitor", "analyst"}) | LIAISONS,
    ("GET", "/reports"): STAFF_ROLES | LIAISONS,
    ("GET", "/events"): STAFF_ROLES,
    ("GET", "/violations"): EVERYONE,
    ("GET", "/cases"): frozenset({"analyst", "commissioner"}) | LIAISONS,
    ("GET", "/cases/{case_id}"): frozenset({"analyst", "commissioner"}) | LIAISONS,
    ("POST", "/cases"): frozenset({"analyst", "commissioner"}) | LIAISONS,
    ("POST", "/cases/{case_id}/advance"): frozenset({"analyst", "commissioner"}),
    ("POST", "/cases/{case_id}/draft"): frozenset({"analyst", "commissioner"}),
    ("POST", "/cases/{case_id}/votes"): frozenset({"commissioner"}),
    ("POST", "/cases/{case_id}/decide"): frozenset({"commissioner"}),
    ("POST", "/cases/{case_id}/evidence"): STAFF_ROLES,
    ("GET", "/cases/{case_id}/evidence"): frozenset({"analyst", "commissioner"}),
    ("GET", "/cases/{case_id}/lock"): frozenset({"analyst", "commissioner"}),
    ("PUT", "/cases/{case_id}/lock"): frozenset({"analyst", "commissioner"}),
    ("DELETE", "/cases/{case_id}/lock"): frozenset({"analyst", "commissioner"}),
    ("GET", "/cases/{case_id}/members"): frozenset({"analyst", "commissioner"}),
    ("GET", "/members"): frozenset({"analyst", "commissioner"}),
    ("PUT", "/members"): frozenset({"commissioner"}),
    ("GET", "/cases/{case_id}/remedies/proposal"): frozenset({"analyst", "commissioner"}),
    ("POST", "/cases/{case_id}/remedies"): frozenset({"commissioner"}),
    ("GET", "/remedies"): frozenset({"analyst", "commissioner"}) | LIAISONS,
    ("GET", "/remedies/{remedy_id}"): frozenset({"analyst", "commissioner"}) | LIAISONS,
    ("POST", "/remedies/{remedy_id}/compliance"): frozenset({"commissioner"}),
    ("GET", "/findings"): EVERYONE,
    ("GET", "/findings/{finding_id}"): EVERYONE,
    ("GET", "/commitments"): frozenset({"analyst", "commissioner"}) | GUARANTORS,
    ("GET", "/commitments/{commitment_id}/ratification"): frozenset({"analyst", "commissioner"})
    | GUARANTORS,
    ("POST", "/commitments/{commitment_id}/ratification"): frozenset({"analyst", "commissioner"})
    | GUARANTORS,
    ("GET", "/commitments/{commitment_id}/deliveries"): frozenset({"analyst", "commissioner"})
    | GUARANTORS,
    ("POST", "/commitments/{commitment_id}/deliveries"): frozenset({"analyst", "commissioner"})
    | GUARANTORS,
    ("GET", "/activations"): EVERYONE,
    ("GET", "/publications"): EVERYONE,
    # The analysts' review (docs/review.md): analysts work it, commissioners read provenance.
    ("GET", "/review/queue"): frozenset({"analyst"}),
    ("POST", "/review/items/{item_id}/claim"): frozenset({"analyst"}),
    ("POST", "/review/items/{item_id}/release"): frozenset({"analyst"}),
    ("POST", "/review/items/{item_id}/decision"): frozenset({"analyst"}),
    ("GET", "/review/decisions"): frozenset({"analyst", "commissioner"}),
    ("POST", "/review/merge"): frozenset({"analyst"}),
    ("POST", "/review/split"): frozenset({"analyst"}),
    ("POST", "/review/edits/{edit_id}/undo"): frozenset({"analyst"}),
    ("GET", "/review/edits"): frozenset({"analyst", "commissioner"}),
    ("POST", "/review/rerun"): frozenset({"analyst"}),
}
# FastAPI's own pages: the OpenAPI document and its viewers are public by design.
DOCUMENTATION_ROUTES = {"/openapi.json", "/docs", "/docs/oauth2-redirect", "/redoc"}
