"""axe-core and the Nu HTML checker on the member-area pages issue 10 added or
changed, in English and Arabic: authenticator setup, recovery codes, the candidacy
page, a meeting with its pack, and the work plans."""

import pytest
from django.core.management import call_command
from django.test import Client

from governance.models import Candidate, Election, Invitation
from members.models import Person

from .. import browser_support
from ..browser.test_html_validity import nu_errors
from ..factories import enable_totp, person_with_role
from ..members.test_first_login import PASSWORD, shown_secret
from ..members.test_mfa import totp_code
from ..network.test_consultation_accessibility import _axe

pytestmark = [pytest.mark.browser, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _browser_pages(live_server, session: str, paths: dict[str, str]):
    documents, failures = {}, []
    with browser_support.chromium() as browser:
        context = browser.new_context(bypass_csp=True)
        context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])
        page = context.new_page()
        for name, path in paths.items():
            response = page.goto(live_server.url + path)
            assert response.status == 200, f"{path} answered {response.status}"
            documents[name] = page.content().encode()
            failures += _axe(page, path)
        context.close()
    return documents, failures


def test_member_pages_of_the_journeys_are_accessible_and_valid(live_server, settings, tmp_path):
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    call_command("seed_demo", verbosity=0)
    candidate = (
        Candidate.objects.filter(election__status=Election.Status.VOTING_OPEN)
        .select_related("person__user", "election")
        .first()
    )
    person = candidate.person
    enable_totp(person.user)
    meeting = Invitation.objects.filter(person=person).select_related("meeting").first().meeting
    client = Client()
    client.force_login(person.user)
    paths = {}
    for lang in ("en", "ar"):
        paths |= {
            f"work-plans-{lang}": f"/{lang}/portal/work-plans/",
            f"candidacy-{lang}": f"/{lang}/portal/elections/{candidate.election.pk}/candidacy/",
            f"meeting-{lang}": f"/{lang}/portal/meetings/{meeting.pk}/",
            f"election-{lang}": f"/{lang}/portal/elections/{candidate.election.pk}/",
        }
    documents, failures = _browser_pages(live_server, client.cookies["sessionid"].value, paths)
    pack = client.get(f"/en/portal/meetings/{meeting.pk}/pack/")
    assert pack.status_code == 200 and pack["Content-Type"] == "application/zip"

    # A new director setting up the authenticator and reading the recovery codes.
    newcomer = person_with_role("director", network=person.roles.first().network)
    newcomer.user.set_password(PASSWORD)
    newcomer.user.save()
    fresh = Client()
    fresh.post("/en/accounts/login/", {"login": newcomer.user.email, "password": PASSWORD})
    setup = {f"totp-{lang}": f"/{lang}/accounts/2fa/totp/activate/" for lang in ("en", "ar")}
    more, problems = _browser_pages(live_server, fresh.cookies["sessionid"].value, setup)
    documents |= more
    failures += problems
    secret = shown_secret(fresh.get("/en/accounts/2fa/totp/activate/"))
    fresh.post("/en/accounts/2fa/totp/activate/", {"code": totp_code(secret)})
    codes = {f"codes-{lang}": f"/{lang}/accounts/2fa/recovery-codes/" for lang in ("en", "ar")}
    more, problems = _browser_pages(live_server, fresh.cookies["sessionid"].value, codes)
    documents |= more
    failures += problems

    assert not failures, "\n".join(failures)
    errors = nu_errors(documents, tmp_path)
    assert not errors, errors
    assert Person.objects.filter(pk=newcomer.pk, user__authenticator__type="totp").exists()
