"""The partner and skills register: visibility per record, the search for directors
and the secretariat, and a person's own skills record."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from members import skills_register as register
from members.models import Expertise, Partner, Role, SkillsRecord, Visibility
from publications.models import Partner as PublishingName
from publications.models import Publication

from ..factories import PersonFactory, person_with_role

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture
def areas(db):
    return {
        slug: Expertise.objects.create(slug=slug, name_en=name, name_ru=ru)
        for slug, name, ru in (
            ("global-fund", "Global Fund processes", "Процессы Глобального фонда"),
            ("drug-checking", "Drug checking", "Проверка веществ"),
        )
    }


@pytest.fixture
def partners(areas, napud):
    made = {}
    for slug, visibility, kind in (
        ("unaids", Visibility.PUBLIC, Partner.Kind.UN_AGENCY),
        ("quiet-donor", Visibility.MEMBERS, Partner.Kind.DONOR),
        ("safehouse", Visibility.SECRETARIAT, Partner.Kind.INGO),
    ):
        partner = Partner.objects.create(
            slug=slug,
            name_en=slug.title(),
            kind=kind,
            visibility=visibility,
            relationships=["funder"],
            contact_name="Contact person of " + slug,
        )
        partner.regions.set([napud.region])
        partner.focus_areas.set([areas["global-fund"]])
        made[slug] = partner
    return made


def _record(person, areas, languages, visibility=Visibility.MEMBERS):
    record = SkillsRecord.objects.create(
        person=person, languages=f" {' '.join(languages)} ", visibility=visibility
    )
    record.expertise.set(areas)
    return record


def test_each_partner_shows_by_its_own_visibility(partners, asia_director, secretariat, outsider):
    def names(user):
        return sorted(p.slug for p in register.partners_visible_to(user))

    assert [p.slug for p in register.partners_public()] == ["unaids"]
    assert names(outsider) == ["unaids"]
    assert names(asia_director) == ["quiet-donor", "unaids"]
    assert names(secretariat) == ["quiet-donor", "safehouse", "unaids"]


def test_the_register_is_for_directors_and_the_secretariat(partners, napud, outsider):
    staff = person_with_role(Role.Kind.NETWORK_STAFF, network=napud).user
    for user in (outsider, staff):
        assert not register.can_use_register(user)
        with pytest.raises(PermissionDenied):
            register.register_search(user=user)


def test_search_by_skill_language_region_and_type(areas, partners, napud, asia_director):
    anya = PersonFactory(display_name="Anya", visibility=Visibility.MEMBERS)
    _record(anya, [areas["drug-checking"]], ["ru", "en"]).regions.set([napud.region])
    kofi = PersonFactory(display_name="Kofi", visibility=Visibility.MEMBERS)
    _record(kofi, [areas["global-fund"]], ["fr"])

    _partners, records = register.register_search(
        user=asia_director, expertise=areas["drug-checking"], language="ru"
    )
    assert [r.person for r in records] == [anya]
    _partners, records = register.register_search(user=asia_director, language="r")
    assert records == []  # a code, not a substring of one
    found, _records = register.register_search(
        user=asia_director, region=napud.region, kind=Partner.Kind.DONOR
    )
    assert [p.slug for p in found] == ["quiet-donor"]


def test_a_skills_record_never_names_someone_their_profile_hides(areas, asia_director, outsider):
    hidden = PersonFactory(display_name="Hidden", visibility=Visibility.SECRETARIAT)
    _record(hidden, [areas["drug-checking"]], ["en"], visibility=Visibility.PUBLIC)
    assert not register.skills_visible_to(outsider).exists()
    assert not register.skills_visible_to(asia_director).exists()


def test_people_keep_their_own_record(client, areas, napud, asia_director):
    client.force_login(asia_director)
    response = client.post(
        "/en/portal/skills/",
        {
            "expertise": [areas["drug-checking"].pk],
            "languages": ["en", "ne"],
            "regions": [napud.region.pk],
            "availability": "limited",
            "note": "Trained peers in Nepal.",
            "visibility": "members",
        },
    )
    assert response.status_code == 302
    record = SkillsRecord.objects.get(person=asia_director.person)
    assert record.language_codes == ["en", "ne"] and record.availability == "limited"
    page = client.get("/en/portal/skills/").content.decode()
    assert "Trained peers in Nepal." in page


def test_skills_cannot_be_more_public_than_the_profile(areas, asia_director):
    asia_director.person.visibility = Visibility.MEMBERS
    asia_director.person.save()
    with pytest.raises(ValidationError, match="profile is not public"):
        register.skills_save_own(
            user=asia_director,
            expertise=[areas["drug-checking"]],
            languages=["en"],
            regions=[],
            availability="available",
            note="",
            visibility="public",
        )
    with pytest.raises(ValidationError, match="Unknown language"):
        register.skills_save_own(
            user=asia_director,
            expertise=[areas["drug-checking"]],
            languages=["xx"],
            regions=[],
            availability="available",
            note="",
            visibility="members",
        )


def test_the_register_page_in_russian(client, areas, partners, asia_director):
    anya = PersonFactory(display_name="Anya", visibility=Visibility.MEMBERS)
    _record(anya, [areas["drug-checking"]], ["ru"])
    client.force_login(asia_director)
    page = client.get(f"/ru/portal/register/?expertise={areas['drug-checking'].pk}").content
    page = page.decode()
    assert "Anya" in page and "Проверка веществ" in page and "Русский" in page
    assert "Safehouse" not in page  # secretariat-only


def test_the_public_partner_list_and_co_publisher_links(client, partners, napud):
    page = client.get("/en/partners/").content.decode()
    assert "Unaids" in page and "Quiet-Donor" not in page and "Safehouse" not in page
    assert "Contact person of" not in page  # contacts are for the register only
    publication = Publication.objects.create(
        slug="brief",
        title_en="Brief",
        kind="report",
        status="published",
        published_on=datetime.date(2026, 6, 1),
    )
    publication.co_publishing_partners.set(
        [
            PublishingName.objects.create(name="UNAIDS", record=partners["unaids"]),
            PublishingName.objects.create(name="Quiet donor", record=partners["quiet-donor"]),
        ]
    )
    detail = client.get("/en/publications/brief/").content.decode()
    assert '<a href="/en/partners/#unaids">UNAIDS</a>' in detail
    assert "Quiet donor" in detail and "#quiet-donor" not in detail


def test_nothing_members_only_of_the_register_reaches_an_anonymous_visitor(client, areas, partners):
    _record(PersonFactory(display_name="Zed"), [areas["drug-checking"]], ["en"])
    for url in ("/en/portal/register/", "/en/portal/skills/"):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    for url in ("/sitemap.xml", "/en/partners/", "/en/publications/feed/"):
        body = client.get(url).content.decode()
        assert "Quiet-Donor" not in body and "Zed" not in body and "Safehouse" not in body


def test_the_register_keeps_its_queries_constant(
    client, areas, napud, asia_director, django_assert_max_num_queries
):
    def add(n):
        for i in range(n):
            partner = Partner.objects.create(
                slug=f"p{n}-{i}", name_en=f"P {i}", kind="ingo", visibility="members"
            )
            partner.focus_areas.set([areas["global-fund"]])
            _record(PersonFactory(), [areas["drug-checking"]], ["en"]).regions.set([napud.region])

    client.force_login(asia_director)
    add(2)
    with django_assert_max_num_queries(40) as few:
        client.get("/en/portal/register/")
    add(10)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get("/en/portal/register/").status_code == 200
