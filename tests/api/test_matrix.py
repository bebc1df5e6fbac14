"""The authorization matrix: every route, every role, and what each role's lists contain.

Two liaisons of hostile parties and two guarantors read everything they may call; no
response may contain another party's confidential submission or anything unpublished.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.conftest import Api
from tests.api.world import (
    EXPECTED_POLICY,
    MARKERS,
    PUBLISHED_TEXT,
    VIEWERS,
    World,
    build_world,
    forbidden_markers,
)


@pytest.fixture
def world(api: Api) -> World:
    return build_world(api)


def request_for(route: tuple[str, str], world: World) -> dict[str, Any]:
    """A well-formed request to ``route`` (so that an allowed caller is not refused)."""
    method, path = route
    path = path.replace("{case_id}", world.case_ids["open"])
    path = path.replace("{finding_id}", world.finding_id)
    path = path.replace("{item_id}", "event:E-PUBLISHED").replace("{edit_id}", "ED-0001")
    bodies: dict[tuple[str, str], dict[str, Any]] = {
        ("POST", "/sensors"): {"json": [{"sensor_id": "S-M", "lon": 30.0, "lat": 50.0}]},
        ("POST", "/sensors/csv"): {"content": b"sensor_id,lon,lat\nS-M,30,50\n"},
        ("POST", "/arrivals"): {"json": []},
        ("POST", "/arrivals/csv"): {"content": b"arrival_id,sensor_id,time\n"},
        ("POST", "/reports"): {"json": []},
        ("POST", "/reports/csv"): {"content": b"report_id,source_id,source_kind,time,event_type\n"},
        ("POST", "/cases"): {
            "json": {"accused_party": "XX", "title": "matrix", "alleged_by": "UA"}
        },
        ("POST", "/cases/{case_id}/advance"): {"json": {"to_status": "inquiry"}},
        ("POST", "/cases/{case_id}/draft"): {
            "json": {"standard_of_proof": "clear_and_convincing", "severity": "high"}
        },
        ("POST", "/cases/{case_id}/votes"): {"json": {"choice": "for"}},
        ("POST", "/cases/{case_id}/decide"): {"json": {}},
        ("POST", "/cases/{case_id}/evidence"): {"files": {"file": ("clip.txt", b"evidence")}},
        ("POST", "/review/items/{item_id}/decision"): {
            "json": {"action": "confirm", "reason": "matrix"}
        },
        ("POST", "/review/merge"): {
            "json": {"event_ids": ["E-PUBLISHED", MARKERS["event_unpublished"]], "reason": "m"}
        },
        ("POST", "/review/split"): {
            "json": {"event_id": "E-PUBLISHED", "report_ids": ["R-MON"], "reason": "m"}
        },
        ("POST", "/review/edits/{edit_id}/undo"): {"json": {"reason": "matrix"}},
        ("POST", "/review/rerun"): {
            "json": {"start": "2020-01-01T00:00:00Z", "end": "2020-01-02T00:00:00Z"}
        },
    }
    return {"method": method, "url": path, **bodies.get(route, {})}


def test_every_role_is_allowed_or_refused_as_the_policy_says(api: Api, world: World) -> None:
    wrong = []
    for route, allowed in EXPECTED_POLICY.items():
        for viewer in VIEWERS:
            response = api.client.request(
                **request_for(route, world), headers=world.headers[viewer]
            )
            assert response.status_code < 500, (route, viewer, response.text)
            if viewer in allowed:
                ok = response.status_code not in (401, 403)
            else:
                ok = response.status_code == (401 if viewer == "public" else 403)
            if not ok:
                wrong.append((route, viewer, response.status_code, response.text[:120]))
    assert not wrong, wrong


def read_paths(world: World) -> list[str]:
    """Every GET route with every case (and the finding) in its path."""
    paths = []
    for method, path in EXPECTED_POLICY:
        if method != "GET":
            continue
        if "{case_id}" in path:
            paths += [path.replace("{case_id}", case_id) for case_id in world.case_ids.values()]
        else:
            paths.append(path.replace("{finding_id}", world.finding_id))
    return paths


@pytest.mark.parametrize("viewer", VIEWERS)
def test_no_response_leaks_what_the_viewer_may_not_see(api: Api, world: World, viewer: str) -> None:
    forbidden = forbidden_markers(viewer)
    leaks = []
    for path in read_paths(world):
        for query in ("", "?limit=1000", "?party=UA", "?party=RU"):
            response = api.client.get(path + query, headers=world.headers[viewer])
            assert response.status_code < 500, (path, response.text)
            leaks += [(path + query, m) for m in forbidden if m in response.text]
    assert not leaks, f"{viewer} sees what it must not: {leaks}"


def texts(api: Api, path: str, headers: dict[str, str]) -> str:
    response = api.client.get(path, headers=headers)
    assert response.status_code == 200, (path, response.text)
    return response.text


def test_each_viewer_sees_its_own_and_the_published(api: Api, world: World) -> None:
    h = world.headers
    every_report = texts(api, "/reports", h["analyst"])
    assert all(MARKERS[k] in every_report for k in ("report_monitor", "report_ua", "report_ru"))
    assert MARKERS["report_ua"] in texts(api, "/reports", h["liaison_ua"])
    assert MARKERS["report_ru"] in texts(api, "/reports", h["liaison_ru"])
    assert MARKERS["case_ua"] in texts(api, "/cases", h["liaison_ua"])
    assert MARKERS["case_ua"] in texts(api, f"/cases/{world.case_ids['ua']}", h["liaison_ua"])
    assert (
        api.client.get(f"/cases/{world.case_ids['ua']}", headers=h["liaison_ru"]).status_code == 404
    )
    assert MARKERS["commitment_fr"] in texts(api, "/commitments", h["guarantor_fr"])
    assert MARKERS["commitment_de"] in texts(api, "/commitments", h["guarantor_de"])
    for viewer in ("public", "liaison_ua", "guarantor_de", "sensor_feed"):
        assert PUBLISHED_TEXT in texts(api, "/violations", h[viewer])
        assert texts(api, "/findings", h[viewer]).count('"finding_id":"F-1"') == 1
        assert api.client.get("/activations", headers=h[viewer]).json()["count"] == 2
        assert api.client.get("/publications", headers=h[viewer]).json()["count"] == 3
    assert api.client.get("/violations", headers=h["analyst"]).json()["count"] == 2


def test_a_guarantor_asking_for_another_state_gets_nothing(api: Api, world: World) -> None:
    response = api.client.get("/commitments?guarantor=DE", headers=world.headers["guarantor_fr"])
    assert response.json() == {"data": [], "count": 0}
