"""The outbox: one row for every email the portal sends.

A row is written in the same transaction as the event that causes it (a mailing's
fan-out, an election opening, an invitation), and the one sender
(inpud_portal/outbox.py) claims, renders and sends it. The row keeps what is needed
to answer "did this person get it?" (kind, template, the ids it renders from,
status, attempts, when it was sent), never the ballot or anything else that links a
voter to a choice. A body is only stored for mail that cannot be rendered again from
ids (allauth's account emails carry one-time keys); it is emptied once sent.

Status: queued → sending (handed to the SMTP server) → sent; or failed (refused,
or could not be rendered), uncertain (the worker stopped after handing it over:
it may have gone out, so it is never sent again), suppressed (the recipient may no
longer be mailed), cancelled or paused (its mailing was). A queued row with a live
lease is claimed by a worker, which renews the lease while it is alive; a lease
that expires puts the row back in the queue.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class OutboxMessage(models.Model):
    class Kind(models.TextChoices):
        MAILING = "mailing", _("Mailing")
        ELECTION_NOTICE = "election-notice", _("Election notice")
        NOMINATION_NOTICE = "nomination-notice", _("Nomination notice")
        MEETING_NOTICE = "meeting-notice", _("Meeting notice")
        INVITATION = "invitation", _("Member-area invitation")
        ACCOUNT = "account", _("Account email")
        SUBSCRIPTION = "subscription", _("Subscription email")
        CONSULTATION_NOTICE = "consultation-notice", _("Consultation notice")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        UNCERTAIN = "uncertain", _("Outcome unknown (not resent)")
        SUPPRESSED = "suppressed", _("Suppressed")
        PAUSED = "paused", _("Paused")
        CANCELLED = "cancelled", _("Cancelled")

    class Priority(models.IntegerChoices):
        # Lower goes first: a password reset never waits behind a bulk mailing.
        ACCOUNT = 0, _("Account and security")
        NOTICE = 5, _("Notice")
        BULK = 10, _("Bulk")

    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices, db_index=True)
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Priority.choices, default=Priority.NOTICE
    )
    to_email = models.EmailField(_("recipient"), max_length=254)
    language = models.CharField(_("language"), max_length=10)
    template = models.CharField(_("template"), max_length=200)
    # What the message renders from, e.g. {"mailing": 3, "subscriber": 17}.
    ref = models.JSONField(_("rendered from"), default=dict, blank=True)
    # Groups the rows of one event ("mailing:3", "election:5:voting-open") for
    # progress, cancel and pause.
    group = models.CharField(_("group"), max_length=100, blank=True, db_index=True)
    # Unique per person and event: writing the same notice twice creates one row.
    dedupe_key = models.CharField(max_length=200, null=True, blank=True, unique=True)
    # Only for mail that cannot be rendered again from ids; emptied once sent.
    subject = models.TextField(blank=True)
    body_text = models.TextField(blank=True)
    body_html = models.TextField(blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.CharField(_("last error"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    not_before = models.DateTimeField(null=True, blank=True)
    lease_owner = models.CharField(max_length=64, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        ordering = ["-pk"]
        verbose_name = _("outgoing email")
        verbose_name_plural = _("outbox")
        indexes = [
            models.Index(
                fields=["priority", "id"],
                name="outbox_queue",
                condition=Q(status="queued"),
            ),
            models.Index(fields=["group", "status"], name="outbox_group_status"),
            models.Index(fields=["lease_owner"], name="outbox_lease_owner"),
            models.Index(fields=["status", "lease_until"], name="outbox_lease"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.to_email}: {self.get_status_display()}"
