"""Chromium and the live portal, as both browser suites use them: tests/browser (pages
checked with axe, the Nu checker and screenshots) and tests/e2e (people's journeys).

Chromium comes from Debian (`apt-get install chromium`), Playwright from PyPI.
"""

import shutil
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.db import connections

# Without the background-networking flags Chromium keeps retrying refused connections
# to Google services and can hang; the sandbox needs user namespaces CI may not have.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def chromium_path() -> str | None:
    return shutil.which("chromium")


@contextmanager
def chromium() -> Iterator:
    """A headless Chromium driven by Playwright's sync API."""
    from playwright.sync_api import sync_playwright

    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        # Playwright's sync API keeps an asyncio loop running in this thread (in a
        # greenlet), though the calls stay synchronous; without this Django would
        # refuse the test's own ORM calls, and pytest-django's around each test, as
        # "async". The portal itself runs in the live server's thread, where nothing
        # is relaxed.
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
            # While that loop runs, asgiref gives this thread's ORM calls connections of
            # their own, which nothing else would close: the test database could not be
            # flushed or dropped.
            connections.close_all()


def static_files_by_whitenoise(handler):
    """A live server's static_handler that leaves static files to WhiteNoise, as in
    production: Django's test static handler serves the source files and knows nothing
    of the hashed names in the pages."""
    return handler
