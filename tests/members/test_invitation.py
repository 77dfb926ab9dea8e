"""The secretariat invites people; the invitation opens an account, in the person's language."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.utils import translation

from members import services
from members.models import Person, User

from ..factories import PersonFactory


@pytest.fixture
def invitee(napud):
    return Person.objects.create(
        display_name="Nadia", email="nadia@example.org", preferred_language="fr"
    )


def invite_from_admin(client, people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(
            "/admin/members/person/",
            {"action": "invite", "_selected_action": [p.pk for p in people]},
            follow=True,
        )


def invitation_link(message) -> str:
    return re.search(r"https?://[^/\s]+(/\S+/accounts/invitation/\S+/)", message.body).group(1)


def test_the_secretariat_invites_a_person_from_the_admin(
    client, secretariat, invitee, django_capture_on_commit_callbacks
):
    client.force_login(secretariat)

    response = invite_from_admin(client, [invitee], django_capture_on_commit_callbacks)

    assert "1 invitation sent." in response.content.decode()
    invitee.refresh_from_db()
    assert invitee.user.email == "nadia@example.org"
    assert not invitee.user.has_usable_password()
    [message] = mail.outbox
    assert message.to == ["nadia@example.org"]
    english = "Your invitation to the INPUD member area"
    with translation.override("fr"):
        french = translation.gettext(english)
    assert french != english
    assert message.subject == french
    assert "/fr/accounts/invitation/" in message.body
    html = message.alternatives[0][0]
    assert '<html lang="fr" dir="ltr">' in html


def test_an_arabic_invitation_is_right_to_left(invitee, django_capture_on_commit_callbacks):
    invitee.preferred_language = "ar"
    invitee.save()

    with django_capture_on_commit_callbacks(execute=True):
        services.person_invite(person=invitee)

    assert '<html lang="ar" dir="rtl">' in mail.outbox[0].alternatives[0][0]


def test_accepting_the_invitation_sets_a_password_and_verifies_the_email(
    client, invitee, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.person_invite(person=invitee)
    link = invitation_link(mail.outbox[0])

    # Looking at the page twice changes nothing and keeps the link valid.
    assert client.get(link).status_code == 200
    assert client.get(link).status_code == 200
    response = client.post(
        link, {"new_password1": "a long passphrase 42", "new_password2": "a long passphrase 42"}
    )

    # Signed in at once and sent on to the authenticator (tests/members/test_first_login.py).
    assert response.status_code == 302
    assert response["Location"] == "/fr/accounts/2fa/totp/activate/?next=%2Ffr%2Fportal%2F"
    user = User.objects.get(email="nadia@example.org")
    assert user.check_password("a long passphrase 42")
    assert EmailAddress.objects.get(user=user).verified
    # The link works once.
    client.logout()
    assert client.get(link).status_code == 400


def test_a_weak_password_is_refused_and_nothing_changes(
    client, invitee, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.person_invite(person=invitee)
    link = invitation_link(mail.outbox[0])

    response = client.post(link, {"new_password1": "12345678", "new_password2": "12345678"})

    assert response.status_code == 200
    assert response.context["form"].errors
    assert not User.objects.get(email="nadia@example.org").has_usable_password()


def test_a_tampered_link_is_refused(client, invitee, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.person_invite(person=invitee)
    link = invitation_link(mail.outbox[0])

    response = client.get(link[:-3] + "xx/")

    assert response.status_code == 400


def test_inviting_someone_who_already_has_an_account_looks_the_same_to_the_secretariat(
    client, secretariat, napud, django_capture_on_commit_callbacks
):
    existing = PersonFactory(display_name="Has Account")
    new = Person.objects.create(display_name="New", email="new@example.org")
    client.force_login(secretariat)

    first = invite_from_admin(client, [existing], django_capture_on_commit_callbacks)
    second = invite_from_admin(client, [new], django_capture_on_commit_callbacks)

    assert "1 invitation sent." in first.content.decode()
    assert "1 invitation sent." in second.content.decode()
    assert len(mail.outbox) == 2
    # The account holder is pointed to the password reset instead of a new account.
    assert "/accounts/password/reset/" in mail.outbox[0].body
    assert "/accounts/invitation/" in mail.outbox[1].body


def test_a_person_without_email_is_refused_with_a_message(
    client, secretariat, django_capture_on_commit_callbacks
):
    nobody = Person.objects.create(display_name="No Email")
    client.force_login(secretariat)

    response = invite_from_admin(client, [nobody], django_capture_on_commit_callbacks)

    assert "This person has no email address to invite." in response.content.decode()
    assert mail.outbox == []
    nobody.refresh_from_db()
    assert nobody.user is None


def test_there_is_no_open_sign_up(client, db):
    response = client.post(
        "/en/accounts/signup/",
        {
            "email": "stranger@example.org",
            "password1": "a long passphrase 42",
            "password2": "a long passphrase 42",
        },
    )

    assert not User.objects.filter(email="stranger@example.org").exists()
    assert response.status_code == 200
