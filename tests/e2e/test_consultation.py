"""A director drafts and schedules a consultation in the member area; it opens and
the directors are mailed in their language; NAPUD answers in English and MENANPUD
in Arabic; the scheduler closes it; the secretariat writes the summary in English
and French in the admin and publishes it; a visitor reads it in French."""

import datetime

import pytest
from django.utils import timezone

from members.models import Role
from network.models import Consultation, Response
from network.tasks import advance_consultations

from ..celery_worker import wait_until
from ..factories import NetworkFactory, RegionFactory, enable_totp, person_with_role
from .conftest import E2E_MARKS, admin_action, expect, log_in, screenshot

pytestmark = E2E_MARKS


@pytest.fixture
def mena_director(db):
    network = NetworkFactory(
        slug="menanpud", acronym="MENANPUD", region=RegionFactory(slug="mena", name_en="MENA")
    )
    person = person_with_role(
        Role.Kind.DIRECTOR, network=network, display_name="Rania", preferred_language="ar"
    )
    person.user.totp_secret = enable_totp(person.user)
    return person.user


def _status(pk):
    return Consultation.objects.get(pk=pk).status


def test_a_consultation_from_draft_to_published_summary(
    portal, new_context, asia_director, mena_director, secretariat
):
    codes = set()
    director = new_context().new_page()
    director.goto("/en/accounts/login/")
    log_in(director, email=asia_director.email, secret=asia_director.totp_secret, used_codes=codes)

    # 1. The NAPUD director drafts the consultation and schedules it.
    director.goto("/en/portal/")
    director.get_by_role("main").get_by_role("link", name="Consultations").click()
    director.get_by_role("link", name="Draft a consultation").click()
    director.get_by_label("Title").fill("Work plan 2027")
    director.get_by_label("Purpose").fill("The Board asks the networks about next year.")
    now = timezone.now()
    director.get_by_label("Opens (UTC)").fill(now.strftime("%Y-%m-%dT%H:%M"))
    director.get_by_label("Closes (UTC)").fill(
        (now + datetime.timedelta(days=7)).strftime("%Y-%m-%dT%H:%M")
    )
    director.locator("#id_questions-0-text").fill("Should drug checking be a priority?")
    director.locator("#id_questions-0-kind").select_option("single")
    director.locator("#id_questions-0-options").fill("Yes\nNo")
    director.locator("#id_questions-0-required").check()
    screenshot(director, "consultation-draft")
    director.get_by_role("button", name="Save the draft").click()
    expect(director.get_by_role("status")).to_contain_text("The draft is saved.")
    director.get_by_role("button", name="Schedule it to open").click()
    expect(director.get_by_role("status")).to_contain_text("Scheduled")
    consultation = Consultation.objects.get()

    # 2. The scheduler opens it (beat's task, run by the worker): each director is
    # mailed in their own language.
    advance_consultations.delay()
    assert wait_until(lambda: _status(consultation.pk) == "open", timeout=30)
    assert wait_until(lambda: portal.messages_to(mena_director.email), timeout=60)
    [arabic] = portal.messages_to(mena_director.email)
    assert arabic["Subject"].strip() == "المجلس يستشير شبكتك: Work plan 2027"
    assert wait_until(lambda: portal.messages_to(asia_director.email), timeout=30)

    # 3. NAPUD answers and submits.
    director.reload()
    director.get_by_role("link", name="NAPUD").click()
    director.get_by_label("Yes").check()
    director.get_by_role("button", name="Submit for my network").click()
    expect(director.get_by_role("status")).to_contain_text("Submitted.")

    # 4. MENANPUD's director answers in the Arabic member area.
    rania = new_context().new_page()
    rania.goto("/en/accounts/login/")
    log_in(rania, email=mena_director.email, secret=mena_director.totp_secret, used_codes=codes)
    rania.goto(f"/ar/portal/consultations/{consultation.pk}/")
    rania.get_by_role("link", name="MENANPUD").click()
    rania.get_by_label("No").check()
    rania.get_by_role("button", name="الإرسال باسم شبكتي").click()
    expect(rania.get_by_role("status")).to_be_visible()
    screenshot(rania, "consultation-answer-ar")
    assert Response.objects.filter(status="submitted").count() == 2

    # 5. The closing time passes; the scheduler closes the consultation.
    Consultation.objects.filter(pk=consultation.pk).update(
        opens_at=timezone.now() - datetime.timedelta(days=1),
        closes_at=timezone.now() - datetime.timedelta(minutes=1),
    )
    advance_consultations.delay()
    assert wait_until(lambda: _status(consultation.pk) == "closed", timeout=30)
    director.goto(f"/en/portal/consultations/{consultation.pk}/results/")
    expect(director.get_by_role("main")).to_contain_text("2 of 2 networks submitted a response.")

    # 6. The secretariat writes the summary in English and French and publishes it.
    staff = new_context().new_page()
    staff.goto("/admin/")
    log_in(staff, email=secretariat.email, secret=secretariat.totp_secret, used_codes=codes)
    staff.goto(f"/admin/network/consultation/{consultation.pk}/change/")
    staff.locator("#id_summary_en").fill("Both networks want drug checking funded.")
    staff.get_by_role("tablist", name="Public summary: languages").get_by_role(
        "tab", name="French"
    ).click()
    staff.locator("#id_summary_fr").fill("Les deux réseaux veulent financer l’analyse de produits.")
    staff.get_by_role("button", name="Save", exact=True).click()
    admin_action(staff, pk=consultation.pk, action="publish")
    expect(staff.locator("ul.messagelist")).to_contain_text("published on the public site")

    # 7. A visitor reads it in French.
    visitor = new_context().new_page()
    visitor.goto("/fr/consultations/")
    visitor.get_by_role("link", name="Work plan 2027").click()
    expect(visitor.get_by_role("main")).to_contain_text(
        "Les deux réseaux veulent financer l’analyse de produits."
    )
    screenshot(visitor, "consultation-summary-fr")
