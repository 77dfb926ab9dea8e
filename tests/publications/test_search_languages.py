"""Library search in each language's own way: PostgreSQL's stemming per language,
and for Arabic the spelling variants and broken plurals folded together
(publications.arabic_search). Real word variants, searched from that language's page."""

import datetime

import pytest
from django.db import connection

from publications.models import Publication

pytestmark = pytest.mark.postgres

# language: (the title stored, what a reader types, a word that must not match)
VARIANTS = {
    "en": ("Supporting people who inject drugs", "injecting drug", "injustice"),
    "fr": ("Les droits des personnes qui consomment des drogues", "droit drogue", "adroit"),
    "es": ("Los derechos de las personas que usan drogas", "derecho droga", "derrota"),
    "ru": ("Права людей, употребляющих наркотики", "наркотиков", "наркоз"),
    "pt": ("Os direitos das pessoas que usam drogas", "direito droga", "direção"),
    "ar": ("الحد من الأضرار", "الحد من الضرر", "الحديقة"),
}


def publish(slug: str, **titles) -> Publication:
    return Publication.objects.create(
        slug=slug,
        kind="report",
        status="published",
        published_on=datetime.date(2025, 1, 1),
        **titles,
    )


def found(client, lang: str, text: str) -> list[str]:
    return [p.slug for p in client.get(f"/{lang}/publications/", {"q": text}).context["page"]]


@pytest.mark.parametrize("lang", list(VARIANTS))
def test_it_finds_another_form_of_the_word_in_each_language(client, db, lang):
    title, typed, unrelated = VARIANTS[lang]
    publish("the-one", **({"title_en": "Annual report"} | {f"title_{lang}": title}))
    publish("another", **{f"title_{lang}": "Annual report", "title_en": "Annual report"})

    assert found(client, lang, typed) == ["the-one"]
    assert found(client, lang, unrelated) == []


@pytest.mark.parametrize(
    ("stored", "typed"),
    [
        # A hamza on or under the alef, or none.
        ("إعلان الأمم المتحدة", "اعلان الامم"),
        # Taa marbuta or haa at the end.
        ("الصحة العامة", "الصحه العامه"),
        # Tatweel stretching a word.
        ("المخدرات", "المخـــدرات"),
        # Short vowels and shadda written in.
        ("حقوق الإنسان", "حُقُوق الإنْسَان"),
        # A broken plural with a joined preposition: "for the children" finds "the child".
        ("خدمات للأطفال", "الطفل"),
    ],
)
def test_arabic_search_folds_spelling_variants(client, db, stored, typed):
    publish("arabic", title_ar=stored, title_en="Arabic publication")

    assert found(client, "ar", typed) == ["arabic"]


def test_the_folding_is_the_same_sql_for_the_stored_and_the_typed_text(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT inpud_arabic_normalise(%s), inpud_arabic_normalise(%s)",
            ["الأضرار", "الضرر"],
        )
        assert cursor.fetchone() == ("الضرر", "الضرر")
        cursor.execute("SELECT inpud_arabic_normalise(%s)", ["مدرسةٌ"])
        assert cursor.fetchone() == ("مدرسه",)


def test_an_arabic_page_still_finds_english_fallback_content(client, db):
    publish("english-only", title_en="Harm reduction works")

    assert found(client, "ar", "harm reduction") == ["english-only"]
