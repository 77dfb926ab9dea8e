"""Election emails: in each recipient's language, reminders only to those who have not voted."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone, translation

from governance import notifications
from governance.services import elections as services
from governance.tasks import notify_election, remind_voters

from .conftest import make_election, open_for_voting, standing_ids


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


def test_the_reminder_goes_only_to_those_who_have_not_voted(open_election, delegates):
    ids = standing_ids(open_election)
    services.ballot_cast(election=open_election, voter=delegates[0], choices=ids[:1])

    recipients = set(notifications.election_recipients(election=open_election, event="reminder"))

    assert recipients == set(delegates[1:])


def test_the_reminder_is_sent_once(open_election, delegates):
    type(open_election).objects.filter(pk=open_election.pk).update(
        voting_close_at=timezone.now() + datetime.timedelta(hours=3)
    )

    remind_voters.apply()
    first = len(mail.outbox)
    remind_voters.apply()

    assert first == 4
    assert len(mail.outbox) == 4
    # Each reminder names only its recipient: nobody learns who else has voted.
    for message in mail.outbox:
        assert "closes on" in message.body
        named = [d.display_name for d in delegates if d.display_name in message.body]
        assert len(named) == 1


def test_a_certified_result_is_announced_to_the_roll(open_election, delegates):
    notify_election.apply(kwargs={"election_id": open_election.pk, "event": "certify"})

    assert sorted(m.to[0] for m in mail.outbox) == sorted(d.user.email for d in delegates)


@pytest.mark.parametrize("event", ["open-nominations", "open-voting", "reminder", "certify"])
def test_every_notice_renders_in_every_language(open_election, delegates, event):
    for language in ["en", "fr", "es", "ru", "ar", "pt"]:
        delegates[0].preferred_language = language
        delegates[0].save()
        notifications.election_notice_send(
            election_id=open_election.pk, person_id=delegates[0].pk, event=event
        )
    assert len(mail.outbox) == 6
    assert len({m.subject for m in mail.outbox}) >= 5
