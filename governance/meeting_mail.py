"""Meeting invitations as outbox rows: written with the invitation, rendered by the
one renderer in each person's own language when the sender claims them."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from inpud_portal.mail_render import render_email
from inpud_portal.models import OutboxMessage
from inpud_portal.outbox import KindHandler, NotMailable, outbox_add
from members.models import Person

from .models import Meeting

TEMPLATE = "governance/email/meeting_invitation"


def invitation_notices_write(*, meeting: Meeting, people) -> int:
    """Queue an invitation email to each person with an address; return how many."""
    rows = []
    for person in people:
        address = person.user.email if person.user_id else person.email
        if not address:
            continue
        rows.append(
            OutboxMessage(
                kind=OutboxMessage.Kind.MEETING_NOTICE,
                priority=OutboxMessage.Priority.NOTICE,
                to_email=address,
                language=person.preferred_language or settings.LANGUAGE_CODE,
                template=TEMPLATE,
                ref={"meeting": meeting.pk, "person": person.pk},
                group=f"meeting:{meeting.pk}:invitation",
                dedupe_key=f"meeting:{meeting.pk}:invitation:{person.pk}",
            )
        )
    return outbox_add(rows)


def prepare(rows):
    meetings = Meeting.objects.in_bulk({row.ref["meeting"] for row in rows})
    people = Person.objects.select_related("user").in_bulk({row.ref["person"] for row in rows})

    def render(row):
        meeting = meetings.get(row.ref["meeting"])
        person = people.get(row.ref["person"])
        if meeting is None or person is None:
            raise NotMailable("the meeting or the person was deleted")
        if meeting.status == Meeting.Status.CANCELLED:
            raise NotMailable("the meeting was cancelled")
        with translation.override(row.language):
            url = settings.SITE_URL + reverse("portal:meeting", kwargs={"pk": meeting.pk})
        return render_email(
            template_prefix=row.template,
            to=row.to_email,
            language=row.language,
            context={"meeting": meeting, "person": person, "url": url},
        )

    return render


HANDLER = KindHandler(prepare=prepare)
