"""Meeting invitations as outbox rows: written with the invitation, rendered by the
one renderer in each person's own language when the sender claims them."""

from django.conf import settings
from django.urls import reverse

from inpud_portal.models import OutboxMessage
from inpud_portal.notices import person_notice
from inpud_portal.outbox import NotMailable, outbox_add
from members.models import Person

from .models import Meeting

TEMPLATE = "governance/email/meeting_invitation"


def invitation_notices_write(*, meeting: Meeting, people) -> int:
    """Queue an invitation email to each person with an address; return how many.
    Call it inside the transaction that writes the invitations."""
    rows = (
        person_notice(
            person=person,
            kind=OutboxMessage.Kind.MEETING_NOTICE,
            template=TEMPLATE,
            ref={"meeting": meeting.pk},
            dedupe_key=f"meeting:{meeting.pk}:invitation:person:{person.pk}",
            group=f"meeting:{meeting.pk}:invitation",
        )
        for person in people
    )
    return outbox_add([row for row in rows if row is not None])


def invitation_context(rows):
    meetings = Meeting.objects.in_bulk({row.ref["meeting"] for row in rows})
    people = Person.objects.in_bulk({row.ref["person"] for row in rows})

    def context(row):
        meeting = meetings.get(row.ref["meeting"])
        person = people.get(row.ref["person"])
        if meeting is None or person is None:
            raise NotMailable("the meeting or the person was deleted")
        if meeting.status == Meeting.Status.CANCELLED:
            raise NotMailable("the meeting was cancelled")
        url = settings.SITE_URL + reverse("portal:meeting", kwargs={"pk": meeting.pk})
        return {"meeting": meeting, "person": person, "url": url}

    return context
