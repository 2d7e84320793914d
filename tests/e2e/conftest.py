"""Browser tests: headless Debian Chromium driven by Playwright against pytest-django's live server.

Screenshots of every step go to var/screenshots/<test name>/ so that people can look at them.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; the test itself still talks to the database
# synchronously (fixtures, assertions), which Django would otherwise refuse inside an event loop.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("APA_CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # Without these Chromium keeps trying to reach Google's servers, which a closed network refuses.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


@pytest.fixture(scope="session")
def chromium():
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: run `make system-deps` (installs Debian's chromium) "
            "or set APA_CHROMIUM."
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Shots:
    """Numbered screenshots of one test's steps."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.count = 0
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True, exist_ok=True)

    def __call__(self, page, name: str, *, full_page: bool = True) -> Path:
        self.count += 1
        path = self.folder / f"{self.count:02d}-{name}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path


@pytest.fixture
def shots(request) -> Shots:
    return Shots(SCREENSHOTS / re.sub(r"[^\w.-]+", "_", request.node.name))


@pytest.fixture
def new_page(chromium, live_server) -> Iterator:
    """Opens pages in fresh browser contexts (one per user), at 1366×768."""
    contexts = []
    server_errors: list[str] = []

    def open_page(*, width: int = 1366, height: int = 768):
        context = chromium.new_context(viewport={"width": width, "height": height}, base_url=live_server.url)
        context.set_default_timeout(15_000)
        # A server error answered to htmx is not swapped in, so a test only sees "nothing happened": keep
        # the error's text, printed with the test's output when it fails.
        context.on(
            "response",
            lambda response: (
                server_errors.append(
                    f"{response.status} {response.request.method} {response.url}: {response.text()[:2000]}"
                )
                if response.status >= 500
                else None
            ),
        )
        contexts.append(context)
        return context.new_page()

    yield open_page
    for error in server_errors:
        print("server error:", error)
    for context in contexts:
        context.close()


def sign_in(page, username: str, password: str = "test-pass-123") -> None:
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r".*/$"))
