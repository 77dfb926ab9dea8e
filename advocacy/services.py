"""Rules for advocacy engagements: who may see them, recording them and their outcome."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from inpud_portal.audit_trail import audit_record
from members.models import Person, Visibility
from members.visibility import is_secretariat

from .models import Engagement

OUTCOME_REMINDER_AFTER = datetime.timedelta(days=14)


def engagements_visible_to(user) -> QuerySet[Engagement]:
    """Public to everyone, members-only to members, secretariat-only to the secretariat
    and the people who represented the network there."""
    engagements = Engagement.objects.all()
    if is_secretariat(user):
        return engagements
    rule = Q(visibility=Visibility.PUBLIC)
    if user.is_authenticated:
        rule |= Q(visibility=Visibility.MEMBERS) | Q(representatives__user=user)
    return engagements.filter(rule).distinct()


def engagement_record(
    *, actor, recorded_by: Person | None, representatives: list[Person], **fields
) -> Engagement:
    """Record an engagement and audit it."""
    with transaction.atomic():
        engagement = Engagement(recorded_by=recorded_by, **fields)
        engagement.full_clean()
        engagement.save()
        engagement.representatives.set(representatives)
        audit_record(
            actor=actor,
            action="engagement.recorded",
            obj=engagement,
            summary=f"Engagement recorded: {engagement}",
        )
    return engagement


def engagement_outcome_record(
    *,
    actor,
    engagement: Engagement,
    outcome: str,
    support_received: str = "",
    support_needed: str = "",
) -> Engagement:
    """Fill in what came of an engagement, once it has started, and audit it."""
    if not outcome.strip():
        raise ValidationError(_("Describe the outcome."))
    with transaction.atomic():
        engagement = Engagement.objects.select_for_update().get(pk=engagement.pk)
        if engagement.starts_on > timezone.localdate():
            raise ValidationError(_("An outcome can be recorded once the engagement has started."))
        engagement.outcome = outcome
        engagement.support_received = support_received
        engagement.support_needed = support_needed
        engagement.outcome_recorded_at = timezone.now()
        engagement.save()
        audit_record(
            actor=actor,
            action="engagement.outcome",
            obj=engagement,
            summary=f"Outcome recorded: {engagement}",
        )
    return engagement


def engagements_awaiting_outcome(*, today: datetime.date | None = None) -> QuerySet[Engagement]:
    """Ended two weeks ago or more, no outcome, not yet reminded."""
    today = today or timezone.localdate()
    return Engagement.objects.filter(
        ends_on__lte=today - OUTCOME_REMINDER_AFTER,
        outcome="",
        outcome_reminder_sent_at__isnull=True,
    )
