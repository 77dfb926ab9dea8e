"""A director's member area: their network, role and profile, and their directory."""

import datetime

import pytest

from members.models import Activity, Organisation

from ..factories import OrganisationFactory


@pytest.fixture
def director_client(client, asia_director):
    client.force_login(asia_director)
    return client


def new_org(network, **overrides):
    data = {
        "network": network.pk,
        "name_en": "Pokhara Peer Circle",
        "description_en": "Peers meeting weekly.",
        "country": "NP",
        "city": "Pokhara",
        "kind": "local-group",
        "legal_status": "unregistered",
        "founded_year": "2019",
        "visibility": "members",
    }
    return data | overrides


def test_it_requires_login(client, db):
    response = client.get("/en/portal/")

    assert response["Location"] == "/en/accounts/login/?next=/en/portal/"


def test_a_director_sees_their_network_role_and_profile(director_client):
    body = director_client.get("/en/portal/").content.decode()

    assert "Welcome, Asha" in body
    assert "Board director · NAPUD" in body
    assert "/en/portal/networks/napud/" in body
    assert "Members of the network only" in body


def test_the_member_area_is_translated(director_client):
    body = director_client.get("/ar/portal/").content.decode()

    assert '<html lang="ar" dir="rtl">' in body
    assert "Welcome, Asha" not in body


def test_a_member_without_a_role_sees_no_network(client, outsider):
    client.force_login(outsider)

    body = client.get("/en/portal/").content.decode()

    assert "You hold no current role" in body
    assert client.get("/en/portal/organisations/new/").status_code == 403


def test_a_director_edits_their_profile_in_their_language(director_client, asia_director):
    response = director_client.post(
        "/fr/portal/profile/",
        {"display_name": "Asha K.", "preferred_language": "fr", "bio": "Militante à Katmandou."},
    )

    assert response.status_code == 302
    person = asia_director.person
    person.refresh_from_db()
    assert person.display_name == "Asha K."
    assert person.preferred_language == "fr"
    assert person.bio_fr == "Militante à Katmandou."
    assert not person.bio_en


def test_a_bad_profile_is_refused_and_nothing_changes(director_client, asia_director):
    response = director_client.post(
        "/en/portal/profile/", {"display_name": "", "preferred_language": "xx", "bio": ""}
    )

    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"display_name", "preferred_language"}
    asia_director.person.refresh_from_db()
    assert asia_director.person.display_name == "Asha"


@pytest.mark.parametrize(
    ("override", "field", "message"),
    [
        ({"display_name": "x" * 121}, "display_name", "au plus 120 caractères"),
        ({"bio": "x" * 2001}, "bio", "au plus 2000 caractères"),
        ({"preferred_language": "de"}, "preferred_language", "Sélectionnez un choix valide"),
    ],
)
def test_an_oversized_profile_is_refused_in_the_pages_language(
    director_client, asia_director, override, field, message
):
    data = {"display_name": "Asha K.", "preferred_language": "fr", "bio": ""} | override

    response = director_client.post("/fr/portal/profile/", data)

    assert response.status_code == 200
    assert message in response.context["form"].errors[field][0]
    asia_director.person.refresh_from_db()
    assert asia_director.person.display_name == "Asha"


def test_a_director_adds_an_organisation_to_their_directory(director_client, napud):
    advocacy = Activity.objects.create(slug="advocacy", name_en="Advocacy")

    response = director_client.post(
        "/en/portal/organisations/new/", new_org(napud, activities=[advocacy.pk])
    )

    assert response.status_code == 302
    org = Organisation.objects.get(name_en="Pokhara Peer Circle")
    assert org.slug == "pokhara-peer-circle"
    assert org.network == napud
    assert list(org.activities.all()) == [advocacy]


def test_a_director_updates_their_networks_organisation(director_client, napud):
    org = OrganisationFactory(network=napud, name_en="Old name", visibility="members")

    response = director_client.post(
        f"/en/portal/organisations/{org.pk}/", new_org(napud, name_en="New name")
    )

    assert response.status_code == 302
    org.refresh_from_db()
    assert org.name_en == "New name"


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ({"country": "ZZ"}, "country"),
        ({"founded_year": str(datetime.date.today().year + 1)}, "founded_year"),
        ({"visibility": "secretariat"}, "visibility"),
        ({"name_en": "x" * 201}, "name_en"),
        ({"kind": "cartel"}, "kind"),
    ],
)
def test_bad_directory_input_is_refused_and_nothing_is_saved(
    director_client, napud, override, field
):
    response = director_client.post("/en/portal/organisations/new/", new_org(napud, **override))

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Organisation.objects.exists()


def test_a_director_cannot_add_to_another_network(director_client, napud, enpud):
    response = director_client.post("/en/portal/organisations/new/", new_org(enpud))

    assert response.status_code == 200
    assert "network" in response.context["form"].errors
    assert not Organisation.objects.exists()


def test_errors_are_translated(director_client, napud):
    response = director_client.post("/fr/portal/organisations/new/", new_org(napud, country="ZZ"))

    errors = response.context["form"].errors["country"]
    assert "Sélectionnez un choix valide" in errors[0]


def test_a_get_changes_nothing(director_client, napud):
    org = OrganisationFactory(network=napud, name_en="Stable", visibility="members")

    director_client.get(f"/en/portal/organisations/{org.pk}/?name=Changed")

    org.refresh_from_db()
    assert org.name_en == "Stable"


def test_an_entry_written_in_french_shows_everywhere_marked_as_french(director_client, napud):
    director_client.post(
        "/fr/portal/organisations/new/",
        new_org(napud, name_fr="Cercle de pairs", description_fr="Des pairs.", visibility="public"),
    )

    org = Organisation.objects.get()
    assert org.name_fr == "Cercle de pairs"
    assert not org.name_en
    body = director_client.get("/en/networks/napud/").content.decode()
    assert '<span lang="fr" dir="ltr">Cercle de pairs</span>' in body


def test_editing_in_french_does_not_save_the_english_text_as_french(director_client, napud):
    org = OrganisationFactory(network=napud, name_en="Peer Voices", visibility="members")
    form = director_client.get(f"/fr/portal/organisations/{org.pk}/").context["form"]
    data = {
        k: v for k, v in form.initial.items() if v is not None and k not in ("activities", "needs")
    }

    director_client.post(f"/fr/portal/organisations/{org.pk}/", data | {"network": napud.pk})

    org.refresh_from_db()
    assert org.name_en == "Peer Voices"
    assert not org.name_fr


def test_a_secretariat_only_entry_is_not_editable_in_the_member_area(client, secretariat, napud):
    org = OrganisationFactory(network=napud, visibility="secretariat")
    client.force_login(secretariat)

    assert client.get(f"/en/portal/organisations/{org.pk}/").status_code == 404
    client.post(f"/en/portal/organisations/{org.pk}/", new_org(napud, visibility="public"))
    org.refresh_from_db()
    assert org.visibility == "secretariat"


def test_the_profile_form_offers_the_bio_of_the_pages_language_only(director_client, asia_director):
    person = asia_director.person
    person.bio_en = "English bio"
    person.save()

    form = director_client.get("/fr/portal/profile/").context["form"]

    assert form.initial["bio"] == ""
