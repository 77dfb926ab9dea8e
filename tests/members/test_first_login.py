"""A first login in one pass: invitation email, password, authenticator, recovery
codes, the member area; the password is never asked twice in a row, and voting and
other sensitive steps still ask again."""

import datetime
import re

import pytest
from allauth.mfa.models import Authenticator
from django.core import mail
from django.utils import translation
from django.utils.html import escape

from members import services
from members.models import Person, Role

from ..factories import person_with_role
from .test_invitation import invitation_link
from .test_mfa import log_in_with_password, totp_code

PASSWORD = "a long passphrase 42"


@pytest.fixture
def invited(napud, django_capture_on_commit_callbacks):
    """A new NAPUD director invited in French, and the link from the email."""
    person = Person.objects.create(
        display_name="Nadia", email="nadia@example.org", preferred_language="fr"
    )
    services.role_grant(
        person=person, kind=Role.Kind.DIRECTOR, network=napud, starts_on=datetime.date(2024, 1, 1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.person_invite(person=person)
    person.refresh_from_db()
    return person, invitation_link(mail.outbox[-1])


def choose_password(client, link):
    return client.post(link, {"new_password1": PASSWORD, "new_password2": PASSWORD})


def shown_secret(page) -> str:
    body = page.content.decode()
    shown = re.search(
        r'<code class="totp-secret" dir="ltr" id="totp-secret">([A-Z2-7 ]+)</code>', body
    )
    return shown.group(1).replace(" ", "")


def test_it_goes_from_the_invitation_to_the_member_area_typing_the_password_once(client, invited):
    person, link = invited

    chosen = choose_password(client, link)
    setup = client.get(chosen["Location"])
    secret = shown_secret(setup)
    confirmed = client.post("/fr/accounts/2fa/totp/activate/", {"code": totp_code(secret)})
    codes = client.get(confirmed["Location"])
    dashboard = client.get("/fr/portal/")

    assert chosen["Location"].startswith("/fr/accounts/2fa/totp/activate/")
    # No "Confirm access" between the password and the authenticator.
    assert setup.status_code == 200
    assert confirmed.status_code == 302
    assert confirmed["Location"] == "/fr/accounts/2fa/recovery-codes/"
    assert Authenticator.objects.filter(user=person.user, type="totp").exists()
    assert codes.status_code == 200
    body = codes.content.decode()
    with translation.override("fr"):
        carry_on = translation.gettext("I have kept my codes: continue to the member area")
    assert f'href="/fr/portal/">{escape(carry_on)}</a>' in body
    assert dashboard.status_code == 200


def test_the_secret_stays_the_same_across_reloads_and_languages(client, invited):
    _person, link = invited
    choose_password(client, link)

    pages = [
        client.get("/fr/accounts/2fa/totp/activate/"),
        client.get("/fr/accounts/2fa/totp/activate/"),
        client.get("/ar/accounts/2fa/totp/activate/"),
    ]
    secrets = {shown_secret(page) for page in pages}

    assert len(secrets) == 1
    [secret] = secrets
    assert {page.context["form"].secret for page in pages} == {secret}
    # Scanned on the first showing, confirmed after switching language: accepted.
    response = client.post("/en/accounts/2fa/totp/activate/", {"code": totp_code(secret)})
    assert response.status_code == 302


def test_a_wrong_code_keeps_the_secret(client, invited):
    _person, link = invited
    choose_password(client, link)
    secret = shown_secret(client.get("/en/accounts/2fa/totp/activate/"))

    refused = client.post("/en/accounts/2fa/totp/activate/", {"code": "000000"})

    assert refused.status_code == 200
    assert refused.context["form"].errors
    assert shown_secret(refused) == secret


def test_the_qr_code_has_a_meaningful_text_alternative(client, invited):
    _person, link = invited
    choose_password(client, link)

    page = client.get("/en/accounts/2fa/totp/activate/")
    body = page.content.decode()
    secret = page.context["form"].secret

    [alt] = re.findall(r'<img src="data:image/svg\+xml;base64,[^"]+"[^>]* alt="([^"]*)"', body)
    assert alt == "QR code that adds your INPUD portal account to an authenticator app"
    assert secret not in alt


def test_a_fresh_login_goes_straight_to_the_authenticator(client, napud):
    user = person_with_role(Role.Kind.DIRECTOR, network=napud).user

    log_in_with_password(client, user)

    assert client.get("/en/accounts/2fa/totp/activate/").status_code == 200


def test_sensitive_steps_still_ask_for_the_password_again(client, invited):
    _person, link = invited
    choose_password(client, link)
    secret = shown_secret(client.get("/en/accounts/2fa/totp/activate/"))
    client.post("/en/accounts/2fa/totp/activate/", {"code": totp_code(secret)})

    response = client.get("/en/accounts/password/change/")

    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/reauthenticate/")


def test_a_login_that_is_no_longer_fresh_is_asked_again(client, settings, napud):
    user = person_with_role(Role.Kind.DIRECTOR, network=napud).user
    log_in_with_password(client, user)
    settings.ACCOUNT_REAUTHENTICATION_TIMEOUT = 0

    response = client.get("/en/accounts/2fa/totp/activate/")

    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/reauthenticate/")


def test_new_recovery_codes_still_need_the_password_after_enrolment(client, invited):
    # Reading the codes that came with the new authenticator is part of the first
    # login; making new ones later is not, even in the same fresh session.
    _person, link = invited
    choose_password(client, link)
    secret = shown_secret(client.get("/en/accounts/2fa/totp/activate/"))
    client.post("/en/accounts/2fa/totp/activate/", {"code": totp_code(secret)})
    assert client.get("/en/accounts/2fa/recovery-codes/").status_code == 200

    response = client.get("/en/accounts/2fa/recovery-codes/generate/")

    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/reauthenticate/")
