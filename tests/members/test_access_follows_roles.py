"""Access comes from current roles: when a role ends, so does what it opened."""

import datetime

from django.test import override_settings

from members import services
from members.models import Role
from members.visibility import is_secretariat

from ..factories import OrganisationFactory, enable_totp, person_with_role


def test_a_secretariat_role_that_ended_by_date_opens_nothing(client, db):
    person = person_with_role(Role.Kind.SECRETARIAT)
    enable_totp(person.user)
    role = person.roles.get()
    Role.objects.filter(pk=role.pk).update(ends_on=datetime.date(2024, 6, 30))
    user = person.user

    # Even before the periodic sync, private records are closed to them.
    assert not is_secretariat(user)

    services.access_sync_all()

    user.refresh_from_db()
    assert not user.is_staff
    assert not user.groups.exists()
    client.force_login(user)
    assert client.get("/admin/").status_code == 302


def test_access_is_resynced_at_login(client, db):
    from ..factories import PASSWORD

    person = person_with_role(Role.Kind.SECRETARIAT)
    Role.objects.filter(person=person).update(ends_on=datetime.date(2024, 6, 30))

    client.post("/en/accounts/login/", {"login": person.user.email, "password": PASSWORD})

    person.user.refresh_from_db()
    assert not person.user.is_staff


def test_deleting_a_person_withdraws_their_logins_access(client, secretariat, napud):
    director = person_with_role(Role.Kind.NETWORK_STAFF, network=napud)
    user = director.user
    client.force_login(secretariat)

    client.post(f"/admin/members/person/{director.pk}/delete/", {"post": "yes"})

    user.refresh_from_db()
    assert not user.groups.exists()
    assert not hasattr(user, "person") or user.person is None


def test_a_member_of_another_network_sees_no_edit_links(client, napud, enpud):
    person = person_with_role(Role.Kind.DIRECTOR, network=enpud)
    org = OrganisationFactory(network=napud, visibility="public")
    services.role_grant(person=person, kind=Role.Kind.VOTING_DELEGATE, organisation=org)
    enable_totp(person.user)
    client.force_login(person.user)

    body = client.get("/en/portal/networks/napud/").content.decode()

    assert org.name_en in body
    assert f"/en/portal/organisations/{org.pk}/" not in body


@override_settings(ALLOWED_HOSTS=["portal.inpud.net"], SECURE_SSL_REDIRECT=True)
def test_healthz_answers_plain_http_with_the_public_host(client, db):
    # docker-compose's healthcheck asks over http on loopback with this Host header.
    response = client.get("/healthz", headers={"host": "portal.inpud.net"})

    assert response.status_code == 200


def test_the_admin_password_change_goes_through_allauth(client, secretariat):
    client.force_login(secretariat)

    response = client.get("/admin/password_change/")

    assert response.status_code == 302
    assert response["Location"].endswith("/accounts/password/change/")


def test_an_admin_search_in_french_finds_an_english_only_record(client, secretariat, napud):
    OrganisationFactory(network=napud, name_en="Peer Voices Kathmandu", slug="pvk")
    client.force_login(secretariat)

    body = client.get("/admin/members/organisation/?q=Kathmandu", headers={"accept-language": "fr"})

    assert "Peer Voices Kathmandu" in body.content.decode()
