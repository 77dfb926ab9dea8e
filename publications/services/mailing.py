"""Sending a mailing: one claim to start it, one outbox row per recipient written
in chunks (the one sender in inpud_portal/outbox.py sends them), and the staff's
pause, resume and cancel.
"""

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from inpud_portal import outbox
from inpud_portal.models import OutboxMessage

from ..mail_messages import mailing_language
from ..models import Mailing, MailingEvent, Subscriber

logger = logging.getLogger(__name__)

M = Mailing.Status
O = OutboxMessage.Status  # noqa: E741 - read as "outbox status"
FAN_OUT_CHUNK = 2000
TEMPLATE = "publications/email/mailing"


class MailingError(Exception):
    pass


def mailing_group(mailing_id: int) -> str:
    return f"mailing:{mailing_id}"


def mailing_rows(*, mailing_id: int):
    return OutboxMessage.objects.filter(group=mailing_group(mailing_id))


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


def _claim(mailing: Mailing, from_statuses: list[str]) -> str | None:
    """Lock the mailing and return its status if it is one of these, else None; call
    inside a transaction so the change and its event commit together."""
    return (
        Mailing.objects.select_for_update()
        .filter(pk=mailing.pk, status__in=from_statuses)
        .values_list("status", flat=True)
        .first()
    )


def _record(mailing: Mailing, actor, from_status: str, to_status: str) -> None:
    MailingEvent.objects.create(
        mailing_id=mailing.pk,
        actor=actor if actor is not None and actor.is_authenticated else None,
        from_status=from_status,
        to_status=to_status,
    )


def _require_audience(mailing: Mailing) -> None:
    # Here rather than in the admin, so the scheduler and any future API obey it too.
    if not mailing.audiences.exists():
        raise MailingError(_("%(m)s: choose at least one audience.") % {"m": mailing})


def mailing_send_now(*, mailing: Mailing, actor=None) -> bool:
    """Start sending. However many times this is called at once, one call wins
    (a conditional update decides) and the rest change nothing. A mailing with no
    audience raises MailingError."""
    from ..tasks import fan_out_mailing

    _require_audience(mailing)
    with transaction.atomic():
        before = _claim(mailing, [M.DRAFT, M.SCHEDULED])
        if before is None:
            return False
        Mailing.objects.filter(pk=mailing.pk).update(status=M.SENDING, started_at=timezone.now())
        _record(mailing, actor, before, M.SENDING)
        transaction.on_commit(lambda: fan_out_mailing.delay(mailing_id=mailing.pk))
    return True


def mailing_schedule(*, mailing: Mailing, at: datetime.datetime, actor=None) -> Mailing:
    """The status is checked by the database, not on the instance: a stale copy of
    a mailing that has meanwhile started must not turn it back into 'scheduled'."""
    _require_audience(mailing)
    with transaction.atomic():
        before = _claim(mailing, [M.DRAFT, M.SCHEDULED])
        if before is not None:
            Mailing.objects.filter(pk=mailing.pk).update(status=M.SCHEDULED, scheduled_at=at)
            _record(mailing, actor, before, M.SCHEDULED)
    mailing.refresh_from_db()
    if before is None:
        raise MailingError(
            f"{mailing}: " + _("Only a draft or scheduled mailing can be scheduled.")
        )
    return mailing


def mailings_start_due(*, now=None) -> list[int]:
    """Start scheduled mailings whose time has come; two schedulers running at once
    start each only once (the claim in mailing_send_now)."""
    now = now or timezone.now()
    started = []
    for mailing in Mailing.objects.filter(status=M.SCHEDULED, scheduled_at__lte=now):
        try:
            if mailing_send_now(mailing=mailing):
                started.append(mailing.pk)
        except MailingError as error:
            # Left scheduled, so it starts once someone gives it an audience.
            logger.warning("scheduled mailing %s not started: %s", mailing.pk, error)
    return started


def mailing_fan_out(*, mailing_id: int) -> int:
    """Write one outbox row per recipient, in chunks (the unique dedupe key makes a
    repeat harmless), and wake the senders; return how many rows were offered."""
    mailing = Mailing.objects.get(pk=mailing_id)
    if mailing.status != M.SENDING:
        return 0
    languages = {code: mailing_language(mailing, code) for code, _name in settings.LANGUAGES}
    group = mailing_group(mailing_id)
    chunk = []
    offered = 0
    for subscriber_id, email, preferred in (
        mailing_recipients(mailing=mailing)
        .values_list("pk", "email", "preferred_language")
        .iterator(chunk_size=FAN_OUT_CHUNK)
    ):
        chunk.append(
            OutboxMessage(
                kind=OutboxMessage.Kind.MAILING,
                priority=OutboxMessage.Priority.BULK,
                to_email=email,
                language=languages.get(preferred, settings.LANGUAGE_CODE),
                template=TEMPLATE,
                ref={"mailing": mailing_id, "subscriber": subscriber_id},
                group=group,
                dedupe_key=f"{group}:subscriber:{subscriber_id}",
            )
        )
        if len(chunk) >= FAN_OUT_CHUNK:
            offered += outbox.outbox_add(chunk, senders=settings.MAIL_SENDERS)
            chunk = []
    offered += outbox.outbox_add(chunk, senders=settings.MAIL_SENDERS)
    # Only now may the mailing be marked sent (mailing_finish_if_done).
    Mailing.objects.filter(pk=mailing_id, fanned_out_at__isnull=True).update(
        fanned_out_at=timezone.now()
    )
    # Nobody (left) to send to: no sender will come to close the mailing.
    mailing_finish_if_done(mailing_id=mailing_id)
    return offered


def mailing_finish_if_done(*, mailing_id: int) -> bool:
    pending = mailing_rows(mailing_id=mailing_id).filter(status__in=[O.QUEUED, O.SENDING])
    if pending.exists():
        return False
    return bool(
        Mailing.objects.filter(pk=mailing_id, status=M.SENDING, fanned_out_at__isnull=False).update(
            status=M.SENT, finished_at=timezone.now()
        )
    )


def mailings_settle(groups: set[str]) -> None:
    """Called by the sender for the groups it sent from."""
    for group in groups:
        prefix, _sep, pk = group.partition(":")
        if prefix == "mailing" and pk.isdigit():
            mailing_finish_if_done(mailing_id=int(pk))


def mailing_pause(*, mailing: Mailing, actor=None) -> bool:
    """Stop sending for now; nothing queued goes out until it is resumed."""
    with transaction.atomic():
        if not Mailing.objects.filter(pk=mailing.pk, status=M.SENDING).update(status=M.PAUSED):
            return False
        _record(mailing, actor, M.SENDING, M.PAUSED)
        outbox.group_set_status(
            group=mailing_group(mailing.pk), from_statuses=[O.QUEUED], to_status=O.PAUSED
        )
        outbox.group_wait_in_flight(group=mailing_group(mailing.pk))
    return True


def mailing_resume(*, mailing: Mailing, actor=None) -> bool:
    with transaction.atomic():
        if not Mailing.objects.filter(pk=mailing.pk, status=M.PAUSED).update(status=M.SENDING):
            return False
        _record(mailing, actor, M.PAUSED, M.SENDING)
        outbox.group_set_status(
            group=mailing_group(mailing.pk), from_statuses=[O.PAUSED], to_status=O.QUEUED
        )
        outbox.outbox_wake(senders=settings.MAIL_SENDERS)
        transaction.on_commit(lambda: mailing_finish_if_done(mailing_id=mailing.pk))
    return True


def mailing_cancel(*, mailing: Mailing, actor=None) -> bool:
    """Cancel a mailing that has not finished. Once this returns (and the
    transaction has committed), nothing more of it reaches anyone: queued rows are
    cancelled under lock, so no sender can hand them over, and the call waits for
    the one message a sender may be handing over at this instant."""
    with transaction.atomic():
        before = _claim(mailing, [M.DRAFT, M.SCHEDULED, M.SENDING, M.PAUSED])
        if before is None:
            return False
        Mailing.objects.filter(pk=mailing.pk).update(status=M.CANCELLED, finished_at=timezone.now())
        _record(mailing, actor, before, M.CANCELLED)
        outbox.group_set_status(
            group=mailing_group(mailing.pk),
            from_statuses=[O.QUEUED, O.PAUSED],
            to_status=O.CANCELLED,
        )
        outbox.group_wait_in_flight(group=mailing_group(mailing.pk))
    return True


def mailings_resume_stalled(
    *, stalled_after: datetime.timedelta = datetime.timedelta(minutes=10), now=None
) -> int:
    """Run again a fan-out that never finished (its task was lost with the broker or
    its worker was killed); it skips the recipients already listed. Rows caught by
    a dead worker are the sender's business (inpud_portal.outbox.outbox_sweep)."""
    now = now or timezone.now()
    cutoff = now - stalled_after
    offered = 0
    for mailing in Mailing.objects.filter(status=M.SENDING, started_at__lt=cutoff):
        rows = mailing_rows(mailing_id=mailing.pk)
        if mailing.fanned_out_at is None:
            last = rows.aggregate(last=Max("created_at"))["last"]
            if last is None or last < cutoff:
                offered += mailing_fan_out(mailing_id=mailing.pk)
        else:
            mailing_finish_if_done(mailing_id=mailing.pk)
    return offered


def mailing_progress(*, mailing: Mailing) -> dict:
    """Counts by status, overall and per language, for the admin."""
    return outbox.group_progress(group=mailing_group(mailing.pk))


def mailing_test_send(*, mailing: Mailing, email: str, language: str) -> OutboxMessage:
    """Queue the mailing, as a subscriber in that language would get it, to a
    member of staff. It goes ahead of bulk mail, and its body is stored with the
    row (there is no subscriber to render it for) until it is handed over."""
    from inpud_portal.notices import stored_row

    from ..mail_messages import mailing_message

    example = Subscriber(pk=0, email=email, preferred_language=language)
    row = stored_row(
        mailing_message(mailing=mailing, subscriber=example, language=language),
        kind=OutboxMessage.Kind.MAILING,
        template=TEMPLATE,
        language=language,
        ref={"mailing": mailing.pk, "test": True},
    )
    with transaction.atomic():
        row.save()
        outbox.outbox_wake()
    return row
