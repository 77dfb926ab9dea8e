"""Fixed people, so permission tests read like sentences.

- secretariat: staff of the INPUD secretariat (admin access)
- asia_director: the board director of NAPUD (region Asia)
- eurasia_director: the board director of ENPUD (region Eurasia)
- outsider: has an account but no role
All of them have an authenticator app, as the portal requires.
"""

import importlib.util
import os

import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import translation

from members.models import Role

from .browser.tools import missing_browser_tools
from .browser_support import chromium_path
from .factories import NetworkFactory, RegionFactory, enable_totp, person_with_role
from .s3_server import S3Server

SERVICES = {
    "postgres": (
        lambda: settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
        "needs PostgreSQL: set DATABASE_URL=postgres://...",
    ),
    "redis": (lambda: bool(settings.REDIS_URL), "needs Redis: set REDIS_URL=redis://..."),
    "worker": (lambda: bool(settings.REDIS_URL), "needs a Celery worker on Redis: set REDIS_URL"),
    # A callable reason: say which of the tools is missing.
    "browser": (
        lambda: not missing_browser_tools(),
        lambda: (
            "needs " + ", ".join(missing_browser_tools()) + "; .ci/run installs the browser tools"
        ),
    ),
    "e2e": (
        lambda: bool(chromium_path() and importlib.util.find_spec("playwright")),
        "needs Chromium on PATH (apt-get install chromium) and the playwright package",
    ),
}


def _services_required() -> bool:
    return os.environ.get("REQUIRE_SERVICES") == "1"


def pytest_runtest_setup(item):
    for marker, (available, reason) in SERVICES.items():
        if item.get_closest_marker(marker) and not available():
            reason = reason() if callable(reason) else reason
            # CI sets REQUIRE_SERVICES: there a missing service is a failure, not a skip.
            if _services_required():
                pytest.fail(f"{reason} (REQUIRE_SERVICES=1)", pytrace=False)
            pytest.skip(reason)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    # Under CI a test that needs a service must run, whatever skipped it: a skip
    # inside the test or a fixture (importorskip, a missing binary...) proves as
    # little as a missing service, so it is reported as a failure.
    report = yield
    if (
        report.skipped
        and _services_required()
        and any(item.get_closest_marker(marker) for marker in SERVICES)
        and not hasattr(report, "wasxfail")
    ):
        report.outcome = "failed"
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.longrepr = f"skipped under REQUIRE_SERVICES=1: {reason}"
    return report


@pytest.fixture(autouse=True)
def _default_language():
    # A request through LocaleMiddleware leaves its language active in the thread;
    # without this, a test after a /fr/ request would read lazy strings in French.
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    # Uploaded files (meeting papers, publication files, photos) go to the test's own
    # folder, never into the checkout's media/. A Celery worker started by a test gets
    # the same folder (tests/celery_worker.py passes MEDIA_ROOT on).
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(scope="session")
def s3_server():
    server = S3Server().start()
    yield server
    server.stop()


@pytest.fixture
def s3_storage(settings, s3_server):
    """Uploads in this test go to a fresh bucket of the S3 server, as they do in
    production with S3_BUCKET set; returns the bucket's name."""
    bucket = s3_server.new_bucket()
    settings.STORAGES = settings.STORAGES | {
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": s3_server.storage_options(bucket),
        }
    }
    return bucket


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Rate limits and used TOTP codes live in the cache; each test starts clean.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def napud(db):
    return NetworkFactory(
        slug="napud",
        acronym="NAPUD",
        name_en="Network of Asian People who Use Drugs",
        region=RegionFactory(slug="asia", name_en="Asia", name_fr="Asie"),
    )


@pytest.fixture
def enpud(db):
    return NetworkFactory(
        slug="enpud",
        acronym="ENPUD",
        name_en="Eurasian Network of People who Use Drugs",
        region=RegionFactory(slug="eurasia", name_en="Eurasia"),
    )


@pytest.fixture
def secretariat(db):
    person = person_with_role(Role.Kind.SECRETARIAT, display_name="Sam Secretariat")
    person.user.totp_secret = enable_totp(person.user)
    return person.user


@pytest.fixture
def asia_director(napud):
    person = person_with_role(Role.Kind.DIRECTOR, network=napud, display_name="Asha")
    person.user.totp_secret = enable_totp(person.user)
    return person.user


@pytest.fixture
def eurasia_director(enpud):
    person = person_with_role(Role.Kind.DIRECTOR, network=enpud, display_name="Yuri")
    person.user.totp_secret = enable_totp(person.user)
    return person.user


@pytest.fixture
def outsider(db):
    from .factories import PersonFactory

    person = PersonFactory(display_name="Olive Outsider")
    person.user.totp_secret = enable_totp(person.user)
    return person.user
