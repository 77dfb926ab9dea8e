"""The secretariat manages the directory in the admin; bad input changes nothing."""

import csv
import io

import pytest

from members.models import Network, Organisation, Person, Role

from ..factories import OrganisationFactory

ADMIN_PAGES = [
    "/admin/members/region/",
    "/admin/members/network/",
    "/admin/members/organisation/",
    "/admin/members/person/",
    "/admin/members/activity/",
    "/admin/members/need/",
    "/admin/members/user/",
    "/admin/members/organisation/add/",
    "/admin/members/person/add/",
    "/admin/members/network/add/",
]


@pytest.fixture
def staff_client(client, secretariat):
    client.force_login(secretariat)
    return client


def organisation_form(network, **overrides):
    data = {
        "network": network.pk,
        "slug": "new-peer-group",
        "name_en": "New Peer Group",
        "country": "NP",
        "kind": "local-group",
        "legal_status": "registered",
        "visibility": "public",
    }
    return data | overrides


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_the_secretariat_reaches_every_admin_page(staff_client, napud, path):
    assert staff_client.get(path).status_code == 200


def test_the_secretariat_is_staff_through_its_role_not_superuser(secretariat):
    assert secretariat.is_staff
    assert not secretariat.is_superuser
    assert secretariat.has_perm("members.change_organisation")


def test_translated_fields_have_a_tab_per_language_without_jquery_ui(staff_client, napud):
    body = staff_client.get("/admin/members/organisation/add/").content.decode()

    for lang in ["en", "fr", "es", "ru", "ar", "pt"]:
        assert f'name="name_{lang}"' in body
        assert f'name="description_{lang}"' in body
    # The portal's own accessible tabs, not modeltranslation's jQuery UI ones.
    assert "inpud_portal/admin/translation_tabs." in body
    assert "tabbed_translation_fields" not in body
    assert "googleapis" not in body


def test_the_admin_searches_and_filters_organisations(staff_client, napud, enpud):
    OrganisationFactory(network=napud, name_en="Kathmandu Peers", slug="kp")
    OrganisationFactory(network=enpud, name_en="Almaty Peers", slug="ap", visibility="members")

    searched = staff_client.get("/admin/members/organisation/?q=Kathmandu").content.decode()
    filtered = staff_client.get(
        "/admin/members/organisation/?visibility__exact=members"
    ).content.decode()

    assert "Kathmandu Peers" in searched and "Almaty Peers" not in searched
    assert "Almaty Peers" in filtered and "Kathmandu Peers" not in filtered


def test_it_exports_the_directory_as_csv(staff_client, napud):
    org = OrganisationFactory(
        network=napud, name_en='=HYPERLINK("x")', slug="formula", visibility="secretariat"
    )

    response = staff_client.post(
        "/admin/members/organisation/", {"action": "export_csv", "_selected_action": [org.pk]}
    )

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["Name", "Member network", "Country code"]
    # A cell a spreadsheet would run as a formula is defused.
    assert rows[1][0] == '\'=HYPERLINK("x")'
    assert rows[1][1:3] == ["NAPUD", "KE"]


def test_it_creates_an_organisation(staff_client, napud):
    response = staff_client.post("/admin/members/organisation/add/", organisation_form(napud))

    assert response.status_code == 302
    assert Organisation.objects.get(slug="new-peer-group").country.code == "NP"


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ({"country": "XX"}, "country"),
        ({"name_en": "x" * 201}, "name_en"),
        ({"slug": "not a slug!"}, "slug"),
        ({"founded_year": "1800"}, "founded_year"),
        ({"website": "javascript:alert(1)"}, "website"),
        ({"visibility": "everyone"}, "visibility"),
    ],
)
def test_it_refuses_bad_organisation_input(staff_client, napud, override, field):
    response = staff_client.post(
        "/admin/members/organisation/add/", organisation_form(napud, **override)
    )

    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors
    assert not Organisation.objects.exists()


def test_it_refuses_a_duplicate_slug(staff_client, napud):
    OrganisationFactory(network=napud, slug="new-peer-group")

    response = staff_client.post("/admin/members/organisation/add/", organisation_form(napud))

    assert response.status_code == 200
    assert "slug" in response.context["adminform"].form.errors
    assert Organisation.objects.count() == 1


def test_it_refuses_a_second_network_for_a_region(staff_client, napud):
    response = staff_client.post(
        "/admin/members/network/add/",
        {
            "slug": "second",
            "acronym": "SEC",
            "name_en": "Second network",
            "region": napud.region_id,
            "status": "full",
            "position": 0,
            "former_names-TOTAL_FORMS": 0,
            "former_names-INITIAL_FORMS": 0,
            "endorsements-TOTAL_FORMS": 0,
            "endorsements-INITIAL_FORMS": 0,
        },
    )

    assert response.status_code == 200
    assert "region" in response.context["adminform"].form.errors
    assert Network.objects.count() == 1


def test_a_role_must_match_its_scope(staff_client, napud):
    response = staff_client.post(
        "/admin/members/person/add/",
        {
            "display_name": "New Director",
            "preferred_language": "en",
            "visibility": "members",
            "roles-TOTAL_FORMS": 1,
            "roles-INITIAL_FORMS": 0,
            "roles-0-kind": Role.Kind.DIRECTOR,
            "roles-0-starts_on": "2025-01-01",
        },
    )

    assert response.status_code == 200
    assert "directors and network staff need a network" in response.content.decode()
    assert not Person.objects.filter(display_name="New Director").exists()


def test_granting_a_role_in_the_admin_updates_the_groups(staff_client, napud):
    from ..factories import PersonFactory

    person = PersonFactory(display_name="Promoted")
    data = {
        "display_name": "Promoted",
        "email": person.email,
        "preferred_language": "en",
        "visibility": "members",
        "user": person.user_id,
        "roles-TOTAL_FORMS": 1,
        "roles-INITIAL_FORMS": 0,
        "roles-0-kind": Role.Kind.DIRECTOR,
        "roles-0-network": napud.pk,
        "roles-0-starts_on": "2025-01-01",
    }

    response = staff_client.post(f"/admin/members/person/{person.pk}/change/", data)

    assert response.status_code == 302
    assert list(person.user.groups.values_list("name", flat=True)) == ["Board directors"]


def test_the_export_holds_only_what_the_exporting_user_may_see(client, napud):
    """Staff who are not the secretariat (a staff flag set by hand, a role that
    ended minutes ago) export public entries only."""
    from django.contrib.auth.models import Permission

    from ..factories import PersonFactory, enable_totp

    orgs = [
        OrganisationFactory(network=napud, name_en=f"{level} entry", visibility=level)
        for level in ["public", "members", "secretariat"]
    ]
    user = PersonFactory().user
    user.is_staff = True
    user.save()
    user.user_permissions.add(Permission.objects.get(codename="view_organisation"))
    enable_totp(user)
    client.force_login(user)

    response = client.post(
        "/admin/members/organisation/",
        {"action": "export_csv", "_selected_action": [o.pk for o in orgs]},
    )

    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert [row[0] for row in rows[1:]] == ["public entry"]
    listed = client.get("/admin/members/organisation/").content.decode()
    assert "public entry" in listed
    assert "members entry" not in listed and "secretariat entry" not in listed


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ({"country": "XX"}, "Sélectionnez un choix valide"),
        ({"name_en": "x" * 201}, "au plus 200 caractères"),
        ({"slug": "taken"}, "existe déjà"),
    ],
)
def test_the_admin_refuses_bad_input_in_the_users_language(staff_client, napud, override, message):
    OrganisationFactory(network=napud, slug="taken")

    response = staff_client.post(
        "/admin/members/organisation/add/",
        organisation_form(napud, **override),
        headers={"accept-language": "fr"},
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert Organisation.objects.count() == 1


def test_the_secretariat_cannot_make_itself_superuser(staff_client, secretariat):
    response = staff_client.post(
        f"/admin/members/user/{secretariat.pk}/change/",
        {
            "email": secretariat.email,
            "is_active": "on",
            "is_staff": "on",
            "is_superuser": "on",
            "groups": list(secretariat.groups.values_list("pk", flat=True)),
        },
    )

    assert response.status_code == 302
    secretariat.refresh_from_db()
    assert not secretariat.is_superuser


def test_a_photo_is_stored_without_where_it_was_taken(staff_client, settings, tmp_path):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    settings.MEDIA_ROOT = tmp_path
    exif = Image.Exif()
    exif[0x013B] = "Legal Name"  # Artist
    exif[0x8825] = {2: (51.0, 30.0, 0.0)}  # GPS latitude
    raw = io.BytesIO()
    Image.new("RGB", (30, 30), "teal").save(raw, format="JPEG", exif=exif)

    response = staff_client.post(
        "/admin/members/person/add/",
        {
            "display_name": "Moonlight",
            "preferred_language": "en",
            "visibility": "public",
            "photo": SimpleUploadedFile("legal-name-at-home.jpg", raw.getvalue()),
            "roles-TOTAL_FORMS": 0,
            "roles-INITIAL_FORMS": 0,
        },
    )

    assert response.status_code == 302
    person = Person.objects.get(display_name="Moonlight")
    assert "legal-name" not in person.photo.name
    stored = Image.open(person.photo.path).getexif()
    assert 0x013B not in stored
    assert 0x8825 not in stored


def test_a_photo_that_is_not_an_image_is_refused(staff_client, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    response = staff_client.post(
        "/admin/members/person/add/",
        {
            "display_name": "Moonlight",
            "preferred_language": "en",
            "visibility": "public",
            "photo": SimpleUploadedFile("photo.jpg", b"<svg onload=alert(1)></svg>"),
            "roles-TOTAL_FORMS": 0,
            "roles-INITIAL_FORMS": 0,
        },
    )

    assert response.status_code == 200
    assert "photo" in response.context["adminform"].form.errors
    assert not Person.objects.filter(display_name="Moonlight").exists()
