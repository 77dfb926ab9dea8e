"""Consultations: the Board asks the member networks, each network answers once.

A consultation is drafted (by the secretariat or a director), opens at its opening
time, and closes at its closing time. Each consulted network has one response, which
the people who answer for it (its director, or its staff) edit together as a draft
and submit explicitly; a submitted response can be reopened until the deadline.
Responses are for the Board and the secretariat only; the public sees a summary,
if the secretariat publishes one.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from members.models import Network, Person


class Consultation(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SCHEDULED = "scheduled", _("Scheduled to open")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    class Responders(models.TextChoices):
        DIRECTOR = "director", _("The network's board director")
        STAFF = "staff", _("The network's board director, steering committee and staff")

    title = models.CharField(_("title"), max_length=200)
    purpose = models.TextField(_("purpose"))
    networks = models.ManyToManyField(
        Network,
        related_name="consultations",
        verbose_name=_("networks consulted"),
        help_text=_("Leave empty to consult every member network."),
        blank=True,
    )
    responders = models.CharField(
        _("who answers for a network"),
        max_length=20,
        choices=Responders.choices,
        default=Responders.DIRECTOR,
    )
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    summary_planned = models.BooleanField(
        _("a summary will be published"),
        default=True,
        help_text=_("Networks are told whether a summary of the answers will be public."),
    )
    summary = models.TextField(_("public summary"), blank=True)
    summary_published_at = models.DateTimeField(_("summary published"), null=True, blank=True)
    created_by = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("drafted by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    reminder_sent_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)

    class Meta:
        ordering = ["-opens_at"]
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        constraints = [
            models.CheckConstraint(
                condition=Q(opens_at__lt=F("closes_at")),
                name="consultation_closes_after_it_opens",
                violation_error_message=_("A consultation must close after it opens."),
            )
        ]

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    class Kind(models.TextChoices):
        SHORT = "short", _("Short text")
        LONG = "long", _("Long text")
        SINGLE = "single", _("One choice")
        MULTIPLE = "multiple", _("Several choices")
        SCALE = "scale", _("A scale from 1 to 5")
        FILE = "file", _("A file (e.g. a position paper)")

    CHOICE_KINDS = {Kind.SINGLE, Kind.MULTIPLE}

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="questions"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    kind = models.CharField(_("kind of answer"), max_length=10, choices=Kind.choices)
    text = models.CharField(_("question"), max_length=500)
    help_text = models.CharField(_("help for answering"), max_length=500, blank=True)
    # One option per line; the position of a line is what an answer stores, so a
    # translation of the options cannot change which one was chosen.
    options = models.TextField(
        _("options"), blank=True, help_text=_("One per line, for choice questions.")
    )
    required = models.BooleanField(_("an answer is required"), default=False)

    class Meta:
        ordering = ["consultation", "position", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return f"{self.position}. {self.text}"

    def option_list(self) -> list[str]:
        return [line.strip() for line in (self.options or "").splitlines() if line.strip()]

    def clean(self):
        """Choice questions need options, and every translation of the options has as
        many lines as the English: an answer stores the position of its option."""
        if self.kind not in self.CHOICE_KINDS:
            return
        english = getattr(self, f"options_{settings.LANGUAGE_CODE}", None) or self.options or ""
        count = len([line for line in english.splitlines() if line.strip()])
        if count < 2:
            raise ValidationError(
                {"options": _("A choice question needs at least two options, one per line.")}
            )
        for code, name in settings.LANGUAGES:
            translated = getattr(self, f"options_{code.replace('-', '_')}", "") or ""
            lines = [line for line in translated.splitlines() if line.strip()]
            if lines and len(lines) != count:
                raise ValidationError(
                    {
                        "options": _(
                            "The %(language)s options must be the same %(count)d lines as the "
                            "English ones, in the same order."
                        )
                        % {"language": name, "count": count}
                    }
                )


class Response(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="responses"
    )
    network = models.ForeignKey(Network, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    language = models.CharField(_("written in"), max_length=10, default=settings.LANGUAGE_CODE)
    updated_at = models.DateTimeField(_("last edited"), auto_now=True)
    updated_by = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("last edited by"),
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )

    class Meta:
        ordering = ["network__position"]
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "network"], name="one_response_per_network"
            )
        ]

    def __str__(self) -> str:
        return f"{self.network} · {self.consultation}"


def answer_file_path(answer, filename):
    return (
        f"consultations/{answer.response.consultation_id}/{answer.response.network_id}/{filename}"
    )


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    text = models.TextField(blank=True)
    # Positions in question.option_list(): for one choice, a list of one.
    choices = models.JSONField(default=list, blank=True)
    scale = models.PositiveSmallIntegerField(null=True, blank=True)
    file = models.FileField(upload_to=answer_file_path, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question"], name="one_answer_per_question"
            ),
            models.CheckConstraint(
                condition=Q(scale__isnull=True) | Q(scale__gte=1, scale__lte=5),
                name="answer_scale_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.response} · {self.question.position}"


class ConsultationEvent(models.Model):
    """Who did what to a consultation, when (empty: the scheduler). Only added to."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="events")
    created_at = models.DateTimeField(_("when"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    action = models.CharField(_("action"), max_length=40)
    summary = models.CharField(_("summary"), max_length=300)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("consultation event")
        verbose_name_plural = _("consultation events")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action}"
