"""Cases through the API, from opening to a published finding; evidence; filtered reads."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from pathlib import Path

import truceline
from tests.api.conftest import Api
from truceline.app.commission import load_members
from truceline.domain import Event, EventKind, Severity, Violation, ViolationType
from truceline.store.analysis import add_events, add_violations

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
MEMBERS = Path(truceline.__file__).parent / "data" / "demo_members.json"


def seed_violations(api: Api) -> None:
    events = [
        Event(
            f"E{i}",
            T0 + timedelta(hours=i),
            37.0 + i / 10,
            48.0,
            EventKind.LAUNCH,
            responsible_party=party,
        )
        for i, party in enumerate(["RU", "UA", "RU"])
    ]
    violations = [
        Violation(
            f"V{i}",
            kind,
            Severity.HIGH,
            e.time,
            e.event_id,
            party=e.responsible_party,
            lon=e.lon,
            lat=e.lat,
            description=f"violation {i}",
        )
        for i, (e, kind) in enumerate(
            zip(
                events,
                [
                    ViolationType.FIRE_ACROSS_LINE,
                    ViolationType.FIRE_AT_PROTECTED_SITE,
                    ViolationType.FIRE_ACROSS_LINE,
                ],
                strict=True,
            )
        )
    ]
    with api.engine.begin() as conn:
        add_events(conn, events=events)
        add_violations(conn, violations=violations)


def test_a_case_goes_from_opening_to_a_published_finding(api: Api) -> None:
    seed_violations(api)
    load_members(api.engine, path=MEMBERS, actor="setup")
    analyst = api.user("ana", "analyst")
    voters = {m: api.user(f"com-{m}", "commissioner", member_id=m) for m in ("chair", "fr", "gb")}
    opened = api.client.post(
        "/cases", json={"violation_ids": ["V0"], "alleged_by": "UA"}, headers=analyst
    )
    assert opened.status_code == 201, opened.text
    case_id = opened.json()["case_id"]
    assert opened.json()["accused_party"] == "RU"
    public = api.client.get("/violations").json()
    assert public["count"] == 0  # nothing decided: nothing published
    chair = voters["chair"]  # writes take the case's edit lock: one actor drives the case
    for status in ("inquiry", "investigation", "draft_finding"):
        moved = api.client.post(
            f"/cases/{case_id}/advance", json={"to_status": status}, headers=chair
        )
        assert moved.status_code == 200, moved.text
    skip = api.client.post(
        f"/cases/{case_id}/advance", json={"to_status": "finding"}, headers=chair
    )
    assert skip.status_code == 409
    draft = {
        "responsible_party": "RU",
        "standard_of_proof": "clear_and_convincing",
        "severity": "high",
    }
    locked = api.client.post(f"/cases/{case_id}/draft", json=draft, headers=analyst)
    assert locked.status_code == 409 and "locked by com-chair" in locked.text
    assert api.client.post(f"/cases/{case_id}/draft", json=draft, headers=chair).status_code == 200
    assert (
        api.client.post(
            f"/cases/{case_id}/advance", json={"to_status": "vote"}, headers=chair
        ).status_code
        == 200
    )
    for headers in voters.values():
        cast = api.client.post(f"/cases/{case_id}/votes", json={"choice": "for"}, headers=headers)
        assert cast.status_code == 200, cast.text
    twice = api.client.post(f"/cases/{case_id}/votes", json={"choice": "for"}, headers=voters["fr"])
    assert twice.status_code == 409
    decided = api.client.post(f"/cases/{case_id}/decide", json={}, headers=chair)
    assert decided.status_code == 200 and decided.json()["adopted"], decided.text
    finding_id = decided.json()["finding"]["finding_id"]
    public = api.client.get("/violations").json()
    assert [v["violation_id"] for v in public["data"]] == ["V0"]
    assert api.client.get(f"/findings/{finding_id}").json()["responsible_party"] == "RU"
    assert api.client.get("/publications").json()["data"][0]["record_id"] == finding_id
    case_file = api.client.get(f"/cases/{case_id}", headers=analyst).json()
    assert [t["to_status"] for t in case_file["transitions"]][-1] == "finding"
    assert len(case_file["votes"]) == 3


def test_a_liaison_alleges_for_its_own_party_only(api: Api) -> None:
    ua = api.user("ua", "party_liaison", party="UA")
    for_other = {"accused_party": "RU", "title": "shelling", "alleged_by": "RU"}
    assert api.client.post("/cases", json=for_other, headers=ua).status_code == 422
    no_accused = api.client.post("/cases", json={"title": "x"}, headers=ua)
    assert (
        no_accused.status_code == 422
        and no_accused.json()["detail"][0]["loc"][-1] == "accused_party"
    )
    made = api.client.post("/cases", json={"accused_party": "RU", "title": "shelling"}, headers=ua)
    assert made.status_code == 201 and made.json()["alleged_by"] == "UA"


def test_evidence_upload_is_hashed_listed_and_not_duplicated(api: Api) -> None:
    seed_violations(api)
    analyst = api.user("ana", "analyst")
    case_id = api.client.post("/cases", json={"violation_ids": ["V1"]}, headers=analyst).json()[
        "case_id"
    ]
    files = {"file": ("../../etc/clip.mp4", b"frame bytes")}
    added = api.client.post(
        f"/cases/{case_id}/evidence", files=files, data={"description": "clip"}, headers=analyst
    )
    assert added.status_code == 201, added.text
    item = added.json()
    assert (
        item["reference"] == "clip.mp4" and item["size_bytes"] == 11 and item["added_by"] == "ana"
    )
    assert item["sha256"] == hashlib.sha256(b"frame bytes").hexdigest()
    assert (api.settings.output_dir / "evidence").is_dir()
    again = api.client.post(f"/cases/{case_id}/evidence", files=files, headers=analyst)
    assert again.status_code == 409
    listed = api.client.get(f"/cases/{case_id}/evidence", headers=analyst).json()
    assert listed["count"] == 1 and listed["data"][0]["evidence_id"] == item["evidence_id"]
    missing = api.client.get("/cases/C-9999/evidence", headers=analyst)
    assert missing.status_code == 404


def test_lists_filter_and_page(api: Api) -> None:
    seed_violations(api)
    analyst = api.user("ana", "analyst")

    def ids(path: str) -> tuple[list[str], int]:
        body = api.client.get(path, headers=analyst).json()
        key = "event_id" if path.startswith("/events") else "violation_id"
        return [item[key] for item in body["data"]], body["count"]

    assert ids("/events") == (["E0", "E1", "E2"], 3)
    assert ids("/events?limit=1&offset=1") == (["E1"], 3)
    assert ids("/events?party=RU") == (["E0", "E2"], 2)
    assert ids("/events?bbox=37.05,47,37.15,49") == (["E1"], 1)
    assert ids("/events?start=2026-12-01T10:00:00Z&end=2026-12-01T11:00:00%2B00:00") == (["E1"], 1)
    assert ids("/violations?type=fire_at_protected_site") == (["V1"], 1)
    assert ids("/events?kind=impact") == ([], 0)
    bad = api.client.get("/events?bbox=40,47,37,49", headers=analyst)
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["query", "bbox"]
    naive = api.client.get("/events?start=2026-12-01T10:00:00", headers=analyst)
    assert naive.status_code == 422 and naive.json()["detail"][0]["loc"] == ["query", "start"]
    assert api.client.get("/events?limit=0", headers=analyst).status_code == 422
