"""Election emails, each in the recipient's preferred language."""

import datetime

from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone, translation

from members.emails import send_templated
from members.models import Person

from .models import Election, Participation
from .selectors import election_electorate, network_members

# When the reminder goes to those who have not voted yet.
REMINDER_BEFORE_CLOSE = datetime.timedelta(hours=48)


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


def election_notice_send(*, election_id: int, person_id: int, event: str) -> None:
    election = Election.objects.get(pk=election_id)
    person = Person.objects.select_related("user").get(pk=person_id)
    address = person.user.email if person.user_id else person.email
    if not address:
        return
    language = person.preferred_language
    with translation.override(language):
        url = settings.SITE_URL + reverse("portal:election", kwargs={"pk": election.pk})
    send_templated(
        template_prefix=f"governance/email/election_{event.replace('-', '_')}",
        to=address,
        language=language,
        context={"election": election, "person": person, "url": url},
    )


def elections_remind_due(*, now: datetime.datetime | None = None) -> list[int]:
    """Claim and return the elections whose reminder is due; each is claimed once."""
    now = now or timezone.now()
    due = Election.objects.filter(
        status=Election.Status.VOTING_OPEN,
        reminder_sent_at__isnull=True,
        voting_close_at__lte=now + REMINDER_BEFORE_CLOSE,
        voting_close_at__gt=now,
    ).values_list("pk", flat=True)
    claimed = []
    for pk in due:
        if Election.objects.filter(pk=pk, reminder_sent_at__isnull=True).update(
            reminder_sent_at=now
        ):
            claimed.append(pk)
    return claimed
