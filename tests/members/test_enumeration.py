"""Nobody learns whether an email address has an account."""

from django.core import mail


def test_login_answers_the_same_for_unknown_and_known_emails(client, asia_director):
    unknown = client.post(
        "/en/accounts/login/", {"login": "nobody@example.org", "password": "wrong"}
    )
    known = client.post("/en/accounts/login/", {"login": asia_director.email, "password": "wrong"})

    assert unknown.status_code == known.status_code == 200
    assert unknown.context["form"].errors == known.context["form"].errors


def test_password_reset_answers_the_same_for_unknown_and_known_emails(
    client, asia_director, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        unknown = client.post("/en/accounts/password/reset/", {"email": "nobody@example.org"})
        known = client.post("/en/accounts/password/reset/", {"email": asia_director.email})

    assert unknown.status_code == known.status_code == 302
    assert unknown["Location"] == known["Location"]
    # Each address gets a message: a reset link, or word that it has no account.
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        ["nobody@example.org", asia_director.email]
    )


def test_logging_out_needs_a_post(client, asia_director):
    client.force_login(asia_director)

    client.get("/en/accounts/logout/")

    assert client.get("/en/portal/").status_code == 200


def test_account_emails_are_in_the_persons_preferred_language(
    client, asia_director, django_capture_on_commit_callbacks
):
    asia_director.person.preferred_language = "ru"
    asia_director.person.save()

    # Asked for from an English page: the email is still in Russian.
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/en/accounts/password/reset/", {"email": asia_director.email})

    [message] = mail.outbox
    assert message.subject == "[INPUD] Письмо для сброса пароля"
    assert "/ru/accounts/password/reset/key/" in message.body


def test_an_invitation_link_answers_the_same_for_unknown_and_known_accounts(client, asia_director):
    from django.utils.http import int_to_base36

    uid = int_to_base36(asia_director.pk)
    known = client.get(f"/en/accounts/invitation/{uid}/bad-token/")
    unknown = client.get("/en/accounts/invitation/zzzzz/bad-token/")

    assert known.status_code == unknown.status_code == 400
    # The pages differ only by their own address (in the language links).
    assert known.content.decode().replace(f"/invitation/{uid}/", "/invitation/?/") == (
        unknown.content.decode().replace("/invitation/zzzzz/", "/invitation/?/")
    )
