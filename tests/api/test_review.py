"""/review through the API: analysts work the queue, merge and undo; others see nothing."""

from __future__ import annotations

import time
from typing import Any

import pytest

from tests.api.conftest import Api
from tests.review.scenario import build_scene
from truceline.store import add_arrivals, add_reports, add_sensors


@pytest.fixture
def seeded(api: Api) -> dict[int, str]:
    """The review scene stored and analysed through POST /review/rerun; event id by sensors."""
    scene = build_scene()
    with api.engine.begin() as conn:
        add_sensors(conn, sensors=scene.sensors)
        add_arrivals(conn, arrivals=scene.all_arrivals)
        add_reports(conn, reports=[scene.report])
    body = {"start": scene.start.isoformat(), "end": scene.end.isoformat()}
    response = api.client.post("/review/rerun", json=body, headers=api.user("ana", "analyst"))
    assert response.status_code == 200, response.text
    assert response.json()["events"] == 3
    assert response.json()["notes"] == [
        "attribution, pairing's parties and rules skipped: no theatre is stored"
    ]
    events = api.client.get("/events", headers=api.user("ana", "analyst")).json()["data"]
    return {e["n_sensors"]: e["event_id"] for e in events}


def queue(api: Api, who: str) -> list[dict[str, Any]]:
    response = api.client.get("/review/queue", headers=api.user(who, "analyst"))
    assert response.status_code == 200, response.text
    data: list[dict[str, Any]] = response.json()["data"]
    return data


def test_an_analyst_works_the_queue_and_another_does_not_see_claimed_items(
    api: Api, seeded: dict[int, str]
) -> None:
    ana, bob = api.user("ana", "analyst"), api.user("bob", "analyst")
    items = queue(api, "ana")
    item = f"event:{seeded[5]}"
    assert [i["item_id"] for i in items] == [item]
    assert items[0]["reasons"] == ["poor_fix"] and items[0]["priority"] == 1
    claimed = api.client.post(f"/review/items/{item}/claim", json={"minutes": 10}, headers=ana)
    assert claimed.status_code == 200 and claimed.json()["analyst"] == "ana"
    assert queue(api, "bob") == []
    assert queue(api, "ana")[0]["claim"]["analyst"] == "ana"
    refused = api.client.post(f"/review/items/{item}/claim", headers=bob)
    assert refused.status_code == 409 and "claimed by ana" in refused.json()["detail"]
    decision = {"action": "reject", "reason": "an echo off the ridge"}
    by_bob = api.client.post(f"/review/items/{item}/decision", json=decision, headers=bob)
    assert by_bob.status_code == 409
    done = api.client.post(f"/review/items/{item}/decision", json=decision, headers=ana)
    assert done.status_code == 200, done.text
    assert done.json()["action"] == "reject" and done.json()["actor"] == "ana"
    assert queue(api, "ana") == [] and queue(api, "bob") == []
    listed = api.client.get(f"/review/decisions?item_id={item}", headers=bob).json()
    assert listed["count"] == 1 and listed["data"][0]["reason"] == "an echo off the ridge"


def test_a_released_or_expired_claim_gives_the_item_back(api: Api, seeded: dict[int, str]) -> None:
    ana = api.user("ana", "analyst")
    item = f"event:{seeded[5]}"
    api.client.post(f"/review/items/{item}/claim", json={"minutes": 10}, headers=ana)
    released = api.client.post(f"/review/items/{item}/release", headers=ana)
    assert released.status_code == 204
    assert [i["item_id"] for i in queue(api, "bob")] == [item]
    again = api.client.post(f"/review/items/{item}/release", headers=ana)
    assert again.status_code == 409
    api.client.post(f"/review/items/{item}/claim", json={"minutes": 0.002}, headers=ana)
    time.sleep(0.2)  # the claim (0.12 s) has expired
    assert [i["item_id"] for i in queue(api, "bob")] == [item]


def test_merge_then_undo_through_the_api(api: Api, seeded: dict[int, str]) -> None:
    ana = api.user("ana", "analyst")
    before = api.client.get("/events", headers=ana).json()
    body = {"event_ids": [seeded[16], seeded[0]], "reason": "the monitor heard this shot"}
    merged = api.client.post("/review/merge", json=body, headers=ana)
    assert merged.status_code == 201, merged.text
    edit = merged.json()
    assert edit["kind"] == "merge" and edit["actor"] == "ana"
    assert [e["event_id"] for e in edit["before"]] == [seeded[16], seeded[0]]
    (after,) = edit["after"]
    assert after["report_ids"] == ["R-MON-1"] and after["n_sensors"] == 16
    assert edit["notes"] == ["attribution skipped: no theatre is stored"]
    assert api.client.get("/events", headers=ana).json()["count"] == 2
    undo = api.client.post(
        f"/review/edits/{edit['edit_id']}/undo", json={"reason": "wrong"}, headers=ana
    )
    assert undo.status_code == 201, undo.text
    assert api.client.get("/events", headers=ana).json() == before
    edits = api.client.get("/review/edits", headers=api.user("cmr", "commissioner")).json()
    assert [(e["kind"], e["undone_by"]) for e in edits["data"]] == [
        ("merge", undo.json()["edit_id"]),
        ("undo", None),
    ]


def test_bad_review_requests_are_refused_with_reasons(api: Api, seeded: dict[int, str]) -> None:
    ana = api.user("ana", "analyst")
    one = api.client.post(
        "/review/merge", json={"event_ids": [seeded[16]], "reason": "x"}, headers=ana
    )
    assert one.status_code == 422
    no_reason = api.client.post(
        "/review/merge", json={"event_ids": [seeded[16], seeded[0]], "reason": ""}, headers=ana
    )
    assert no_reason.status_code == 422
    split = api.client.post(
        "/review/split",
        json={"event_id": seeded[16], "arrival_ids": ["A1-S000"], "reason": "x"},
        headers=ana,
    )
    assert split.status_code == 422 and "not part of event" in split.text
    unknown = api.client.post(
        "/review/items/event:NOPE/decision", json={"action": "confirm", "reason": "x"}, headers=ana
    )
    assert unknown.status_code == 404
    malformed = api.client.post("/review/items/NOPE/claim", headers=ana)
    assert malformed.status_code == 422
    release = api.client.post("/review/items/NOPE/release", headers=ana)
    assert release.status_code == 422 and "is not 'event:<id>' or 'report:<id>'" in release.text


def test_liaisons_and_the_public_never_reach_the_queue(api: Api, seeded: dict[int, str]) -> None:
    liaison = api.user("kyiv", "party_liaison", party="UA")
    assert api.client.get("/review/queue", headers=liaison).status_code == 403
    assert api.client.get("/review/queue").status_code == 401
    assert api.client.get("/review/edits", headers=liaison).status_code == 403
