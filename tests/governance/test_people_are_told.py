"""People are told what concerns them, in their own language, through the outbox:
nominated, nomination accepted or declined, nominations closed with the
candidates, invited to a meeting (with its calendar file), papers added (one
digest), minutes ready for approval. A real Celery worker sends each to a real
SMTP server."""

import datetime

import icalendar
import pytest
from django.core.files.base import ContentFile
from django.utils import timezone, translation

from governance.models import AgendaItem, Meeting, Paper
from governance.services import elections as services
from governance.services import meeting_notices
from governance.services import meetings as meeting_services
from inpud_portal.celery import app
from inpud_portal.models import OutboxMessage

from ..celery_worker import Worker, wait_until
from ..smtp_sink import SmtpSink
from .conftest import make_election

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def sink():
    with SmtpSink() as server:
        yield server


@pytest.fixture
def worker(sink, monkeypatch):
    # The test process enqueues through Redis instead of running tasks itself.
    monkeypatch.setitem(app.conf, "task_always_eager", False)
    process = Worker(EMAIL_URL=sink.url, MAIL_RATE_PER_SECOND=50).start()
    yield process
    process.stop()


def received(sink, count, *, timeout=60):
    assert wait_until(lambda: len(sink.collector.messages) >= count, timeout=timeout), (
        f"{len(sink.collector.messages)} of {count} messages arrived"
    )
    return sink.collector.messages


def in_language(language, text, **values):
    with translation.override(language):
        return translation.gettext(text) % values


def subject(message) -> str:
    # A long encoded subject is folded onto the next line after "Subject:", and
    # Python's parser keeps the fold's space: no mail client shows it.
    return str(message["Subject"]).strip()


def text_of(message) -> str:
    return message.get_body(("plain",)).get_content()


@pytest.fixture
def election(napud_seat, delegates):
    delegates[1].preferred_language = "fr"
    delegates[1].save()
    delegates[2].preferred_language = "ar"
    delegates[2].save()
    election = make_election(napud_seat)
    services.election_transition(election=election, transition="open-nominations")
    OutboxMessage.objects.all().delete()
    return election


def test_a_nominee_is_told_in_their_language(election, delegates, worker, sink):
    services.candidate_nominate(election=election, person=delegates[1], nominated_by=delegates[0])

    [message] = received(sink, 1)
    assert message["To"] == delegates[1].user.email
    assert subject(message) == in_language(
        "fr", "You have been nominated: %(title)s", title=election.title_en
    )
    assert "Delegate 0" in text_of(message)
    assert f"/fr/portal/elections/{election.pk}/candidacy/" in text_of(message)


def test_the_nominator_hears_the_answer(election, delegates, worker, sink):
    accepted = services.candidate_nominate(
        election=election, person=delegates[1], nominated_by=delegates[2]
    )
    declined = services.candidate_nominate(
        election=election, person=delegates[3], nominated_by=delegates[2]
    )
    services.candidate_respond(candidate=accepted, accept=True, statement="Peer work")
    services.candidate_respond(candidate=declined, accept=False)

    messages = received(sink, 4)
    to_nominator = [m for m in messages if m["To"] == delegates[2].user.email]
    assert sorted(subject(m) for m in to_nominator) == sorted(
        [
            in_language("ar", "Nomination accepted: %(title)s", title=election.title_en),
            in_language("ar", "Nomination declined: %(title)s", title=election.title_en),
        ]
    )
    # Accepting the same nomination again tells nobody twice.
    services.candidate_respond(candidate=accepted, accept=True, statement="Peer work")
    assert OutboxMessage.objects.filter(to_email=delegates[2].user.email).count() == 2


def test_closing_nominations_lists_the_candidates_to_the_network(election, delegates, worker, sink):
    for person in delegates[:2]:
        services.candidate_nominate(election=election, person=person, nominated_by=person)

    services.election_transition(election=election, transition="close-nominations")

    messages = received(sink, len(delegates))
    by_recipient = {m["To"]: m for m in messages}
    assert set(by_recipient) == {d.user.email for d in delegates}
    arabic = by_recipient[delegates[2].user.email]
    assert subject(arabic) == in_language(
        "ar", "Nominations are closed: %(title)s", title=election.title_en
    )
    body = text_of(arabic)
    assert "Delegate 0" in body and "Delegate 1" in body and "Delegate 3" not in body


@pytest.fixture
def meeting(db):
    start = timezone.now() + datetime.timedelta(days=20)
    return Meeting.objects.create(
        kind=Meeting.Kind.BOARD,
        title_en="Annual Board Meeting",
        title_ru="Ежегодное заседание правления",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=6),
        city="Lisbon",
    )


@pytest.fixture
def invitees(napud_seat, delegates, meeting):
    delegates[1].preferred_language = "ru"
    delegates[1].save()
    meeting_services.invitations_send(meeting=meeting, people=delegates[:2])
    return delegates[:2]


def test_an_invitee_gets_the_invitation_with_the_calendar_file(worker, sink, meeting, invitees):
    messages = received(sink, 2)

    russian = next(m for m in messages if m["To"] == invitees[1].user.email)
    assert subject(russian) == in_language(
        "ru", "Invitation: %(title)s", title="Ежегодное заседание правления"
    )
    [attachment] = list(russian.iter_attachments())
    assert attachment.get_content_type() == "text/calendar"
    calendar = icalendar.Calendar.from_ical(attachment.get_content())
    [event] = calendar.walk("VEVENT")
    assert event.decoded("dtstart") == meeting.starts_at.replace(microsecond=0)
    assert str(event["uid"]) == f"meeting-{meeting.pk}@inpud-portal"
    # Inviting the same people again writes nothing.
    meeting_services.invitations_send(meeting=meeting, people=invitees)
    assert OutboxMessage.objects.filter(kind=OutboxMessage.Kind.MEETING_NOTICE).count() == 2


def test_papers_added_in_a_batch_make_one_digest_per_invitee(worker, sink, meeting, invitees):
    received(sink, 2)  # the invitations
    item = AgendaItem.objects.create(meeting=meeting, position=1, title_en="Work plan")
    for title in ["Draft work plan", "Budget", "Election rules"]:
        Paper.objects.create(
            agenda_item=item, title=title, file=ContentFile(b"%PDF-1.4", name="p.pdf")
        )

    # Still being uploaded: nothing yet.
    assert meeting_notices.meeting_papers_announce_due() == []
    later = timezone.now() + meeting_notices.PAPERS_QUIET + datetime.timedelta(seconds=1)
    assert meeting_notices.meeting_papers_announce_due(now=later) == [meeting.pk]
    assert meeting_notices.meeting_papers_announce_due(now=later) == []

    messages = received(sink, 4)[2:]
    assert sorted(m["To"] for m in messages) == sorted(p.user.email for p in invitees)
    russian = next(m for m in messages if m["To"] == invitees[1].user.email)
    assert subject(russian) == in_language(
        "ru", "New papers: %(title)s", title="Ежегодное заседание правления"
    )
    body = text_of(russian)
    assert all(title in body for title in ["Draft work plan", "Budget", "Election rules"])

    # A paper added later makes a digest of that paper alone.
    Paper.objects.create(agenda_item=item, title="Late annex", file=ContentFile(b"x", name="a.pdf"))
    much_later = later + meeting_notices.PAPERS_QUIET * 2
    assert meeting_notices.meeting_papers_announce_due(now=much_later) == [meeting.pk]
    last = received(sink, 6)[4:]
    assert all("Late annex" in text_of(m) and "Budget" not in text_of(m) for m in last)


def test_invitees_are_told_the_minutes_are_ready_for_approval(worker, sink, meeting, invitees):
    received(sink, 2)  # the invitations
    # Minutes are written once the meeting has begun.
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=timezone.now() - datetime.timedelta(hours=3),
        ends_at=timezone.now() - datetime.timedelta(hours=1),
    )
    meeting.refresh_from_db()

    revision = meeting_services.minutes_revise(meeting=meeting, text="The Board met.")

    messages = received(sink, 4)[2:]
    russian = next(m for m in messages if m["To"] == invitees[1].user.email)
    assert subject(russian) == in_language(
        "ru", "Minutes ready for approval: %(title)s", title="Ежегодное заседание правления"
    )
    assert f"/ru/portal/minutes/{revision.minutes_id}/" in text_of(russian)


def test_every_new_notice_is_translated():
    subjects = [
        "You have been nominated: %(title)s",
        "Nomination accepted: %(title)s",
        "Nomination declined: %(title)s",
        "Nominations are closed: %(title)s",
        "Invitation: %(title)s",
        "New papers: %(title)s",
        "Minutes ready for approval: %(title)s",
    ]
    for language in ["fr", "es", "ru", "ar", "pt"]:
        for subject in subjects:
            assert in_language(language, subject, title="x") != subject % {"title": "x"}
