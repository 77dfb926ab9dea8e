"""Election emails as outbox rows, each rendered in the recipient's language.

The rows are written in the transaction of the event (an election opening, the
reminder being claimed), with a dedupe key per person and event: an event that is
retried, or a reminder claimed twice, never writes a second row. A row holds the
election and person ids only; a reminder to someone who has not voted records
that a reminder was sent, nothing else.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from inpud_portal.models import OutboxMessage
from inpud_portal.notices import person_notice
from inpud_portal.outbox import NotMailable, outbox_add
from members.models import Person

from ..models import Election, Participation
from ..selectors import election_electorate, network_members

# When the reminder goes to those who have not voted yet.
REMINDER_BEFORE_CLOSE = datetime.timedelta(hours=48)
# The events whose notice goes to people (elections.NOTIFIED lists the transitions).
ELECTION_EVENTS = ("open-nominations", "open-voting", "reminder", "certify")


def election_recipients(*, election: Election, event: str) -> QuerySet[Person]:
    if event == "open-nominations":
        if election.network_id:
            return network_members(network=election.network)
        return election_electorate(election=election)
    roll = Person.objects.filter(pk__in=election.roll.values("person_id"))
    if event == "reminder":
        return roll.exclude(
            pk__in=Participation.objects.filter(election=election).values("person_id")
        )
    return roll


def election_template(event: str) -> str:
    return f"governance/email/election_{event.replace('-', '_')}"


def election_notices_add(*, election: Election, event: str) -> int:
    """Write the notice of an election event to everyone it concerns; call it inside
    the event's transaction. Returns the rows offered."""
    people = election_recipients(election=election, event=event).select_related("user")
    rows = (
        person_notice(
            person=person,
            kind=OutboxMessage.Kind.ELECTION_NOTICE,
            template=election_template(event),
            ref={"election": election.pk},
            dedupe_key=f"election:{election.pk}:{event}:person:{person.pk}",
            group=f"election:{election.pk}:{event}",
        )
        for person in people.iterator(chunk_size=2000)
    )
    return outbox_add(row for row in rows if row is not None)


def elections_remind_due(*, now: datetime.datetime | None = None) -> list[int]:
    """Claim the elections whose reminder is due and write their reminders, each
    election in one transaction: claimed once, reminded once."""
    now = now or timezone.now()
    due = Election.objects.filter(
        status=Election.Status.VOTING_OPEN,
        reminder_sent_at__isnull=True,
        voting_close_at__lte=now + REMINDER_BEFORE_CLOSE,
        voting_close_at__gt=now,
    ).values_list("pk", flat=True)
    reminded = []
    for pk in due:
        with transaction.atomic():
            if not Election.objects.filter(pk=pk, reminder_sent_at__isnull=True).update(
                reminder_sent_at=now
            ):
                continue
            election_notices_add(election=Election.objects.get(pk=pk), event="reminder")
            reminded.append(pk)
    return reminded


def person_context(rows):
    """The people the rows are addressed to, loaded once for the batch."""
    people = Person.objects.in_bulk({row.ref["person"] for row in rows})

    def person_for(row):
        person = people.get(row.ref["person"])
        if person is None:
            raise NotMailable("the person was deleted")
        return person

    return person_for


def election_context(rows):
    elections = Election.objects.in_bulk({row.ref["election"] for row in rows})
    person_for = person_context(rows)

    def context(row):
        election = elections.get(row.ref["election"])
        if election is None:
            raise NotMailable("the election was deleted")
        return {
            "election": election,
            "person": person_for(row),
            "url": settings.SITE_URL + reverse("portal:election", kwargs={"pk": election.pk}),
        }

    return context
