"""axe-core and the Nu HTML checker on the register's pages, in English and Arabic,
including the skills form with errors."""

import pytest
from django.test import Client

from members.demo_register import demo_seed_register
from members.models import Role

from .. import browser_support
from ..browser.test_html_validity import nu_errors
from ..factories import enable_totp, person_with_role
from ..network.test_consultation_accessibility import _axe

pytestmark = [pytest.mark.browser, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_register_pages_are_accessible_and_valid(live_server, napud, tmp_path, settings):
    # The live server speaks plain HTTP: secure-only cookies would never come back.
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    director = person_with_role(Role.Kind.DIRECTOR, network=napud, display_name="Asha")
    enable_totp(director.user)
    demo_seed_register()
    client = Client()
    client.force_login(director.user)
    documents, failures = {}, []
    with browser_support.chromium() as browser:
        context = browser.new_context(bypass_csp=True)
        context.add_cookies(
            [
                {
                    "name": "sessionid",
                    "value": client.cookies["sessionid"].value,
                    "url": live_server.url,
                }
            ]
        )
        page = context.new_page()
        for lang in ("en", "ar"):
            for name, path in (
                ("partners", f"/{lang}/partners/"),
                ("register", f"/{lang}/portal/register/"),
                ("skills", f"/{lang}/portal/skills/"),
            ):
                response = page.goto(live_server.url + path)
                assert response.status == 200, f"{path} answered {response.status}"
                documents[f"{name}-{lang}"] = page.content().encode()
                failures += _axe(page, path)
            # The demo gave this director a record: untick its skills to see the error.
            for box in page.locator("input[name=expertise]").all():
                box.uncheck()
            with page.expect_navigation():
                page.locator("main button[type=submit]").click()
            assert page.locator("main .error, main [role=alert]").count()
            documents[f"skills-errors-{lang}"] = page.content().encode()
            failures += _axe(page, f"/{lang}/portal/skills/ (errors)")
        context.close()
    assert not failures, "\n".join(failures)
    errors = nu_errors(documents, tmp_path)
    assert not errors, errors
