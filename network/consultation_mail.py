"""Consultation notices as outbox rows: written with the event, rendered by the one
renderer in each person's own language when the sender claims them."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from inpud_portal.mail_render import render_email
from inpud_portal.models import OutboxMessage
from inpud_portal.outbox import KindHandler, NotMailable, outbox_add
from members.models import Person

from .models import Consultation

TEMPLATES = {
    "opened": "network/email/consultation_opened",
    "reminder": "network/email/consultation_reminder",
}


def _address(person: Person) -> str:
    return person.user.email if person.user_id else person.email


def notices_write(*, consultation: Consultation, people, notice: str) -> int:
    rows = []
    for person in people:
        address = _address(person)
        if not address:
            continue
        rows.append(
            OutboxMessage(
                kind=OutboxMessage.Kind.CONSULTATION_NOTICE,
                priority=OutboxMessage.Priority.NOTICE,
                to_email=address,
                language=person.preferred_language or settings.LANGUAGE_CODE,
                template=TEMPLATES[notice],
                ref={"consultation": consultation.pk, "person": person.pk},
                group=f"consultation:{consultation.pk}:{notice}",
                dedupe_key=f"consultation:{consultation.pk}:{notice}:{person.pk}",
            )
        )
    return outbox_add(rows)


def prepare(rows):
    consultations = Consultation.objects.in_bulk({row.ref["consultation"] for row in rows})
    people = Person.objects.select_related("user").in_bulk({row.ref["person"] for row in rows})

    def render(row):
        consultation = consultations.get(row.ref["consultation"])
        person = people.get(row.ref["person"])
        if consultation is None or person is None:
            raise NotMailable("the consultation or the person was deleted")
        if consultation.status != Consultation.Status.OPEN:
            raise NotMailable("the consultation is no longer open")
        with translation.override(row.language):
            url = settings.SITE_URL + reverse("portal:consultation", kwargs={"pk": consultation.pk})
        return render_email(
            template_prefix=row.template,
            to=row.to_email,
            language=row.language,
            context={"consultation": consultation, "person": person, "url": url},
        )

    return render


HANDLER = KindHandler(prepare=prepare)
