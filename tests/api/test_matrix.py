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
    MEMBERSHIP,
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
    path = path.replace("{remedy_id}", world.remedy_ids["ru"]).replace("{commitment_id}", "FR-2")
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
        ("PUT", "/cases/{case_id}/lock"): {"json": {"minutes": 5}},
        ("PUT", "/members"): {"json": MEMBERSHIP},
        ("POST", "/cases/{case_id}/remedies"): {"json": {"kinds": ["joint_inspection"]}},
        ("POST", "/remedies/{remedy_id}/compliance"): {
            "json": {"complied_at": "2026-12-01T10:00:00Z", "note": "matrix"}
        },
        ("POST", "/commitments/{commitment_id}/ratification"): {
            "json": {"to_status": "ratified_by_parliament", "effective_on": "2026-12-02"}
        },
        ("POST", "/commitments/{commitment_id}/deliveries"): {
            "json": {"quantity": 1, "delivered_on": "2026-12-02"}
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
    """Every GET route with every case, remedy and commitment (and the finding) in its path."""
    ids = {
        "{case_id}": list(world.case_ids.values()),
        "{remedy_id}": list(world.remedy_ids.values()),
        "{commitment_id}": list(world.commitment_ids),
        "{finding_id}": [world.finding_id],
    }
    paths = []
    for method, path in EXPECTED_POLICY:
        if method != "GET":
            continue
        slot = next((name for name in ids if name in path), None)
        paths += [path] if slot is None else [path.replace(slot, i) for i in ids[slot]]
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
        assert api.client.get("/publications", headers=h[viewer]).json()["count"] == 4
    assert api.client.get("/violations", headers=h["analyst"]).json()["count"] == 2


def test_a_guarantor_asking_for_another_state_gets_nothing(api: Api, world: World) -> None:
    response = api.client.get("/commitments?guarantor=DE", headers=world.headers["guarantor_fr"])
    assert response.json() == {"data": [], "count": 0}


def test_liaisons_see_the_remedies_addressed_to_their_party(api: Api, world: World) -> None:
    h = world.headers
    for party, other in (("ua", "ru"), ("ru", "ua")):
        listed = api.client.get("/remedies", headers=h[f"liaison_{party}"]).json()
        assert [r["remedy_id"] for r in listed["data"]] == [world.remedy_ids[party]]
        assert listed["data"][0]["compliance_note"] == MARKERS[f"remedy_{party}"]
        theirs = f"/remedies/{world.remedy_ids[other]}"
        assert api.client.get(theirs, headers=h[f"liaison_{party}"]).status_code == 404
        asked = api.client.get(f"/remedies?party={other.upper()}", headers=h[f"liaison_{party}"])
        assert asked.json() == {"data": [], "count": 0}
    assert api.client.get("/remedies", headers=h["commissioner"]).json()["count"] == 2


def test_guarantors_see_only_their_own_states_ratification_and_deliveries(
    api: Api, world: World
) -> None:
    h = world.headers
    for state, other in (("fr", "DE"), ("de", "FR")):
        own = f"/commitments/{state.upper()}-2"
        steps = texts(api, f"{own}/ratification", h[f"guarantor_{state}"])
        assert MARKERS[f"ratify_{state}"] in steps
        assert MARKERS[f"delivery_{state}"] in texts(
            api, f"{own}/deliveries", h[f"guarantor_{state}"]
        )
        for route in ("ratification", "deliveries"):
            theirs = api.client.get(
                f"/commitments/{other}-2/{route}", headers=h[f"guarantor_{state}"]
            )
            assert theirs.status_code == 404, theirs.text
            written = api.client.post(
                f"/commitments/{other}-2/{route}",
                json={"quantity": 1, "delivered_on": "2026-12-02"}
                if route == "deliveries"
                else {"to_status": "withdrawn", "effective_on": "2026-12-02"},
                headers=h[f"guarantor_{state}"],
            )
            assert written.status_code == 404, written.text
    untouched = texts(api, "/commitments/DE-2/ratification", h["analyst"])
    assert "withdrawn" not in untouched


def test_a_lock_holder_is_seen_by_the_commission_only(api: Api, world: World) -> None:
    path = f"/cases/{world.case_ids['ua']}/lock"
    assert MARKERS["lock"] in texts(api, path, world.headers["commissioner"])
    own_case = texts(api, f"/cases/{world.case_ids['ua']}", world.headers["liaison_ua"])
    assert MARKERS["case_ua"] in own_case and MARKERS["lock"] not in own_case
