"""The portal as people meet it: Debian's Chromium driven by Playwright, against the
portal served on 127.0.0.1 by pytest-django's live server on PostgreSQL, with a real
Celery worker process on Redis and a real SMTP server (aiosmtpd) receiving the mail.

Screenshots of the key steps go to artifacts/e2e/ (git-ignored).
"""

import re
import time
from pathlib import Path

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

from inpud_portal.celery import app

try:
    from playwright.sync_api import expect
except ImportError:  # the e2e marker then skips these tests, or fails them in CI
    expect = None

from .. import browser_support
from ..celery_worker import QUEUES, Worker
from ..factories import PASSWORD
from ..smtp_sink import SmtpSink

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "e2e"
TIMEOUT_MS = 15_000
# Each flow runs through the live portal, a Celery worker on Redis and PostgreSQL.
E2E_MARKS = [
    pytest.mark.e2e,
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def chromium():
    # Per test, not per session: Playwright's event loop must be gone before the
    # transactional database is flushed and before the rest of the suite runs.
    with browser_support.chromium() as browser:
        yield browser


@pytest.fixture(scope="session")
def live_server(request):
    """pytest-django's live server, on 127.0.0.1 rather than "localhost", with the
    static files served by WhiteNoise from the collected STATIC_ROOT."""
    from pytest_django.live_server_helper import LiveServer

    server = LiveServer(request.config.getvalue("liveserver") or "127.0.0.1", start=False)
    server.thread.static_handler = browser_support.static_files_by_whitenoise
    server.start()
    yield server
    server.stop()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.report_call = report
    return report


@pytest.fixture
def sink():
    with SmtpSink() as server:
        yield server


class Portal:
    """The running portal: its address and the SMTP server it mails to."""

    def __init__(self, url: str, sink: SmtpSink):
        self.url = url
        self.sink = sink

    def messages_to(self, address: str) -> list:
        return self.sink.collector.by_recipient().get(address, [])


@pytest.fixture
def portal(transactional_db, live_server, sink, settings, monkeypatch):
    """The live server and a Celery worker, both mailing the SMTP sink. The worker
    sees the test's data because the database is transactional (committed)."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", sink.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.SITE_URL = live_server.url
    # The live server speaks plain HTTP on loopback; the production profile's
    # secure-only cookies would never come back to it.
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    # The live server enqueues through Redis for the worker instead of running
    # tasks in its own thread.
    monkeypatch.setitem(app.conf, "task_always_eager", False)
    # Whatever an interrupted run left queued would mail this test's people too (the
    # database reuses ids): the worker starts on empty queues.
    with app.connection_for_write() as connection:
        for queue in QUEUES:
            connection.default_channel.queue_purge(queue)
    worker = Worker(
        EMAIL_URL=sink.url,
        SITE_URL=live_server.url,
        MAIL_RATE_PER_SECOND=50,
    ).start()
    try:
        yield Portal(live_server.url, sink)
    finally:
        worker.stop()
        # pytest shows it only with a failing test.
        print(worker.log)


@pytest.fixture
def new_context(chromium, portal, request):
    """Browser contexts (separate cookie jars, like separate people) for this test;
    each page waits at most TIMEOUT_MS for anything."""
    contexts, problems = [], []

    def record_failure(response):
        if response.status >= 400:
            problems.append(f"{response.status} {response.url}")

    def record_error(message):
        if message.type == "error":
            problems.append(f"{message.text} ({message.location.get('url')})")

    def make(**options):
        context = chromium.new_context(base_url=portal.url, accept_downloads=True, **options)
        context.set_default_timeout(TIMEOUT_MS)
        context.on("response", record_failure)
        context.on("console", record_error)
        contexts.append(context)
        return context

    yield make
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        # What each person saw when the test failed, for whoever reads the CI log.
        for n, context in enumerate(contexts):
            for m, page in enumerate(context.pages):
                screenshot(page, f"FAILED-{request.node.name}-{n}-{m}")
                (ARTIFACTS / f"FAILED-{request.node.name}-{n}-{m}.html").write_text(page.content())
                print(f"page {n}-{m} at failure: {page.url}")
    for context in contexts:
        context.close()
    # Every page the people opened loaded whole: no failed request, no script or
    # Content-Security-Policy error.
    assert problems == []


def screenshot(page, name: str, *, full_page: bool = True) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=full_page)


def totp_code(secret: str, *, not_in: set[str] = frozenset()) -> str:
    """The authenticator's current code, as the person's phone would show it. A code
    is accepted once only, so when the current one was already used this waits for
    the next 30-second window."""
    from allauth.mfa import app_settings

    while True:
        counter = int(time.time()) // app_settings.TOTP_PERIOD
        code = format_hotp_value(hotp_value(secret, counter))
        if code not in not_in:
            return code
        time.sleep(1)


def log_in(page, *, email: str, secret: str, used_codes: set[str]) -> None:
    """From the login form: password, then a code from the authenticator."""
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/accounts/2fa/authenticate/"))
    enter_code(page, secret=secret, used_codes=used_codes, button="Sign In")
    page.wait_for_url(lambda url: "/accounts/" not in url)


def enter_code(page, *, secret: str, used_codes: set[str], button: str) -> None:
    code = totp_code(secret, not_in=used_codes)
    used_codes.add(code)
    page.locator("input[name=code]").fill(code)
    page.get_by_role("button", name=button).click()


def admin_action(page, *, pk: int, action: str) -> None:
    """On an admin change list: tick one row, choose the action, press Go."""
    page.locator(f'input[name="_selected_action"][value="{pk}"]').check()
    page.locator("select[name=action]").select_option(action)
    page.get_by_role("button", name="Go").click()
