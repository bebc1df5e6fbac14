"""The commission's workflow through the store, on every backend: each change audited,
refused operations leave nothing behind, locks hold between analysts."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine

from tests.store.samples import EVENTS, REPORTS, SENSORS, VIOLATIONS
from truceline.app import commission as ops
from truceline.app import evidence as evidence_ops
from truceline.app.publication import Published
from truceline.commission.evidence import CheckResult, stored_path
from truceline.commission.workflow import TransitionError
from truceline.domain import CaseStatus, StandardOfProof
from truceline.domain.commission import CustodyAction, EvidenceKind, VoteChoice
from truceline.errors import ConflictError, InputError, NotFoundError
from truceline.store import add_events, add_reports, add_sensors, add_violations, count_rows
from truceline.store import commission as store
from truceline.store import votes as vote_store

T0 = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
MEMBERS = {
    "mechanism": "commission",
    "rules": {"quorum": {"fraction": "1/2"}, "majority": {"kind": "simple"}},
    "members": [
        {"id": "n1", "name": "Chair", "affiliation": "neutral"},
        {"id": "g1", "name": "France", "affiliation": "guarantor", "state": "FR"},
        {"id": "g2", "name": "United Kingdom", "affiliation": "guarantor", "state": "GB"},
        {"id": "p1", "name": "Ukraine", "affiliation": "party", "state": "UA"},
        {"id": "p2", "name": "Russia", "affiliation": "party", "state": "RU"},
    ],
}


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


@pytest.fixture()
def members_file(tmp_path: Path) -> Path:
    path = tmp_path / "members.json"
    path.write_text(json.dumps(MEMBERS), encoding="utf-8")
    return path


@pytest.fixture()
def seeded(engine: Engine, members_file: Path) -> Engine:
    """A store with the sample violations (and what they refer to) and the membership."""
    with engine.begin() as conn:
        add_sensors(conn, sensors=SENSORS)
        add_reports(conn, reports=REPORTS)
        add_events(conn, events=EVENTS)
        add_violations(conn, violations=VIOLATIONS)
    ops.load_members(engine, path=members_file, actor="secretary", now=T0)
    return engine


def counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return count_rows(conn)


def audit_actions(engine: Engine, case_id: str) -> list[str]:
    return [entry.action for entry in ops.case_audit(engine, case_id=case_id)]


def to_vote(engine: Engine, case_id: str) -> None:
    for minute, status in enumerate(["inquiry", "investigation", "draft_finding"], start=1):
        ops.advance_case(
            engine, case_id=case_id, to_status=CaseStatus(status), actor="ana", now=at(minute)
        )
    ops.draft_finding(
        engine,
        case_id=case_id,
        actor="ana",
        responsible_party="RU",
        standard_of_proof=StandardOfProof.CLEAR_AND_CONVINCING,
        severity="high",
        summary="Launch from RU-held ground.",
        now=at(4),
    )
    ops.advance_case(engine, case_id=case_id, to_status=CaseStatus.VOTE, actor="ana", now=at(5))


def vote(engine: Engine, case_id: str, member: str, choice: str, minute: float) -> None:
    ops.cast_vote(
        engine,
        case_id=case_id,
        member_id=member,
        choice=VoteChoice(choice),
        statement=f"{member} reasons",
        now=at(minute),
    )


def test_a_case_walks_from_violation_to_closed_and_every_change_is_audited(
    seeded: Engine, tmp_path: Path
) -> None:
    case = ops.open_case_from_violations(seeded, violation_ids=["V1"], actor="ana", now=T0)
    assert (case.case_id, case.accused_party, case.status) == ("C-0001", "RU", "allegation")
    to_vote(seeded, "C-0001")
    vote(seeded, "C-0001", "n1", "for", 6)
    vote(seeded, "C-0001", "g1", "for", 7)
    vote(seeded, "C-0001", "g2", "against", 8)
    decision = ops.decide_case(seeded, case_id="C-0001", actor="ana", now=at(9))
    # No commitment stored, no log or alerts configured: nothing activated, nothing published.
    assert decision.finding is not None
    assert decision.consequences == (Published(),)
    assert (decision.finding.finding_id, decision.finding.responsible_party) == ("F-0001", "RU")
    assert decision.finding.dissent == "United Kingdom: g2 reasons"
    [remedy] = ops.impose_remedies(seeded, case_id="C-0001", actor="ana", now=at(10))
    assert (remedy.kind, remedy.due_at) == ("joint_inspection", at(10) + timedelta(hours=168))
    assert [
        r.remedy.remedy_id for r in ops.due_reminders(seeded, now=at(10) + timedelta(days=7))
    ] == ["RM-0001"]
    ops.record_compliance(seeded, remedy_id="RM-0001", actor="ana", note="inspected", now=at(11))
    assert ops.due_reminders(seeded, now=at(10) + timedelta(days=7)) == []
    ops.advance_case(seeded, case_id="C-0001", to_status=CaseStatus.CLOSED, actor="ana", now=at(12))

    file = ops.show_case(seeded, case_id="C-0001")
    assert [t.to_status.value for t in file.transitions] == [
        "allegation",
        "inquiry",
        "investigation",
        "draft_finding",
        "vote",
        "finding",
        "remedy",
        "closed",
    ]
    assert audit_actions(seeded, "C-0001") == [
        "opened",
        "lock acquired",
        "status changed",
        "lock renewed",
        "status changed",
        "lock renewed",
        "status changed",
        "lock renewed",
        "draft saved",
        "lock renewed",
        "status changed",
        "vote cast",
        "vote cast",
        "vote cast",
        "lock renewed",
        "recorded",
        "status changed",
        "lock renewed",
        "imposed",
        "status changed",
        "lock renewed",
        "complied",
        "lock renewed",
        "status changed",
    ]


def test_refused_operations_store_nothing(seeded: Engine) -> None:
    ops.open_case_from_allegation(
        seeded, alleged_by="UA", accused_party="RU", title="Shelling", actor="ana", now=T0
    )
    before = counts(seeded)
    refusals = [
        (
            TransitionError,
            lambda: ops.advance_case(
                seeded, case_id="C-0001", to_status=CaseStatus.VOTE, actor="ana", now=at(1)
            ),
        ),
        (
            InputError,
            lambda: ops.advance_case(
                seeded, case_id="C-0001", to_status=CaseStatus.CLOSED, actor="ana", now=at(1)
            ),
        ),
        (
            NotFoundError,
            lambda: ops.advance_case(
                seeded, case_id="C-9", to_status=CaseStatus.INQUIRY, actor="ana", now=at(1)
            ),
        ),
        (ConflictError, lambda: ops.decide_case(seeded, case_id="C-0001", actor="ana")),
        (
            ConflictError,
            lambda: ops.cast_vote(seeded, case_id="C-0001", member_id="n1", choice=VoteChoice.FOR),
        ),
        (
            NotFoundError,
            lambda: ops.open_case_from_violations(seeded, violation_ids=["V1", "V9"], actor="ana"),
        ),
        (
            InputError,
            lambda: ops.open_case_from_allegation(
                seeded, alleged_by="RU", accused_party="RU", title="x", actor="ana"
            ),
        ),
    ]
    for error, attempt in refusals:
        with pytest.raises(error):
            attempt()
        assert counts(seeded) == before


def test_a_second_analyst_is_locked_out_until_release_or_expiry(seeded: Engine) -> None:
    ops.open_case_from_allegation(
        seeded, alleged_by="UA", accused_party="RU", title="Shelling", actor="ana", now=T0
    )
    ops.lock_case(seeded, case_id="C-0001", actor="ana", minutes=10, now=T0)
    before = counts(seeded)
    with pytest.raises(ConflictError, match="locked by ana"):
        ops.advance_case(
            seeded, case_id="C-0001", to_status=CaseStatus.INQUIRY, actor="bob", now=at(5)
        )
    with pytest.raises(ConflictError, match="only the holder"):
        ops.unlock_case(seeded, case_id="C-0001", actor="bob", now=at(5))
    assert counts(seeded) == before
    # expired: bob takes it implicitly with his write
    ops.advance_case(
        seeded, case_id="C-0001", to_status=CaseStatus.INQUIRY, actor="bob", now=at(10)
    )
    with seeded.connect() as conn:
        lock = store.get_lock(conn, case_id="C-0001")
    assert lock is not None and lock.holder == "bob"
    ops.unlock_case(seeded, case_id="C-0001", actor="bob", now=at(11))
    ops.advance_case(
        seeded, case_id="C-0001", to_status=CaseStatus.INVESTIGATION, actor="ana", now=at(12)
    )
    trail = [(a.action, a.actor) for a in ops.case_audit(seeded, case_id="C-0001")]
    assert trail == [
        ("opened", "ana"),
        ("lock acquired", "ana"),
        ("lock acquired", "bob"),  # after ana's lock expired
        ("status changed", "bob"),
        ("lock released", "bob"),
        ("lock acquired", "ana"),
        ("status changed", "ana"),
    ]


def test_recusal_quorum_and_a_rejected_draft_start_a_new_round(seeded: Engine) -> None:
    ops.open_case_from_violations(
        seeded, violation_ids=["V1"], actor="ana", alleged_by="UA", now=T0
    )
    to_vote(seeded, "C-0001")
    with pytest.raises(ConflictError, match="p1 is recused"):
        vote(seeded, "C-0001", "p1", "for", 6)
    vote(seeded, "C-0001", "n1", "against", 6)
    with pytest.raises(ConflictError, match="already voted"):
        vote(seeded, "C-0001", "n1", "for", 6.5)
    with pytest.raises(ConflictError, match="quorum not met: 1 of 3 eligible voted, 2 needed"):
        ops.decide_case(seeded, case_id="C-0001", actor="ana", now=at(7))
    vote(seeded, "C-0001", "g1", "abstain", 8)
    decision = ops.decide_case(seeded, case_id="C-0001", actor="ana", now=at(9))
    assert decision.finding is None and not decision.tally.adopted
    assert ops.show_case(seeded, case_id="C-0001").case.status == CaseStatus.DRAFT_FINDING
    ops.advance_case(seeded, case_id="C-0001", to_status=CaseStatus.VOTE, actor="ana", now=at(10))
    vote(seeded, "C-0001", "n1", "for", 11)  # a new round: n1 may vote again
    with seeded.connect() as conn:
        assert store.voting_round(conn, case_id="C-0001") == 2
        assert len(vote_store.get_votes(conn, case_id="C-0001")) == 3


def test_reloading_members_deactivates_those_left_out(seeded: Engine, tmp_path: Path) -> None:
    smaller = {**MEMBERS, "members": MEMBERS["members"][:3]}
    path = tmp_path / "smaller.json"
    path.write_text(json.dumps(smaller), encoding="utf-8")
    _, changes = ops.load_members(seeded, path=path, actor="secretary", now=at(1))
    assert changes == {"added": [], "updated": [], "deactivated": ["p1", "p2"]}
    with seeded.connect() as conn:
        active = [
            m.member_id for m in vote_store.get_members(conn, mechanism="commission") if m.active
        ]
        assert active == ["g1", "g2", "n1"]
        audits = store.get_audit(conn, entity="mechanism")
    assert [a.action for a in audits] == ["membership loaded", "membership loaded"]
    bad = tmp_path / "bad.json"
    bad.write_text('{"members": []}', encoding="utf-8")
    before = counts(seeded)
    with pytest.raises(InputError, match=r"bad\.json"):
        ops.load_members(seeded, path=bad, actor="secretary")
    assert counts(seeded) == before


def test_evidence_has_its_custody_and_changes_are_detected(seeded: Engine, tmp_path: Path) -> None:
    ops.open_case_from_violations(seeded, violation_ids=["V1"], actor="ana", now=T0)
    evidence_dir = tmp_path / "evidence"
    photo = tmp_path / "crater.jpg"
    photo.write_bytes(b"\xff\xd8 crater photo")
    added = [
        evidence_ops.add_evidence(
            seeded,
            case_id="C-0001",
            actor="ana",
            kind=kind,
            target=target,
            evidence_dir=evidence_dir,
            now=at(1),
        )
        for kind, target in [
            (EvidenceKind.FILE, str(photo)),
            (EvidenceKind.LINK, "https://example.org/post/1"),
            (EvidenceKind.EVENT, "E1"),
            (EvidenceKind.REPORT, "R1"),
        ]
    ]
    assert [e.evidence_id for e in added] == ["EV-0001", "EV-0002", "EV-0003", "EV-0004"]
    assert added[0].size_bytes == len(photo.read_bytes()) and added[0].reference == "crater.jpg"
    with pytest.raises(ConflictError, match="already has this as EV-0001"):
        evidence_ops.add_evidence(
            seeded,
            case_id="C-0001",
            actor="ana",
            kind=EvidenceKind.FILE,
            target=str(photo),
            evidence_dir=evidence_dir,
            now=at(2),
        )
    with pytest.raises(NotFoundError, match="event 'E9' is not stored"):
        evidence_ops.add_evidence(
            seeded,
            case_id="C-0001",
            actor="ana",
            kind=EvidenceKind.EVENT,
            target="E9",
            evidence_dir=evidence_dir,
            now=at(2),
        )

    out = tmp_path / "exported.jpg"
    evidence_ops.export_evidence(
        seeded,
        evidence_id="EV-0001",
        actor="bob",
        evidence_dir=evidence_dir,
        destination=out,
        now=at(3),
    )
    assert out.read_bytes() == photo.read_bytes()
    checks = evidence_ops.verify_evidence(seeded, actor="bob", evidence_dir=evidence_dir, now=at(4))
    assert {c.result for c in checks} == {CheckResult.INTACT}

    stored = stored_path(evidence_dir, added[0].sha256)
    stored.chmod(0o644)
    stored.write_bytes(b"\xff\xd8 retouched photo")
    with seeded.begin() as conn:  # someone edits the stored event behind the commission's back
        conn.exec_driver_sql("UPDATE events SET lon = lon + 0.001 WHERE event_id = 'E1'")
    checks = evidence_ops.verify_evidence(seeded, actor="bob", evidence_dir=evidence_dir, now=at(5))
    assert [c.result for c in checks] == [
        CheckResult.CHANGED,
        CheckResult.INTACT,
        CheckResult.CHANGED,
        CheckResult.INTACT,
    ]

    _, custody = evidence_ops.view_evidence(seeded, evidence_id="EV-0001", actor="carla", now=at(6))
    assert [(c.action, c.actor) for c in custody] == [
        (CustodyAction.ADDED, "ana"),
        (CustodyAction.EXPORTED, "bob"),
        (CustodyAction.VERIFIED, "bob"),
        (CustodyAction.VERIFIED, "bob"),
        (CustodyAction.VIEWED, "carla"),
    ]
    assert custody[3].details["result"] == "changed"
    assert "added" in audit_actions(seeded, "C-0001")
