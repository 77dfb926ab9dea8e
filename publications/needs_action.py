"""Publication lines on the secretariat's home: mailings sending or failed (per
language), subscribers waiting to confirm or newly suppressed, published content
missing a translation."""

import datetime
from collections import defaultdict

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from inpud_portal.models import OutboxMessage
from inpud_portal.needs_action import ActionLine, missing_in_some_language

from .models import Mailing, Publication, Subscriber


def _per_language(counts: dict[str, dict[str, int]]) -> str:
    # "en: 120 sent, 3 failed · fr: 40 queued"
    return " · ".join(
        f"{language}: "
        + ", ".join(
            f"{n} {OutboxMessage.Status(status).label.lower()}" for status, n in sorted(by.items())
        )
        for language, by in sorted(counts.items())
    )


def mailing_lines() -> list[ActionLine]:
    failed_groups = set(
        OutboxMessage.objects.filter(
            kind=OutboxMessage.Kind.MAILING, status=OutboxMessage.Status.FAILED
        )
        .values_list("group", flat=True)
        .distinct()
    )
    failed_ids = {int(g.split(":", 1)[1]) for g in failed_groups if g.startswith("mailing:")}
    mailings = list(
        Mailing.objects.filter(
            Q(status__in=[Mailing.Status.SENDING, Mailing.Status.PAUSED]) | Q(pk__in=failed_ids)
        ).order_by("-started_at", "pk")
    )
    counts: dict[str, dict[str, dict[str, int]]] = defaultdict(lambda: defaultdict(dict))
    for group, language, status, n in (
        OutboxMessage.objects.filter(
            kind=OutboxMessage.Kind.MAILING, group__in=[f"mailing:{m.pk}" for m in mailings]
        )
        .values_list("group", "language", "status")
        .annotate(n=Count("pk"))
        .values_list("group", "language", "status", "n")
    ):
        counts[group][language][status] = n
    lines = []
    for mailing in mailings:
        by_language = _per_language(counts[f"mailing:{mailing.pk}"])
        if mailing.status in (Mailing.Status.SENDING, Mailing.Status.PAUSED):
            text = _("%(mailing)s is %(status)s: %(counts)s.")
        else:
            text = _("%(mailing)s has failed deliveries: %(counts)s.")
        lines.append(
            ActionLine(
                text
                % {
                    "mailing": mailing,
                    "status": mailing.get_status_display().lower(),
                    "counts": by_language or "–",
                },
                reverse("admin:publications_mailing_progress", args=[mailing.pk]),
            )
        )
    return lines


def subscriber_lines() -> list[ActionLine]:
    since = timezone.now() - datetime.timedelta(days=30)
    counts = Subscriber.objects.aggregate(
        waiting=Count("pk", filter=Q(status=Subscriber.Status.ACTIVE, confirmed_at__isnull=True)),
        suppressed=Count(
            "pk", filter=Q(status=Subscriber.Status.SUPPRESSED, status_changed_at__gte=since)
        ),
    )
    url = reverse("admin:publications_subscriber_changelist")
    lines = []
    if counts["waiting"]:
        lines.append(
            ActionLine(
                ngettext(
                    "%(count)d subscriber has not confirmed their address yet.",
                    "%(count)d subscribers have not confirmed their address yet.",
                    counts["waiting"],
                )
                % {"count": counts["waiting"]},
                f"{url}?status__exact=active&confirmed_at__isempty=1",
            )
        )
    if counts["suppressed"]:
        lines.append(
            ActionLine(
                ngettext(
                    "%(count)d address was suppressed in the last 30 days (bounces or a "
                    "complaint).",
                    "%(count)d addresses were suppressed in the last 30 days (bounces or a "
                    "complaint).",
                    counts["suppressed"],
                )
                % {"count": counts["suppressed"]},
                f"{url}?status__exact=suppressed",
            )
        )
    return lines


def translation_lines() -> list[ActionLine]:
    publications = Publication.objects.filter(
        missing_in_some_language("title"), status=Publication.Status.PUBLISHED
    ).count()
    if not publications:
        return []
    return [
        ActionLine(
            ngettext(
                "%(count)d published publication lacks a title in some language.",
                "%(count)d published publications lack a title in some language.",
                publications,
            )
            % {"count": publications},
            reverse("admin:publications_publication_translations"),
        )
    ]
