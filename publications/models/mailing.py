"""Dissemination: subscribers, audiences, mailings and one delivery per person.

Each recipient of a mailing is one outbox row (inpud_portal.models.OutboxMessage,
kind "mailing", group "mailing:<id>"), unique per (mailing, subscriber), sent by
the one sender like every other email.
"""

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from inpud_portal.names import validate_name


class Audience(models.Model):
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=120)
    public_signup = models.BooleanField(
        _("offered on the subscribe page"),
        default=False,
        help_text=_("Visitors can choose it themselves; otherwise only staff assign it."),
    )

    class Meta:
        ordering = ["slug"]
        verbose_name = _("audience")
        verbose_name_plural = _("audiences")

    def __str__(self) -> str:
        return self.name


class Subscriber(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")
        SUPPRESSED = "suppressed", _("Suppressed (bounces or complaint)")

    email = models.EmailField(_("email address"), max_length=254)
    name = models.CharField(_("name"), max_length=200, blank=True, validators=[validate_name])
    preferred_language = models.CharField(
        _("preferred language"), max_length=10, choices=settings.LANGUAGES, default="en"
    )
    audiences = models.ManyToManyField(
        Audience, blank=True, related_name="subscribers", verbose_name=_("audiences")
    )
    consent_at = models.DateTimeField(_("consent given at"))
    consent_source = models.CharField(
        _("how consent was given"),
        max_length=300,
        help_text=_("e.g. the subscribe form, or the import and the record it relied on."),
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE, db_index=True
    )
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True)
    suppression_reason = models.CharField(_("suppression reason"), max_length=200, blank=True)
    soft_bounces = models.PositiveSmallIntegerField(_("soft bounces in a row"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["email"]
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="subscriber_email_unique_ci",
                violation_error_message=_("This address is already subscribed."),
            )
        ]

    def __str__(self) -> str:
        return self.email

    @property
    def can_be_mailed(self) -> bool:
        return self.status == self.Status.ACTIVE and self.confirmed_at is not None


class SuppressedAddress(models.Model):
    """An address that bounced or complained and whose subscriber was then erased:
    kept as a keyed hash (publications/suppression.py), never as the address, so
    it can be refused again without the portal knowing whose it was."""

    digest = models.CharField(_("keyed hash of the address"), max_length=64, unique=True)
    reason = models.CharField(_("suppression reason"), max_length=200)
    suppressed_at = models.DateTimeField(_("erased at"), auto_now_add=True)

    class Meta:
        verbose_name = _("suppressed address")
        verbose_name_plural = _("suppressed addresses")

    def __str__(self) -> str:
        return f"{self.digest[:12]}… ({self.reason})"


class Mailing(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SCHEDULED = "scheduled", _("Scheduled")
        SENDING = "sending", _("Sending")
        PAUSED = "paused", _("Paused")
        SENT = "sent", _("Sent")
        CANCELLED = "cancelled", _("Cancelled")

    subject = models.CharField(_("subject"), max_length=200)
    body_text = models.TextField(_("text version"))
    body_html = models.TextField(
        _("HTML version"),
        blank=True,
        help_text=_("Optional; without it the text version is sent as simple HTML too."),
    )
    publication = models.ForeignKey(
        "publications.Publication",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mailings",
        verbose_name=_("publication"),
    )
    audiences = models.ManyToManyField(
        Audience, related_name="mailings", verbose_name=_("audiences")
    )
    scheduled_at = models.DateTimeField(_("send at"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    started_at = models.DateTimeField(_("started"), null=True, blank=True, editable=False)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True, editable=False)
    # Set once every recipient has a delivery row. Until then the mailing is not
    # finished, however few deliveries are pending: a fan-out lost with the broker or
    # cut short by a killed worker is run again by the periodic resume.
    fanned_out_at = models.DateTimeField(
        _("recipients listed"), null=True, blank=True, editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    class Meta:
        ordering = ["-pk"]
        verbose_name = _("mailing")
        verbose_name_plural = _("mailings")

    def __str__(self) -> str:
        return self.subject


class MailingEvent(models.Model):
    """One change of a mailing's status and who made it (empty: the scheduler).
    Send and resume both lead to "sending"; the status before tells them apart."""

    mailing = models.ForeignKey(
        Mailing, on_delete=models.CASCADE, related_name="events", verbose_name=_("mailing")
    )
    created_at = models.DateTimeField(_("when"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    from_status = models.CharField(_("status before"), max_length=20, choices=Mailing.Status)
    to_status = models.CharField(_("status"), max_length=20, choices=Mailing.Status)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("mailing event")
        verbose_name_plural = _("mailing events")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.from_status} → {self.to_status}"
