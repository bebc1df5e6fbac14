"""Browser test fixtures: the demo store served by uvicorn on a free local port, users of
every role, and Debian's Chromium (headless) driven by Playwright.

Built once per test session (per xdist worker): the demo's three-hour day takes ~20 s.
Chromium missing is an error, never a skip: CI installs it (TRUCELINE_CHROMIUM overrides the
path). Screenshots go to TRUCELINE_SCREENSHOTS_DIR when set (CI keeps them as artefacts),
else to the session's temporary directory.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
import uvicorn
from fastapi import FastAPI
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright
from sqlalchemy import Engine

from tests.store.conftest import _backends, store_url  # noqa: F401  (the backend fixture)
from truceline.api import create_app
from truceline.api.auth import add_user
from truceline.app.demo import run_demo
from truceline.settings import Settings

CHROMIUM = os.environ.get("TRUCELINE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
USERS = {
    "analyst": ("analyst", {}),
    "monitor": ("monitor", {}),
    "commissioner": ("commissioner", {}),
    "liaison_ua": ("party_liaison", {"party": "UA"}),
    "guarantor_fr": ("guarantor", {"state": "FR"}),
}
READY = "body[data-ready=true]"


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Store tests here (``store_url``) run on SQLite and, when configured, PostgreSQL."""
    if "store_url" in metafunc.fixturenames:
        metafunc.parametrize("store_url", _backends(), indirect=True)


@dataclass
class Site:
    """The running dashboard: its address, its store and a token per user."""

    url: str
    engine: Engine
    tokens: dict[str, str]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@dataclass(frozen=True)
class DemoApp:
    """The app on a demo store, with a token for each of ``users``."""

    app: FastAPI
    engine: Engine
    tokens: dict[str, str]


def demo_app(out: Path, hours: int, users: dict[str, tuple[str, dict[str, str]]]) -> DemoApp:
    """Run the demo for ``hours`` into ``out`` and build the app on its store."""
    summary = run_demo(out, hours=hours)
    settings = Settings(
        database_url=f"sqlite:///{summary.database_path}",
        output_dir=out / "out",
        api_rate_per_second=0,
        environment="development",
    )
    app = create_app(settings)
    engine: Engine = app.state.truceline.engine
    tokens = {
        name: add_user(engine, name=name, role=role, key=settings.api_secret_key, **bind).text
        for name, (role, bind) in users.items()
    }
    return DemoApp(app, engine, tokens)


@contextmanager
def serving(app: FastAPI) -> Iterator[str]:
    """The app served by uvicorn on a free local port, in a thread, while the block runs."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The API and dashboard on the demo's store (three simulated hours), on 127.0.0.1."""
    demo = demo_app(tmp_path_factory.mktemp("web") / "demo", 3, USERS)
    with serving(demo.app) as url:
        yield Site(url, demo.engine, demo.tokens)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, headless (an error if it is missing: no skip)."""
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    """A fresh browser profile (no token, empty storage) at laptop size."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 800}, service_workers="block")
    yield ctx
    ctx.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    """A tab that fails the test on any uncaught script error."""
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    tab.errors = errors  # type: ignore[attr-defined]
    return tab


@pytest.fixture(scope="session")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where screenshots are kept."""
    chosen = os.environ.get("TRUCELINE_SCREENSHOTS_DIR")
    folder = Path(chosen) if chosen else tmp_path_factory.mktemp("screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def log_in(page: Page, site: Site, user: str, next_page: str = "/ui") -> None:
    """Log in through the login page as ``user``; ``next_page`` opens (the map by default)."""
    page.goto(f"{site.url}/ui/login?next={next_page}")
    page.wait_for_selector(READY)
    page.fill("input[name=token]", site.tokens[user])
    page.click("form#login button[type=submit]")
    page.wait_for_url(f"{site.url}{next_page}")
    page.wait_for_selector(READY)


def open_page(page: Page, url: str) -> None:
    """Go to ``url`` and wait until its script has shown its data."""
    page.goto(url)
    page.wait_for_selector(READY)


def screenshot(page: Page, shots: Path, name: str) -> Path:
    """A PNG of the page, checked to be more than a blank screen."""
    path = shots / f"{name}.png"
    page.screenshot(path=str(path))
    assert path.stat().st_size > 10_000, f"{path} looks blank"
    return path
