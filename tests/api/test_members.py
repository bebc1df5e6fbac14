"""The commission's members through the API: loading them, reading them, recusal per case."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

import pytest

from tests.api.conftest import Api
from truceline.domain import Case, CaseStatus
from truceline.store.commission import open_case

DOCUMENT: dict[str, Any] = {
    "mechanism": "commission",
    "rules": {"quorum": {"fraction": "2/3"}, "majority": {"kind": "qualified", "fraction": 0.75}},
    "members": [
        {"id": "chair", "name": "A. Neutral", "affiliation": "neutral"},
        {"id": "fr", "name": "B. Guarantor", "affiliation": "guarantor", "state": "FR"},
        {"id": "ua", "name": "C. Party", "affiliation": "party", "state": "UA"},
        {"id": "ru", "name": "D. Party", "affiliation": "party", "state": "RU"},
    ],
}


def test_a_commissioner_loads_the_members_and_staff_read_them(api: Api) -> None:
    com, ana = api.user("com", "commissioner"), api.user("ana", "analyst")
    loaded = api.client.put("/members", json=DOCUMENT, headers=com)
    assert loaded.status_code == 200, loaded.text
    assert loaded.json() == {
        "mechanism": "commission",
        "members": 4,
        "added": ["chair", "fr", "ua", "ru"],
        "updated": [],
        "deactivated": [],
    }
    again = api.client.put("/members", json=DOCUMENT, headers=com).json()
    assert (again["added"], again["updated"], again["deactivated"]) == ([], [], [])
    smaller = copy.deepcopy(DOCUMENT)
    smaller["members"] = smaller["members"][:3]
    smaller["members"][1]["name"] = "B. Guarantor (renamed)"
    changed = api.client.put("/members", json=smaller, headers=com).json()
    assert (changed["updated"], changed["deactivated"]) == (["fr"], ["ru"])
    listed = api.client.get("/members", headers=ana).json()
    assert listed["count"] == 4
    assert [m["member_id"] for m in listed["data"]] == ["chair", "fr", "ru", "ua"]
    inactive = api.client.get("/members?active=false", headers=ana).json()
    assert [(m["member_id"], m["affiliation"]) for m in inactive["data"]] == [("ru", "RU")]
    page = api.client.get("/members?limit=1&offset=1", headers=ana).json()
    assert page["count"] == 4 and [m["member_id"] for m in page["data"]] == ["fr"]
    assert api.client.get("/members?mechanism=board", headers=ana).json()["count"] == 0


def test_members_of_a_party_to_a_case_are_recused(api: Api) -> None:
    com = api.user("com", "commissioner")
    api.client.put("/members", json=DOCUMENT, headers=com)
    case = Case("C-1", "t", CaseStatus.VOTE, datetime(2026, 12, 1, tzinfo=UTC), (), "UA", "RU")
    with api.engine.begin() as conn:
        open_case(conn, case=case, actor="setup")
    seen = api.client.get("/cases/C-1/members", headers=com).json()
    flags = {m["member_id"]: (m["recused"], m["eligible"]) for m in seen["data"]}
    assert flags == {
        "chair": (False, True),
        "fr": (False, True),
        "ru": (True, False),
        "ua": (True, False),
    }
    assert api.client.get("/cases/C-404/members", headers=com).status_code == 404


def _broken(path: list[str | int], value: Any) -> dict[str, Any]:
    document = copy.deepcopy(DOCUMENT)
    target: Any = document
    for key in path[:-1]:
        target = target[key]
    if value is None:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return document


@pytest.mark.parametrize(
    ("path", "value", "field"),
    [
        (["members", 0, "state"], "FR", "members[0].state"),  # a neutral member has no state
        (["members", 1, "state"], None, "members[1].state"),  # a guarantor needs one
        (["members", 2, "id"], "chair", "members[2].id"),  # an id given twice
        (["rules", "quorum", "count"], 3, "rules.quorum"),  # count and fraction both
        (["rules", "quorum", "fraction"], "two thirds", "rules.quorum.fraction"),
        (["rules", "majority", "fraction"], "1/2", "rules.majority.fraction"),
    ],
)
def test_a_malformed_membership_is_refused_naming_the_field(
    api: Api, path: list[str | int], value: Any, field: str
) -> None:
    com = api.user("com", "commissioner")
    response = api.client.put("/members", json=_broken(path, value), headers=com)
    assert response.status_code == 422, response.text
    item = response.json()["detail"][0]
    assert item["column"] == field and item["loc"] == ["body", field]
    assert api.client.get("/members", headers=com).json()["count"] == 0  # nothing stored


@pytest.mark.parametrize(
    ("document", "loc"),
    [
        (_broken(["members"], []), ["body", "members"]),
        (_broken(["members", 0, "affiliation"], "observer"), ["body", "members", 0, "affiliation"]),
        (_broken(["rules", "majority", "kind"], "most"), ["body", "rules", "majority", "kind"]),
        (_broken(["rules", "quorum", "count"], 0), ["body", "rules", "quorum", "count"]),
        (_broken(["rules"], None), ["body", "rules"]),
        ({**DOCUMENT, "chair": "x"}, ["body", "chair"]),
    ],
)
def test_a_badly_shaped_membership_is_refused_naming_the_field(
    api: Api, document: dict[str, Any], loc: list[str | int]
) -> None:
    response = api.client.put("/members", json=document, headers=api.user("com", "commissioner"))
    assert response.status_code == 422, response.text
    assert response.json()["detail"][0]["loc"] == loc


def test_a_member_of_another_mechanism_is_a_conflict(api: Api) -> None:
    com = api.user("com", "commissioner")
    api.client.put("/members", json=DOCUMENT, headers=com)
    board = {**DOCUMENT, "mechanism": "board", "members": DOCUMENT["members"][:1]}
    response = api.client.put("/members", json=board, headers=com)
    assert response.status_code == 409 and "chair" in response.json()["detail"]


def test_only_commissioners_load_members_and_only_staff_read_them(api: Api) -> None:
    ana = api.user("ana", "analyst")
    assert api.client.put("/members", json=DOCUMENT, headers=ana).status_code == 403
    for name, role, binding in (
        ("kyiv", "party_liaison", {"party": "UA"}),
        ("paris", "guarantor", {"state": "FR"}),
        ("mon", "monitor", {}),
    ):
        headers = api.user(name, role, **binding)
        assert api.client.get("/members", headers=headers).status_code == 403
        assert api.client.put("/members", json=DOCUMENT, headers=headers).status_code == 403
    assert api.client.get("/members").status_code == 401
    assert api.client.put("/members", json=DOCUMENT).status_code == 401
