"""Forms that speak: a form sent back with errors says so at the top (role="alert"),
takes the focus there, links each error to its field, and the page's <title> starts
with "Error:" in the page's language. One shared rendering does it for every form."""

import re

from django.utils import translation
from django.utils.html import escape

from governance.models import BoardSeat
from governance.services import elections as services

from ..factories import PASSWORD, OrganisationFactory, enable_totp, person_with_role
from ..governance.conftest import make_election


def summary(body: str) -> str:
    found = re.search(r'<div class="error-summary" role="alert"[^>]*>.*?</div>', body, re.S)
    assert found, "no error summary"
    return found.group(0)


def assert_it_speaks(response, *, lang: str = "en", fields: int = 1) -> None:
    body = response.content.decode()
    assert response.status_code == 200
    with translation.override(lang):
        error = translation.gettext("Error:")
    title = re.search(r"<title>(.*?)</title>", body, re.S).group(1)
    assert title.startswith(escape(error) + " "), title
    box = summary(body)
    assert " autofocus" in box and 'tabindex="-1"' in box
    # The summary comes before the first field of the form.
    assert body.index("error-summary") < body.index('<div class="field')
    targets = re.findall(r'<a href="#([^"]+)">', box)
    assert len(targets) >= fields
    for target in targets:
        # Each link leads to a field, which says it is invalid.
        field = re.search(rf'<(input|select|textarea)[^>]* id="{re.escape(target)}"[^>]*>', body)
        assert field, target
        assert 'aria-invalid="true"' in field.group(0), field.group(0)


def test_the_public_subscribe_form_speaks(client, db):
    assert_it_speaks(client.post("/en/subscribe/", {"email": "not an address"}))


def test_the_login_form_speaks_in_arabic(client, asia_director):
    response = client.post("/ar/accounts/login/", {"login": asia_director.email, "password": "x"})

    assert_it_speaks(response, lang="ar", fields=0)
    with translation.override("ar"):
        assert translation.gettext("Error:") != "Error:"


def test_an_allauth_form_speaks_too(client, asia_director):
    client.force_login(asia_director)

    response = client.post("/fr/accounts/reauthenticate/", {"password": "wrong"})

    assert_it_speaks(response, lang="fr")


def test_a_member_form_speaks(client, asia_director):
    client.force_login(asia_director)

    response = client.post(
        "/en/portal/profile/", {"display_name": "", "preferred_language": "xx", "bio": ""}
    )

    assert_it_speaks(response, fields=2)


def test_a_radio_choice_error_links_to_its_first_option(client, napud):
    delegates = [
        person_with_role("voting-delegate", organisation=OrganisationFactory(network=napud))
        for _ in range(2)
    ]
    enable_totp(delegates[1].user)
    election = make_election(BoardSeat.objects.create(network=napud))
    services.election_transition(election=election, transition="open-nominations")
    services.candidate_nominate(election=election, person=delegates[1], nominated_by=delegates[0])
    client.force_login(delegates[1].user)

    response = client.post(f"/en/portal/elections/{election.pk}/candidacy/", {"statement": ""})

    assert_it_speaks(response)
    assert '<a href="#id_decision_0">' in summary(response.content.decode())


def test_the_invitation_password_form_speaks(client, napud, django_capture_on_commit_callbacks):
    from django.core import mail

    from members import services as member_services
    from members.models import Person

    from ..members.test_invitation import invitation_link

    person = Person.objects.create(display_name="Nadia", email="nadia@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        member_services.person_invite(person=person)

    response = client.post(
        invitation_link(mail.outbox[0]), {"new_password1": "1234", "new_password2": "1234"}
    )

    assert_it_speaks(response)


def test_a_page_without_errors_does_not_say_error(client, asia_director):
    body = client.get("/en/accounts/login/").content.decode()

    assert "<title>Error:" not in body
    assert "error-summary" not in body


def test_a_correct_login_is_not_held_back(client, asia_director):
    response = client.post(
        "/en/accounts/login/", {"login": asia_director.email, "password": PASSWORD}
    )

    assert response.status_code == 302
