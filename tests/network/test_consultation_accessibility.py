"""axe-core and the Nu HTML checker on every consultation page, in English and
Arabic, including the pages that show form errors."""

import datetime

import pytest
from django.test import Client

from network.services import consultations as services

from .. import browser_support
from ..browser.test_accessibility import FAILING_IMPACTS, readable
from ..browser.test_html_validity import nu_errors
from ..browser.tools import AXE_JS
from .conftest import answers_for, draft

pytestmark = [
    pytest.mark.browser,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def consultations(secretariat, napud, enpud, asia_director, eurasia_director):
    """One open consultation NAPUD is answering, and one closed with a published
    summary and both networks' answers."""
    current = draft(secretariat, title="Work plan 2027")
    services.consultation_schedule(consultation=current, actor=secretariat)
    past = draft(secretariat, title="Strategy review", opens_in=datetime.timedelta(days=-2))
    services.consultation_schedule(consultation=past, actor=secretariat)
    services.consultations_advance()
    current.refresh_from_db()
    past.refresh_from_db()
    for user, network, text in (
        (asia_director, napud, "More peer-led services."),
        (eurasia_director, enpud, "Больше финансирования."),
    ):
        services.response_save(
            consultation=past,
            network=network,
            user=user,
            answers=answers_for(past, {1: 0, 2: [0, 2], 3: 4, 4: text}),
        )
        services.response_submit(consultation=past, network=network, user=user)
    services.consultation_close(consultation=past)
    past.summary_en = "The networks support the review."
    past.summary_ar = "تدعم الشبكات المراجعة."
    past.save()
    services.summary_publish(consultation=past, actor=secretariat)
    return current, past


def pages(current, past, lang):
    portal = f"/{lang}/portal/consultations"
    return {
        "list": f"{portal}/",
        "new": f"{portal}/new/",
        "detail": f"{portal}/{current.pk}/",
        "answer": f"{portal}/{current.pk}/answer/napud/",
        "results": f"{portal}/{past.pk}/results/",
        "summaries": f"/{lang}/consultations/",
        "summary": f"/{lang}/consultations/{past.pk}/",
    }


def test_consultation_pages_are_accessible_and_valid(
    live_server, consultations, asia_director, tmp_path
):
    current, past = consultations
    client = Client()
    client.force_login(asia_director)
    session = client.cookies["sessionid"].value
    documents, failures = {}, []
    with browser_support.chromium() as browser:
        context = browser.new_context(bypass_csp=True)
        context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])
        page = context.new_page()
        for lang in ("en", "ar"):
            addresses = pages(current, past, lang)
            for name, path in addresses.items():
                response = page.goto(live_server.url + path)
                assert response.status == 200, f"{path} answered {response.status}"
                documents[f"{name}-{lang}"] = page.content().encode()
                failures += _axe(page, path)
            # Error states: a draft with no question, a submission missing an answer.
            page.goto(live_server.url + addresses["new"])
            with page.expect_navigation():
                page.locator("main button[type=submit]").click()
            assert page.locator("main .error, main [role=alert]").count()
            documents[f"new-errors-{lang}"] = page.content().encode()
            failures += _axe(page, addresses["new"] + " (errors)")
            page.goto(live_server.url + addresses["answer"])
            with page.expect_navigation():
                page.locator("main button[value=submit]").click()
            assert page.locator("main .error, main [role=alert]").count()
            documents[f"answer-errors-{lang}"] = page.content().encode()
            failures += _axe(page, addresses["answer"] + " (errors)")
        context.close()
    assert not failures, "\n".join(failures)
    errors = nu_errors(documents, tmp_path)
    assert not errors, errors


def _axe(page, label: str) -> list[str]:
    page.add_script_tag(path=str(AXE_JS))
    results = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    failing = [v for v in results["violations"] if v["impact"] in FAILING_IMPACTS]
    failing += [v for v in results["violations"] if v["id"] == "heading-order"]
    return [f"{label}:\n{readable(failing)}"] if failing else []


def test_the_checks_would_see_a_broken_page(live_server, tmp_path):
    errors = nu_errors(
        {"broken": b"<!doctype html><html lang=en><title>x</title><p><div></p>"}, tmp_path
    )
    assert errors
    with browser_support.chromium() as browser:
        page = browser.new_page()
        page.set_content(
            "<!doctype html><html lang=en><title>x</title><main><img src=x.png></main>"
        )
        assert _axe(page, "broken")
