"""A General Meeting: 150 delegates behind one venue address log in, pass the
second factor and vote within minutes, through the real views and the portal's
own rate limits."""

import time

import pytest
from allauth.mfa import app_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.test import Client

from governance.models import SealedBallot
from members.models import Role

from ..factories import PASSWORD, OrganisationFactory, enable_totp, person_with_role
from .conftest import make_election, open_for_voting, standing_ids

VENUE_ADDRESS = "203.0.113.50"
DELEGATES = 150


@pytest.fixture
def general_meeting_vote(napud_seat):
    people = []
    for n in range(DELEGATES):
        org = OrganisationFactory(network=napud_seat.network, slug=f"venue-member-{n}")
        person = person_with_role(
            Role.Kind.VOTING_DELEGATE, organisation=org, display_name=f"Delegate {n}"
        )
        person.totp_secret = enable_totp(person.user)
        people.append(person)
    election = open_for_voting(make_election(napud_seat), people[:3])
    return election, people


def current_period() -> int:
    return int(time.time()) // app_settings.TOTP_PERIOD


def period_with_time_left() -> int:
    """The current period, once at least two seconds of it remain: a code typed at
    the very end of its period reaches the server in the next one."""
    while app_settings.TOTP_PERIOD - time.time() % app_settings.TOTP_PERIOD < 2:
        time.sleep(0.2)
    return current_period()


def code_for(person, period: int) -> str:
    return format_hotp_value(hotp_value(person.totp_secret, period))


@pytest.mark.redis
def test_150_delegates_log_in_and_vote_from_one_address(general_meeting_vote):
    """Everybody logs in first, then votes, re-entering password and code as the
    ballot asks; a code is good once, so a delegate whose login code is still the
    current one waits for the next, as they would with their phone."""
    election, people = general_meeting_vote
    first_choice = standing_ids(election)[0]
    started = time.monotonic()
    refused, sessions = [], []

    for person in people:
        delegate = Client(REMOTE_ADDR=VENUE_ADDRESS)
        login = delegate.post(
            "/en/accounts/login/", {"login": person.user.email, "password": PASSWORD}
        )
        period = period_with_time_left()
        code = delegate.post("/en/accounts/2fa/authenticate/", {"code": code_for(person, period)})
        landed = code.get("Location") if code.status_code == 302 else code.status_code
        if (login.status_code, landed) != (302, "/en/portal/"):
            refused.append((person.display_name, "login", login.status_code, landed))
        sessions.append((person, delegate, period))

    for person, delegate, login_period in sessions:
        while current_period() == login_period:
            time.sleep(0.5)
        delegate.post("/en/accounts/reauthenticate/", {"password": PASSWORD})
        delegate.post(
            "/en/accounts/2fa/reauthenticate/",
            {"code": code_for(person, period_with_time_left())},
        )
        vote = delegate.post(
            f"/en/portal/elections/{election.pk}/vote/",
            {f"rank_{first_choice}": "1"},
            follow=True,
        )
        if vote.status_code != 200 or "receipt" not in vote.context:
            refused.append((person.display_name, "vote", vote.status_code))

    assert refused == []
    assert SealedBallot.objects.filter(election=election).count() == DELEGATES
    assert time.monotonic() - started < 10 * 60
