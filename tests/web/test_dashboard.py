"""The dashboard in Chromium: an analyst and the public on the map, filters, the timeline,
an event and a case, live updates, and what the public and other roles cannot reach."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import Browser, Page

from tests.web.conftest import READY, Site, log_in, open_page, screenshot
from truceline.domain import Event
from truceline.store.analysis import add_events, get_events
from truceline.store.commission import get_findings
from truceline.store.listings import published_violation_ids
from truceline.web.baselayer import current_theatre
from truceline.web.eventfile import explain_attribution


def stored_events(site: Site) -> list[Event]:
    with site.engine.connect() as conn:
        return get_events(conn)


def state(page: Page) -> dict[str, Any]:
    result: dict[str, Any] = page.evaluate("() => window.truceline.state()")
    return result


def rendered(page: Page) -> dict[str, int]:
    """Events drawn on the map once it is idle: clusters (with their sizes) and points."""
    result: dict[str, int] = page.evaluate(
        """async () => {
            const { map } = window.truceline;
            if (!map.loaded() || !map.areTilesLoaded()) await window.truceline.idle();
            const clusters = new Map(), points = new Set();
            for (const f of map.queryRenderedFeatures({ layers: ["clusters", "events"] })) {
                const p = f.properties;
                if (p.cluster) clusters.set(p.cluster_id, p.point_count);
                else points.add(p.id);
            }
            const inClusters = [...clusters.values()].reduce((a, b) => a + b, 0);
            const total = inClusters + points.size;
            return { clusters: clusters.size, points: points.size, total };
        }"""
    )
    return result


def test_the_analyst_sees_the_demo_events_on_the_map(page: Page, site: Site, shots: Path) -> None:
    events = stored_events(site)
    log_in(page, site, "analyst")
    shown = state(page)
    assert shown["role"] == "analyst"
    assert shown["loaded"] == shown["shown"] == len(events) > 100
    assert set(shown["shownIds"]) == {e.event_id for e in events}
    drawn = rendered(page)
    assert drawn["clusters"] > 0 and drawn["total"] == len(events), drawn
    assert page.get_by_text(f"{len(events)} of {len(events)} events shown").is_visible()
    assert page.locator("nav a", has_text="Cases").is_visible()
    screenshot(page, shots, "map-analyst")
    assert not page.errors  # type: ignore[attr-defined]


def test_filtering_by_party_shows_only_that_partys_events(page: Page, site: Site) -> None:
    events = stored_events(site)
    log_in(page, site, "analyst")
    for party in ("UA", "RU"):
        page.select_option("select[name=party]", party)
        expected = {e.event_id for e in events if e.responsible_party == party}
        page.wait_for_function(f"() => window.truceline.state().shown === {len(expected)}")
        assert set(state(page)["shownIds"]) == expected and expected
        assert rendered(page)["total"] == len(expected)
    page.select_option("select[name=party]", "-")
    unattributed = [e for e in events if e.responsible_party is None]
    page.wait_for_function(f"() => window.truceline.state().shown === {len(unattributed)}")
    page.select_option("select[name=party]", "")
    page.select_option("select[name=corroboration]", "verified")
    verified = [e for e in events if e.corroboration.value == "verified"]
    page.wait_for_function(f"() => window.truceline.state().shown === {len(verified)}")
    assert 0 < len(verified) < len(events)


def test_brushing_the_timeline_keeps_the_events_of_the_period(page: Page, site: Site) -> None:
    events = stored_events(site)
    log_in(page, site, "analyst")
    box = page.locator("#timeline").bounding_box()
    assert box is not None
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + box["width"] * 0.25, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.6, y, steps=5)
    page.mouse.up()
    after = state(page)
    start, end = after["selection"]
    inside = {e.event_id for e in events if start <= e.time.timestamp() * 1000 < end}
    assert 0 < after["shown"] < len(events)
    assert set(after["shownIds"]) == inside
    assert page.input_value("input[name=from]") != ""
    page.click("#clear-time")
    assert state(page)["shown"] == len(events)


def test_a_point_opens_its_event_page_with_the_attribution_reasoning(
    page: Page, site: Site, shots: Path
) -> None:
    events = stored_events(site)
    launch = next(e for e in events if e.kind.value == "launch" and e.paired_event_id)
    log_in(page, site, "analyst")
    page.evaluate(
        """([lon, lat]) => new Promise((resolve) => {
            const { map } = window.truceline;
            map.once("idle", resolve);
            map.jumpTo({ center: [lon, lat], zoom: 15 });
        })""",
        [launch.lon, launch.lat],
    )
    box = page.locator("#map").bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.get_by_role("link", name="Open the event").click()
    page.wait_for_url(f"{site.url}/ui/events/{launch.event_id}")
    page.wait_for_selector(READY)
    with site.engine.connect() as conn:
        theatre = current_theatre(conn)
    wording = explain_attribution(launch, theatre).wording
    assert page.locator(".wording").inner_text() == wording
    assert page.get_by_role("link", name=launch.paired_event_id or "").is_visible()
    body = page.locator("#event-body").inner_text()
    assert (
        str(len(launch.arrival_ids)) in body
        and launch.corroboration.value.replace("_", " ") in body
    )
    for report_id in launch.report_ids:
        assert report_id in body
    page.wait_for_function("() => window.truceline && window.truceline.map.loaded()")
    screenshot(page, shots, "event")


def test_the_case_page_shows_status_history_finding_and_votes(
    page: Page, site: Site, shots: Path
) -> None:
    with site.engine.connect() as conn:
        finding = get_findings(conn)[0]
    log_in(page, site, "commissioner", next_page="/ui/cases")
    page.get_by_role("link", name=finding.case_id).click()
    page.wait_for_url(f"{site.url}/ui/cases/{finding.case_id}")
    page.wait_for_selector(READY)
    text = page.locator("#case-body").inner_text()
    assert finding.finding_id in text and "beyond reasonable doubt" in text
    assert "Votes" in text and "chair" in text and "History" in text
    screenshot(page, shots, "case")


def test_the_public_sees_only_the_published_violations(page: Page, site: Site, shots: Path) -> None:
    with site.engine.connect() as conn:
        published = published_violation_ids(conn)
    open_page(page, f"{site.url}/ui")
    shown = state(page)
    assert shown["role"] == "public" and shown["noun"] == "published violations"
    assert set(shown["shownIds"]) == published and published
    assert rendered(page)["total"] == len(published)
    assert page.locator("#corroboration-filter").is_hidden()
    assert page.locator("nav a", has_text="Cases").count() == 0
    assert "F-0001" in page.locator("#findings").inner_text()
    screenshot(page, shots, "map-public")


def test_the_public_cannot_reach_analyst_pages(page: Page, site: Site) -> None:
    event_id = stored_events(site)[0].event_id
    asked: list[str] = []
    page.on("request", lambda r: asked.append(urlsplit(r.url).path))
    for path in (f"/ui/events/{event_id}", "/ui/cases", "/ui/cases/C-0001", "/ui/report"):
        page.goto(site.url + path)
        page.wait_for_url(f"{site.url}/ui/login?next=*")
        page.wait_for_selector(READY)
        assert event_id not in page.content()
    data = ("/events", "/web/events/", "/cases", "/reports")
    assert not [path for path in asked if path.startswith(data)], asked
    refused = page.request.get(f"{site.url}/web/events/{event_id}")
    assert refused.status == 401 and event_id not in refused.text()


def test_a_liaison_is_refused_the_event_page_and_reads_no_event(page: Page, site: Site) -> None:
    event_id = stored_events(site)[0].event_id
    log_in(page, site, "liaison_ua", next_page="/ui/cases")
    page.goto(f"{site.url}/ui/events/{event_id}")
    page.wait_for_selector("body[data-refused=true]")
    assert "Not available to your role" in page.inner_text("main")
    assert event_id not in page.inner_text("body")


def test_new_events_appear_without_reloading(page: Page, site: Site) -> None:
    events = stored_events(site)
    newest = max(events, key=lambda e: e.time)
    log_in(page, site, "analyst", next_page="/ui?poll=1")
    before = state(page)["loaded"]
    late = replace(
        newest,
        event_id="EV-LIVE-TEST",
        time=newest.time + timedelta(seconds=1),
        arrival_ids=(),
        report_ids=(),
        paired_event_id=None,
    )
    with site.engine.begin() as conn:
        add_events(conn, events=[late])
    page.wait_for_function("() => window.truceline.state().shownIds.includes('EV-LIVE-TEST')")
    assert state(page)["loaded"] == state(page)["shown"] == before + 1


def test_on_a_tablet_the_filters_fold_above_the_map(
    browser: Browser, site: Site, shots: Path
) -> None:
    tablet = browser.new_context(
        viewport={"width": 820, "height": 1180}, has_touch=True, is_mobile=True
    )
    try:
        page = tablet.new_page()
        open_page(page, f"{site.url}/ui")
        assert page.locator("select[name=party]").is_hidden()
        map_box = page.locator("#map").bounding_box()
        assert map_box is not None and map_box["width"] == 820
        page.tap("#panel-toggle")
        assert page.locator("select[name=party]").is_visible()
        assert page.get_attribute("#panel-toggle", "aria-expanded") == "true"
        toggle = page.locator("#panel-toggle").bounding_box()
        assert toggle is not None and toggle["height"] >= 44  # a finger's target
        screenshot(page, shots, "map-tablet")
    finally:
        tablet.close()
