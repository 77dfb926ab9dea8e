"""Nobody learns whether an email address has an account."""

from django.core import mail


def test_login_answers_the_same_for_unknown_and_known_emails(client, asia_director):
    unknown = client.post(
        "/en/accounts/login/", {"login": "nobody@example.org", "password": "wrong"}
    )
    known = client.post("/en/accounts/login/", {"login": asia_director.email, "password": "wrong"})

    assert unknown.status_code == known.status_code == 200
    assert unknown.context["form"].errors == known.context["form"].errors


def test_password_reset_answers_the_same_for_unknown_and_known_emails(client, asia_director):
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
