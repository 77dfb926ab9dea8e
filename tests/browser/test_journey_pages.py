"""axe-core and the Nu checker on the public pages issue 10 changed (results naming the
elected, the strategy page with work plans, the board) and on forms in their error
state (summary, focus, title), in English and Arabic."""

import pytest
from django.urls import reverse
from django.utils import translation

from governance.models import Election

from .conftest import LANGUAGES, open_page
from .test_accessibility import FAILING_IMPACTS, readable
from .test_html_validity import nu_errors
from .tools import AXE_JS

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


@pytest.fixture(scope="module")
def axe_context(chromium):
    # axe is injected as a script, which the Content-Security-Policy refuses: this
    # context alone ignores the policy (as in test_accessibility).
    context = chromium.new_context(bypass_csp=True, viewport={"width": 1280, "height": 800})
    yield context
    context.close()


def _axe(page) -> list[dict]:
    page.add_script_tag(path=str(AXE_JS))
    violations = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")[
        "violations"
    ]
    return [v for v in violations if v["impact"] in FAILING_IMPACTS or v["id"] == "heading-order"]


def _pages(lang: str) -> dict[str, str]:
    certified = Election.objects.filter(status=Election.Status.CERTIFIED).first()
    with translation.override(lang):
        return {
            "results": reverse("governance:election", kwargs={"pk": certified.pk}),
            "strategy": reverse("governance:strategy"),
            "board": reverse("governance:board"),
        }


def _error_states(context, demo_site, lang: str) -> dict[str, object]:
    """Pages showing a form sent back with errors, as a visitor gets them."""
    pages = {}
    with translation.override(lang):
        subscribe, login = reverse("publications:subscribe"), reverse("account_login")
    page = open_page(context, demo_site.url + subscribe)
    page.locator("input[name=email]").fill("not an address")
    page.locator("form.narrow-form button[type=submit]").click()
    page.wait_for_selector(".error-summary")
    pages["subscribe-error"] = page
    page = open_page(context, demo_site.url + login)
    page.locator("input[name=login]").fill("nobody@example.org")
    page.locator("input[name=password]").fill("wrong password")
    page.locator("form.narrow-form button[type=submit]").click()
    page.wait_for_selector(".error-summary")
    pages["login-error"] = page
    return pages


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_changed_pages_have_no_serious_accessibility_violation(axe_context, demo_site, lang):
    failing = {}
    for name, path in _pages(lang).items():
        page = open_page(axe_context, demo_site.url + path)
        failing[name] = _axe(page)
        page.close()
    for name, page in _error_states(axe_context, demo_site, lang).items():
        # The summary took the focus, and the title says there is an error.
        assert page.evaluate("document.activeElement.className") == "error-summary", name
        with translation.override(lang):
            assert page.title().startswith(translation.gettext("Error:")), page.title()
        failing[name] = _axe(page)
        page.close()

    report = {name: readable(v) for name, v in failing.items() if v}
    assert not report, report


def test_the_changed_pages_are_valid_html(axe_context, demo_site, tmp_path):
    documents = {}
    for lang in LANGUAGES:
        for name, path in _pages(lang).items():
            page = open_page(axe_context, demo_site.url + path)
            documents[f"{name}-{lang}"] = page.content().encode()
            page.close()
        for name, page in _error_states(axe_context, demo_site, lang).items():
            documents[f"{name}-{lang}"] = page.content().encode()
            page.close()

    errors = nu_errors(documents, tmp_path)

    assert not errors, errors
