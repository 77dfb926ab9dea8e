"""Two-factor authentication cannot be skipped: every path a member might try
without an authenticator, or halfway through logging in, ends without access."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)

from members.models import Role

from ..factories import PASSWORD, enable_totp, person_with_role

NON_PUBLIC = [
    "/en/portal/",
    "/en/portal/profile/",
    "/en/portal/networks/napud/",
    "/en/portal/organisations/new/",
    "/en/accounts/email/",
    "/en/accounts/password/change/",
    "/en/accounts/2fa/",
    "/admin/",
    "/admin/members/organisation/",
]


def totp_code(secret: str) -> str:
    counters = list(yield_hotp_counters_from_time())
    counter = counters[len(counters) // 2]  # the current period
    return format_hotp_value(hotp_value(secret, counter))


def log_in_with_password(client, user):
    return client.post("/en/accounts/login/", {"login": user.email, "password": PASSWORD})


@pytest.fixture
def new_director(napud):
    """A director who has just accepted an invitation: no authenticator yet."""
    return person_with_role(Role.Kind.DIRECTOR, network=napud).user


@pytest.fixture
def new_staff(db):
    return person_with_role(Role.Kind.SECRETARIAT).user


@pytest.mark.parametrize("path", NON_PUBLIC)
def test_a_member_without_an_authenticator_is_sent_to_set_one_up(client, new_director, path):
    client.force_login(new_director)

    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/2fa/totp/activate/")


def test_secretariat_staff_without_an_authenticator_cannot_use_the_admin(client, new_staff):
    client.force_login(new_staff)

    response = client.get("/admin/members/person/")

    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/2fa/totp/activate/")


def test_a_post_without_an_authenticator_changes_nothing(client, new_director):
    client.force_login(new_director)

    response = client.post(
        "/en/portal/profile/",
        {"display_name": "Changed", "preferred_language": "fr", "bio": ""},
    )

    assert response.status_code == 302
    new_director.person.refresh_from_db()
    assert new_director.person.display_name != "Changed"


def test_public_pages_stay_open_before_enrolment(client, new_director):
    client.force_login(new_director)

    assert client.get("/en/networks/").status_code == 200
    assert client.get("/fr/").status_code == 200


def test_logging_in_without_an_authenticator_leads_to_enrolment(client, new_director):
    response = log_in_with_password(client, new_director)

    assert response.status_code == 302
    follow = client.get(response["Location"])
    assert follow.status_code == 302
    assert follow["Location"].startswith("/en/accounts/2fa/totp/activate/")


def test_enrolling_an_authenticator_opens_the_member_area(client, new_director):
    log_in_with_password(client, new_director)
    # Just logged in: the password is not asked again before the authenticator.
    page = client.get("/en/accounts/2fa/totp/activate/")
    assert page.status_code == 200
    secret = page.context["form"].secret

    response = client.post("/en/accounts/2fa/totp/activate/", {"code": totp_code(secret)})

    assert response.status_code == 302, response.context["form"].errors
    assert Authenticator.objects.filter(user=new_director, type="totp").exists()
    assert client.get("/en/portal/").status_code == 200


def test_the_password_alone_does_not_log_a_member_with_an_authenticator_in(client, asia_director):
    response = log_in_with_password(client, asia_director)

    assert response["Location"] == "/en/accounts/2fa/authenticate/"
    for path in NON_PUBLIC + ["/en/accounts/2fa/totp/activate/"]:
        attempt = client.get(path)
        assert attempt.status_code == 302, path
        assert "/accounts/login/" in attempt["Location"] or "/admin/login/" in attempt["Location"]


def test_cancelling_at_the_code_prompt_leaves_the_member_logged_out(client, asia_director):
    log_in_with_password(client, asia_director)

    client.post("/en/accounts/logout/")

    assert client.get("/en/accounts/2fa/authenticate/").status_code == 302
    assert client.get("/en/portal/")["Location"].startswith("/en/accounts/login/")


def test_a_wrong_code_does_not_log_in(client, napud):
    person = person_with_role(Role.Kind.DIRECTOR, network=napud)
    enable_totp(person.user)
    log_in_with_password(client, person.user)

    response = client.post("/en/accounts/2fa/authenticate/", {"code": "000000"})

    assert response.status_code == 200
    assert client.get("/en/portal/").status_code == 302


def test_the_right_code_logs_in(client, napud):
    person = person_with_role(Role.Kind.DIRECTOR, network=napud)
    secret = enable_totp(person.user)
    log_in_with_password(client, person.user)

    response = client.post("/en/accounts/2fa/authenticate/", {"code": totp_code(secret)})

    assert response.status_code == 302
    assert client.get("/en/portal/").status_code == 200


def test_a_member_cannot_remove_their_authenticator(client, asia_director):
    client.force_login(asia_director)

    client.post("/en/accounts/reauthenticate/", {"password": PASSWORD})

    response = client.post("/en/accounts/2fa/totp/deactivate/")

    assert response.status_code == 200
    assert response.context["form"].errors
    assert Authenticator.objects.filter(user=asia_director, type="totp").exists()


def test_the_admin_login_goes_through_the_member_login(client, db):
    response = client.get("/admin/login/?next=/admin/")

    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/login/")


def test_posting_a_password_to_the_admin_login_does_not_log_in(client, secretariat):
    response = client.post("/admin/login/", {"username": secretariat.email, "password": PASSWORD})

    assert response.status_code == 302
    assert client.get("/admin/").status_code == 302


def test_a_recovery_code_logs_in_once(client, napud):
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    person = person_with_role(Role.Kind.DIRECTOR, network=napud)
    enable_totp(person.user)
    code = RecoveryCodes.activate(person.user).get_unused_codes()[0]

    log_in_with_password(client, person.user)
    client.post("/en/accounts/2fa/authenticate/", {"code": code})
    assert client.get("/en/portal/").status_code == 200

    client.post("/en/accounts/logout/")
    log_in_with_password(client, person.user)
    client.post("/en/accounts/2fa/authenticate/", {"code": code})
    assert client.get("/en/portal/").status_code == 302
