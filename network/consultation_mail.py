"""Consultation notices as outbox rows: written with the event, rendered by the one
renderer in each person's own language when the sender claims them."""

from django.conf import settings
from django.urls import reverse

from inpud_portal.models import OutboxMessage
from inpud_portal.notices import person_notice, templated_kind
from inpud_portal.outbox import NotMailable, outbox_add
from members.models import Person

from .models import Consultation

TEMPLATES = {
    "opened": "network/email/consultation_opened",
    "reminder": "network/email/consultation_reminder",
}


def notices_write(*, consultation: Consultation, people, notice: str) -> int:
    rows = [
        person_notice(
            person=person,
            kind=OutboxMessage.Kind.CONSULTATION_NOTICE,
            template=TEMPLATES[notice],
            ref={"consultation": consultation.pk},
            group=f"consultation:{consultation.pk}:{notice}",
            dedupe_key=f"consultation:{consultation.pk}:{notice}:{person.pk}",
        )
        for person in people
    ]
    return outbox_add(row for row in rows if row is not None)


def _context(rows):
    consultations = Consultation.objects.in_bulk({row.ref["consultation"] for row in rows})
    people = Person.objects.in_bulk({row.ref["person"] for row in rows})

    def context_for(row):
        consultation = consultations.get(row.ref["consultation"])
        person = people.get(row.ref["person"])
        if consultation is None or person is None:
            raise NotMailable("the consultation or the person was deleted")
        if consultation.status != Consultation.Status.OPEN:
            raise NotMailable("the consultation is no longer open")
        url = settings.SITE_URL + reverse("portal:consultation", kwargs={"pk": consultation.pk})
        return {"consultation": consultation, "person": person, "url": url}

    return context_for


HANDLER = templated_kind(_context)
