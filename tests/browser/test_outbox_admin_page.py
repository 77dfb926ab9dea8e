"""The outbox screen in the admin, as the secretariat sees it: axe-core and the Nu
checker, in English and Arabic, on the list (filtered) and on one row."""

import pytest
from django.test import Client

from inpud_portal.models import OutboxMessage
from members.models import Role

from ..factories import enable_totp, person_with_role
from .conftest import LANGUAGES, open_page
from .test_accessibility import FAILING_IMPACTS, readable
from .test_html_validity import nu_errors
from .tools import AXE_JS

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

URL = "/admin/inpud_portal/outboxmessage/"


@pytest.fixture(scope="module")
def outbox_pages(demo_site, django_db_blocker):
    """A signed-in secretariat session and a few rows, committed for the live server
    (the package's teardown flushes them with the demo)."""
    with django_db_blocker.unblock():
        person = person_with_role(Role.Kind.SECRETARIAT, display_name="Outbox Reader")
        enable_totp(person.user)
        rows = [
            OutboxMessage.objects.create(
                kind=kind,
                to_email=f"peer{n}@example.org",
                language="ar",
                template="governance/email/election_open_voting",
                ref={"election": 1, "person": n},
                status=status,
                error="550 mailbox unavailable" if status == "failed" else "",
            )
            for n, (kind, status) in enumerate(
                [("election-notice", "failed"), ("mailing", "sent"), ("invitation", "queued")]
            )
        ]
        client = Client()
        client.force_login(person.user)
        session = client.cookies["sessionid"].value
    return session, {
        "list": f"{URL}?status=failed",
        "row": f"{URL}{rows[0].pk}/change/",
    }


def signed_in(chromium, demo_site, session, lang):
    context = chromium.new_context(bypass_csp=True, viewport={"width": 1280, "height": 800})
    host = demo_site.url.split("//")[1].split(":")[0]
    context.add_cookies(
        [
            {"name": "sessionid", "value": session, "domain": host, "path": "/"},
            {"name": "django_language", "value": lang, "domain": host, "path": "/"},
        ]
    )
    return context


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("page_name", ["list", "row"])
def test_the_outbox_screen_has_no_serious_accessibility_violation(
    chromium, demo_site, outbox_pages, lang, page_name
):
    session, paths = outbox_pages
    context = signed_in(chromium, demo_site, session, lang)
    try:
        page = open_page(context, demo_site.url + paths[page_name])
        assert page.locator("html").get_attribute("lang") == lang
        page.add_script_tag(path=str(AXE_JS))
        violations = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")[
            "violations"
        ]
    finally:
        context.close()

    failing = [v for v in violations if v["impact"] in FAILING_IMPACTS]
    assert not failing, f"{paths[page_name]} ({lang}):\n{readable(failing)}"


def test_the_outbox_screen_is_valid_html(chromium, demo_site, outbox_pages, tmp_path):
    session, paths = outbox_pages
    documents = {}
    for lang in LANGUAGES:
        context = signed_in(chromium, demo_site, session, lang)
        try:
            for name, path in paths.items():
                response = context.request.get(demo_site.url + path)
                assert response.status == 200, f"{path} answered {response.status}"
                documents[f"{name}-{lang}"] = response.body()
        finally:
            context.close()

    errors = nu_errors(documents, tmp_path)

    assert not errors, f"The Nu HTML checker found errors on the outbox screen: {errors}"
