"""The one sender: every email the portal sends is an outbox row sent from here.

Apps write rows (``outbox_add``) in the transaction of the event that causes them
and register, per kind, how a row is rendered (``register_kind``). A task on the
``mail`` queue (``inpud_portal.tasks.send_outbox``) then:

1. claims a batch of queued rows, most urgent first, with a conditional update that
   gives them a lease (``lease_owner``/``lease_until``) the live worker renews;
2. renders each row in its recipient's language;
3. asks the shared rate limiter for a slot (inpud_portal/mail_rate.py);
4. marks the row "sending" (the message is being handed to the SMTP server) with a
   conditional update that fails if the row was cancelled or paused meanwhile, or
   if another worker took over its lease; and records the previous message "sent"
   in the same statement, so each message costs one write;
5. hands it over on one SMTP connection per task.

A row claimed but never handed over goes back to the queue when its lease ends
(the worker died, or gave it back); a row left "sending" by a dead worker may have
gone out and is marked uncertain, never sent again (``outbox_sweep``).
"""

import datetime
import logging
import random
import smtplib
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import connection as db_connection
from django.db import transaction
from django.db.models import Count, F, Min, Q
from django.utils import timezone

from .mail_rate import slot_done, wait_for_slot
from .models import OutboxMessage

logger = logging.getLogger(__name__)

S = OutboxMessage.Status
MAX_ATTEMPTS = 8
# A claim lasts this long unless its worker renews it; a dead worker's rows are
# back in the queue this long after it died.
LEASE = datetime.timedelta(seconds=20)
RENEW_EVERY = LEASE.total_seconds() / 4
# An SMTP connection idle this long is reopened before the next message: a server
# that dropped it would otherwise make the next message look "caught mid-send".
IDLE_RECONNECT_SECONDS = 10


class NotMailable(Exception):
    """The recipient may no longer be mailed (unsubscribed, suppressed, gone)."""


@dataclass
class KindHandler:
    # Given the claimed rows of this kind, return a function that renders one.
    prepare: Callable[[list[OutboxMessage]], Callable[[OutboxMessage], EmailMessage]]
    # A permanent refusal of the address by the SMTP server.
    refused: Callable[[OutboxMessage], None] | None = None
    # Rows just handed over successfully.
    delivered: Callable[[list[OutboxMessage]], None] | None = None
    # Groups whose rows changed; e.g. a mailing is marked sent when none is pending.
    settled: Callable[[set[str]], None] | None = None


_KINDS: dict[str, KindHandler] = {}


def register_kind(kind: str, handler: KindHandler) -> None:
    _KINDS[kind] = handler


def _stored_body(rows):
    """Rows that carry their own body (allauth's, with one-time keys in it)."""

    def render(row: OutboxMessage) -> EmailMessage:
        from .mail_render import stored_message

        return stored_message(row)

    return render


_STORED = KindHandler(prepare=_stored_body)


def handler_for(kind: str) -> KindHandler:
    return _KINDS.get(kind) or _STORED


def _handler_key(row: OutboxMessage) -> str:
    # A row that carries its own body (e.g. a mailing's test send) is sent as
    # stored whatever its kind: there is nothing to render it from.
    return "" if row.ref.get("stored") else row.kind


# Writing rows -----------------------------------------------------------------


def outbox_add(rows: Iterable[OutboxMessage], *, senders: int = 1) -> int:
    """Write rows (a row whose dedupe_key exists already is skipped) and wake a
    sender once the transaction commits; return how many rows were offered."""
    batch = list(rows)
    if not batch:
        return 0
    OutboxMessage.objects.bulk_create(batch, ignore_conflicts=True, batch_size=2000)
    outbox_wake(senders=senders)
    return len(batch)


def outbox_wake(*, senders: int = 1) -> None:
    from .tasks import send_outbox

    def wake():
        for _ in range(max(1, senders)):
            send_outbox.delay()

    transaction.on_commit(wake)


def group_set_status(*, group: str, from_statuses: list[str], to_status: str) -> int:
    return OutboxMessage.objects.filter(group=group, status__in=from_statuses).update(
        status=to_status, lease_owner="", lease_until=None
    )


def group_wait_in_flight(*, group: str, timeout: float | None = None) -> bool:
    """Wait until no row of the group is being handed to the SMTP server by a live
    worker; True when none is."""
    timeout = settings.EMAIL_TIMEOUT + 5 if timeout is None else timeout
    deadline = time.monotonic() + timeout
    while OutboxMessage.objects.filter(
        group=group, status=S.SENDING, lease_until__gt=timezone.now()
    ).exists():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def group_progress(*, group: str) -> dict:
    rows = (
        OutboxMessage.objects.filter(group=group)
        .values("language", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    totals: dict[str, int] = {}
    by_language: dict[str, dict[str, int]] = {}
    for row in rows:
        totals[row["status"]] = totals.get(row["status"], 0) + row["n"]
        by_language.setdefault(row["language"], {})[row["status"]] = row["n"]
    return {"totals": totals, "by_language": dict(sorted(by_language.items()))}


def outbox_retry(*, message_ids: Iterable[int]) -> int:
    """Staff send failed rows again. Rows whose outcome is unknown stay as they are:
    they may have gone out."""
    count = OutboxMessage.objects.filter(pk__in=list(message_ids), status=S.FAILED).update(
        status=S.QUEUED, attempts=0, not_before=None, lease_owner="", lease_until=None
    )
    if count:
        outbox_wake()
    return count


# Sending ----------------------------------------------------------------------


def _claimable(now):
    return (
        Q(status=S.QUEUED)
        & (Q(lease_until__isnull=True) | Q(lease_until__lt=now))
        & (Q(not_before__isnull=True) | Q(not_before__lte=now))
    )


def claim_size() -> int:
    # About a second's worth at the shared rate: an account email queued behind a
    # bulk mailing waits for at most one claim of each worker.
    return max(1, min(settings.MAIL_BATCH_SIZE, settings.MAIL_RATE_PER_SECOND))


def outbox_claim(*, owner: str, limit: int) -> list[OutboxMessage]:
    now = timezone.now()
    with transaction.atomic():
        ids = list(
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(_claimable(now))
            .order_by("priority", "pk")
            .values_list("pk", flat=True)[:limit]
        )
        if not ids:
            return []
        OutboxMessage.objects.filter(Q(pk__in=ids) & _claimable(now)).update(
            lease_owner=owner, lease_until=now + LEASE
        )
    return list(
        OutboxMessage.objects.filter(pk__in=ids, lease_owner=owner, status=S.QUEUED).order_by(
            "priority", "pk"
        )
    )


def _renew(owner: str) -> None:
    OutboxMessage.objects.filter(lease_owner=owner, status__in=[S.QUEUED, S.SENDING]).update(
        lease_until=timezone.now() + LEASE
    )


def _release(owner: str) -> None:
    """Give back every claim this sender has not handed over."""
    OutboxMessage.objects.filter(lease_owner=owner, status=S.QUEUED).update(
        lease_owner="", lease_until=None
    )


_PURGED = {"subject": "", "body_text": "", "body_html": ""}


def _record(row_id: int, status: str, *, error: str = "", **extra) -> None:
    OutboxMessage.objects.filter(pk=row_id, status=S.SENDING).update(
        status=status, error=error[:500], **extra
    )


def _hand_over(*, row_id: int, owner: str, previous_id: int | None) -> bool:
    """Mark row_id as being handed to the SMTP server, and previous_id (the message
    this sender handed over just before, which the server accepted) as sent, in one
    statement. A row cancelled, paused or taken over meanwhile is not handed over.
    On PostgreSQL a row locked by a cancel in progress is skipped, not waited for:
    the cancel waits for the previous message to be recorded, and then commits."""
    table = OutboxMessage._meta.db_table
    now = timezone.now()
    if db_connection.vendor == "postgresql":
        with db_connection.cursor() as cursor:
            cursor.execute(
                f"""
                UPDATE {table} SET
                  status = CASE WHEN id = %(cur)s THEN %(sending)s ELSE %(sent)s END,
                  attempts = CASE WHEN id = %(cur)s THEN attempts + 1 ELSE attempts END,
                  sent_at = CASE WHEN id = %(cur)s THEN sent_at ELSE %(now)s END,
                  subject = CASE WHEN id = %(cur)s THEN subject ELSE '' END,
                  body_text = CASE WHEN id = %(cur)s THEN body_text ELSE '' END,
                  body_html = CASE WHEN id = %(cur)s THEN body_html ELSE '' END,
                  error = CASE WHEN id = %(cur)s THEN error ELSE '' END
                WHERE id IN (
                  SELECT id FROM {table}
                  WHERE (id = %(cur)s AND status = %(queued)s AND lease_owner = %(owner)s)
                     OR (id = %(prev)s AND status = %(sending)s)
                  FOR UPDATE SKIP LOCKED
                )
                RETURNING id
                """,  # noqa: S608 - the table name is the model's, every value a parameter
                {
                    "cur": row_id,
                    "prev": previous_id if previous_id is not None else -1,
                    "sending": S.SENDING,
                    "sent": S.SENT,
                    "queued": S.QUEUED,
                    "owner": owner,
                    "now": now,
                },
            )
            return row_id in {r[0] for r in cursor.fetchall()}
    if previous_id is not None:
        _record(previous_id, S.SENT, sent_at=now, **_PURGED)
    return bool(
        OutboxMessage.objects.filter(pk=row_id, status=S.QUEUED, lease_owner=owner).update(
            status=S.SENDING, attempts=F("attempts") + 1
        )
    )


def _transient(error: Exception) -> bool:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code < 500 for code, _msg in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code < 500
    return False


def retry_countdown(retries: int) -> float:
    """Exponential backoff with full jitter, capped at ten minutes."""
    return random.uniform(0, min(600, 10 * 2**retries))  # noqa: S311 - timing, not secrecy


@dataclass
class SendReport:
    sent: int = 0
    out_of_time: bool = False
    groups: set[str] = field(default_factory=set)


class _Sender:
    def __init__(self, *, owner: str, deadline: float | None):
        self.owner = owner
        self.deadline = deadline
        self.connection = None
        self.opened_at = 0.0
        self.last_used = 0.0
        self.last_renew = time.monotonic()
        self.previous: OutboxMessage | None = None
        self.delivered: dict[str, list[OutboxMessage]] = {}
        self.report = SendReport()

    def out_of_time(self, wait: float = 0.0) -> bool:
        return self.deadline is not None and time.monotonic() + wait >= self.deadline

    def smtp(self):
        now = time.monotonic()
        if self.connection is not None and now - self.last_used > IDLE_RECONNECT_SECONDS:
            self.close()
        if self.connection is None:
            self.connection = get_connection(fail_silently=False)
            self.connection.open()
        return self.connection

    def close(self) -> None:
        if self.connection is not None:
            try:
                self.connection.close()
            except Exception:  # noqa: BLE001 - a dead connection has nothing left to close
                logger.debug("closing the SMTP connection failed", exc_info=True)
            self.connection = None

    def flush_previous(self) -> None:
        if self.previous is not None:
            _record(self.previous.pk, S.SENT, sent_at=timezone.now(), **_PURGED)
            self.previous = None

    def renew_if_due(self) -> None:
        if time.monotonic() - self.last_renew >= RENEW_EVERY:
            _renew(self.owner)
            self.last_renew = time.monotonic()

    def send_rows(self, rows: list[OutboxMessage]) -> None:
        by_kind: dict[str, list[OutboxMessage]] = {}
        for row in rows:
            by_kind.setdefault(_handler_key(row), []).append(row)
            if row.group:
                self.report.groups.add(row.group)
        for kind, kind_rows in by_kind.items():
            handler = handler_for(kind) if kind else _STORED
            render = handler.prepare(kind_rows)
            for row in kind_rows:
                if self.out_of_time():
                    self.report.out_of_time = True
                    return
                self.renew_if_due()
                self.send_one(row, handler, render)

    def send_one(self, row, handler: KindHandler, render) -> None:
        try:
            message = render(row)
        except NotMailable as reason:
            OutboxMessage.objects.filter(pk=row.pk, status=S.QUEUED, lease_owner=self.owner).update(
                status=S.SUPPRESSED, error=str(reason)[:500], **_PURGED
            )
            return
        except Exception as error:
            logger.exception("outbox row %s could not be rendered", row.pk)
            OutboxMessage.objects.filter(pk=row.pk, status=S.QUEUED, lease_owner=self.owner).update(
                status=S.FAILED, error=f"could not be rendered: {error!r}"[:500]
            )
            return
        token = wait_for_slot(deadline=self.deadline)
        if token is None:
            self.report.out_of_time = True
            return
        try:
            try:
                connection = self.smtp()
            except Exception as error:  # noqa: BLE001 - nothing was handed over
                logger.warning("SMTP server unreachable: %s", error)
                self.close()
                OutboxMessage.objects.filter(pk=row.pk, status=S.QUEUED).update(
                    error=str(error)[:500],
                    not_before=timezone.now() + datetime.timedelta(seconds=30),
                    lease_owner="",
                    lease_until=None,
                )
                return
            previous = self.previous
            if not _hand_over(
                row_id=row.pk, owner=self.owner, previous_id=previous and previous.pk
            ):
                # Cancelled, paused or taken over: not sent. The previous message
                # may still be waiting to be recorded (a cancel skipped this row).
                if previous is not None:
                    self.flush_previous()
                return
            self.previous = None
            if previous is not None:
                self._delivered(previous)
            try:
                connection.send_messages([message])
            except Exception as error:
                self.failed(row, handler, error)
                return
            finally:
                self.last_used = time.monotonic()
            self.previous = row
            self.report.sent += 1
        finally:
            slot_done(token)

    def _delivered(self, row) -> None:
        self.delivered.setdefault(_handler_key(row), []).append(row)

    def failed(self, row, handler: KindHandler, error: Exception) -> None:
        if isinstance(error, smtplib.SMTPResponseException | smtplib.SMTPRecipientsRefused):
            # The server answered: the message was not accepted.
            if _transient(error) and row.attempts + 1 < MAX_ATTEMPTS:
                _record(
                    row.pk,
                    S.QUEUED,
                    error=str(error),
                    not_before=timezone.now()
                    + datetime.timedelta(seconds=retry_countdown(row.attempts)),
                    lease_owner="",
                    lease_until=None,
                )
            else:
                _record(row.pk, S.FAILED, error=str(error))
                if handler.refused and not _transient(error):
                    handler.refused(row)
            if isinstance(error, smtplib.SMTPResponseException):
                self.close()
            return
        # The connection broke while the message was on its way: it may have gone
        # out, so it is never sent again automatically.
        logger.warning("outbox row %s: outcome unknown (%r)", row.pk, error)
        _record(row.pk, S.UNCERTAIN, error=f"outcome unknown: {error!r}", **_PURGED)
        self.close()

    def finish(self) -> None:
        if self.previous is not None:
            self._delivered(self.previous)
        self.flush_previous()
        self.close()
        _release(self.owner)
        for kind, rows in self.delivered.items():
            handler = handler_for(kind) if kind else _STORED
            if handler.delivered:
                handler.delivered(rows)
        for handler in _KINDS.values():
            if handler.settled and self.report.groups:
                handler.settled(self.report.groups)


def outbox_send(*, deadline: float | None = None, owner: str | None = None) -> SendReport:
    """Claim and send rows until none is left or the deadline (a time.monotonic()
    value) comes; whatever is claimed and not handed over is given back."""
    sender = _Sender(owner=owner or uuid.uuid4().hex, deadline=deadline)
    try:
        while not sender.out_of_time():
            rows = outbox_claim(owner=sender.owner, limit=claim_size())
            if not rows:
                break
            sender.send_rows(rows)
            if sender.report.out_of_time:
                break
    finally:
        sender.finish()
    return sender.report


def outbox_has_work(*, now=None) -> bool:
    return OutboxMessage.objects.filter(_claimable(now or timezone.now())).exists()


def outbox_sweep(*, now=None) -> float | None:
    """Rows a dead worker left "sending" become uncertain (never resent); rows it
    had claimed are claimable again once their lease ends. Returns the seconds
    until the next lease or backoff ends (when the next sweep is worth running)."""
    now = now or timezone.now()
    OutboxMessage.objects.filter(status=S.SENDING, lease_until__lt=now).update(
        status=S.UNCERTAIN, error="the worker stopped after handing it over; not resent", **_PURGED
    )
    upcoming = OutboxMessage.objects.filter(status=S.QUEUED).aggregate(
        lease=Min("lease_until", filter=Q(lease_until__gt=now)),
        backoff=Min("not_before", filter=Q(not_before__gt=now)),
    )
    times = [t for t in upcoming.values() if t is not None]
    if not times:
        return None
    return max(0.0, (min(times) - now).total_seconds())


# Retention --------------------------------------------------------------------

# Rows whose story is over: nothing more will be sent for them.
FINISHED = [S.SENT, S.FAILED, S.UNCERTAIN, S.SUPPRESSED, S.CANCELLED]


def outbox_purge(*, now=None) -> int:
    """Delete the rows of messages finished more than OUTBOX_RETENTION_DAYS ago
    (settled by when they were written: a row is sent, or given up on, within
    days of it); queued and paused rows stay, whatever their age."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.OUTBOX_RETENTION_DAYS)
    deleted, _by_model = OutboxMessage.objects.filter(
        status__in=FINISHED, created_at__lt=cutoff
    ).delete()
    return deleted
