"""The rules of consultations, for the member area, the admin and the scheduler.

Drafting: the secretariat or a board director. Who answers for a network: its board
director, or (if the consultation says so) its director and staff. Answers are
written only while the consultation is open and before its closing time; a response
is one per network, edited together as a draft and submitted explicitly, and can be
reopened until the deadline.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import Network, Person, Role
from members.selectors import roles_current
from members.visibility import active_roles, is_secretariat

from ..models import Answer, Consultation, ConsultationEvent, Question, Response
from .errors import ConsultationError

C = Consultation.Status
REMINDER_BEFORE_CLOSING = datetime.timedelta(hours=72)


def _event(consultation: Consultation, *, actor, action: str, summary: str) -> None:
    ConsultationEvent.objects.create(
        consultation=consultation,
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        summary=summary[:300],
    )


# Who may do what ------------------------------------------------------------------


def can_draft(user) -> bool:
    if is_secretariat(user):
        return True
    return active_roles(user).filter(kind=Role.Kind.DIRECTOR).exists()


def can_read_results(user) -> bool:
    """The Board and the secretariat read every network's answers."""
    return can_draft(user)


def _responder_kinds(consultation: Consultation) -> list[str]:
    if consultation.responders == Consultation.Responders.STAFF:
        return [Role.Kind.DIRECTOR, Role.Kind.NETWORK_STAFF]
    return [Role.Kind.DIRECTOR]


def consulted_networks(consultation: Consultation) -> QuerySet[Network]:
    chosen = consultation.networks.all()
    if consultation.pk and chosen.exists():
        return chosen.order_by("position")
    return Network.objects.exclude(status=Network.Status.FORMER).order_by("position")


def networks_answered_by(user, consultation: Consultation) -> QuerySet[Network]:
    """The consulted networks this person answers for."""
    network_ids = (
        active_roles(user)
        .filter(kind__in=_responder_kinds(consultation), network__isnull=False)
        .values("network_id")
    )
    return consulted_networks(consultation).filter(pk__in=network_ids)


def responders(consultation: Consultation) -> QuerySet[Person]:
    """Everyone who answers for a consulted network and has an address."""
    return (
        Person.objects.filter(
            roles__in=roles_current().filter(
                kind__in=_responder_kinds(consultation),
                network__in=consulted_networks(consultation),
            )
        )
        .exclude(email="", user__isnull=True)
        .select_related("user")
        .distinct()
    )


def consultations_for(user) -> QuerySet[Consultation]:
    """What this person sees in the member area: everything for the Board and the
    secretariat (who draft), and for a network's staff the scheduled, open and closed
    consultations their network answers."""
    qs = Consultation.objects.all()
    if can_draft(user):
        return qs
    staff_of = list(
        active_roles(user)
        .filter(kind=Role.Kind.NETWORK_STAFF, network__isnull=False)
        .values_list("network_id", flat=True)
    )
    if not staff_of:
        return qs.none()
    return (
        qs.exclude(status=C.DRAFT)
        .filter(responders=Consultation.Responders.STAFF)
        .filter(Q(networks__in=staff_of) | Q(networks__isnull=True))
        .distinct()
    )


# Drafting and the calendar ---------------------------------------------------------


@transaction.atomic
def consultation_draft(
    *, actor, title: str, purpose: str, opens_at, closes_at, questions: list[dict], **fields
) -> Consultation:
    """A new draft with its questions (each a dict of Question fields)."""
    if not can_draft(actor):
        raise ConsultationError(_("Only the secretariat and board directors draft consultations."))
    if opens_at >= closes_at:
        raise ConsultationError(_("A consultation must close after it opens."))
    networks = fields.pop("networks", None)
    consultation = Consultation.objects.create(
        title=title,
        purpose=purpose,
        opens_at=opens_at,
        closes_at=closes_at,
        created_by=getattr(actor, "person", None),
        **fields,
    )
    if networks:
        consultation.networks.set(networks)
    for position, question in enumerate(questions, start=1):
        question_check(Question(consultation=consultation, position=position, **question))
        Question.objects.create(consultation=consultation, position=position, **question)
    _event(consultation, actor=actor, action="drafted", summary=title)
    return consultation


def question_check(question: Question) -> None:
    try:
        question.clean()
    except ValidationError as error:
        messages = [m for ms in error.message_dict.values() for m in ms]
        raise ConsultationError(f"“{question.text}”: " + " ".join(messages)) from error


@transaction.atomic
def consultation_schedule(*, consultation: Consultation, actor) -> Consultation:
    """A finished draft is set to open at its opening time (the scheduler opens it)."""
    if not consultation.questions.exists():
        raise ConsultationError(_("Add at least one question before scheduling."))
    if consultation.closes_at <= timezone.now():
        raise ConsultationError(_("The closing time has passed: set a later one first."))
    for question in consultation.questions.all():
        question_check(question)
    if not Consultation.objects.filter(pk=consultation.pk, status=C.DRAFT).update(
        status=C.SCHEDULED
    ):
        raise ConsultationError(_("Only a draft can be scheduled."))
    consultation.refresh_from_db()
    _event(consultation, actor=actor, action="scheduled", summary=str(consultation.opens_at))
    return consultation


@transaction.atomic
def consultation_open(*, consultation: Consultation, actor=None, now=None) -> bool:
    """Open a scheduled consultation and tell each responding person, in their own
    language; the notices are written in this transaction, so they go out if and
    only if the consultation opened."""
    from ..consultation_mail import notices_write

    now = now or timezone.now()
    # A consultation shorter than the reminder's lead time gets no separate reminder:
    # the opening notice would be followed by one in the same minute.
    short = consultation.closes_at - now <= REMINDER_BEFORE_CLOSING
    if not Consultation.objects.filter(pk=consultation.pk, status=C.SCHEDULED).update(
        status=C.OPEN, **({"reminder_sent_at": now} if short else {})
    ):
        return False
    consultation.refresh_from_db()
    count = notices_write(
        consultation=consultation, people=responders(consultation), notice="opened"
    )
    _event(
        consultation,
        actor=actor,
        action="opened",
        summary=_("Opened; %(count)d people told.") % {"count": count},
    )
    return True


@transaction.atomic
def consultation_close(*, consultation: Consultation, actor=None) -> bool:
    if not Consultation.objects.filter(pk=consultation.pk, status=C.OPEN).update(status=C.CLOSED):
        return False
    consultation.refresh_from_db()
    submitted = consultation.responses.filter(status=Response.Status.SUBMITTED).count()
    _event(
        consultation,
        actor=actor,
        action="closed",
        summary=_("Closed with %(count)d responses submitted.") % {"count": submitted},
    )
    return True


def consultation_remind(*, consultation: Consultation) -> int:
    """One reminder, 72 hours before closing, to the networks that have not submitted."""
    from ..consultation_mail import notices_write

    with transaction.atomic():
        if not Consultation.objects.filter(
            pk=consultation.pk, status=C.OPEN, reminder_sent_at__isnull=True
        ).update(reminder_sent_at=timezone.now()):
            return 0
        submitted = consultation.responses.filter(status=Response.Status.SUBMITTED).values(
            "network_id"
        )
        waiting = consulted_networks(consultation).exclude(pk__in=submitted)
        people = responders(consultation).filter(
            roles__in=roles_current().filter(
                kind__in=_responder_kinds(consultation), network__in=waiting
            )
        )
        count = notices_write(consultation=consultation, people=people, notice="reminder")
        _event(
            consultation,
            actor=None,
            action="reminded",
            summary=_("Reminder to %(count)d people of networks that have not submitted.")
            % {"count": count},
        )
        return count


def consultations_advance(*, now=None) -> dict:
    """The scheduler's minute: open what is due, remind, close what has ended."""
    now = now or timezone.now()
    done = {"opened": 0, "reminded": 0, "closed": 0}
    for consultation in Consultation.objects.filter(status=C.SCHEDULED, opens_at__lte=now):
        done["opened"] += consultation_open(consultation=consultation, now=now)
    for consultation in Consultation.objects.filter(status=C.OPEN, closes_at__lte=now):
        done["closed"] += consultation_close(consultation=consultation)
    for consultation in Consultation.objects.filter(
        status=C.OPEN,
        reminder_sent_at__isnull=True,
        closes_at__lte=now + REMINDER_BEFORE_CLOSING,
        closes_at__gt=now,
    ):
        done["reminded"] += bool(consultation_remind(consultation=consultation))
    return done


# Responding --------------------------------------------------------------------------


def _answering(consultation: Consultation, network: Network, user) -> None:
    if consultation.status != C.OPEN or consultation.closes_at <= timezone.now():
        raise ConsultationError(_("This consultation is not open for answers."))
    if not networks_answered_by(user, consultation).filter(pk=network.pk).exists():
        raise ConsultationError(_("You do not answer for this network in this consultation."))


def response_of(*, consultation: Consultation, network: Network) -> Response | None:
    return (
        Response.objects.filter(consultation=consultation, network=network)
        .select_related("updated_by", "submitted_by")
        .first()
    )


def _clean_answer(question: Question, value):
    """The stored form of one answer, or a translated reason it cannot be stored."""
    kind = question.kind
    if kind in (Question.Kind.SHORT, Question.Kind.LONG):
        text = (value or "").strip()
        limit = 500 if kind == Question.Kind.SHORT else 20000
        if len(text) > limit:
            raise ConsultationError(
                _("“%(question)s”: at most %(limit)d characters.")
                % {"question": question.text, "limit": limit}
            )
        return {"text": text}
    if kind in Question.CHOICE_KINDS:
        if value is None or value == "":
            value = []
        elif not isinstance(value, list | tuple | set):
            value = [value]
        positions = sorted({int(v) for v in value})
        if any(p < 0 or p >= len(question.option_list()) for p in positions):
            raise ConsultationError(
                _("“%(question)s”: choose from the options.") % {"question": question.text}
            )
        if kind == Question.Kind.SINGLE and len(positions) > 1:
            raise ConsultationError(
                _("“%(question)s”: choose one option.") % {"question": question.text}
            )
        return {"choices": positions}
    if kind == Question.Kind.SCALE:
        if value in (None, ""):
            return {"scale": None}
        scale = int(value)
        if not 1 <= scale <= 5:
            raise ConsultationError(
                _("“%(question)s”: choose from 1 to 5.") % {"question": question.text}
            )
        return {"scale": scale}
    return {}


@transaction.atomic
def response_save(
    *,
    consultation: Consultation,
    network: Network,
    user,
    answers: dict,
    files: dict | None = None,
    language: str | None = None,
) -> Response:
    """Save the draft: answers maps question ids to values (text, a list of option
    positions, a scale value); files maps question ids to uploaded files. Several
    people of the network edit the same draft; the last save wins and says who."""
    _answering(consultation, network, user)
    response, _created = Response.objects.select_for_update().get_or_create(
        consultation=consultation, network=network
    )
    if response.status == Response.Status.SUBMITTED:
        raise ConsultationError(_("This response has been submitted: reopen it to change it."))
    questions = {q.pk: q for q in consultation.questions.all()}
    existing = {a.question_id: a for a in response.answers.all()}
    for question_id, question in questions.items():
        upload = (files or {}).get(question_id)
        if question_id not in answers and upload is None:
            continue
        answer = existing.get(question_id) or Answer(response=response, question=question)
        if question.kind == Question.Kind.FILE:
            if upload is None:
                continue
            if answer.file:
                # The replaced file goes with the transaction that replaces it.
                old, storage = answer.file.name, answer.file.storage
                transaction.on_commit(lambda old=old, storage=storage: storage.delete(old))
            answer.file = upload
        else:
            for field, value in _clean_answer(question, answers.get(question_id)).items():
                setattr(answer, field, value)
        answer.save()
    response.updated_by = getattr(user, "person", None)
    if language:
        response.language = language
    response.save()
    return response


@transaction.atomic
def response_submit(*, consultation: Consultation, network: Network, user) -> Response:
    _answering(consultation, network, user)
    response = response_of(consultation=consultation, network=network)
    if response is None:
        raise ConsultationError(_("Save your answers before submitting."))
    answered = {
        a.question_id for a in response.answers.all() if a.text or a.choices or a.scale or a.file
    }
    missing = [q.text for q in consultation.questions.filter(required=True) if q.pk not in answered]
    if missing:
        raise ConsultationError(
            _("Answer these questions before submitting: %(questions)s")
            % {"questions": "; ".join(missing)}
        )
    person = getattr(user, "person", None)
    if not Response.objects.filter(pk=response.pk, status=Response.Status.DRAFT).update(
        status=Response.Status.SUBMITTED, submitted_at=timezone.now(), submitted_by=person
    ):
        raise ConsultationError(_("This response has already been submitted."))
    _event(
        consultation,
        actor=user,
        action="submitted",
        summary=_("%(network)s submitted its response.") % {"network": network.acronym},
    )
    response.refresh_from_db()
    return response


@transaction.atomic
def response_reopen(*, consultation: Consultation, network: Network, user) -> Response:
    _answering(consultation, network, user)
    if not Response.objects.filter(
        consultation=consultation, network=network, status=Response.Status.SUBMITTED
    ).update(status=Response.Status.DRAFT, submitted_at=None, submitted_by=None):
        raise ConsultationError(_("Only a submitted response can be reopened."))
    _event(
        consultation,
        actor=user,
        action="reopened",
        summary=_("%(network)s reopened its response.") % {"network": network.acronym},
    )
    return response_of(consultation=consultation, network=network)


def answer_file_readable(*, user, answer: Answer) -> bool:
    """A network's own people read its files; the Board and the secretariat read
    other networks' files only as results: once closed, and only if submitted."""
    response = answer.response
    consultation = response.consultation
    if not answer.file:
        return False
    if networks_answered_by(user, consultation).filter(pk=response.network_id).exists():
        return True
    return (
        can_read_results(user)
        and consultation.status == C.CLOSED
        and response.status == Response.Status.SUBMITTED
    )


# After closing -------------------------------------------------------------------------


@transaction.atomic
def summary_publish(*, consultation: Consultation, actor) -> Consultation:
    if not is_secretariat(actor):
        raise ConsultationError(_("Only the secretariat publishes a summary."))
    if not consultation.summary_planned:
        raise ConsultationError(
            _("The networks were told no summary would be published: none can be.")
        )
    if consultation.status != C.CLOSED:
        raise ConsultationError(_("A summary is published once the consultation has closed."))
    if not (consultation.summary or "").strip():
        raise ConsultationError(_("Write the summary (in English at least) before publishing it."))
    Consultation.objects.filter(pk=consultation.pk).update(summary_published_at=timezone.now())
    consultation.refresh_from_db()
    _event(consultation, actor=actor, action="summary-published", summary=consultation.title)
    from inpud_portal.page_cache import public_pages_invalidate

    public_pages_invalidate(kinds=("network",))
    return consultation


@transaction.atomic
def summary_withdraw(*, consultation: Consultation, actor) -> Consultation:
    if not is_secretariat(actor):
        raise ConsultationError(_("Only the secretariat withdraws a summary."))
    Consultation.objects.filter(pk=consultation.pk).update(summary_published_at=None)
    consultation.refresh_from_db()
    _event(consultation, actor=actor, action="summary-withdrawn", summary=consultation.title)
    from inpud_portal.page_cache import public_pages_invalidate

    public_pages_invalidate(kinds=("network",))
    return consultation
