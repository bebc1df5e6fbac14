"""The review page in Chromium: analysts work the queue, merge, split and undo; a second
analyst does not get a claimed item; commissioners only read; liaisons and the public see
nothing. What the page did is checked through the API.

The store is the demo's first hour (its own, not the other browser tests' one: these tests
write to it), where one event was replaced by two duplicates, each located from half of its
arrivals, as if the association had cut one shot in two; and four fixes from five arrivals
of other events were added (the demo's own hour has no poor fix left to review).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from babel import Locale
from playwright.sync_api import Browser, Locator, Page
from sqlalchemy import Engine

from tests.web.conftest import READY, Site, demo_app, log_in, open_page, screenshot, serving
from truceline.domain import Event
from truceline.i18n import format_number
from truceline.i18n.catalogue import read_catalogue
from truceline.review.editing import edit_context
from truceline.review.edits import recompute_event
from truceline.store import review as review_store
from truceline.store.analysis import add_events, get_events, get_violations

USERS = {
    "ana": ("analyst", {}),
    "bea": ("analyst", {}),
    "cmr": ("commissioner", {}),
    "liaison_ua": ("party_liaison", {"party": "UA"}),
}


@dataclass
class Desk(Site):
    """The running dashboard on the review store, and the two duplicate events in it."""

    duplicates: tuple[str, str] = ("", "")


def split_into_duplicates(engine: Engine) -> tuple[str, str]:
    """Replace a well-heard, unpaired event without violations by two halves of itself."""
    with engine.begin() as conn:
        cited = {v.event_id for v in get_violations(conn)}
        chosen = next(
            e
            for e in get_events(conn)
            if e.n_sensors >= 16 and e.paired_event_id is None and e.event_id not in cited
        )
        ctx = edit_context(conn, [chosen], None, None)
        arrivals = list(chosen.arrival_ids)
        first, _ = recompute_event(arrivals[0::2], list(chosen.report_ids), ctx)
        second, _ = recompute_event(arrivals[1::2], [], ctx)
        old = review_store.snapshot_events(conn, event_ids=[chosen.event_id])
        review_store.remove_snapshot(conn, snapshot=old)
        add_events(conn, events=[first, second])
    return first.event_id, second.event_id


def add_poor_fixes(engine: Engine, count: int, spare: tuple[str, ...]) -> None:
    """Add ``count`` fixes from five arrivals of well-heard events without violations (not
    those in ``spare``): poor fixes (fewer than six sensors) for the queue, as a second,
    partial grouping of a shot would give."""
    with engine.begin() as conn:
        cited = {v.event_id for v in get_violations(conn)}
        chosen = [
            e
            for e in get_events(conn)
            if e.n_sensors >= 12 and e.event_id not in cited and e.event_id not in spare
        ][-count:]
        assert len(chosen) == count
        ctx = edit_context(conn, chosen, None, None)
        add_events(
            conn, events=[recompute_event(list(e.arrival_ids)[:5], [], ctx)[0] for e in chosen]
        )


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Desk]:
    """The demo's first hour with two duplicate events and four poor fixes, on 127.0.0.1."""
    demo = demo_app(tmp_path_factory.mktemp("review") / "demo", 1, USERS)
    duplicates = split_into_duplicates(demo.engine)
    add_poor_fixes(demo.engine, 4, duplicates)
    with serving(demo.app) as url:
        yield Desk(url, demo.engine, demo.tokens, duplicates)


def call(desk: Desk, user: str, path: str, body: dict[str, Any] | None = None) -> Any:
    """The API's JSON answer to ``user`` (POST when there is a body); it must succeed."""
    headers = {"Authorization": f"Bearer {desk.tokens[user]}"}
    with httpx.Client(base_url=desk.url, headers=headers) as client:
        response = client.get(path) if body is None else client.post(path, json=body)
    assert response.is_success, response.text
    return response.json()


def queue_ids(desk: Desk, user: str) -> list[str]:
    return [i["item_id"] for i in call(desk, user, "/review/queue?limit=1000")["data"]]


def decisions(desk: Desk, item_id: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = call(desk, "cmr", f"/review/decisions?item_id={item_id}")["data"]
    return found


def stored_events(desk: Desk) -> list[Event]:
    with desk.engine.connect() as conn:
        return get_events(conn)


def shown_items(page: Page) -> list[str]:
    found: list[str] = page.locator(".review-item").evaluate_all(
        "items => items.map((i) => i.dataset.item)"
    )
    return found


def item_card(page: Page, item_id: str) -> Locator:
    return page.locator(f'.review-item[data-item="{item_id}"]')


def click_and_wait(page: Page, target: Locator) -> None:
    """Click, then wait until the page has done what the click asked."""
    target.click()
    page.wait_for_selector(READY)


def first_item(desk: Desk, reason: str, *, escalable: bool = False) -> str:
    """The first undecided item of the queue with this reason (with violations off any case)."""
    on_case = {
        v for c in call(desk, "ana", "/cases?limit=1000")["data"] for v in c["violation_ids"]
    }
    with desk.engine.connect() as conn:
        violations = get_violations(conn)
    for item in call(desk, "ana", "/review/queue?limit=1000")["data"]:
        if reason not in item["reasons"] or item["claim"] is not None:
            continue
        mine = {v.violation_id for v in violations if item["ref_id"] in (v.event_id, v.report_id)}
        if not escalable or (mine and not mine & on_case):
            return str(item["item_id"])
    raise AssertionError(f"no queue item for {reason}")


def claim_in_page(page: Page, item_id: str) -> None:
    click_and_wait(page, item_card(page, item_id).get_by_role("button", name="Claim"))
    assert "Claimed by you until" in item_card(page, item_id).inner_text()


def decide_in_page(page: Page, item_id: str, action: str, reason: str) -> None:
    card = item_card(page, item_id)
    card.locator("select[name=action]").select_option(action)
    card.locator("textarea[name=reason]").fill(reason)
    click_and_wait(page, card.get_by_role("button", name="Record the decision"))


def test_the_page_shows_the_queue_in_the_apis_order(page: Page, desk: Desk, shots: Path) -> None:
    log_in(page, desk, "ana", next_page="/ui/review")
    assert page.locator("nav a", has_text="Review").is_visible()
    assert shown_items(page) == queue_ids(desk, "ana")[:100]
    first = call(desk, "ana", "/review/queue?limit=1")["data"][0]
    card = item_card(page, first["item_id"]).inner_text()
    assert first["summary"] in card and "Serious violation" in card and "Not claimed" in card
    labels = {"poor_fix": "Poor fix", "uncorroborated_complaint": "Uncorroborated complaint"}
    for reason, label in labels.items():
        assert label in item_card(page, first_item(desk, reason)).inner_text()
    screenshot(page, shots, "review-queue")
    assert not page.errors  # type: ignore[attr-defined]


def test_an_analyst_works_three_items_from_the_queue(page: Page, desk: Desk, shots: Path) -> None:
    work = [
        (first_item(desk, "serious_violation", escalable=True), "escalate", "fire across the line"),
        (first_item(desk, "poor_fix"), "reject", "an echo off the ridge"),
        (first_item(desk, "uncorroborated_complaint"), "confirm", "our monitors heard it too"),
    ]
    cases_before = call(desk, "ana", "/cases")["count"]
    log_in(page, desk, "ana", next_page="/ui/review")
    for item_id, action, reason in work:
        claim_in_page(page, item_id)
        assert item_id not in queue_ids(desk, "bea")
        assert queue_ids(desk, "ana").count(item_id) == 1
        decide_in_page(page, item_id, action, reason)
        assert item_card(page, item_id).count() == 0
        assert item_id in page.locator("#status").inner_text()
        assert item_id not in queue_ids(desk, "ana") + queue_ids(desk, "bea")
        (recorded,) = decisions(desk, item_id)
        assert (recorded["action"], recorded["actor"], recorded["reason"]) == (
            action,
            "ana",
            reason,
        )
        row = page.locator(f'#decision-table tr[data-decision="{item_id}"]').inner_text()
        assert reason in row and "ana" in row
    escalated = decisions(desk, work[0][0])[0]["details"]["case_id"]
    assert call(desk, "ana", "/cases")["count"] == cases_before + 1
    assert call(desk, "ana", f"/cases/{escalated}")["case"]["status"] == "allegation"
    assert page.locator("#decision-table a", has_text=escalated).is_visible()
    screenshot(page, shots, "review-decided")
    assert not page.errors  # type: ignore[attr-defined]


def test_reclassifying_an_event_changes_its_kind(page: Page, desk: Desk) -> None:
    item_id = first_item(desk, "poor_fix")
    event_id = item_id.removeprefix("event:")
    (event,) = [e for e in stored_events(desk) if e.event_id == event_id]
    new_kind = "impact" if event.kind.value != "impact" else "launch"
    log_in(page, desk, "ana", next_page="/ui/review")
    claim_in_page(page, item_id)
    card = item_card(page, item_id)
    card.locator("select[name=action]").select_option("reclassify")
    card.locator("select[name=kind]").select_option(new_kind)
    card.locator("textarea[name=reason]").fill("the sound has the shape of an impact")
    click_and_wait(page, card.get_by_role("button", name="Record the decision"))
    (recorded,) = decisions(desk, item_id)
    assert recorded["details"] == {"kind": new_kind, "from_kind": event.kind.value}
    (after,) = [e for e in stored_events(desk) if e.event_id == event_id]
    assert after.kind.value == new_kind


def test_a_blank_reason_or_a_refused_decision_is_shown_and_nothing_is_recorded(
    page: Page, desk: Desk
) -> None:
    item_id = first_item(desk, "poor_fix")
    log_in(page, desk, "ana", next_page="/ui/review")
    claim_in_page(page, item_id)
    sent: list[str] = []
    page.on("request", lambda r: sent.append(urlsplit(r.url).path))
    card = item_card(page, item_id)
    card.locator("textarea[name=reason]").fill("   ")
    click_and_wait(page, card.get_by_role("button", name="Record the decision"))
    assert "Give a reason" in page.locator("#status[role=alert]").inner_text()
    assert not [path for path in sent if path.endswith("/decision")], sent
    decide_in_page(page, item_id, "escalate", "looks serious")
    refusal = page.locator("#status[role=alert]").inner_text()
    assert "422" in refusal and "has no violation to escalate" in refusal
    assert decisions(desk, item_id) == []
    click_and_wait(page, item_card(page, item_id).get_by_role("button", name="Release"))
    assert "Not claimed" in item_card(page, item_id).inner_text()
    assert item_id in queue_ids(desk, "bea")


def test_a_second_analyst_cannot_take_an_item_the_first_claimed(
    browser: Browser, desk: Desk
) -> None:
    item_id = first_item(desk, "serious_violation")
    tabs = {}
    for user in ("ana", "bea"):
        ctx = browser.new_context(viewport={"width": 1280, "height": 800})
        tabs[user] = ctx.new_page()
        log_in(tabs[user], desk, user, next_page="/ui/review")
        assert item_card(tabs[user], item_id).count() == 1
    ana, bea = tabs["ana"], tabs["bea"]
    try:
        claim_in_page(ana, item_id)
        click_and_wait(bea, item_card(bea, item_id).get_by_role("button", name="Claim"))
        assert f"{item_id} is claimed by ana until" in bea.locator("#status").inner_text()
        assert item_card(bea, item_id).count() == 0  # the stale page read the queue again
        open_page(bea, f"{desk.url}/ui/review")
        assert item_id not in shown_items(bea)
        click_and_wait(ana, item_card(ana, item_id).get_by_role("button", name="Release"))
        open_page(bea, f"{desk.url}/ui/review")
        assert item_id in shown_items(bea)
    finally:
        for tab in tabs.values():
            tab.context.close()


def show_events_around(page: Page, events: list[Event]) -> None:
    start = min(e.time for e in events).strftime("%Y-%m-%dT%H:%M:%S")
    last = max(e.time for e in events)
    end = last.replace(second=min(last.second + 1, 59), microsecond=0)
    page.fill("#event-window input[name=start]", start)
    page.fill("#event-window input[name=end]", end.strftime("%Y-%m-%dT%H:%M:%S"))
    click_and_wait(page, page.get_by_role("button", name="Show events"))


def test_merging_two_duplicates_then_undoing_restores_them(
    page: Page, desk: Desk, shots: Path
) -> None:
    first, second = desk.duplicates
    parts = [e for e in stored_events(desk) if e.event_id in desk.duplicates]
    before = call(desk, "ana", "/events?limit=1000")
    log_in(page, desk, "ana", next_page="/ui/review")
    show_events_around(page, parts)
    for event_id in (first, second):
        page.get_by_label(f"Select {event_id}").check()
    page.fill("#merge input[name=reason]", "one shot cut in two")
    click_and_wait(page, page.get_by_role("button", name="Merge the selected events"))
    edit = call(desk, "ana", "/review/edits")["data"][-1]
    assert (edit["kind"], edit["actor"], edit["reason"]) == ("merge", "ana", "one shot cut in two")
    (merged,) = edit["after"]
    events = {e["event_id"]: e for e in call(desk, "ana", "/events?limit=1000")["data"]}
    assert first not in events and second not in events
    both = sorted(a for e in parts for a in e.arrival_ids)
    assert sorted(events[merged["event_id"]]["arrival_ids"]) == both
    assert len(events) == before["count"] - 1
    assert merged["responsible_party"] is not None and edit["notes"] == []  # attributed again
    assert merged["responsible_party"] in page.locator("#edit-result").inner_text()
    assert page.locator(f'#event-table tr.changed[data-event="{merged["event_id"]}"]').count() == 1
    assert merged["event_id"] in page.locator("#edit-result").inner_text()
    row = page.locator(f'#edit-table tr[data-edit="{edit["edit_id"]}"]').inner_text()
    assert "one shot cut in two" in row and "ana" in row and first in row and second in row
    screenshot(page, shots, "review-merged")
    assert page.get_attribute("#undo", "data-edit") == edit["edit_id"]
    page.fill("#undo input[name=reason]", "two shots after all")
    click_and_wait(page, page.get_by_role("button", name="Undo"))
    assert call(desk, "ana", "/events?limit=1000") == before
    row = page.locator(f'#edit-table tr[data-edit="{edit["edit_id"]}"]').inner_text()
    assert "undone by" in row
    assert (
        page.locator("#undo").count() == 0
        or page.get_attribute("#undo", "data-edit") != edit["edit_id"]
    )
    for event_id in (first, second):
        assert page.locator(f'#event-table tr.changed[data-event="{event_id}"]').count() == 1
    assert not page.errors  # type: ignore[attr-defined]


def test_splitting_an_event_moves_the_chosen_arrivals(page: Page, desk: Desk) -> None:
    first = desk.duplicates[0]
    (event,) = [e for e in stored_events(desk) if e.event_id == first]
    moved = list(event.arrival_ids[:7])
    log_in(page, desk, "ana", next_page="/ui/review")
    show_events_around(page, [event])
    page.locator(f'#event-table tr[data-event="{first}"]').get_by_role("button").click()
    for arrival_id in moved:
        page.locator(f'#split input[value="{arrival_id}"]').check()
    page.fill("#split input[name=reason]", "two launches a second apart")
    click_and_wait(page, page.get_by_role("button", name="Split into a new event"))
    edit = call(desk, "ana", "/review/edits")["data"][-1]
    assert edit["kind"] == "split" and [e["event_id"] for e in edit["before"]] == [first]
    remainder, new = edit["after"]
    assert set(new["arrival_ids"]) <= set(moved) and not set(remainder["arrival_ids"]) & set(moved)
    stored = {e.event_id for e in stored_events(desk)}
    assert first not in stored and {remainder["event_id"], new["event_id"]} <= stored
    page.fill("#undo input[name=reason]", "one launch after all")
    click_and_wait(page, page.get_by_role("button", name="Undo"))
    assert [e for e in stored_events(desk) if e.event_id == first] == [event]


def test_a_commissioner_reads_decisions_and_edits_without_working(page: Page, desk: Desk) -> None:
    item_id = first_item(desk, "serious_violation")
    call(desk, "ana", f"/review/items/{item_id}/decision", {"action": "confirm", "reason": "seen"})
    log_in(page, desk, "cmr", next_page="/ui/review")
    assert "Analysts work the queue" in page.locator("#queue").inner_text()
    assert page.locator("#events").is_hidden()
    assert page.locator("button").filter(has_text="Claim").count() == 0
    assert page.locator("#undo").count() == 0 and page.locator("#merge").count() == 0
    row = page.locator(f'#decision-table tr[data-decision="{item_id}"]').inner_text()
    assert "seen" in row and "ana" in row
    assert not page.errors  # type: ignore[attr-defined]


def test_a_liaison_and_the_public_see_nothing_of_the_review(page: Page, desk: Desk) -> None:
    asked: list[str] = []
    page.on("request", lambda r: asked.append(urlsplit(r.url).path))
    page.goto(f"{desk.url}/ui/review")
    page.wait_for_url(f"{desk.url}/ui/login?next=*")
    log_in(page, desk, "liaison_ua", next_page="/ui/cases")
    assert page.locator("nav a", has_text="Review").count() == 0
    page.goto(f"{desk.url}/ui/review")
    page.wait_for_selector("body[data-refused=true]")
    assert "Not available to your role" in page.inner_text("main")
    assert "event:" not in page.inner_text("body")
    assert not [p for p in asked if p.startswith(("/review", "/events", "/violations"))], asked


# --- the page in Ukrainian -------------------------------------------------------------------

VISIBLE_TEXTS = """() => {
  const texts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.nodeValue.trim();
    if (text && !node.parentElement.closest("script, style")) texts.push(text);
  }
  for (const node of document.querySelectorAll("[aria-label], [title], [placeholder]")) {
    const named = ["aria-label", "title", "placeholder"].map((a) => node.getAttribute(a));
    texts.push(...named.filter(Boolean));
  }
  return texts;
}"""


UK_ITEMS = {"one": "елемент потребує", "few": "елементи потребують", "many": "елементів потребують"}
REVIEW_SOURCES = {
    "truceline/web/static/js/review.js",
    "truceline/web/pages/review.html",
    "truceline/web/static/js/session.js",
}


def english_patterns(lang: str) -> list[re.Pattern[str]]:
    """The English of every message the review page uses that ``lang`` words differently, as
    patterns matching a whole text ({placeholders} match anything)."""
    patterns = []
    for message in read_catalogue(lang):
        sources = {where for where, _line in message.locations}
        if not message.id or not sources & REVIEW_SOURCES:
            continue
        english = [message.id] if isinstance(message.id, str) else list(message.id)
        string = message.string or ()
        translated = [string] if isinstance(string, str) else list(string)
        for text in english:
            if text not in translated:
                literal = re.split(r"\{\w+\}", text)
                patterns.append(re.compile(".+?".join(re.escape(part) for part in literal)))
    return patterns


def english_left(page: Page, lang: str) -> list[str]:
    """The texts of the page that are a catalogue message still in English."""
    texts: list[str] = page.evaluate(VISIBLE_TEXTS)
    patterns = english_patterns(lang)
    return sorted({text for text in texts for p in patterns if p.fullmatch(text)})


def test_the_review_page_in_ukrainian_words_the_queue_and_its_buttons(
    page: Page, desk: Desk, shots: Path
) -> None:
    item_id = first_item(desk, "serious_violation")
    count = call(desk, "ana", "/review/queue?limit=1")["count"]
    log_in(page, desk, "ana", next_page="/ui/review")
    open_page(page, f"{desk.url}/ui/review?lang=uk")
    assert page.locator("html").get_attribute("lang") == "uk"
    assert page.locator("h1").inner_text() == "Перевірка"
    assert page.locator("#queue-title").inner_text() == "Черга"
    form = UK_ITEMS[str(Locale.parse("uk").plural_form(count))]
    note = page.locator("#queue-body > p").first.inner_text()
    assert note.startswith(f"{format_number('uk', count)} {form} розгляду людиною")
    card = item_card(page, item_id)
    assert "Серйозне порушення" in card.inner_text() and "Не взято в роботу" in card.inner_text()
    terms = card.locator("dt").all_inner_texts()
    assert terms[:2] == ["Тяжкість", "P(походження з району контролю)"]
    click_and_wait(page, card.get_by_role("button", name="Взяти в роботу"))
    assert "Взято вами в роботу до" in card.inner_text()
    assert f"Елемент {item_id} закріплено за вами до" in page.locator("#status").inner_text()
    assert card.get_by_role("button", name="Повернути в чергу").is_visible()
    assert card.get_by_role("button", name="Зафіксувати рішення").is_visible()
    actions = card.locator("select[name=action] option").all_inner_texts()
    assert actions == ["Підтвердити", "Відхилити", "Перекласифікувати", "Відкрити справу"]
    card.locator("select[name=action]").select_option("reclassify")
    page.wait_for_selector(f'.review-item[data-item="{item_id}"] select[name=violation_type]')
    assert "Новий тип" in card.inner_text()
    card.scroll_into_view_if_needed()
    screenshot(page, shots, "review-uk-queue")
    headings = page.locator("#event-table th").all_inner_texts()
    assert headings[1:5] == ["Подія", "Час", "Вид", "Місце"]
    assert "пн. ш." in page.locator("#event-table tbody tr").first.inner_text()
    page.locator("#event-table .split-button").first.click()
    assert page.locator("#split legend").first.inner_text() == "Сигнали"
    assert page.get_by_role("button", name="Виділити в нову подію").is_visible()
    screenshot(page, shots, "review-uk")
    assert english_left(page, "uk") == []
    click_and_wait(page, card.get_by_role("button", name="Повернути в чергу"))
    assert f"Елемент {item_id} повернуто в чергу." in page.locator("#status").inner_text()
    assert not page.errors  # type: ignore[attr-defined]


def test_english_left_on_a_page_is_found(page: Page, desk: Desk) -> None:
    log_in(page, desk, "ana", next_page="/ui/review")
    assert {"Queue", "Claim", "Not claimed"} <= set(english_left(page, "uk"))
