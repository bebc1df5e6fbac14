"""The dashboard in three languages: pages chosen by ?lang=, the cookie or Accept-Language,
the scripts' messages in the page, the daily report read online, and in Chromium the report
in each language and the map switching language."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import Browser, Page

from tests.web.conftest import READY, Site, open_page
from truceline.web.assets import PAGES

DEMO_DAY = "2026-11-21"
REPORT_TITLES = {
    "en": "Daily report, 21 November 2026",
    "uk": "Щоденний звіт, 21 листопада 2026",
    "ru": "Ежедневный отчёт, 21 ноября 2026",
}


@pytest.fixture(scope="module")
def http(site: Site) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=site.url, timeout=120) as client:
        yield client


def html_lang(html: str) -> str:
    found = re.search(r'<html lang="(\w+)">', html)
    assert found is not None
    return found.group(1)


def test_every_page_is_worded_in_the_language_asked(http: httpx.Client) -> None:
    for path in PAGES:
        url = path.replace("{event_id}", "E-1").replace("{case_id}", "C-1")
        for lang in ("en", "uk", "ru"):
            response = http.get(url, params={"lang": lang})
            assert response.status_code == 200, (url, lang)
            assert html_lang(response.text) == lang
            assert 'id="languages"' in response.text  # the switcher on every page
            assert response.cookies.get("truceline_lang") == lang


def test_the_cookie_then_accept_language_choose_when_no_lang_is_given(
    http: httpx.Client,
) -> None:
    fresh = {"cookie": ""}
    assert html_lang(http.get("/ui", headers=fresh).text) == "en"
    assert html_lang(http.get("/ui", headers={**fresh, "accept-language": "uk-UA,uk"}).text) == "uk"
    by_cookie = http.get("/ui", headers={"cookie": "truceline_lang=ru", "accept-language": "uk"})
    assert html_lang(by_cookie.text) == "ru" and "set-cookie" not in by_cookie.headers
    asked = http.get("/ui?lang=uk", headers={"cookie": "truceline_lang=ru"})
    assert html_lang(asked.text) == "uk" and "Фільтри та шари" in asked.text
    unknown = http.get("/ui?lang=xx", headers={"cookie": "truceline_lang=ru"})
    assert html_lang(unknown.text) == "ru" and "set-cookie" not in unknown.headers


def test_pages_carry_their_scripts_messages(http: httpx.Client) -> None:
    html = http.get("/ui/report", params={"lang": "ru"}).text
    found = re.search(r'<script type="application/json" id="ui-messages"[^>]*>(.*?)</script>', html)
    assert found is not None
    messages = json.loads(found.group(1))
    assert messages["Log out"] == "Выйти"
    assert messages["{n} report waiting to be sent."] == [
        "{n} сообщение ожидает отправки.",
        "{n} сообщения ожидают отправки.",
        "{n} сообщений ожидают отправки.",
    ]
    assert messages["fire across line"] == "огонь через линию"  # domain words for the scripts
    assert "Daily report, %(when)s" not in messages  # only what the scripts use


def test_the_daily_report_is_served_in_each_language(http: httpx.Client) -> None:
    for lang, title in REPORT_TITLES.items():
        response = http.get(f"/ui/reports/daily/{DEMO_DAY}", params={"lang": lang})
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/html")
        assert html_lang(response.text) == lang and title in response.text
        assert "sqlite" not in response.text  # the store's URL is not published
    assert http.get("/ui/reports/daily/21-11-2026").status_code == 422


def test_the_daily_report_opens_in_the_browser_in_each_language(page: Page, site: Site) -> None:
    for lang, title in REPORT_TITLES.items():
        page.goto(f"{site.url}/ui/reports/daily/{DEMO_DAY}?lang={lang}")
        assert page.locator("html").get_attribute("lang") == lang
        assert page.locator("h1").inner_text() == title
        assert page.locator("#figure-map img").evaluate("img => img.naturalWidth") > 500
    assert "Висновки комісії" in page.goto(f"{site.url}/ui/reports/daily/{DEMO_DAY}?lang=uk").text()  # type: ignore[union-attr]
    assert not page.errors  # type: ignore[attr-defined]


def test_the_map_switches_language_and_keeps_it(page: Page, site: Site) -> None:
    open_page(page, f"{site.url}/ui")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("#findings h2").inner_text() == "Findings of the commission"
    page.click("#languages a[data-lang=uk]")
    page.wait_for_url(re.compile(r"lang=uk"))
    page.wait_for_selector(READY)
    assert page.locator("html").get_attribute("lang") == "uk"
    assert page.locator("#findings h2").inner_text() == "Висновки комісії"
    assert "Показано опублікованих порушень" in page.locator("#status").inner_text()
    assert page.locator("nav[aria-label=Сторінки] a", has_text="Карта").is_visible()
    open_page(page, f"{site.url}/ui")  # the cookie keeps the choice
    assert page.locator("html").get_attribute("lang") == "uk"
    page.click("#languages a[data-lang=ru]")
    page.wait_for_url(re.compile(r"lang=ru"))
    page.wait_for_selector(READY)
    assert page.locator("#findings h2").inner_text() == "Заключения комиссии"
    assert not page.errors  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("en", "21 Nov, 06:05"), ("uk", "21 лист., 06:05"), ("ru", "21 нояб., 06:05")],
)
def test_the_timeline_axis_writes_dates_in_the_pages_language(
    browser: Browser, site: Site, lang: str, expected: str
) -> None:
    # A browser far west of UTC: local time would be 20 November, 22:05.
    context = browser.new_context(timezone_id="America/Los_Angeles", service_workers="block")
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        open_page(page, f"{site.url}/ui?lang={lang}")
        label = page.evaluate(
            """async () => (await import("/ui/static/js/timeline.js"))
                .axisLabel(Date.UTC(2026, 10, 21, 6, 5, 59))"""
        )
        assert label == expected
        assert page.locator("#timeline").evaluate("c => c.width") > 0  # the axis was drawn
        assert errors == []
    finally:
        context.close()
