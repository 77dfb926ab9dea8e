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


def _browser_pages(live_server, session, paths: dict[str, str], *, cookies=None):
    documents, failures = {}, []
    with browser_support.chromium() as browser:
        context = browser.new_context(bypass_csp=True)
        context.add_cookies(
            cookies or [{"name": "sessionid", "value": session, "url": live_server.url}]
        )
        page = context.new_page()
        for name, path in paths.items():
            response = page.goto(live_server.url + path)
            assert response.status == 200, f"{path} answered {response.status}"
            assert page.url == live_server.url + path, f"{path} went to {page.url}"
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
    secret = enable_totp(person.user)
    # Before logging in: a new password ends the sessions made before it.
    person.user.set_password(PASSWORD)
    person.user.save()
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
    # The ballot after voting: the receipt and the ballot page saying so.
    election = candidate.election
    client.post("/en/accounts/reauthenticate/", {"password": PASSWORD})
    client.post("/en/accounts/2fa/reauthenticate/", {"code": totp_code(secret)})
    standing = election.candidates.filter(status=Candidate.Status.ACCEPTED).order_by("pk")
    voted = client.post(
        f"/en/portal/elections/{election.pk}/vote/",
        {f"rank_{c.pk}": str(n) for n, c in enumerate(standing, start=1)},
    )
    assert voted["Location"] == f"/en/portal/elections/{election.pk}/receipt/"
    cookies = [
        {"name": name, "value": morsel.value, "url": live_server.url}
        for name, morsel in client.cookies.items()
    ]
    ballot = {}
    for lang in ("en", "ar"):
        ballot |= {
            f"receipt-{lang}": f"/{lang}/portal/elections/{election.pk}/receipt/",
            f"voted-{lang}": f"/{lang}/portal/elections/{election.pk}/vote/",
        }
    more, problems = _browser_pages(live_server, None, ballot, cookies=cookies)
    documents |= more
    failures += problems
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
