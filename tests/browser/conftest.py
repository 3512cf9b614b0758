"""Headless Chromium for the browser tests, and a signed-in session on the live server.

The browser is the system Chromium (never a downloaded one) and is started once per run.
Each test gets a fresh context, so cookies, the chosen language and the session never leak
between tests. Every request to a host other than the live server is recorded: Tuopin runs
on intranets with no internet, so a page that reaches out is a bug.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from conftest import PASSWORD

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
NOT_NETWORK = {"data", "blob", "about"}
SCREENSHOTS = Path("test-artifacts") / "screenshots"


# One Chromium for every browser test, but scoped to this package rather than the session:
# while Playwright's sync API is alive it marks an event loop as running in the main thread.
# Django then (a) refuses ORM calls as "async-unsafe" and (b) keeps the main thread's database
# connections in a separate, context-local store. Tests that ran after the browser tests
# would open connections there that the final teardown never closes, and PostgreSQL then
# refuses to drop the test database ("being accessed by other users").
@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    """The system's headless Chromium; skipped where it is missing, except under CI."""
    if not CHROMIUM.exists():
        reason = f"browser tests need Chromium at {CHROMIUM}; it is not installed"
        if "CI" in os.environ:
            pytest.fail(f"{reason} (CI is set: a CI run must not skip the browser tests)")
        pytest.skip(reason)
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        # Fixtures and tests call the ORM from plain synchronous code between Playwright
        # calls; the async-safety check mistakes Playwright's idle loop for async code.
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def outside_requests() -> list[str]:
    """URLs the page asked for from any host but the live server; a test asserts it empty."""
    return []


@pytest.fixture
def page(
    request: pytest.FixtureRequest,
    browser: Browser,
    live_server: Any,
    transactional_db: Any,
    outside_requests: list[str],
) -> Iterator[Page]:
    """A page in a fresh context on the live server, screenshotted when the test ends.

    The browser says it prefers American English, so that a test shows the server
    ignores Accept-Language.
    """
    server = urlsplit(live_server.url)
    allowed = {(host, server.port) for host in LOCAL_HOSTS | {server.hostname}}

    def record(url: str) -> None:
        parts = urlsplit(url)
        if parts.scheme in NOT_NETWORK:
            return
        if (parts.hostname, parts.port) not in allowed:
            outside_requests.append(url)

    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 1280, "height": 800},
        locale="en-US",
    )
    context.set_default_timeout(10_000)
    context.on("request", lambda req: record(req.url))
    page = context.new_page()
    page.on("websocket", lambda ws: record(ws.url))
    try:
        yield page
    finally:
        folder = request.config.rootpath / SCREENSHOTS
        folder.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.name)
        try:
            page.screenshot(path=folder / f"{name}.png", full_page=True)
        finally:
            context.close()


def login(page: Page, user: Any) -> None:
    """Sign ``user`` in through the real form (every persona shares ``PASSWORD``)."""
    page.goto("/accounts/login/")
    page.locator("#id_username").fill(user.username)
    page.locator("#id_password").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("main button.btn").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))
    expect(page.locator("header .whoami")).to_be_visible()
