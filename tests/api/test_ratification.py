"""Ratification steps and deliveries through the API: a guarantor records its own state's."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

from tests.api.conftest import Api
from truceline.domain import Commitment
from truceline.guarantees.ratification import pledge
from truceline.store.guarantees import register_commitment

T0 = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
TRIGGER = json.dumps({"responsible_party": "RU", "min_severity": "high"})


def seed_commitments(api: Api) -> None:
    """FR-1 (parliament needed) and DE-1, both pledged."""
    with api.engine.begin() as conn:
        for cid, state in (("FR-1", "FR"), ("DE-1", "DE")):
            commitment = Commitment(cid, state, "troops", 100.0, "personnel", TRIGGER)
            history = [pledge(commitment, on=date(2026, 1, 6), at=T0)]
            register_commitment(conn, commitment=commitment, history=history)


def test_a_guarantor_walks_its_commitment_up_the_ladder(api: Api) -> None:
    seed_commitments(api)
    paris = api.user("paris", "guarantor", state="FR")
    path = "/commitments/FR-1/ratification"
    body = {"to_status": "approved_by_government", "effective_on": "2026-02-01", "note": "decree"}
    step = api.client.post(path, json=body, headers=paris)
    assert step.status_code == 201, step.text
    assert step.json()["step"]["previous_status"] == "pledged"
    assert step.json()["commitment"]["status"] == "approved_by_government"
    retry = api.client.post(path, json=body, headers=paris)
    assert retry.status_code == 200 and retry.json()["step"] == step.json()["step"]
    skip = {"to_status": "in_force", "effective_on": "2026-03-01"}
    refused = api.client.post(path, json=skip, headers=paris)
    assert refused.status_code == 409 and "ratified_by_parliament" in refused.json()["detail"]
    earlier = {"to_status": "ratified_by_parliament", "effective_on": "2026-01-15"}
    assert api.client.post(path, json=earlier, headers=paris).status_code == 409
    history = api.client.get(path, headers=paris).json()
    assert [s["status"] for s in history["data"]] == ["pledged", "approved_by_government"]
    assert api.client.get(f"{path}?limit=1&offset=1", headers=paris).json()["count"] == 2
    ana = api.user("ana", "analyst")
    ratified = {"to_status": "ratified_by_parliament", "effective_on": "2026-03-01"}
    assert api.client.post(path, json=ratified, headers=ana).status_code == 201


def test_deliveries_are_recorded_once_and_never_beyond_the_pledge(api: Api) -> None:
    seed_commitments(api)
    paris = api.user("paris", "guarantor", state="FR")
    path = "/commitments/FR-1/deliveries"
    first = api.client.post(
        path, json={"quantity": 30, "delivered_on": "2026-03-01"}, headers=paris
    )
    assert first.status_code == 201, first.text
    assert first.json()["commitment"]["delivered"] == 30
    body = {"quantity": 20, "delivered_on": "2026-03-05", "note": "convoy", "delivered_before": 30}
    second = api.client.post(path, json=body, headers=paris)
    assert second.status_code == 201 and second.json()["commitment"]["delivered"] == 50
    retry = api.client.post(path, json=body, headers=paris)
    assert retry.status_code == 200
    assert retry.json()["delivery"]["delivery_id"] == second.json()["delivery"]["delivery_id"]
    stale = {**body, "note": "another convoy"}
    conflict = api.client.post(path, json=stale, headers=paris)
    assert conflict.status_code == 409 and "50 personnel delivered now" in conflict.json()["detail"]
    over = api.client.post(path, json={"quantity": 51, "delivered_on": "2026-04-01"}, headers=paris)
    assert over.status_code == 409 and "pledged" in over.json()["detail"]
    listed = api.client.get(path, headers=paris).json()
    assert listed["count"] == 2 and [d["quantity"] for d in listed["data"]] == [30, 20]
    withdraw = {"to_status": "withdrawn", "effective_on": "2026-05-01"}
    api.client.post("/commitments/FR-1/ratification", json=withdraw, headers=paris)
    late = api.client.post(path, json={"quantity": 1, "delivered_on": "2026-06-01"}, headers=paris)
    assert late.status_code == 409 and "withdrawn" in late.json()["detail"]


def test_malformed_steps_and_deliveries_name_the_field(api: Api) -> None:
    seed_commitments(api)
    ana = api.user("ana", "analyst")
    cases = [
        ("ratification", {"to_status": "approved", "effective_on": "2026-02-01"}, "to_status"),
        ("ratification", {"to_status": "in_force", "effective_on": "1 Feb"}, "effective_on"),
        ("ratification", {"to_status": "in_force"}, "effective_on"),
        ("deliveries", {"quantity": 0, "delivered_on": "2026-02-01"}, "quantity"),
        ("deliveries", {"quantity": -3, "delivered_on": "2026-02-01"}, "quantity"),
        ("deliveries", {"quantity": "lots", "delivered_on": "2026-02-01"}, "quantity"),
        ("deliveries", {"quantity": 1, "delivered_on": "2026-02-30"}, "delivered_on"),
        ("deliveries", {"quantity": 1, "delivered_on": "2026-02-01", "by": "x"}, "by"),
        (
            "deliveries",
            {"quantity": 1, "delivered_on": "2026-02-01", "delivered_before": -1},
            "delivered_before",
        ),
    ]
    for route, body, field in cases:
        response = api.client.post(f"/commitments/FR-1/{route}", json=body, headers=ana)
        assert response.status_code == 422, (body, response.text)
        assert response.json()["detail"][0]["loc"] == ["body", field], body
    assert api.client.get("/commitments/FR-1/deliveries", headers=ana).json()["count"] == 0
    nan = api.client.post(
        "/commitments/FR-1/deliveries",
        content=b'{"quantity": NaN, "delivered_on": "2026-02-01"}',
        headers=ana | {"Content-Type": "application/json"},
    )
    assert nan.status_code == 422, nan.text


def test_another_states_commitment_is_not_found_and_others_are_refused(api: Api) -> None:
    seed_commitments(api)
    berlin = api.user("berlin", "guarantor", state="DE")
    step = {"to_status": "approved_by_government", "effective_on": "2026-02-01"}
    delivery = {"quantity": 1, "delivered_on": "2026-02-01"}
    for route, body in (("ratification", step), ("deliveries", delivery)):
        path = f"/commitments/FR-1/{route}"
        assert api.client.get(path, headers=berlin).status_code == 404
        written = api.client.post(path, json=body, headers=berlin)
        assert written.status_code == 404 and written.json()["detail"] == (
            "commitment 'FR-1' is not stored"
        )
        missing = api.client.get(f"/commitments/XX-9/{route}", headers=berlin)
        assert missing.json()["detail"] == "commitment 'XX-9' is not stored"
        for name, role, binding in (
            ("kyiv", "party_liaison", {"party": "UA"}),
            ("mon", "monitor", {}),
        ):
            headers = api.user(name, role, **binding)
            assert api.client.get(path, headers=headers).status_code == 403
            assert api.client.post(path, json=body, headers=headers).status_code == 403
        assert api.client.get(path).status_code == 401
    ana = api.user("ana", "analyst")
    assert api.client.get("/commitments/FR-1/deliveries", headers=ana).json()["count"] == 0
