"""seed_demo writes the home text in all six languages, the About pages in English,
French and Arabic."""

import re

import pytest
from django.conf import settings
from django.core.management import call_command

from pages.models import Page, Section


@pytest.fixture
def demo(db):
    call_command("seed_demo", verbosity=0)


def test_it_loads_the_home_text_and_the_about_pages_once(demo):
    call_command("seed_demo", verbosity=0)

    assert Page.objects.filter(placement="home", status="published").count() == 1
    about = Page.objects.filter(placement="about", status="published")
    assert set(about.values_list("slug", flat=True)) == {
        "history",
        "governance",
        "vancouver-declaration",
        "consensus-statement",
    }
    assert Section.objects.filter(page__placement="home").count() == 4


def test_it_leaves_a_page_the_secretariat_edited_alone(demo):
    Page.objects.filter(slug="history").update(title_en="Our story")

    call_command("seed_demo", verbosity=0)

    assert Page.objects.get(slug="history").title_en == "Our story"


def test_every_demo_text_is_in_english_french_and_arabic(demo):
    for page in Page.objects.all():
        assert page.title_en and page.title_fr and page.title_ar, page.slug
        assert page.summary_en and page.summary_fr and page.summary_ar, page.slug
        if page.placement == "about":
            assert not page.title_es  # Spanish readers see the English, marked as such
    for section in Section.objects.all():
        assert section.body_en and section.body_fr and section.body_ar, section.pk


@pytest.mark.parametrize(
    ("lang", "heading"),
    [
        ("en", ">Vision</h3>"),
        ("fr", ">Vision</h3>"),
        ("es", ">Visión</h3>"),
        ("ru", ">Видение</h3>"),
        ("ar", ">الرؤية</h3>"),
        ("pt", ">Visão</h3>"),
    ],
)
def test_the_home_page_says_who_inpud_is_in_the_visitors_language(client, demo, lang, heading):
    body = client.get(f"/{lang}/").content.decode()

    assert heading in body
    if lang != "en":
        assert 'lang="en"' not in body.split("</header>", 1)[1].split("</section>", 1)[0]


def test_a_spanish_visitor_reads_the_english_text_marked_as_english(client, demo):
    body = client.get("/es/about/governance/").content.decode()

    assert '<span lang="en" dir="ltr">How the network is governed</span>' in body
    assert '<div lang="en" dir="ltr"><p>Each of the eight regional networks' in body


def test_every_demo_about_page_answers_in_every_language(client, demo):
    slugs = list(Page.objects.filter(placement="about").values_list("slug", flat=True))
    for code, _name in settings.LANGUAGES:
        for path in [f"/{code}/about/", *[f"/{code}/about/{slug}/" for slug in slugs]]:
            response = client.get(path)
            assert response.status_code == 200, path
            direction = "rtl" if code == "ar" else "ltr"
            html = re.search(r"<html[^>]*>", response.content.decode()).group(0)
            assert html == f'<html lang="{code}" dir="{direction}">', path
