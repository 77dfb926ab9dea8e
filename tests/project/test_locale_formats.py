"""Dates and times are written each language's own way, on pages and in emails."""

import datetime

import pytest
from django.utils import timezone, translation
from django.utils.formats import date_format

from inpud_portal.mail_render import render_email

MOMENT = datetime.datetime(2026, 12, 4, 23, 26, tzinfo=datetime.UTC)

# Django's locale formats, and for Arabic the date-time it lacks (inpud_portal.formats).
EXPECTED = {
    "en": ("Dec. 4, 2026", "Dec. 4, 2026, 11:26 p.m."),
    "fr": ("4 décembre 2026", "4 décembre 2026 23:26"),
    "es": ("4 de diciembre de 2026", "4 de diciembre de 2026 a las 23:26"),
    "ru": ("4 декабря 2026 г.", "4 декабря 2026 г. 23:26"),
    "ar": ("4 ديسمبر، 2026", "4 ديسمبر، 2026، 11:26 م"),
    "pt": ("4 de Dezembro de 2026", "4 de Dezembro de 2026 às 23:26"),
}


@pytest.mark.parametrize("lang", list(EXPECTED))
def test_each_language_writes_dates_and_date_times_its_own_way(lang):
    with translation.override(lang):
        shown = (date_format(MOMENT.date(), "DATE_FORMAT"), date_format(MOMENT, "DATETIME_FORMAT"))

    assert shown == EXPECTED[lang]


def test_the_arabic_date_time_is_not_the_english_pattern_in_arabic_words():
    with translation.override("ar"):
        shown = date_format(MOMENT, "DATETIME_FORMAT")

        date = date_format(MOMENT.date(), "DATE_FORMAT")

    assert shown != "ديسمبر 4, 2026, 11:26 م"
    # The date-time begins with the date as Arabic pages write it.
    assert shown.startswith(date)


def test_an_arabic_email_writes_the_date_time_the_arabic_way(napud):
    from governance.models import Election

    now = timezone.now()
    election = Election(
        title_en="NAPUD board seat 2027",
        method="irv",
        nominations_open_at=now,
        nominations_close_at=now,
        voting_open_at=now,
        voting_close_at=MOMENT,
        term_starts_on=datetime.date(2027, 1, 1),
        term_ends_on=datetime.date(2028, 12, 31),
    )

    message = render_email(
        template_prefix="governance/email/election_open_voting",
        to="amal@example.org",
        language="ar",
        context={"election": election, "person": {"display_name": "Amal"}, "url": "https://x"},
    )

    assert "4 ديسمبر، 2026، 11:26 م" in message.body
    assert "ديسمبر 4, 2026" not in message.body
