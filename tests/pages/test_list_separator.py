"""Lists and place names are joined with the reading language's separator: Arabic
writes "مونتريال، كندا" with its own comma, not the Latin one."""

import datetime

import pytest
from django.utils import timezone, translation

from governance.models import Meeting
from inpud_portal import text

ARABIC_COMMA = "، "


@pytest.fixture
def arabic_separator(monkeypatch):
    # What the Arabic catalogue will say once translated (the lead translates the
    # catalogues after merging; this test must not depend on when).
    real = translation.pgettext

    def pgettext(context, message):
        if (context, message) == ("list separator", ", ") and translation.get_language() == "ar":
            return ARABIC_COMMA
        return real(context, message)

    monkeypatch.setattr(text, "pgettext", pgettext)


@pytest.fixture
def meeting(db):
    start = timezone.now() + datetime.timedelta(days=10)
    return Meeting.objects.create(
        kind=Meeting.Kind.BOARD,
        title_en="Annual Board Meeting",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=6),
        city="Montréal",
        country="CA",
    )


def test_a_meetings_place_uses_the_arabic_comma(client, meeting, arabic_separator):
    with translation.override("ar"):
        country = meeting.country.name

    for path in ["/ar/meetings/", f"/ar/meetings/{meeting.pk}/"]:
        body = client.get(path).content.decode()
        assert f"Montréal{ARABIC_COMMA}{country}" in body, path
        assert f"Montréal, {country}" not in body, path

    ics = client.get(f"/ar/meetings/{meeting.pk}/calendar.ics").content.decode()
    assert f"LOCATION:Montréal{ARABIC_COMMA.strip()}" in ics.replace("\r\n ", "")


def test_english_keeps_the_latin_comma(client, meeting, arabic_separator):
    body = client.get(f"/en/meetings/{meeting.pk}/").content.decode()

    assert "Montréal, Canada" in body
