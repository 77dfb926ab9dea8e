"""Subscribers: double opt-in, preferences, one-click unsubscribe, bounces,
CSV import, and the subscriber's own copy and erasure of their data."""

import csv
import io
import json
from dataclasses import dataclass, field

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from inpud_portal import outbox
from inpud_portal.mail_render import render_email
from inpud_portal.models import OutboxMessage
from inpud_portal.names import validate_name
from inpud_portal.notices import stored_row
from inpud_portal.outbox import outbox_add

from ..mail_messages import MANAGE_LINK_TEMPLATE
from ..models import Audience, Mailing, Subscriber, SuppressedAddress
from ..suppression import address_digest

CONFIRM_SALT = "publications.confirm-subscription"
CONFIRM_MAX_AGE = 7 * 24 * 3600
SOFT_BOUNCE_LIMIT = 3
LANGUAGES = dict(settings.LANGUAGES)
S = Subscriber.Status


def subscription_request(
    *, email: str, name: str, language: str, audiences, consent_text: str
) -> None:
    """Record a request to subscribe and send the confirmation email, in the
    visitor's language. The same happens whether or not the address is known, so
    the form reveals nothing; a suppressed or unsubscribed address is only mailed
    again after it confirms anew. The chosen language and audiences travel in the
    signed confirmation link and apply only when it is confirmed: whoever types
    someone else's address changes nothing of their subscription."""
    email = email.strip()
    if address_suppression(email=email):
        # Erased after a bounce or a complaint: never mailed again, not even to
        # confirm. The page says the same as for anyone else, so it tells nobody
        # that this address was ever suppressed.
        return
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().filter(email__iexact=email).first()
        if subscriber is None:
            subscriber = Subscriber.objects.create(
                email=email,
                name=name,
                preferred_language=language,
                consent_at=timezone.now(),
                consent_source=f"subscribe form: {consent_text}"[:300],
            )
        token = signing.dumps(
            {
                "id": subscriber.pk,
                "language": language,
                "audiences": sorted(audience.pk for audience in audiences),
            },
            salt=CONFIRM_SALT,
        )
        _confirmation_add(email=email, language=language, token=token, name=name)


CONFIRMATION = "publications/email/confirm_subscription"


def _confirmation_add(*, email: str, language: str, token: str, name: str) -> None:
    # The link is the confirmation itself: stored with the row until it is sent.
    with translation.override(language):
        url = settings.SITE_URL + reverse("publications:confirm", kwargs={"token": token})
    message = render_email(
        template_prefix=CONFIRMATION,
        to=email,
        language=language,
        context={"url": url, "name": name},
    )
    outbox_add(
        [
            stored_row(
                message,
                kind=OutboxMessage.Kind.SUBSCRIPTION,
                template=CONFIRMATION,
                language=language,
                priority=OutboxMessage.Priority.NOTICE,
            )
        ]
    )


def subscription_confirm(*, token: str) -> Subscriber | None:
    try:
        data = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
    except signing.BadSignature:
        return None
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().filter(pk=data["id"]).first()
        if subscriber is None:
            return None
        now = timezone.now()
        subscriber.confirmed_at = subscriber.confirmed_at or now
        subscriber.preferred_language = data["language"]
        if subscriber.status != S.ACTIVE:
            subscriber.status, subscriber.status_changed_at = S.ACTIVE, now
            subscriber.suppression_reason, subscriber.soft_bounces = "", 0
        subscriber.consent_at = now
        subscriber.save()
        # Only what the form offers: a link cannot carry a staff-only audience.
        subscriber.audiences.add(
            *Audience.objects.filter(pk__in=data.get("audiences", []), public_signup=True)
        )
    return subscriber


def subscriber_unsubscribe(*, subscriber: Subscriber) -> Subscriber:
    Subscriber.objects.filter(pk=subscriber.pk).exclude(status=S.UNSUBSCRIBED).update(
        status=S.UNSUBSCRIBED, status_changed_at=timezone.now()
    )
    subscriber.refresh_from_db()
    return subscriber


def subscriber_manage_link_send(*, subscriber_id: int) -> None:
    """Email a fresh manage link to the address an expired one was sent to, through
    the outbox, at most once an hour (a kept expired link cannot flood the inbox).
    Nothing is said back: the page is the same whether the subscriber is still here."""
    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    if subscriber is None or subscriber.status == S.SUPPRESSED:
        return
    with transaction.atomic():
        outbox.outbox_add(
            [
                OutboxMessage(
                    kind=OutboxMessage.Kind.SUBSCRIPTION,
                    priority=OutboxMessage.Priority.ACCOUNT,
                    to_email=subscriber.email,
                    language=subscriber.preferred_language,
                    template=MANAGE_LINK_TEMPLATE,
                    ref={"subscriber": subscriber.pk},
                    dedupe_key=f"manage-link:{subscriber.pk}:{timezone.now():%Y%m%d%H}",
                )
            ]
        )


def subscriber_update(*, subscriber: Subscriber, language: str, audiences) -> Subscriber:
    """The subscriber's own choices: language and the audiences offered on the
    subscribe page. Audiences staff assigned (donors, media, ...) stay as they are;
    leaving those is what unsubscribing is for."""
    subscriber.preferred_language = language
    subscriber.full_clean()
    subscriber.save(update_fields=["preferred_language"])
    staff_assigned = subscriber.audiences.filter(public_signup=False)
    subscriber.audiences.set([*staff_assigned, *audiences])
    return subscriber


def subscriber_record_bounce(*, email: str, kind: str) -> Subscriber | None:
    """A hard bounce or a complaint suppresses at once; soft bounces after
    SOFT_BOUNCE_LIMIT in a row."""
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().filter(email__iexact=email).first()
        if subscriber is None:
            return None
        if kind == "soft":
            subscriber.soft_bounces += 1
            if subscriber.soft_bounces >= SOFT_BOUNCE_LIMIT:
                subscriber.status, subscriber.suppression_reason = S.SUPPRESSED, "soft bounces"
        elif kind in ("hard", "complaint"):
            subscriber.status, subscriber.suppression_reason = (
                S.SUPPRESSED,
                f"{kind} bounce" if kind == "hard" else "complaint",
            )
        else:
            raise ValueError(f"unknown bounce kind {kind!r}")
        subscriber.status_changed_at = timezone.now()
        subscriber.save()
    return subscriber


def subscriber_data(*, subscriber: Subscriber) -> str:
    """Everything the portal keeps about a subscriber, as JSON, for them to download."""
    deliveries = list(
        OutboxMessage.objects.filter(
            kind=OutboxMessage.Kind.MAILING, ref__subscriber=subscriber.pk
        ).order_by("pk")
    )
    subjects = dict(
        Mailing.objects.filter(pk__in={d.ref["mailing"] for d in deliveries}).values_list(
            "pk", "subject"
        )
    )
    return json.dumps(
        {
            "email": subscriber.email,
            "name": subscriber.name,
            "preferred_language": subscriber.preferred_language,
            "audiences": sorted(a.slug for a in subscriber.audiences.all()),
            "status": subscriber.status,
            "consent": {"at": subscriber.consent_at.isoformat(), "how": subscriber.consent_source},
            "confirmed_at": subscriber.confirmed_at.isoformat()
            if subscriber.confirmed_at
            else None,
            "mailings_received": [
                {
                    "subject": subjects.get(d.ref["mailing"], ""),
                    "sent_at": d.sent_at.isoformat() if d.sent_at else None,
                    "status": d.status,
                }
                for d in deliveries
            ],
        },
        indent=2,
        ensure_ascii=False,
    )


def address_suppression(*, email: str) -> str | None:
    """Why an erased address may not be subscribed again, or None."""
    return (
        SuppressedAddress.objects.filter(digest=address_digest(email))
        .values_list("reason", flat=True)
        .first()
    )


@dataclass(frozen=True)
class ErasurePreview:
    """What erasing a subscriber deletes, and what is kept (shown before erasing)."""

    subscriber: Subscriber
    audiences: list[str]
    deliveries: int
    keeps_suppression: bool


def _outbox_rows_of(subscriber: Subscriber):
    """Every outgoing email to this subscriber: mailings, and the confirmation and
    manage-link emails, which carry the address (and may carry the name)."""
    return OutboxMessage.objects.filter(
        Q(kind=OutboxMessage.Kind.MAILING, ref__subscriber=subscriber.pk)
        | Q(kind=OutboxMessage.Kind.SUBSCRIPTION, ref__subscriber=subscriber.pk)
        | Q(kind=OutboxMessage.Kind.SUBSCRIPTION, to_email__iexact=subscriber.email)
    )


def subscriber_erasure_preview(*, subscriber: Subscriber) -> ErasurePreview:
    return ErasurePreview(
        subscriber=subscriber,
        audiences=[str(a) for a in subscriber.audiences.all()],
        deliveries=_outbox_rows_of(subscriber).count(),
        keeps_suppression=subscriber.status == S.SUPPRESSED,
    )


def subscriber_erase(*, subscriber: Subscriber) -> None:
    """Delete the subscriber and their delivery records. A suppressed address stays
    suppressed: its keyed hash and the reason are kept, never the address."""
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
        if subscriber.status == S.SUPPRESSED:
            SuppressedAddress.objects.get_or_create(
                digest=address_digest(subscriber.email),
                defaults={"reason": subscriber.suppression_reason or "suppressed"},
            )
        _outbox_rows_of(subscriber).delete()
        subscriber.delete()


@dataclass
class ImportReport:
    valid: list[dict] = field(default_factory=list)
    rejected: list[tuple[int, str, str]] = field(default_factory=list)  # line, email, reason
    imported: int = 0
    checked: str = ""  # fingerprint of the file this report is about


def subscribers_import_check(*, data: str) -> ImportReport:
    """Check a CSV (columns: email, name, language, audiences separated by ';')
    without changing anything; every bad row is reported with its reason."""
    report = ImportReport()
    audiences = {a.slug: a for a in Audience.objects.all()}
    existing = {e.lower() for e in Subscriber.objects.values_list("email", flat=True)}
    suppressed = dict(SuppressedAddress.objects.values_list("digest", "reason"))
    seen = set()
    reader = csv.DictReader(io.StringIO(data))
    missing = {"email", "language"} - set(reader.fieldnames or [])
    if missing:
        raise ValidationError(_("The file needs the columns: email, name, language, audiences."))
    for line, row in enumerate(reader, start=2):
        email = (row.get("email") or "").strip()
        language = (row.get("language") or "").strip().lower()
        slugs = [s.strip() for s in (row.get("audiences") or "").split(";") if s.strip()]
        try:
            validate_email(email)
        except ValidationError:
            report.rejected.append((line, email, _("not a valid email address")))
            continue
        if language not in LANGUAGES:
            report.rejected.append(
                (line, email, _("unknown language “%(language)s”") % {"language": language})
            )
            continue
        unknown = [s for s in slugs if s not in audiences]
        if unknown:
            report.rejected.append(
                (line, email, _("unknown audience “%(audience)s”") % {"audience": unknown[0]})
            )
            continue
        if email.lower() in seen:
            report.rejected.append((line, email, _("appears twice in the file")))
            continue
        if email.lower() in existing:
            report.rejected.append((line, email, _("already a subscriber")))
            continue
        if suppressed and address_digest(email) in suppressed:
            report.rejected.append(
                (
                    line,
                    email,
                    _(
                        "suppressed (%(reason)s) before it was erased: it may not be "
                        "subscribed again"
                    )
                    % {"reason": suppressed[address_digest(email)]},
                )
            )
            continue
        name = (row.get("name") or "").strip()[:200]
        if name:
            try:
                validate_name(name)
            except ValidationError as error:
                report.rejected.append((line, email, error.messages[0]))
                continue
        seen.add(email.lower())
        report.valid.append(
            {
                "email": email,
                "name": name,
                "language": language,
                "audiences": [audiences[s] for s in slugs],
            }
        )
    return report


def subscribers_import(*, data: str, consent_record: str) -> ImportReport:
    """Import the valid rows, all in one transaction: either every valid row is
    imported or none is. An address that subscribed between the check and the
    import (the unique constraint catches it) stops the whole import with a
    message, rather than leaving half of the file in."""
    report = subscribers_import_check(data=data)
    now = timezone.now()
    try:
        with transaction.atomic():
            for row in report.valid:
                subscriber = Subscriber.objects.create(
                    email=row["email"],
                    name=row["name"],
                    preferred_language=row["language"],
                    consent_at=now,
                    consent_source=f"import: {consent_record}"[:300],
                    # Staff vouch for consent recorded elsewhere; the address is confirmed.
                    confirmed_at=now,
                )
                subscriber.audiences.set(row["audiences"])
    except IntegrityError as error:
        raise ValidationError(
            _(
                "An address in the file subscribed while it was being imported. Nothing "
                "was imported: check the file again."
            )
        ) from error
    report.imported = len(report.valid)
    return report
