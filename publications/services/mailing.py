"""Sending a mailing: one claim to start it, deliveries fanned out in batches, each
delivery claimed before it is sent so nobody ever gets the same mailing twice.
"""

import datetime
import logging
import random
import smtplib
import time
from typing import NamedTuple

from django.conf import settings
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import Count, F, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ..mail_messages import mailing_language, mailing_message
from ..models import Delivery, Mailing, Subscriber
from ..rate_limit import wait_for_slot
from .subscribers import subscriber_record_bounce

logger = logging.getLogger(__name__)

M = Mailing.Status
D = Delivery.Status
MAX_ATTEMPTS = 8
FAN_OUT_CHUNK = 2000


class MailingError(Exception):
    pass


def mailing_recipients(*, mailing: Mailing):
    """Who receives the mailing: confirmed, active subscribers of its audiences."""
    return (
        Subscriber.objects.filter(
            audiences__in=mailing.audiences.all(),
            status=Subscriber.Status.ACTIVE,
            confirmed_at__isnull=False,
        )
        .distinct()
        .order_by("pk")
    )


def mailing_send_now(*, mailing: Mailing, actor=None) -> bool:
    """Start sending. However many times this is called at once, one call wins
    (a conditional update decides) and the rest change nothing."""
    from ..tasks import fan_out_mailing

    with transaction.atomic():
        started = Mailing.objects.filter(pk=mailing.pk, status__in=[M.DRAFT, M.SCHEDULED]).update(
            status=M.SENDING, started_at=timezone.now()
        )
        if started:
            transaction.on_commit(lambda: fan_out_mailing.delay(mailing_id=mailing.pk))
    return bool(started)


def mailing_schedule(*, mailing: Mailing, at: datetime.datetime) -> Mailing:
    if mailing.status not in (M.DRAFT, M.SCHEDULED):
        raise MailingError(_("Only a draft or scheduled mailing can be scheduled."))
    Mailing.objects.filter(pk=mailing.pk).update(status=M.SCHEDULED, scheduled_at=at)
    mailing.refresh_from_db()
    return mailing


def mailings_start_due(*, now=None) -> list[int]:
    """Start scheduled mailings whose time has come; two schedulers running at once
    start each only once (the claim in mailing_send_now)."""
    now = now or timezone.now()
    started = []
    for mailing in Mailing.objects.filter(status=M.SCHEDULED, scheduled_at__lte=now):
        if mailing_send_now(mailing=mailing):
            started.append(mailing.pk)
    return started


def mailing_fan_out(*, mailing_id: int) -> list[list[int]]:
    """Create one delivery per recipient (the unique constraint makes a repeat
    harmless) and return the queued deliveries in batches to send."""
    mailing = Mailing.objects.get(pk=mailing_id)
    if mailing.status != M.SENDING:
        return []
    languages = {code: mailing_language(mailing, code) for code, _name in settings.LANGUAGES}
    chunk = []
    for subscriber_id, preferred in (
        mailing_recipients(mailing=mailing)
        .values_list("pk", "preferred_language")
        .iterator(chunk_size=FAN_OUT_CHUNK)
    ):
        chunk.append(
            Delivery(
                mailing_id=mailing_id,
                subscriber_id=subscriber_id,
                language=languages.get(preferred, settings.LANGUAGE_CODE),
            )
        )
        if len(chunk) >= FAN_OUT_CHUNK:
            Delivery.objects.bulk_create(chunk, ignore_conflicts=True)
            chunk = []
    Delivery.objects.bulk_create(chunk, ignore_conflicts=True)
    # Only now may the mailing be marked sent (mailing_finish_if_done).
    Mailing.objects.filter(pk=mailing_id, fanned_out_at__isnull=True).update(
        fanned_out_at=timezone.now()
    )
    batches = queued_batches(mailing_id=mailing_id)
    if not batches:
        # Nobody (left) to send to: no send task will come to close the mailing.
        mailing_finish_if_done(mailing_id=mailing_id)
    return batches


def queued_batches(*, mailing_id: int) -> list[list[int]]:
    ids = list(
        Delivery.objects.filter(mailing_id=mailing_id, status=D.QUEUED)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    size = settings.MAIL_BATCH_SIZE
    return [ids[i : i + size] for i in range(0, len(ids), size)]


def _transient(error: Exception) -> bool:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code < 500 for code, _msg in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code < 500
    return isinstance(error, smtplib.SMTPServerDisconnected | smtplib.SMTPConnectError | OSError)


class BatchOutcome(NamedTuple):
    retry: list[int]  # refused for now by the SMTP server: send again after a backoff
    not_started: list[int]  # untouched when the time budget ran out: send in a new task


def deliveries_send(*, delivery_ids: list[int], deadline: float | None = None) -> BatchOutcome:
    """Send these deliveries over one SMTP connection.

    1. Claim the delivery (queued → sending) with a conditional update: a delivery
       another worker claimed, or that was already sent, is skipped.
    2. Render it in its language; a message that cannot be rendered is recorded
       as failed rather than left "sending".
    3. Wait for a slot of the shared sending rate. When the deadline (a
       time.monotonic() value) would pass first, the claim is given back and this
       delivery and the rest are returned as not started: a slow rate shared by many
       workers never keeps a task running into Celery's time limit, which would
       leave a message that never went out looking "caught mid-send".
    4. Hand the message to the SMTP server, then record it sent. A transient
       refusal puts it back in the queue; a permanent one is recorded as failed
       (and a refused address is suppressed).
    """
    retry: list[int] = []
    not_started: list[int] = []
    connection = get_connection(fail_silently=False)
    try:
        for index, delivery_id in enumerate(delivery_ids):
            if deadline is not None and time.monotonic() >= deadline:
                not_started = list(delivery_ids[index:])
                break
            claimed = Delivery.objects.filter(pk=delivery_id, status=D.QUEUED).update(
                status=D.SENDING, claimed_at=timezone.now(), attempts=F("attempts") + 1
            )
            if not claimed:
                continue
            delivery = Delivery.objects.select_related("mailing__publication", "subscriber").get(
                pk=delivery_id
            )
            if not delivery.subscriber.can_be_mailed:
                _finish(
                    delivery_id,
                    D.FAILED,
                    error="not mailable (unsubscribed, unconfirmed or suppressed)",
                )
                continue
            try:
                message = mailing_message(
                    mailing=delivery.mailing,
                    subscriber=delivery.subscriber,
                    language=delivery.language or None,
                )
            except Exception as error:
                logger.exception("delivery %s could not be rendered", delivery_id)
                _finish(delivery_id, D.FAILED, error=f"could not be rendered: {error!r}")
                continue
            if not wait_for_slot(deadline=deadline):
                _release(delivery_id)
                not_started = list(delivery_ids[index:])
                break
            try:
                connection.send_messages([message])
            except Exception as error:
                if _transient(error) and delivery.attempts < MAX_ATTEMPTS:
                    _finish(delivery_id, D.QUEUED, error=str(error))
                    retry.append(delivery_id)
                    connection.close()
                    continue
                if not isinstance(error, smtplib.SMTPException | OSError):
                    raise
                _finish(delivery_id, D.FAILED, error=str(error))
                if isinstance(error, smtplib.SMTPRecipientsRefused) and not _transient(error):
                    subscriber_record_bounce(email=delivery.subscriber.email, kind="hard")
                continue
            _finish(delivery_id, D.SENT, sent_at=timezone.now())
            if delivery.subscriber.soft_bounces:
                # Soft bounces count "in a row": a message that went through resets them.
                Subscriber.objects.filter(pk=delivery.subscriber_id).update(soft_bounces=0)
    finally:
        connection.close()
    for mailing_id in set(
        Delivery.objects.filter(pk__in=delivery_ids).values_list("mailing_id", flat=True)
    ):
        mailing_finish_if_done(mailing_id=mailing_id)
    return BatchOutcome(retry=retry, not_started=not_started)


def _release(delivery_id: int) -> None:
    """Give back a claim on a message that was never handed to the SMTP server."""
    Delivery.objects.filter(pk=delivery_id, status=D.SENDING).update(
        status=D.QUEUED, claimed_at=None, attempts=F("attempts") - 1
    )


def _finish(delivery_id: int, status: str, *, error: str = "", sent_at=None) -> None:
    Delivery.objects.filter(pk=delivery_id, status=D.SENDING).update(
        status=status, error=error[:500], sent_at=sent_at
    )


def mailing_finish_if_done(*, mailing_id: int) -> bool:
    pending = Delivery.objects.filter(mailing_id=mailing_id, status__in=[D.QUEUED, D.SENDING])
    if pending.exists():
        return False
    return bool(
        Mailing.objects.filter(pk=mailing_id, status=M.SENDING, fanned_out_at__isnull=False).update(
            status=M.SENT, finished_at=timezone.now()
        )
    )


def mailings_resume_stalled(
    *, stalled_after: datetime.timedelta = datetime.timedelta(minutes=10), now=None
) -> list[list[int]]:
    """Find mailings that stopped moving (a worker died, the broker lost a task):
    deliveries caught mid-send become 'uncertain' and are never resent; a fan-out
    that never finished is run again (it skips the deliveries that exist); queued
    deliveries are returned in batches to send again. Safe to run from two places
    at once: every send still needs its own claim."""
    now = now or timezone.now()
    cutoff = now - stalled_after
    Delivery.objects.filter(status=D.SENDING, claimed_at__lt=cutoff).update(
        status=D.UNCERTAIN, error="worker stopped mid-send; not resent"
    )
    batches = []
    sending = Mailing.objects.filter(status=M.SENDING, started_at__lt=cutoff).annotate(
        last_claim=Max("deliveries__claimed_at")
    )
    for mailing in sending.filter(Q(last_claim__lt=cutoff) | Q(last_claim__isnull=True)):
        if mailing.fanned_out_at is None:
            batches.extend(mailing_fan_out(mailing_id=mailing.pk))
        else:
            batches.extend(queued_batches(mailing_id=mailing.pk))
        mailing_finish_if_done(mailing_id=mailing.pk)
    return batches


def mailing_progress(*, mailing: Mailing) -> dict:
    """Counts by status, overall and per language, for the admin."""
    rows = (
        Delivery.objects.filter(mailing=mailing)
        .values("language", "status")
        .annotate(n=Count("pk"))
    )
    totals: dict[str, int] = {}
    by_language: dict[str, dict[str, int]] = {}
    for row in rows:
        totals[row["status"]] = totals.get(row["status"], 0) + row["n"]
        by_language.setdefault(row["language"], {})[row["status"]] = row["n"]
    return {"totals": totals, "by_language": dict(sorted(by_language.items()))}


def retry_countdown(retries: int) -> float:
    """Exponential backoff with full jitter, capped at ten minutes."""
    return random.uniform(0, min(600, 10 * 2**retries))  # noqa: S311 - timing, not secrecy
