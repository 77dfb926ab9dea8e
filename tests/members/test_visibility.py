"""Nothing that is not public reaches a public page, the sitemap, a search or an
export a non-staff user can reach; members see their own network's records only."""

import pytest

from members.models import Visibility

from ..factories import OrganisationFactory, PersonFactory
from ..sitemap import whole_sitemap


@pytest.fixture
def napud_orgs(napud):
    return {
        level: OrganisationFactory(
            network=napud, name_en=f"NAPUD {level} group", slug=f"napud-{level}", visibility=level
        )
        for level in Visibility.values
    }


@pytest.fixture
def enpud_orgs(enpud):
    return {
        level: OrganisationFactory(
            network=enpud, name_en=f"ENPUD {level} group", slug=f"enpud-{level}", visibility=level
        )
        for level in Visibility.values
    }


def test_a_public_network_page_shows_only_public_organisations(client, napud_orgs):
    body = client.get("/en/networks/napud/").content.decode()

    assert "NAPUD public group" in body
    assert "NAPUD members group" not in body
    assert "NAPUD secretariat group" not in body


def test_a_public_page_shows_only_public_records_even_to_a_logged_in_director(
    client, asia_director, napud_orgs
):
    client.force_login(asia_director)

    body = client.get("/en/networks/napud/").content.decode()

    assert "NAPUD members group" not in body


def test_a_public_network_page_names_only_public_people(client, napud):
    from members.models import Role

    from ..factories import person_with_role

    person_with_role(
        Role.Kind.NETWORK_STAFF, network=napud, display_name="Open Oanh", visibility="public"
    )
    person_with_role(
        Role.Kind.NETWORK_STAFF, network=napud, display_name="Quiet Quan", visibility="members"
    )

    body = client.get("/en/networks/napud/").content.decode()

    assert "Open Oanh" in body
    assert "Quiet Quan" not in body


def test_a_pseudonym_is_shown_and_the_legal_name_never_is(client, napud):
    from members.models import Role

    from ..factories import person_with_role

    person_with_role(
        Role.Kind.DIRECTOR,
        network=napud,
        display_name="Moonlight",
        legal_name="Real Legal Name",
        visibility="public",
    )

    body = client.get("/en/networks/napud/").content.decode()

    assert "Moonlight" in body
    assert "Real Legal Name" not in body


def test_the_sitemap_has_no_organisation_or_person_pages(client, napud_orgs):
    body = whole_sitemap(client)

    assert "napud-members" not in body
    assert "napud-secretariat" not in body


def test_a_director_sees_their_own_networks_members_only_records(client, asia_director, napud_orgs):
    client.force_login(asia_director)

    body = client.get("/en/portal/networks/napud/").content.decode()

    assert "NAPUD public group" in body
    assert "NAPUD members group" in body
    assert "NAPUD secretariat group" not in body


def test_a_director_cannot_see_another_networks_directory(
    client, asia_director, napud_orgs, enpud_orgs
):
    client.force_login(asia_director)

    response = client.get("/en/portal/networks/enpud/")

    assert response.status_code == 404


def test_a_director_cannot_open_another_networks_organisation_for_editing(
    client, asia_director, eurasia_director, enpud_orgs
):
    client.force_login(asia_director)

    for level in Visibility.values:
        org = enpud_orgs[level]
        assert client.get(f"/en/portal/organisations/{org.pk}/").status_code == 404
        response = client.post(f"/en/portal/organisations/{org.pk}/", {"name": "Taken over"})
        assert response.status_code == 404
        org.refresh_from_db()
        assert org.name_en == f"ENPUD {level} group"


def test_a_director_cannot_edit_a_secretariat_only_record_of_their_own_network(
    client, asia_director, napud_orgs
):
    client.force_login(asia_director)

    response = client.get(f"/en/portal/organisations/{napud_orgs['secretariat'].pk}/")

    assert response.status_code == 404


def test_the_secretariat_sees_everything_in_the_member_area(client, secretariat, napud_orgs):
    client.force_login(secretariat)

    body = client.get("/en/portal/networks/napud/").content.decode()

    assert "NAPUD secretariat group" in body


def test_the_directory_export_is_out_of_reach_of_a_director(client, asia_director, napud_orgs):
    client.force_login(asia_director)

    response = client.post(
        "/admin/members/organisation/",
        {"action": "export_csv", "_selected_action": [o.pk for o in napud_orgs.values()]},
    )

    # The admin sends non-staff to its login, which refuses a logged-in non-staff user.
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 403
    assert b"NAPUD secretariat group" not in response.content


def test_the_directory_export_is_out_of_reach_of_a_visitor(client, napud_orgs):
    response = client.post(
        "/admin/members/organisation/",
        {"action": "export_csv", "_selected_action": [o.pk for o in napud_orgs.values()]},
    )

    assert response.status_code == 302
    assert b"NAPUD" not in response.content


def test_people_visible_to_follows_the_same_rules(asia_director, eurasia_director, napud):
    from members.visibility import people_visible_to

    hidden = PersonFactory(display_name="Hidden", visibility="secretariat")

    visible = set(people_visible_to(asia_director).values_list("display_name", flat=True))

    assert "Asha" in visible  # themselves
    assert "Yuri" not in visible  # members-only, other network
    assert "Hidden" not in visible
    assert hidden.pk
