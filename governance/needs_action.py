"""Governance lines on the secretariat's home: elections waiting for a person's step,
meetings soon that lack papers, translations or a quorum of attendees."""

import datetime

from django.conf import settings
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from modeltranslation.utils import build_localized_fieldname

from inpud_portal.needs_action import ActionLine

from .models import Election, Invitation, Meeting

SOON = datetime.timedelta(days=60)


def _day(moment) -> str:
    return formats.date_format(timezone.localtime(moment), "DATE_FORMAT") if moment else "–"


def election_lines(*, today: datetime.date) -> list[ActionLine]:
    """A draft to publish (open nominations) and a count to certify: the steps the
    scheduler leaves to a person."""
    lines = []
    waiting = Election.objects.filter(
        status__in=[Election.Status.DRAFT, Election.Status.TALLIED]
    ).order_by("nominations_open_at", "pk")
    for election in waiting:
        url = reverse("admin:governance_election_change", args=[election.pk])
        if election.status == Election.Status.DRAFT:
            text = _("%(election)s is a draft: open nominations (planned for %(date)s).") % {
                "election": election,
                "date": _day(election.nominations_open_at),
            }
        else:
            text = _("%(election)s is counted: check and certify the result.") % {
                "election": election
            }
        lines.append(ActionLine(text, url))
    return lines


def meeting_lines(*, today: datetime.date) -> list[ActionLine]:
    start = timezone.now()
    attending = [Invitation.Answer.YES, Invitation.Answer.REMOTE]
    meetings = (
        Meeting.objects.filter(starts_at__gte=start, starts_at__lte=start + SOON)
        .exclude(status=Meeting.Status.CANCELLED)
        .annotate(
            items=Count("agenda", distinct=True),
            items_without_papers=Count(
                "agenda", filter=Q(agenda__papers__isnull=True), distinct=True
            ),
            invited=Count("invitations", distinct=True),
            attending=Count(
                "invitations", filter=Q(invitations__answer__in=attending), distinct=True
            ),
        )
        .order_by("starts_at")
    )
    languages = [code for code, _name in settings.LANGUAGES]
    lines = []
    for meeting in meetings:
        url = reverse("admin:governance_meeting_change", args=[meeting.pk])
        problems = []
        if not meeting.items:
            problems.append(_("no agenda"))
        elif meeting.items_without_papers:
            problems.append(
                ngettext(
                    "%(count)d agenda item without a paper",
                    "%(count)d agenda items without a paper",
                    meeting.items_without_papers,
                )
                % {"count": meeting.items_without_papers}
            )
        missing = [
            code
            for code in languages
            if not getattr(meeting, build_localized_fieldname("title", code))
        ]
        if missing:
            problems.append(
                _("title not translated into %(languages)s") % {"languages": ", ".join(missing)}
            )
        if not meeting.invited:
            problems.append(_("nobody invited yet"))
        elif meeting.attending * 2 <= meeting.invited:
            problems.append(
                _("no quorum yet: %(attending)d of %(invited)d invited will attend")
                % {"attending": meeting.attending, "invited": meeting.invited}
            )
        if problems:
            lines.append(
                ActionLine(
                    _("%(meeting)s: %(problems)s.")
                    % {"meeting": meeting, "problems": "; ".join(problems)},
                    url,
                )
            )
    return lines
