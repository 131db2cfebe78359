"""Open the rendered page in headless Chromium (Debian's ``/usr/bin/chromium`` via Playwright).

``kg screenshot`` uses this to take the README picture; the browser tests and the render
benchmark use ``open_browser`` / ``open_chromium`` too, so every caller launches Chromium the
same way: the flags that keep it off the network, and a fresh, empty profile (Playwright makes
a new temporary user-data dir for every launch).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from kg.errors import EnvironmentFailure, GraphNotBuiltError

__all__ = [
    "CHROMIUM",
    "CHROMIUM_FLAGS",
    "BrowserError",
    "new_context",
    "open_browser",
    "open_chromium",
    "take_screenshot",
]

CHROMIUM = os.environ.get("KG_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


class BrowserError(EnvironmentFailure):
    """Chromium or Playwright is missing, or the page did not settle."""


@contextmanager
def open_browser() -> Iterator[object]:
    """A headless Chromium (Playwright ``Browser``; Playwright gives it a new, empty profile)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        raise BrowserError("Playwright for Python is not installed: pip install playwright") from exc
    if not Path(CHROMIUM).is_file():
        raise BrowserError("Chromium not found: apt-get install chromium (or set KG_CHROMIUM)", CHROMIUM)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=list(CHROMIUM_FLAGS)
        )
        try:
            yield browser
        finally:
            browser.close()


def new_context(browser, width: int = 1366, height: int = 768, bypass_csp: bool = False):
    """A fresh browser context with the given viewport.

    ``bypass_csp`` ignores pages' Content-Security-Policy, for tests that must see every request
    a page would make without it.
    """
    return browser.new_context(viewport={"width": width, "height": height}, bypass_csp=bypass_csp)


@contextmanager
def open_chromium(width: int = 1366, height: int = 768) -> Iterator[object]:
    """A context of a fresh headless Chromium with the given viewport; all closed on exit."""
    with open_browser() as browser:
        context = new_context(browser, width, height)
        try:
            yield context
        finally:
            context.close()


def take_screenshot(
    page_path: Path, png_path: Path, width: int = 1366, height: int = 768, timeout_ms: int = 90_000
) -> Path:
    """Open ``page_path`` (a rendered graph.html), wait until its layout is stable, save a PNG."""
    if not page_path.is_file():
        raise GraphNotBuiltError("no rendered page here: run `kg build` first", page_path)
    with open_chromium(width, height) as context:
        page = context.new_page()
        page.goto(page_path.resolve().as_uri())
        page.wait_for_function("document.body.dataset.stable === 'true'", timeout=timeout_ms)
        page.wait_for_timeout(300)  # let the final frame paint
        png_path.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(png_path))
    return png_path
