"""The dashboard's routes over HTTP: pages and assets for anyone (and no data in them), who
the caller is, the base layer, and an event's file for the staff only."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.web.conftest import Site
from truceline.domain import Event
from truceline.store.analysis import get_events, get_violations
from truceline.web.assets import PAGES
from truceline.web.baselayer import current_theatre
from truceline.web.eventfile import explain_attribution


@pytest.fixture(scope="module")
def http(site: Site) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=site.url, timeout=30) as client:
        yield client


def bearer(site: Site, user: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {site.tokens[user]}"}


def demo_events(site: Site) -> list[Event]:
    with site.engine.connect() as conn:
        return get_events(conn)


def test_pages_are_served_to_anyone_and_hold_no_data(http: httpx.Client, site: Site) -> None:
    event_id = demo_events(site)[0].event_id
    for path in PAGES:
        response = http.get(path.replace("{event_id}", event_id).replace("{case_id}", "C-0001"))
        assert response.status_code == 200, path
        assert response.headers["content-type"].startswith("text/html")
        assert response.headers["cache-control"] == "no-cache"
        assert event_id not in response.text and "C-0001" not in response.text
    home = http.get("/", follow_redirects=False)
    assert home.status_code == 307 and home.headers["location"] == "/ui"


def test_assets_are_served_with_their_types_and_nothing_else(http: httpx.Client) -> None:
    script = http.get("/ui/static/js/map.js")
    assert script.status_code == 200 and script.headers["content-type"].startswith(
        "text/javascript"
    )
    maplibre = http.get("/ui/static/vendor/maplibre-gl/maplibre-gl.js")
    assert maplibre.status_code == 200 and "maplibregl" in maplibre.text[:5000]
    assert (
        http.get("/ui/static/vendor/maplibre-gl/maplibre-gl.css")
        .headers["content-type"]
        .startswith("text/css")
    )
    worker = http.get("/ui/sw.js")
    assert worker.status_code == 200 and worker.headers["content-type"].startswith(
        "text/javascript"
    )
    for path in ("/ui/static/..%2F..%2Fsettings.py", "/ui/static/js/nope.js", "/ui/static/js"):
        assert http.get(path).status_code == 404, path


def test_me_says_who_the_token_belongs_to(http: httpx.Client, site: Site) -> None:
    assert http.get("/web/me").json()["role"] == "public"
    liaison = http.get("/web/me", headers=bearer(site, "liaison_ua")).json()
    assert liaison == {
        "name": "liaison_ua",
        "role": "party_liaison",
        "party": "UA",
        "state": None,
        "member_id": None,
    }
    refused = http.get("/web/me", headers={"Authorization": "Bearer tl_0000.nope"})
    assert refused.status_code == 401


def test_the_base_layer_is_the_same_for_everyone(http: httpx.Client, site: Site) -> None:
    public = http.get("/web/theatre").json()
    assert public == http.get("/web/theatre", headers=bearer(site, "analyst")).json()
    layers = {f["properties"]["layer"] for f in public["features"]}
    assert layers == {"border", "control_area", "zone", "contact_line", "protected_site"}
    assert [p["id"] for p in public["parties"]] == ["UA", "RU"]


def test_an_event_file_explains_the_attribution_to_the_staff(
    http: httpx.Client, site: Site
) -> None:
    events = demo_events(site)
    launch = next(e for e in events if e.kind.value == "launch" and e.responsible_party)
    with site.engine.connect() as conn:
        theatre = current_theatre(conn)
        violations = [v.violation_id for v in get_violations(conn) if v.event_id == launch.event_id]
    for user in ("analyst", "monitor", "commissioner"):
        response = http.get(f"/web/events/{launch.event_id}", headers=bearer(site, user))
        assert response.status_code == 200, (user, response.text)
    file = response.json()
    assert file["event"]["event_id"] == launch.event_id
    assert file["attribution"]["wording"] == explain_attribution(launch, theatre).wording
    assert file["attribution"]["party"] == launch.party_control
    assert round(file["attribution"]["p_party"], 4) == launch.p_control
    assert file["attribution"]["reason"]["sources"]["sensors"] == launch.n_sensors
    assert file["paired_event"]["event_id"] == launch.paired_event_id
    assert [v["violation_id"] for v in file["violations"]] == violations


def test_an_event_file_is_refused_to_all_but_the_staff(http: httpx.Client, site: Site) -> None:
    event_id = demo_events(site)[0].event_id
    public = http.get(f"/web/events/{event_id}")
    assert public.status_code == 401 and event_id not in public.text
    for user in ("liaison_ua", "guarantor_fr"):
        refused = http.get(f"/web/events/{event_id}", headers=bearer(site, user))
        assert refused.status_code == 403 and event_id not in refused.text
    missing = http.get("/web/events/EV-NOPE", headers=bearer(site, "analyst"))
    assert missing.status_code == 404 and "EV-NOPE" in missing.json()["detail"]
