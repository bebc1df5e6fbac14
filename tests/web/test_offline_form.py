"""The monitor's report form in Chromium: reports queue while the network is cut and are
sent once when it returns; a report the API already has is not stored twice; a refused one
is set aside; the service worker keeps the form for offline use."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, BrowserContext, Page, Request

from tests.web.conftest import READY, Site, log_in, screenshot
from truceline.domain import Report
from truceline.store.observations import get_reports


def stored_reports(site: Site, ids: set[str]) -> list[Report]:
    with site.engine.connect() as conn:
        return [r for r in get_reports(conn) if r.report_id in ids]


def outbox(page: Page) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = page.evaluate("() => window.truceline.outbox.entries()")
    return entries


def fill_report(page: Page, *, event_type: str, bearing: str, text: str) -> None:
    page.select_option("select[name=event_type]", event_type)
    page.fill("input[name=observer_lon]", "37.5")
    page.fill("input[name=observer_lat]", "48.6")
    page.fill("input[name=bearing_deg]", bearing)
    page.fill("textarea[name=text]", text)
    page.click("form#report button[type=submit]")


def posts_to_reports(page: Page) -> list[Request]:
    """Every POST /reports the page makes from now on (answered or not)."""
    posts: list[Request] = []
    page.on(
        "request",
        lambda r: posts.append(r) if r.method == "POST" and r.url.endswith("/reports") else None,
    )
    return posts


def open_form(page: Page, site: Site) -> None:
    log_in(page, site, "monitor", next_page="/ui/report")
    assert page.url == f"{site.url}/ui/report"


def test_reports_queue_offline_and_are_sent_once_when_back_online(
    page: Page, context: BrowserContext, site: Site, shots: Path
) -> None:
    open_form(page, site)
    posts = posts_to_reports(page)
    context.set_offline(True)
    page.wait_for_selector("#connection[data-online=false]")
    fill_report(page, event_type="shot", bearing="95", text="two shots heard, east")
    fill_report(page, event_type="impact", bearing="120", text="impact south-east")
    queued = outbox(page)
    ids = {e["report"]["report_id"] for e in queued}
    assert [e["state"] for e in queued] == ["queued", "queued"] and len(ids) == 2
    assert page.get_by_text("2 reports waiting to be sent.").is_visible()
    page.wait_for_timeout(500)
    assert posts == [] and stored_reports(site, ids) == []
    screenshot(page, shots, "report-form-offline")

    context.set_offline(False)
    page.wait_for_function("() => window.truceline.outbox.entries().length === 0")
    stored = stored_reports(site, ids)
    assert sorted(r.report_id for r in stored) == sorted(ids)
    assert {r.source_id for r in stored} == {"monitor"}
    assert {r.event_type for r in stored} == {"shot", "impact"}
    assert {r.bearing_deg for r in stored} == {95.0, 120.0}
    assert len(posts) == 1 and posts[0].response() is not None
    assert posts[0].response().json() == {"new": 2, "existing": 0}  # type: ignore[union-attr]
    page.wait_for_timeout(300)
    assert len(posts) == 1  # no second sending
    assert page.get_by_text("Nothing waiting.").is_visible()


def test_a_report_stored_before_its_answer_was_lost_is_not_stored_twice(
    page: Page, context: BrowserContext, site: Site
) -> None:
    open_form(page, site)
    context.set_offline(True)
    fill_report(page, event_type="explosion", bearing="10", text="answer lost")
    report = outbox(page)[0]["report"]
    # The API stored the batch but the answer never reached the tablet: it sends it again.
    stored_first = page.request.post(
        f"{site.url}/reports",
        data=[report],
        headers={"Authorization": f"Bearer {site.tokens['monitor']}"},
    )
    assert stored_first.json() == {"new": 1, "existing": 0}
    posts = posts_to_reports(page)
    context.set_offline(False)
    page.wait_for_function("() => window.truceline.outbox.entries().length === 0")
    assert posts[0].response().json() == {"new": 0, "existing": 1}  # type: ignore[union-attr]
    assert len(stored_reports(site, {report["report_id"]})) == 1


def test_a_report_the_api_refuses_is_set_aside_with_the_reason(
    page: Page, context: BrowserContext, site: Site
) -> None:
    open_form(page, site)
    context.set_offline(True)
    page.select_option("select[name=event_type]", "explosion")
    page.fill("input[name=observer_lon]", "37.5")  # half a coordinate pair: the API says 422
    page.click("form#report button[type=submit]")
    context.set_offline(False)
    page.wait_for_function(
        "() => window.truceline.outbox.entries().every((e) => e.state === 'refused')"
    )
    entry = outbox(page)[0]
    assert "observer_lat" in entry["error"]
    assert stored_reports(site, {entry["report"]["report_id"]}) == []
    assert page.locator("#outbox li[data-state=refused]").count() == 1


def test_the_service_worker_keeps_the_form_for_offline_use(browser: Browser, site: Site) -> None:
    context = browser.new_context(viewport={"width": 820, "height": 1180}, has_touch=True)
    try:
        page = context.new_page()
        open_form(page, site)
        page.evaluate("() => navigator.serviceWorker.ready")
        page.wait_for_function("() => navigator.serviceWorker.controller !== null")
        cached = page.evaluate(
            "async () => (await (await caches.open('truceline-report-v1')).keys())"
            ".map((r) => new URL(r.url).pathname)"
        )
        assert {"/ui/report", "/ui/static/js/report.js", "/ui/static/js/queue.js"} <= set(cached)
        context.set_offline(True)
        page.reload()
        page.wait_for_selector(READY)
        assert page.locator("form#report").is_visible()
        assert page.get_by_text("Offline: reports are kept on this device").is_visible()
    finally:
        context.close()


def test_other_roles_are_not_offered_the_form(page: Page, site: Site) -> None:
    log_in(page, site, "guarantor_fr", next_page="/ui/login")
    assert page.locator("nav a", has_text="File a report").count() == 0
    page.goto(f"{site.url}/ui/report")
    page.wait_for_selector("body[data-refused=true]")
    assert page.locator("form#report").count() == 0
