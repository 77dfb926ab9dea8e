"""The meeting pack: one zip with the agenda and every paper, named readably, for the
meeting's invitees only."""

import datetime
import io
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone, translation

from governance.models import AgendaItem, Meeting, Paper
from governance.services import meetings as services
from members.models import Role

from ..factories import enable_totp, person_with_role


@pytest.fixture
def meeting(napud):
    start = timezone.make_aware(datetime.datetime(2027, 1, 4, 13, 0))
    meeting = Meeting.objects.create(
        kind=Meeting.Kind.BOARD,
        title_en="Annual Board Meeting",
        title_ar="الاجتماع السنوي للمجلس",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=6),
    )
    AgendaItem.objects.create(meeting=meeting, position=1, title_en="Welcome")
    rules = AgendaItem.objects.create(meeting=meeting, position=3, title_en="Elections")
    Paper.objects.create(
        agenda_item=rules,
        title="Election rules",
        file=ContentFile(b"%PDF-1.4 the rules", name="upload.pdf"),
    )
    Paper.objects.create(
        agenda_item=rules,
        title="Election rules",
        file=ContentFile(b"%PDF-1.4 the annex", name="annex.PDF"),
    )
    return meeting


@pytest.fixture
def invitee(meeting, napud):
    person = person_with_role(Role.Kind.DIRECTOR, network=napud)
    enable_totp(person.user)
    services.invitations_send(meeting=meeting, people=[person])
    return person


def test_an_invitee_downloads_the_agenda_and_every_paper_in_one_zip(client, meeting, invitee):
    client.force_login(invitee.user)

    response = client.get(f"/en/portal/meetings/{meeting.pk}/pack/")
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))

    assert response["Content-Type"] == "application/zip"
    assert 'filename="2027-01-04-annual-board-meeting.zip"' in response["Content-Disposition"]
    assert sorted(archive.namelist()) == [
        "2027-01-04-annual-board-meeting/00-agenda.html",
        "2027-01-04-annual-board-meeting/03-election-rules-2.pdf",
        "2027-01-04-annual-board-meeting/03-election-rules.pdf",
    ]
    papers = {archive.read(n) for n in archive.namelist() if n.endswith(".pdf")}
    assert papers == {b"%PDF-1.4 the rules", b"%PDF-1.4 the annex"}
    agenda = archive.read("2027-01-04-annual-board-meeting/00-agenda.html").decode()
    assert '<li value="3"><strong>Elections</strong>' in agenda
    assert 'href="03-election-rules.pdf"' in agenda


def test_the_agenda_in_the_pack_is_in_the_readers_language(client, meeting, invitee):
    client.force_login(invitee.user)

    response = client.get(f"/ar/portal/meetings/{meeting.pk}/pack/")
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))

    agenda = archive.read("2027-01-04-annual-board-meeting/00-agenda.html").decode()
    assert '<html lang="ar" dir="rtl">' in agenda
    assert "الاجتماع السنوي للمجلس" in agenda
    with translation.override("ar"):
        assert translation.gettext("Agenda") in agenda


def test_the_meeting_page_links_to_the_pack(client, meeting, invitee):
    client.force_login(invitee.user)

    body = client.get(f"/en/portal/meetings/{meeting.pk}/").content.decode()

    assert f'href="/en/portal/meetings/{meeting.pk}/pack/"' in body


def test_someone_not_invited_gets_nothing(client, meeting, eurasia_director):
    client.force_login(eurasia_director)

    assert client.get(f"/en/portal/meetings/{meeting.pk}/pack/").status_code == 404


def test_a_visitor_is_sent_to_log_in(client, meeting):
    response = client.get(f"/en/portal/meetings/{meeting.pk}/pack/")

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
