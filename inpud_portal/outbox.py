"""The one sender: every email the portal sends is an outbox row sent from here.

Apps write rows (``outbox_add``) in the transaction of the event that causes them
and register, per kind, how a row is rendered (``register_kind``). A task on the
``mail`` queue (``inpud_portal.tasks.send_outbox``) then:

1. claims a batch of queued rows, most urgent first, in one conditional
   ``UPDATE ... RETURNING`` that gives them a lease (``lease_owner``/``lease_until``)
   the live worker renews;
2. renders each row in its recipient's language;
3. takes a slot of the shared rate limiter for it (inpud_portal/mail_rate.py; the
   slots are asked for and released a few at a time, one slot per message);
4. marks the row "sending" (the message is being handed to the SMTP server) with a
   conditional update that fails if the row was cancelled or paused meanwhile, or
   if another worker took over its lease. On PostgreSQL the mark goes through a
   second connection while the envelope (MAIL FROM, RCPT TO) is sent, and DATA
   waits for it: the server can accept a message only after its row says so;
5. hands it over on one SMTP connection per task, and records the accepted
   messages "sent" in batches.

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
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.mail.message import sanitize_address
from django.db import connection as db_connection
from django.db import connections as db_connections
from django.db import transaction
from django.db.models import Count, F, Min, Q
from django.utils import timezone

from .mail_rate import Slots
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
# Accepted messages are recorded "sent" together, this many at a time or this soon
# after the first of them, whichever comes first. A worker killed before recording
# them leaves them "sending", and they become uncertain (not resent): the record of
# at most that half second is less precise, nothing is sent twice or lost.
RECORD_EVERY = 100
RECORD_WITHIN_SECONDS = 0.5
# While sending a batch, look this often for more urgent mail (a password reset
# behind a mailing): if there is some, the rest of the batch goes back to the queue
# and the next claim takes the urgent mail first, however slow the sending is.
URGENT_CHECK_SECONDS = 1.0


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
    if db_connection.vendor == "postgresql" and not db_connection.in_atomic_block:
        return _claim_returning(owner=owner, limit=limit, now=now)
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


def _claim_returning(*, owner: str, limit: int, now) -> list[OutboxMessage]:
    """The claim in one statement: the most urgent claimable rows (skipping those
    another sender is claiming at this instant) get this sender's lease, and come
    back whole."""
    table = OutboxMessage._meta.db_table
    rows = OutboxMessage.objects.raw(
        f"""
        UPDATE {table} SET lease_owner = %(owner)s, lease_until = %(until)s
        WHERE id IN (
          SELECT id FROM {table}
          WHERE status = %(queued)s
            AND (lease_until IS NULL OR lease_until < %(now)s)
            AND (not_before IS NULL OR not_before <= %(now)s)
          ORDER BY priority, id
          LIMIT %(limit)s
          FOR UPDATE SKIP LOCKED
        )
        RETURNING *
        """,  # noqa: S608 - the table name is the model's, every value a parameter
        {"owner": owner, "until": now + LEASE, "queued": S.QUEUED, "now": now, "limit": limit},
    )
    # RETURNING keeps no order.
    return sorted(rows, key=lambda row: (row.priority, row.pk))


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


def _record_sent(row_ids: list[int]) -> None:
    OutboxMessage.objects.filter(pk__in=row_ids, status=S.SENDING).update(
        status=S.SENT, sent_at=timezone.now(), error="", **_PURGED
    )


def _hand_over(*, row_id: int, owner: str) -> bool:
    """Mark row_id as being handed to the SMTP server. A row cancelled, paused or
    taken over meanwhile is not handed over. On PostgreSQL a row locked by a
    cancel in progress is skipped, not waited for: the cancel waits for the rows
    this sender has handed over to be recorded, and then commits."""
    table = OutboxMessage._meta.db_table
    if db_connection.vendor == "postgresql":
        with db_connection.cursor() as cursor:
            cursor.execute(
                f"""
                UPDATE {table} SET status = %(sending)s, attempts = attempts + 1
                WHERE id IN (
                  SELECT id FROM {table}
                  WHERE id = %(cur)s AND status = %(queued)s AND lease_owner = %(owner)s
                  FOR UPDATE SKIP LOCKED
                )
                """,  # noqa: S608 - the table name is the model's, every value a parameter
                {"cur": row_id, "sending": S.SENDING, "queued": S.QUEUED, "owner": owner},
            )
            return cursor.rowcount == 1
    return bool(
        OutboxMessage.objects.filter(pk=row_id, status=S.QUEUED, lease_owner=owner).update(
            status=S.SENDING, attempts=F("attempts") + 1
        )
    )


class _Done:
    """A hand-over already decided (no recorder thread)."""

    def __init__(self, value: bool):
        self.value = value

    def result(self) -> bool:
        return self.value


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
    # The batch was cut short for more urgent mail.
    overtaken: bool = False
    groups: set[str] = field(default_factory=set)


class _NotHandedOver(Exception):
    """The connection broke before DATA: the server cannot have the message."""


class _Sender:
    def __init__(self, *, owner: str, deadline: float | None):
        self.owner = owner
        self.deadline = deadline
        self.connection = None
        self.opened_at = 0.0
        self.last_used = 0.0
        self.last_renew = time.monotonic()
        self.last_urgent_check = time.monotonic()
        self.slots = Slots()
        # Handed over and accepted by the server, not yet recorded as sent.
        self.accepted: list[OutboxMessage] = []
        self.accepted_since = 0.0
        self.delivered: dict[str, list[OutboxMessage]] = {}
        self.report = SendReport()
        # On PostgreSQL, outside a transaction, the hand-over mark is written from
        # a second connection while the SMTP envelope is sent: the mark still
        # commits before any DATA goes out, and the round trip to the database no
        # longer adds to each message's time. (Inside a transaction, as in tests,
        # a second connection would not see the rows.)
        self.recorder = None
        if db_connection.vendor == "postgresql" and not db_connection.in_atomic_block:
            self.recorder = ThreadPoolExecutor(max_workers=1, thread_name_prefix="outbox-mark")

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

    def record_accepted(self) -> None:
        if self.accepted:
            _record_sent([row.pk for row in self.accepted])
            for row in self.accepted:
                self.delivered.setdefault(_handler_key(row), []).append(row)
            self.accepted = []

    def record_if_due(self) -> None:
        if len(self.accepted) >= RECORD_EVERY or (
            self.accepted and time.monotonic() - self.accepted_since >= RECORD_WITHIN_SECONDS
        ):
            self.record_accepted()

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
                self.record_if_due()
                if self.urgent_waiting(row.priority):
                    self.report.overtaken = True
                    return
                self.send_one(row, handler, render)

    def urgent_waiting(self, priority: int) -> bool:
        if priority <= OutboxMessage.Priority.ACCOUNT:
            return False
        if time.monotonic() - self.last_urgent_check < URGENT_CHECK_SECONDS:
            return False
        self.last_urgent_check = time.monotonic()
        return OutboxMessage.objects.filter(
            _claimable(timezone.now()), priority__lt=priority
        ).exists()

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
        token = self.slots.take(deadline=self.deadline)
        if token is None:
            self.report.out_of_time = True
            return
        try:
            connection = self.smtp()
        except Exception as error:  # noqa: BLE001 - nothing was handed over
            logger.warning("SMTP server unreachable: %s", error)
            self.slots.unused(token)
            self.close()
            self.requeue(row, error)
            return
        try:
            handed = self.deliver(connection, row, message)
        except _NotHandedOver as error:
            self.close()
            self.requeue(row, error.__cause__ or error, marked=True)
            handed = True
        except Exception as error:
            self.failed(row, handler, error)
            handed = True
        finally:
            self.last_used = time.monotonic()
        if handed:
            self.slots.answered(token)
        else:
            # Cancelled, paused or taken over: not sent. A cancel may be waiting
            # for this sender's accepted rows to be recorded.
            self.slots.unused(token)
            self.record_accepted()

    def requeue(self, row, error: Exception, *, marked: bool = False) -> None:
        """Back to the queue, for a little later: the server never had it."""
        OutboxMessage.objects.filter(
            pk=row.pk, status=S.SENDING if marked else S.QUEUED, lease_owner=self.owner
        ).update(
            status=S.QUEUED,
            error=str(error)[:500],
            not_before=timezone.now() + datetime.timedelta(seconds=30),
            lease_owner="",
            lease_until=None,
        )

    def mark(self, row):
        if self.recorder is None:
            return _Done(_hand_over(row_id=row.pk, owner=self.owner))
        return self.recorder.submit(_hand_over, row_id=row.pk, owner=self.owner)

    def deliver(self, connection, row, message) -> bool:
        """Hand the message over; False if the row may no longer be sent. Raises
        what the server or the connection did; _NotHandedOver when the
        connection broke before DATA."""
        smtp = getattr(connection, "connection", None)
        if self.recorder is None or not isinstance(smtp, smtplib.SMTP):
            if not self.mark(row).result():
                return False
            connection.send_messages([message])
            self.accept(row)
            return True
        handed = self.mark(row)
        try:
            # Built while the mark is on its way to the database.
            encoding = message.encoding or settings.DEFAULT_CHARSET
            sender = sanitize_address(message.from_email, encoding)
            recipients = [sanitize_address(address, encoding) for address in message.recipients()]
            payload = message.message().as_bytes(linesep="\r\n")
        except Exception as error:
            logger.exception("outbox row %s could not be encoded", row.pk)
            if handed.result():
                _record(row.pk, S.FAILED, error=f"could not be rendered: {error!r}")
            return False
        try:
            try:
                self.envelope(smtp, sender, recipients, len(payload))
            except (smtplib.SMTPResponseException, smtplib.SMTPRecipientsRefused):
                if not handed.result():
                    smtp.rset()
                    return False
                raise
            except (smtplib.SMTPServerDisconnected, OSError) as error:
                if not handed.result():
                    return False
                raise _NotHandedOver from error
        except BaseException:
            # Whatever happens, the mark is settled before the row is recorded.
            handed.result()
            raise
        if not handed.result():
            smtp.rset()
            return False
        # Only from here can the server accept the message.
        code, response = smtp.data(payload)
        if code != 250:
            smtp.rset()
            raise smtplib.SMTPDataError(code, response)
        self.accept(row)
        return True

    @staticmethod
    def envelope(smtp, sender: str, recipients: list[str], size: int) -> None:
        """What smtplib's sendmail does before DATA."""
        smtp.ehlo_or_helo_if_needed()
        options = [f"size={size}"] if smtp.does_esmtp and smtp.has_extn("size") else []
        code, response = smtp.mail(sender, options)
        if code != 250:
            smtp.rset()
            raise smtplib.SMTPSenderRefused(code, response, sender)
        refused = {}
        for recipient in recipients:
            code, response = smtp.rcpt(recipient)
            if code not in (250, 251):
                refused[recipient] = (code, response)
        if len(refused) == len(recipients):
            smtp.rset()
            raise smtplib.SMTPRecipientsRefused(refused)

    def accept(self, row) -> None:
        if not self.accepted:
            self.accepted_since = time.monotonic()
        self.accepted.append(row)
        self.report.sent += 1

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
        try:
            self.record_accepted()
            self.close()
            _release(self.owner)
            try:
                self.slots.close()
            except Exception:  # noqa: BLE001 - unreleased slots expire on their own
                # Redis may be what stopped this sender; the claims are back in
                # the queue all the same.
                logger.warning("could not give the rate-limit slots back", exc_info=True)
            for kind, rows in self.delivered.items():
                handler = handler_for(kind) if kind else _STORED
                if handler.delivered:
                    handler.delivered(rows)
            _settle(self.report.groups)
        finally:
            if self.recorder is not None:
                self.recorder.submit(db_connections.close_all)
                self.recorder.shutdown(wait=True)


def _settle(groups: set[str]) -> None:
    if not groups:
        return
    for handler in _KINDS.values():
        if handler.settled:
            handler.settled(groups)


def outbox_send(*, deadline: float | None = None, owner: str | None = None) -> SendReport:
    """Claim and send rows until none is left or the deadline (a time.monotonic()
    value) comes; whatever is claimed and not handed over is given back."""
    sender = _Sender(owner=owner or uuid.uuid4().hex, deadline=deadline)
    try:
        while not sender.out_of_time():
            rows = outbox_claim(owner=sender.owner, limit=claim_size())
            if not rows:
                break
            sender.last_urgent_check = time.monotonic()
            sender.send_rows(rows)
            if sender.report.out_of_time:
                break
            if sender.report.overtaken:
                # What is left of the batch goes back; the next claim puts the
                # urgent mail first.
                sender.report.overtaken = False
                _release(sender.owner)
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
    stale = dict(
        OutboxMessage.objects.filter(status=S.SENDING, lease_until__lt=now).values_list(
            "pk", "group"
        )
    )
    if stale:
        OutboxMessage.objects.filter(pk__in=list(stale), status=S.SENDING).update(
            status=S.UNCERTAIN,
            error="the worker stopped after handing it over; not resent",
            **_PURGED,
        )
        # The dead worker's last rows may have been all its group was waiting for
        # (a mailing is marked sent when none is pending); no sender will come to
        # tell the group, so the sweep does.
        _settle({group for group in stale.values() if group})
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
