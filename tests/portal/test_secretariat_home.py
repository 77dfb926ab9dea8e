"""The admin index starts with what needs action (issue 11, point 3): each kind of
waiting work is a line that links to where it is fixed, and the page runs the same
number of queries with one item of each kind as with many."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from governance.models import AgendaItem, BoardSeat, Election, Invitation, Meeting
from inpud_portal.models import OutboxMessage
from pages.models import Page
from publications.models import Mailing, Publication, Subscriber

from ..factories import NetworkFactory, PersonFactory
from ..governance.conftest import make_election


def waiting_work(n: int, *, start: int = 0) -> None:
    """n of each kind of work the secretariat has to act on."""
    now = timezone.now()
    for i in range(start, start + n):
        seat = BoardSeat.objects.create(network=NetworkFactory(), position=i)
        make_election(seat, title_en=f"Seat {i} draft", status=Election.Status.DRAFT)
        make_election(seat, title_en=f"Seat {i} counted", status=Election.Status.TALLIED)
        meeting = Meeting.objects.create(
            kind=Meeting.Kind.BOARD,
            title_en=f"Board Meeting {i}",
            starts_at=now + datetime.timedelta(days=10 + i),
            ends_at=now + datetime.timedelta(days=10 + i, hours=3),
        )
        AgendaItem.objects.create(meeting=meeting, position=1, title_en="Work plan")
        Invitation.objects.create(meeting=meeting, person=PersonFactory())
        mailing = Mailing.objects.create(
            subject_en=f"News {i}", body_text_en="…", status=Mailing.Status.SENDING
        )
        for language, status in [("en", "sent"), ("fr", "queued"), ("fr", "failed")]:
            OutboxMessage.objects.create(
                kind=OutboxMessage.Kind.MAILING,
                to_email=f"{language}{i}{status}@example.org",
                language=language,
                template="publications/email/mailing",
                group=f"mailing:{mailing.pk}",
                status=status,
            )
        Subscriber.objects.create(
            email=f"new{i}@example.org", consent_at=now, consent_source="test"
        )
        Publication.objects.create(
            slug=f"brief-{i}",
            kind=Publication.Kind.TECHNICAL_BRIEF,
            title_en=f"Brief {i}",
            status=Publication.Status.PUBLISHED,
            published_on=datetime.date(2026, 1, 1),
        )
        Page.objects.create(slug=f"page-{i}", title_en=f"Page {i}", status=Page.Status.PUBLISHED)


def home(client):
    response = client.get("/admin/")
    assert response.status_code == 200
    return response.content.decode()


def test_it_lists_what_needs_action_with_links_to_where_it_is_fixed(client, secretariat):
    waiting_work(1)
    client.force_login(secretariat)

    body = home(client)

    draft = Election.objects.get(status=Election.Status.DRAFT)
    assert f'href="/admin/governance/election/{draft.pk}/change/"' in body
    assert "Seat 0 draft is a draft: open nominations" in body
    assert "Seat 0 counted is counted: check and certify the result." in body
    meeting = Meeting.objects.get()
    assert f'href="/admin/governance/meeting/{meeting.pk}/change/"' in body
    assert "1 agenda item without a paper" in body
    assert "no quorum yet: 0 of 1 invited will attend" in body
    mailing = Mailing.objects.get()
    assert f'href="/admin/publications/mailing/{mailing.pk}/progress/"' in body
    assert "en: 1 sent · fr: 1 failed, 1 queued" in body
    assert "1 subscriber has not confirmed their address yet." in body
    assert "1 email failed: check the address or send it again." in body
    assert "1 published publication lacks a title in some language." in body
    assert "1 published page lacks a title in some language." in body


def test_it_says_when_nothing_is_waiting(client, secretariat):
    client.force_login(secretariat)

    assert "Nothing is waiting for you." in home(client)


def test_its_queries_do_not_grow_with_the_work(client, secretariat, django_assert_max_num_queries):
    client.force_login(secretariat)
    waiting_work(1)
    home(client)  # the session and the permissions are cached after the first page
    with CaptureQueriesContext(connection) as one_of_each:
        home(client)
    waiting_work(6, start=1)

    with django_assert_max_num_queries(len(one_of_each.captured_queries)):
        body = home(client)

    assert "7 subscribers have not confirmed their address yet." in body
    assert body.count("no quorum yet") == 7
