"""404 and 500 pages in the visitor's language, right to left in Arabic."""

import re

import pytest

NOT_FOUND = {
    "en": "Page not found",
    "fr": "Page introuvable",
    "ar": "الصفحة غير موجودة",
}
SERVER_ERROR = {
    "en": "Something went wrong",
    "fr": "Une erreur s'est produite",
    "ar": "حدث خطأ ما",
}


def html_tag(response) -> str:
    return re.search(r"<html[^>]*>", response.content.decode()).group(0)


def heading(response) -> str:
    return re.search(r"<h1>(.*?)</h1>", response.content.decode()).group(1)


@pytest.mark.parametrize("lang", ["en", "fr", "es", "ru", "ar", "pt"])
def test_a_missing_page_answers_404_in_the_visitors_language(client, db, lang):
    response = client.get(f"/{lang}/publications/no-such-publication/")

    assert response.status_code == 404
    direction = "rtl" if lang == "ar" else "ltr"
    assert html_tag(response) == f'<html lang="{lang}" dir="{direction}">'
    if lang in NOT_FOUND:
        assert heading(response) == NOT_FOUND[lang]
    assert f'href="/{lang}/"' in response.content.decode()  # back to the home page


def test_a_missing_page_without_a_language_answers_in_english(client, db):
    response = client.get("/xx/nothing-here/")

    assert response.status_code == 404
    assert html_tag(response) == '<html lang="en" dir="ltr">'


@pytest.mark.urls("tests.pages.failing_urls")
@pytest.mark.parametrize("lang", ["en", "fr", "ar"])
def test_a_failure_answers_500_in_the_visitors_language_without_the_database(client, lang):
    # No db fixture: any query the error page made would fail the test.
    client.raise_request_exception = False

    response = client.get(f"/{lang}/failing/")

    assert response.status_code == 500
    direction = "rtl" if lang == "ar" else "ltr"
    assert html_tag(response) == f'<html lang="{lang}" dir="{direction}">'
    assert heading(response) == SERVER_ERROR[lang]
    assert f'href="/{lang}/"' in response.content.decode()
    assert "could not connect" not in response.content.decode()
