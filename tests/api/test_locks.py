"""Case edit locks through the API: who is editing, taking, renewing and releasing a lock."""

from __future__ import annotations

from tests.api.conftest import Api


def open_case(api: Api, headers: dict[str, str]) -> str:
    body = {"accused_party": "RU", "alleged_by": "UA", "title": "shelling of a school"}
    response = api.client.post("/cases", json=body, headers=headers)
    assert response.status_code == 201, response.text
    case_id: str = response.json()["case_id"]
    return case_id


def test_a_lock_reserves_a_case_for_its_holder_until_released(api: Api) -> None:
    ana, com = api.user("ana", "analyst"), api.user("com", "commissioner")
    case_id = open_case(api, ana)
    path = f"/cases/{case_id}/lock"
    taken = api.client.put(path, json={"minutes": 10}, headers=ana)
    assert taken.status_code == 200, taken.text
    assert taken.json()["locked"] and taken.json()["holder"] == "ana"
    shown = api.client.get(path, headers=com).json()
    assert shown["holder"] == "ana" and shown["expires_at"] == taken.json()["expires_at"]
    refused = api.client.put(path, json={}, headers=com)
    assert refused.status_code == 409 and "locked by ana" in refused.json()["detail"]
    moved = api.client.post(f"/cases/{case_id}/advance", json={"to_status": "inquiry"}, headers=com)
    assert moved.status_code == 409, moved.text
    assert api.client.delete(path, headers=com).status_code == 409
    renewed = api.client.put(path, json={"minutes": 60}, headers=ana).json()
    assert renewed["acquired_at"] == taken.json()["acquired_at"]
    assert renewed["expires_at"] > taken.json()["expires_at"]
    assert api.client.delete(path, headers=ana).status_code == 204
    assert api.client.delete(path, headers=ana).status_code == 204  # a retry: nothing held
    assert api.client.get(path, headers=com).json() == {
        "case_id": case_id,
        "locked": False,
        "holder": None,
        "acquired_at": None,
        "expires_at": None,
    }
    assert api.client.put(path, json={}, headers=com).json()["holder"] == "com"


def test_lock_requests_are_checked(api: Api) -> None:
    ana = api.user("ana", "analyst")
    case_id = open_case(api, ana)
    path = f"/cases/{case_id}/lock"
    for minutes in (0, -5, 1441, "soon"):
        response = api.client.put(path, json={"minutes": minutes}, headers=ana)
        assert response.status_code == 422, response.text
        assert response.json()["detail"][0]["loc"] == ["body", "minutes"]
    unknown = api.client.put(path, json={"minutes": 5, "holder": "x"}, headers=ana)
    assert unknown.status_code == 422 and unknown.json()["detail"][0]["loc"] == ["body", "holder"]
    missing = api.client.put("/cases/C-9999/lock", json={}, headers=ana)
    assert missing.status_code == 404 and "C-9999" in missing.json()["detail"]
    assert api.client.get("/cases/C-9999/lock", headers=ana).status_code == 404
    assert api.client.delete("/cases/C-9999/lock", headers=ana).status_code == 404


def test_only_the_commissions_workers_touch_locks(api: Api) -> None:
    case_id = open_case(api, api.user("ana", "analyst"))
    path = f"/cases/{case_id}/lock"
    liaison = api.user("kyiv", "party_liaison", party="UA")
    monitor = api.user("mon", "monitor")
    for headers in (liaison, monitor):
        assert api.client.get(path, headers=headers).status_code == 403
        assert api.client.put(path, json={}, headers=headers).status_code == 403
        assert api.client.delete(path, headers=headers).status_code == 403
    assert api.client.get(path).status_code == 401
