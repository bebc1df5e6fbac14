"""Remedies through the API: proposal, adoption, compliance, and who sees which remedy."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.api.conftest import Api
from truceline.domain import Case, CaseStatus, Finding, Remedy, StandardOfProof
from truceline.store.commission import add_remedy, open_case, record_finding

T0 = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)


def seed_finding(api: Api, case_id: str, party: str | None, severity: str = "high") -> None:
    """A case in ``finding`` with its finding against ``party`` (None: not attributable)."""
    case = Case(case_id, "fire across the line", CaseStatus.FINDING, T0, (), "UA", "RU")
    finding = Finding(
        f"F-{case_id}", case_id, T0, party, StandardOfProof.CLEAR_AND_CONVINCING, severity
    )
    with api.engine.begin() as conn:
        open_case(conn, case=case, actor="setup")
        record_finding(conn, finding=finding, actor="setup")


def test_a_proposal_is_adopted_then_complied_with(api: Api) -> None:
    com = api.user("com", "commissioner")
    seed_finding(api, "C-1", "RU")
    proposal = api.client.get("/cases/C-1/remedies/proposal", headers=com)
    assert proposal.status_code == 200, proposal.text
    assert proposal.json()["level"] == 3 and proposal.json()["prior_findings"] == 0
    assert [o["kind"] for o in proposal.json()["options"]] == ["joint_inspection"]
    assert "168 hours" in proposal.json()["options"][0]["description"]
    assert api.client.get("/remedies", headers=com).json()["count"] == 0  # proposing stores none

    stale = api.client.post("/cases/C-1/remedies", json={"kinds": ["formal_notice"]}, headers=com)
    assert stale.status_code == 409 and "joint_inspection" in stale.json()["detail"]
    adopted = api.client.post(
        "/cases/C-1/remedies", json={"kinds": ["joint_inspection"]}, headers=com
    )
    assert adopted.status_code == 201, adopted.text
    remedy = adopted.json()["data"][0]
    assert (remedy["party"], remedy["case_id"], remedy["complied_at"]) == ("RU", "C-1", None)
    again = api.client.post(
        "/cases/C-1/remedies", json={"kinds": ["joint_inspection"]}, headers=com
    )
    assert again.status_code == 200 and again.json()["data"] == adopted.json()["data"]
    assert api.client.get("/cases/C-1", headers=com).json()["case"]["status"] == "remedy"
    assert api.client.get("/cases/C-1/remedies/proposal", headers=com).status_code == 409

    path = f"/remedies/{remedy['remedy_id']}/compliance"
    when = "2026-11-02T10:00:00Z"
    done = api.client.post(path, json={"complied_at": when, "note": "inspected"}, headers=com)
    assert done.status_code == 201, done.text
    assert done.json()["compliance_note"] == "inspected"
    retry = api.client.post(path, json={"complied_at": when, "note": "inspected"}, headers=com)
    assert retry.status_code == 200 and retry.json() == done.json()
    other = api.client.post(path, json={"complied_at": "2026-11-03T10:00:00Z"}, headers=com)
    assert other.status_code == 409 and "already recorded" in other.json()["detail"]
    complied = api.client.get("/remedies?status=complied", headers=com).json()
    assert [r["remedy_id"] for r in complied["data"]] == [remedy["remedy_id"]]
    assert api.client.get("/remedies?status=open", headers=com).json()["count"] == 0


def test_recurrence_raises_the_proposal(api: Api) -> None:
    com = api.user("com", "commissioner")
    seed_finding(api, "C-1", "RU", severity="low")
    earlier = Case("C-0", "earlier", CaseStatus.CLOSED, T0 - timedelta(days=30))
    with api.engine.begin() as conn:
        open_case(conn, case=earlier, actor="setup")
        finding = Finding(
            "F-0", "C-0", T0 - timedelta(days=30), "RU", StandardOfProof.REASONABLE_GROUNDS, "low"
        )
        record_finding(conn, finding=finding, actor="setup")
    proposal = api.client.get("/cases/C-1/remedies/proposal", headers=com).json()
    assert (proposal["prior_findings"], proposal["level"]) == (1, 2)
    assert [o["kind"] for o in proposal["options"]] == ["withdrawal"]


def test_remedies_are_refused_where_they_do_not_apply(api: Api) -> None:
    com = api.user("com", "commissioner")
    seed_finding(api, "C-1", None)
    unattributed = api.client.get("/cases/C-1/remedies/proposal", headers=com)
    assert unattributed.status_code == 409 and "not attributable" in unattributed.json()["detail"]
    body = {"kinds": ["formal_notice"]}
    assert api.client.post("/cases/C-1/remedies", json=body, headers=com).status_code == 409
    assert api.client.get("/cases/C-404/remedies/proposal", headers=com).status_code == 404
    assert api.client.post("/cases/C-404/remedies", json=body, headers=com).status_code == 404
    assert api.client.get("/remedies/RM-404", headers=com).status_code == 404
    compliance = {"complied_at": "2026-11-02T10:00:00Z"}
    missing = api.client.post("/remedies/RM-404/compliance", json=compliance, headers=com)
    assert missing.status_code == 404 and "RM-404" in missing.json()["detail"]


def test_malformed_remedy_requests_name_the_field(api: Api) -> None:
    com = api.user("com", "commissioner")
    seed_finding(api, "C-1", "RU")
    api.client.post("/cases/C-1/remedies", json={"kinds": ["joint_inspection"]}, headers=com)
    cases = [
        ("/cases/C-1/remedies", {"kinds": []}, ["body", "kinds"]),
        ("/cases/C-1/remedies", {}, ["body", "kinds"]),
        ("/cases/C-1/remedies", {"kinds": ["x"], "level": 9}, ["body", "level"]),
        ("/remedies/RM-0001/compliance", {"note": "x"}, ["body", "complied_at"]),
        ("/remedies/RM-0001/compliance", {"complied_at": "2026-11-02T10:00:00"}, None),
        ("/remedies/RM-0001/compliance", {"complied_at": "2999-01-01T00:00:00Z"}, None),
        ("/remedies/RM-0001/compliance", {"complied_at": "2026-10-01T00:00:00Z"}, None),
    ]
    for path, body, loc in cases:
        response = api.client.post(path, json=body, headers=com)
        assert response.status_code == 422, (body, response.text)
        item = response.json()["detail"][0]
        assert item["loc"] == (loc or ["body", "complied_at"]), (body, item)
    assert api.client.get("/remedies?status=late", headers=com).status_code == 422
    assert api.client.get("/remedies/RM-0001", headers=com).json()["complied_at"] is None


def test_liaisons_read_their_partys_remedies_and_nobody_else_writes(api: Api) -> None:
    com = api.user("com", "commissioner")
    seed_finding(api, "C-1", "RU")
    api.client.post("/cases/C-1/remedies", json={"kinds": ["joint_inspection"]}, headers=com)
    overdue = Remedy("RM-9000", "F-C-1", "formal_notice", "UA", due_at=T0, description="late")
    with api.engine.begin() as conn:
        add_remedy(conn, remedy=overdue)
    moscow = api.user("moscow", "party_liaison", party="RU")
    kyiv = api.user("kyiv", "party_liaison", party="UA")
    assert [r["remedy_id"] for r in api.client.get("/remedies", headers=moscow).json()["data"]] == [
        "RM-0001"
    ]
    assert api.client.get("/remedies/RM-9000", headers=moscow).status_code == 404
    assert api.client.get("/remedies/RM-9000", headers=kyiv).json()["party"] == "UA"
    assert api.client.get("/remedies?status=overdue", headers=kyiv).json()["count"] == 1
    assert api.client.get("/remedies?status=overdue", headers=moscow).json()["count"] == 0
    assert api.client.get("/remedies?finding_id=F-C-1", headers=com).json()["count"] == 2
    assert api.client.get("/remedies?party=UA", headers=com).json()["count"] == 1
    for name, role, binding in (
        ("paris", "guarantor", {"state": "FR"}),
        ("mon", "monitor", {}),
        ("feed", "sensor_feed", {}),
    ):
        assert (
            api.client.get("/remedies", headers=api.user(name, role, **binding)).status_code == 403
        )
    assert api.client.get("/remedies").status_code == 401
    ana = api.user("ana", "analyst")
    body = {"complied_at": "2026-11-02T10:00:00Z"}
    for headers in (ana, kyiv, moscow):
        written = api.client.post("/remedies/RM-0001/compliance", json=body, headers=headers)
        assert written.status_code == 403
    assert api.client.get("/cases/C-1/remedies/proposal", headers=kyiv).status_code == 403
    assert api.client.get("/cases/C-1/remedies/proposal", headers=ana).status_code == 409
    adopt = api.client.post("/cases/C-1/remedies", json={"kinds": ["x"]}, headers=ana)
    assert adopt.status_code == 403
    assert api.client.get("/remedies/RM-0001", headers=com).json()["complied_at"] is None


def test_a_liaison_reads_remedy_texts_screened_and_staff_read_them_whole(api: Api) -> None:
    com = api.user("com", "commissioner")
    seed_finding(api, "C-1", "RU")
    api.client.post("/cases/C-1/remedies", json={"kinds": ["joint_inspection"]}, headers=com)
    note = "team lead reachable at +380 44 123 4567, met at 48.0123, 37.8012"
    body = {"complied_at": "2026-11-02T10:00:00Z", "note": note}
    done = api.client.post("/remedies/RM-0001/compliance", json=body, headers=com)
    assert done.status_code == 201, done.text
    moscow = api.user("moscow", "party_liaison", party="RU")
    for path in ("/remedies/RM-0001", "/remedies"):
        answer = api.client.get(path, headers=moscow).json()
        record = answer["data"][0] if "data" in answer else answer
        assert "[withheld]" in record["compliance_note"]
        assert "123 4567" not in record["compliance_note"]
        assert "48.0123" not in record["compliance_note"]
    assert api.client.get("/remedies/RM-0001", headers=com).json()["compliance_note"] == note
