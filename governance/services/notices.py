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

from ..models import Candidate, Election, Participation
from ..selectors import election_electorate, network_members

# When the reminder goes to those who have not voted yet.
REMINDER_BEFORE_CLOSE = datetime.timedelta(hours=48)
# The events whose notice goes to people (elections.NOTIFIED lists the transitions).
ELECTION_EVENTS = ("open-nominations", "close-nominations", "open-voting", "reminder", "certify")
NOMINATED = "governance/email/nominated"
NOMINATION_ANSWERED = "governance/email/nomination_answered"


def election_recipients(*, election: Election, event: str) -> QuerySet[Person]:
    # Those who could nominate hear that nominations opened, and who is standing
    # once they close; the roll hears of the vote and its result.
    if event in ("open-nominations", "close-nominations"):
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
    standing: dict[int, list[Candidate]] = {}
    for candidate in (
        Candidate.objects.filter(election__in=elections, status=Candidate.Status.ACCEPTED)
        .select_related("person")
        .order_by("person__display_name", "pk")
    ):
        standing.setdefault(candidate.election_id, []).append(candidate)

    def context(row):
        election = elections.get(row.ref["election"])
        if election is None:
            raise NotMailable("the election was deleted")
        return {
            "election": election,
            "person": person_for(row),
            "candidates": standing.get(election.pk, []),
            "url": settings.SITE_URL + reverse("portal:election", kwargs={"pk": election.pk}),
        }

    return context


# Nominations ------------------------------------------------------------------------


def nomination_notice_add(*, candidate: Candidate) -> int:
    """Tell a nominee that someone nominated them (standing for oneself needs no
    notice); call it inside the nomination's transaction."""
    if candidate.person_id == candidate.nominated_by_id:
        return 0
    row = person_notice(
        person=candidate.person,
        kind=OutboxMessage.Kind.NOMINATION_NOTICE,
        template=NOMINATED,
        ref={"candidate": candidate.pk},
        dedupe_key=f"candidate:{candidate.pk}:nominated",
    )
    return outbox_add([row] if row else [])


def nomination_answer_notice_add(*, candidate: Candidate) -> int:
    """Tell whoever nominated someone else that the nominee accepted or declined."""
    if candidate.person_id == candidate.nominated_by_id:
        return 0
    row = person_notice(
        person=candidate.nominated_by,
        kind=OutboxMessage.Kind.NOMINATION_NOTICE,
        template=NOMINATION_ANSWERED,
        ref={"candidate": candidate.pk},
        dedupe_key=f"candidate:{candidate.pk}:{candidate.status}:nominator",
    )
    return outbox_add([row] if row else [])


def nomination_context(rows):
    candidates = Candidate.objects.select_related("election", "person", "nominated_by").in_bulk(
        {row.ref["candidate"] for row in rows}
    )
    person_for = person_context(rows)

    def context(row):
        candidate = candidates.get(row.ref["candidate"])
        if candidate is None:
            raise NotMailable("the candidacy was deleted")
        election = candidate.election
        page = "portal:candidacy" if row.template == NOMINATED else "portal:election"
        return {
            "candidate": candidate,
            "election": election,
            "person": person_for(row),
            "accepted": candidate.status == Candidate.Status.ACCEPTED,
            "url": settings.SITE_URL + reverse(page, kwargs={"pk": election.pk}),
        }

    return context
