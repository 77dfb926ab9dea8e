"""The seeded portal served on 127.0.0.1 and one headless Chromium, shared by the package.

Both are package-scoped: seeding the demo and starting Chromium once keeps the whole
package to seconds, not minutes. pytest-django's `live_server` fixture cannot be used
for this: every test that uses it gets a transactional database that is flushed after
the test, so the demo data would have to be seeded again for each page. Instead the
demo is committed to the test database here and flushed once the package is done, so
the tests that run after these see an empty database as usual. The test modules carry
`django_db` so that pytest-django creates the test database; each test's own
transaction is rolled back and leaves the committed demo data alone.
"""

import datetime
from dataclasses import dataclass

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command
from django.db import connections
from django.db.models import Count
from django.test import override_settings
from django.test.testcases import LiveServerThread
from django.urls import reverse
from django.utils import timezone, translation

from members.models import Network
from publications.mail_messages import MANAGE_SALT, subscriber_token
from publications.models import Subscriber
from publications.selectors import publications_published

from .. import browser_support

LANGUAGES = ["en", "ar"]

# The public pages the issue names, by the names the tests use in ids and file names.
PAGES = [
    "home",
    "about",
    "about-page",
    "networks",
    "network",
    "board",
    "publications",
    "publication",
    "meetings",
    "subscribe",
    "subscription",
    "subscription-expired",
    "subscription-link-sent",
    "login",
]


@dataclass(frozen=True)
class DemoSite:
    url: str
    # page name -> language -> path, e.g. paths["board"]["ar"] == "/ar/board/"
    paths: dict[str, dict[str, str]]

    def address(self, page: str, lang: str) -> str:
        return self.url + self.paths[page][lang]


def _demo_paths() -> dict[str, dict[str, str]]:
    # The Middle East network and the most translated publication: the pages with the
    # most Arabic content to lay out right to left.
    network = Network.objects.get(slug="menanpud")
    publication = (
        publications_published().annotate(file_count=Count("files")).order_by("-file_count").first()
    )
    subscriber = Subscriber.objects.order_by("pk").first()
    manage_token = subscriber_token(subscriber, salt=MANAGE_SALT)
    with time_machine.travel(timezone.now() - datetime.timedelta(days=5 * 365), tick=False):
        expired_token = subscriber_token(subscriber, salt=MANAGE_SALT)
    views = {
        "home": ("home", {}),
        "about": ("pages:about", {}),
        # A demo About page with headed sections, written in English, French and Arabic.
        "about-page": ("pages:about_page", {"slug": "vancouver-declaration"}),
        "networks": ("members:network_list", {}),
        "network": ("members:network_detail", {"slug": network.slug}),
        "board": ("governance:board", {}),
        "publications": ("publications:list", {}),
        "publication": ("publications:detail", {"slug": publication.slug}),
        "meetings": ("governance:meetings", {}),
        "subscribe": ("publications:subscribe", {}),
        # A subscriber's own page, from a fresh link and from a five-year-old one.
        "subscription": ("publications:manage", {"token": manage_token}),
        "subscription-expired": ("publications:manage", {"token": expired_token}),
        "subscription-link-sent": ("publications:manage", {"token": expired_token}),
        "login": ("account_login", {}),
    }
    queries = {"subscription-link-sent": "?sent=1"}
    paths = {}
    for page, (name, kwargs) in views.items():
        paths[page] = {}
        for lang in LANGUAGES:
            with translation.override(lang):
                paths[page][lang] = reverse(name, kwargs=kwargs) + queries.get(page, "")
    return paths


@pytest.fixture(autouse=True)
def _media_root():
    # Not a folder per test here: the live server shares this process's settings and
    # serves the demo's files from the package's MEDIA_ROOT (demo_site below).
    pass


@pytest.fixture(scope="package")
def demo_site(django_db_setup, django_db_blocker, tmp_path_factory):
    # The server thread reads the database outside any test's own database access.
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")),
        pytest.MonkeyPatch.context() as patch,
    ):
        # Chromium keeps connections alive, and each one holds a request thread with its
        # own database connection: closed after every request, none is left open when
        # pytest-django drops the test database.
        patch.setitem(settings.DATABASES["default"], "CONN_MAX_AGE", 0)
        try:
            call_command("seed_demo", verbosity=0)
            paths = _demo_paths()
            server = _serve()
            try:
                yield DemoSite(url=f"http://{server.host}:{server.port}", paths=paths)
            finally:
                server.terminate()
                for connection in server.connections_override.values():
                    connection.dec_thread_sharing()
        finally:
            # Even after a failed seed: the tests after these expect an empty database.
            call_command("flush", interactive=False, verbosity=0)


def _serve() -> LiveServerThread:
    server = LiveServerThread(
        "127.0.0.1",
        static_handler=browser_support.static_files_by_whitenoise,
        # An in-memory SQLite database exists only in this thread's connection.
        connections_override={
            c.alias: c for c in connections.all() if c.vendor == "sqlite" and c.is_in_memory_db()
        },
    )
    for connection in server.connections_override.values():
        connection.inc_thread_sharing()
    server.daemon = True
    server.start()
    server.is_ready.wait()
    if server.error:
        raise server.error
    return server


@pytest.fixture(scope="package")
def chromium(demo_site):
    with browser_support.chromium() as browser:
        yield browser


def open_page(context, address: str):
    """The page at address, fully loaded: the document and every stylesheet, image and
    script it asks for (a page that lost its stylesheet would pass axe and look broken)."""
    page = context.new_page()
    failures = []
    page.on("requestfailed", lambda request: failures.append(f"{request.url}: failed"))
    page.on(
        "response",
        lambda response: (
            response.status >= 400 and failures.append(f"{response.url}: {response.status}")
        ),
    )
    response = page.goto(address)
    assert response.status == 200, f"{address} answered {response.status}"
    assert not failures, f"{address} could not load: {failures}"
    return page
