import re

import pytest
from django.conf import settings
from django.core.management import call_command

from ..sitemap import whole_sitemap

LANGUAGES = [code for code, _ in settings.LANGUAGES]
PUBLIC_PATHS = [
    "/{lang}/",
    "/{lang}/networks/",
    "/{lang}/networks/napud/",
    "/{lang}/networks/inwud/",
]


@pytest.fixture
def demo(db):
    call_command("seed_demo", verbosity=0)


def html_tag(response) -> str:
    return re.search(r"<html[^>]*>", response.content.decode()).group(0)


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("path", PUBLIC_PATHS)
def test_it_serves_every_public_page_in_every_language(client, demo, lang, path):
    response = client.get(path.format(lang=lang))

    assert response.status_code == 200
    direction = "rtl" if lang == "ar" else "ltr"
    assert html_tag(response) == f'<html lang="{lang}" dir="{direction}">'


def test_it_lists_all_nine_networks_grouped_by_region(client, demo):
    response = client.get("/en/networks/")

    body = response.content.decode()
    for acronym in [
        "NAPUD",
        "ENPUD",
        "EuroNPUD",
        "AfricaNPUD",
        "LANPUD",
        "PANPUD",
        "NANPUD",
        "MENANPUD",
        "INWUD",
    ]:
        assert f">{acronym}</a>" in body
    assert len(response.context["regional_networks"]) == 8
    assert [n.acronym for n in response.context["global_networks"]] == ["INWUD"]
    assert "Middle East and North Africa" in body


def test_it_shows_a_network_profile(client, demo):
    response = client.get("/en/networks/napud/")

    body = response.content.decode()
    assert "Network of Asian People who Use Drugs" in body
    assert "Asian Network of People who use Drugs (ANPUD)" in body  # former name
    assert "Vancouver Declaration: endorsed on" in body
    assert "Consensus Statement on Drug Use under Prohibition: endorsed on" in body
    assert "https://napud.example.org/" in body
    assert "Peer Voices Kathmandu" in body


def test_it_translates_the_interface_and_marks_english_fallback_content(client, demo):
    response = client.get("/fr/networks/napud/")

    body = response.content.decode()
    assert "Asie" in body  # region name translated in the content
    assert "Réseaux membres" in body  # interface string from the French catalogue
    # The network's name exists only in English: it is marked as English.
    assert '<span lang="en" dir="ltr">Network of Asian People who Use Drugs</span>' in body


def test_its_language_switcher_keeps_the_visitor_on_the_same_page(client, demo):
    response = client.get("/en/networks/napud/?ref=home")

    body = response.content.decode()
    for lang in LANGUAGES:
        assert f'href="/{lang}/networks/napud/?ref=home" hreflang="{lang}"' in body
    # The head's alternates name the page itself, like its canonical link: a query
    # string does not make another page.
    alternate = '<link rel="alternate" hreflang="ar" href="http://testserver/ar/networks/napud/">'
    assert alternate in body


def test_it_redirects_the_bare_root_to_a_language(client, db):
    response = client.get("/", headers={"accept-language": "es"})

    assert response.status_code == 302
    assert response["Location"] == "/es/"


@pytest.mark.parametrize(
    "path", ["/xx/networks/", "/de/", "/pt-br/networks/napud/", "/fr-ca/", "/EN/networks/"]
)
def test_it_answers_an_unknown_language_prefix_with_a_404_in_english(client, demo, path):
    response = client.get(path, headers={"accept-language": "ru"})

    assert response.status_code == 404
    assert html_tag(response) == '<html lang="en" dir="ltr">'
    assert "Page not found" in response.content.decode()


def test_it_answers_an_unknown_network_with_a_translated_404(client, demo):
    response = client.get("/fr/networks/no-such-network/")

    assert response.status_code == 404
    assert html_tag(response) == '<html lang="fr" dir="ltr">'
    assert "Page introuvable" in response.content.decode()


def test_its_sitemap_lists_every_public_page_with_hreflang_alternates(client, demo):
    body = whole_sitemap(client)

    for lang in LANGUAGES:
        assert f"<loc>http://testserver/{lang}/networks/inwud/</loc>" in body
        assert f"<loc>http://testserver/{lang}/</loc>" in body
    assert 'hreflang="ar" href="http://testserver/ar/networks/napud/"' in body
    assert 'hreflang="x-default"' in body


def test_healthz_reports_the_database(client, db):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["database"] == "ok"


def test_a_network_page_costs_the_same_queries_for_3_or_30_organisations(
    client, napud, django_assert_num_queries
):
    from members.models import Activity

    from ..factories import OrganisationFactory

    activity = Activity.objects.create(slug="naloxone", name_en="Naloxone distribution")

    def add(count: int, country: str) -> None:
        for _ in range(count):
            OrganisationFactory(network=napud, country=country).activities.add(activity)

    add(3, "NP")
    with django_assert_num_queries(6) as few:
        small = client.get("/en/networks/napud/").content.decode()
    add(27, "KE")
    with django_assert_num_queries(len(few.captured_queries)):
        large = client.get("/fr/networks/napud/").content.decode()

    assert small.count("Naloxone distribution") == 3
    assert large.count("Naloxone distribution") == 30
    # Countries in the visitor's language, each heading once, kinds translated.
    assert large.count("<h3>Kenya</h3>") == 1 and large.count("<h3>Népal</h3>") == 1
    assert large.count("Groupe local") == 30
