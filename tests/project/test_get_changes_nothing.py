"""Nothing changes on GET: every page, for a visitor, a director and the secretariat,
reads the database and writes nothing but the visitor's own session."""

import re

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members.models import User

from ..factories import enable_totp

WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)
# Logging in and out of a session is the only write a GET may cause.
ALLOWED_TABLES = ("django_session",)
VIEWS = ("change", "history", "delete")

PUBLIC_PAGES = [
    "/en/",
    "/fr/networks/",
    "/ar/networks/napud/",
    "/en/board/",
    "/en/meetings/",
    "/en/strategy/",
    "/en/publications/?q=drug",
    "/en/subscribe/",
    "/sitemap.xml",
    "/healthz",
    "/oai?verb=Identify",
    "/en/accounts/login/",
    "/en/accounts/password/reset/",
    "/en/accounts/invitation/1/not-a-token/",
    "/en/subscribe/confirm/not-a-token/",
    "/en/unsubscribe/not-a-token/",
    "/en/subscription/not-a-token/",
]
MEMBER_PAGES = [
    "/en/portal/",
    "/en/portal/profile/",
    "/en/portal/networks/napud/",
    "/en/portal/organisations/new/",
    "/en/portal/elections/",
    "/en/portal/meetings/",
    "/en/portal/minutes/",
    "/en/portal/calendar/reset/",
    "/en/accounts/email/",
    "/en/accounts/password/change/",
    "/en/accounts/2fa/",
    "/en/accounts/2fa/recovery-codes/generate/",
    "/en/accounts/2fa/totp/deactivate/",
    "/en/accounts/reauthenticate/",
    # A GET never logs anyone out.
    "/en/accounts/logout/",
]


def admin_pages() -> list[str]:
    """Every admin list, add, change, history and delete page, for one record each."""
    pages = ["/admin/"]
    for model in admin.site._registry:
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        pages += [reverse(f"{prefix}_changelist"), reverse(f"{prefix}_add")]
        obj = model._default_manager.order_by("pk").first()
        if obj is not None:
            pages += [reverse(f"{prefix}_{view}", args=[obj.pk]) for view in VIEWS]
    return pages


def writes_during(client, path) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code < 500, path
    return [
        q["sql"]
        for q in queries.captured_queries
        if WRITE.match(q["sql"]) and not any(t in q["sql"] for t in ALLOWED_TABLES)
    ]


@pytest.fixture
def demo(db):
    call_command("seed_demo", verbosity=0)


def test_a_visitor_changes_nothing_by_looking(client, demo):
    for path in PUBLIC_PAGES + MEMBER_PAGES[:2]:
        assert writes_during(client, path) == [], path


def test_a_director_changes_nothing_by_looking(client, demo):
    director = User.objects.get(email="director.napud@example.org")
    enable_totp(director)
    client.force_login(director)

    for path in PUBLIC_PAGES + MEMBER_PAGES:
        assert writes_during(client, path) == [], path
    assert client.get("/en/portal/").status_code == 200


def test_the_secretariat_changes_nothing_by_looking(client, demo, secretariat):
    client.force_login(secretariat)

    for path in MEMBER_PAGES + admin_pages():
        assert writes_during(client, path) == [], path
    assert client.get("/admin/").status_code == 200
