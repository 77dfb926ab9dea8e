"""Election emails: outbox rows written with the event, in each recipient's
language, reminders only to those who have not voted, each notice once."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone, translation

from governance.models import Election
from governance.services import elections as services
from governance.services import notices as notifications
from governance.tasks import remind_voters
from inpud_portal.models import OutboxMessage
from inpud_portal.outbox import handler_for

from .conftest import make_election, open_for_voting, standing_ids

NOTICE = OutboxMessage.Kind.ELECTION_NOTICE


def notices(election, event):
    return OutboxMessage.objects.filter(kind=NOTICE, group=f"election:{election.pk}:{event}")


def test_opening_the_vote_emails_the_roll_in_each_voters_language(
    napud_seat, delegates, django_capture_on_commit_callbacks
):
    delegates[3].preferred_language = "ar"
    delegates[3].save()
    election = make_election(napud_seat)

    with django_capture_on_commit_callbacks(execute=True):
        open_for_voting(election, delegates[:2])

    for delegate in delegates:
        with translation.override(delegate.preferred_language):
            subject = translation.gettext("Voting is open: %(title)s") % {
                "title": election.title_en
            }
        [message] = [
            m for m in mail.outbox if m.to == [delegate.user.email] and m.subject == subject
        ]
        direction = "rtl" if delegate.preferred_language == "ar" else "ltr"
        assert f'dir="{direction}"' in message.alternatives[0][0]
    with translation.override("ar"):
        assert translation.gettext("Voting is open: %(title)s") != "Voting is open: %(title)s"
    assert set(notices(election, "open-voting").values_list("status", flat=True)) == {"sent"}


def test_the_notices_are_written_in_the_transaction_of_the_event(napud_seat, delegates):
    election = make_election(napud_seat)
    services.election_transition(election=election, transition="open-nominations")

    rows = notices(election, "open-nominations")
    assert rows.count() == 4
    assert sorted(row.ref["person"] for row in rows) == sorted(d.pk for d in delegates)
    assert {tuple(sorted(row.ref)) for row in rows} == {("election", "person")}
    # Refused transitions write nothing.
    with pytest.raises(services.ElectionError):
        services.election_transition(election=election, transition="open-nominations")
    assert rows.count() == 4


def test_a_retried_event_writes_each_notice_once(open_election, delegates):
    before = notices(open_election, "open-voting").count()

    notifications.election_notices_add(election=open_election, event="open-voting")

    assert before == 4
    assert notices(open_election, "open-voting").count() == 4


def test_the_reminder_goes_only_to_those_who_have_not_voted(open_election, delegates):
    ids = standing_ids(open_election)
    services.ballot_cast(election=open_election, voter=delegates[0], choices=ids[:1])

    recipients = set(notifications.election_recipients(election=open_election, event="reminder"))

    assert recipients == set(delegates[1:])


def forget_earlier_notices():
    # The fixtures opened the election without sending: only what follows is sent.
    OutboxMessage.objects.all().delete()


def test_the_reminder_is_sent_once_and_records_only_that_it_was_sent(
    open_election, delegates, django_capture_on_commit_callbacks
):
    forget_earlier_notices()
    Election.objects.filter(pk=open_election.pk).update(
        voting_close_at=timezone.now() + datetime.timedelta(hours=3)
    )

    with django_capture_on_commit_callbacks(execute=True):
        remind_voters.apply()
    first = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        remind_voters.apply()

    assert first == 4
    assert len(mail.outbox) == 4
    # Each reminder names only its recipient: nobody learns who else has voted.
    for message in mail.outbox:
        assert "closes on" in message.body
        named = [d.display_name for d in delegates if d.display_name in message.body]
        assert len(named) == 1
    # The row says a reminder went to this person, and nothing else about them.
    for row in notices(open_election, "reminder"):
        assert set(row.ref) == {"election", "person"}
        assert (row.subject, row.body_text, row.body_html) == ("", "", "")


def test_a_certified_result_is_announced_to_the_roll(
    open_election, delegates, django_capture_on_commit_callbacks
):
    forget_earlier_notices()
    with django_capture_on_commit_callbacks(execute=True):
        notifications.election_notices_add(election=open_election, event="certify")

    assert sorted(m.to[0] for m in mail.outbox) == sorted(d.user.email for d in delegates)


@pytest.mark.parametrize("event", notifications.ELECTION_EVENTS)
def test_every_notice_renders_in_every_language(open_election, delegates, event):
    subjects = set()
    for language in ["en", "fr", "es", "ru", "ar", "pt"]:
        row = OutboxMessage(
            kind=NOTICE,
            to_email=delegates[0].user.email,
            language=language,
            template=notifications.election_template(event),
            ref={"election": open_election.pk, "person": delegates[0].pk},
        )
        message = handler_for(NOTICE).prepare([row])(row)
        assert message.extra_headers["Content-Language"] == language
        subjects.add(message.subject)
    assert len(subjects) >= 5
