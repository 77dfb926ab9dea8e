"""Meeting emails as outbox rows, in each invitee's language: the invitation (with
the meeting's calendar file), a digest of papers added, and minutes ready for
approval.

Papers arrive in batches (an agenda's worth uploaded one after another), so they
are announced by a periodic task once none has been added for PAPERS_QUIET: one
email per invitee for the batch, never one per file.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import F, Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from inpud_portal.models import OutboxMessage
from inpud_portal.notices import person_notice
from inpud_portal.outbox import NotMailable, outbox_add
from members.models import Person

from ..calendar_feed import meetings_ics
from ..models import Meeting, MinutesRevision, Paper
from .notices import person_context

INVITED = "governance/email/meeting_invitation"
PAPERS = "governance/email/meeting_papers"
MINUTES = "governance/email/minutes_ready"
PAPERS_QUIET = datetime.timedelta(minutes=10)
KIND = OutboxMessage.Kind.MEETING_NOTICE


def _invitees(meeting: Meeting):
    return Person.objects.filter(invitations__meeting=meeting).select_related("user")


def meeting_invitation_notices_add(*, meeting: Meeting, people) -> int:
    """Tell each newly invited person; call it inside the transaction that invites them."""
    rows = (
        person_notice(
            person=person,
            kind=KIND,
            template=INVITED,
            ref={"meeting": meeting.pk},
            dedupe_key=f"meeting:{meeting.pk}:invitation:person:{person.pk}",
            group=f"meeting:{meeting.pk}:invitation",
        )
        for person in people
    )
    return outbox_add(row for row in rows if row is not None)


def meeting_papers_announce_due(*, now: datetime.datetime | None = None) -> list[int]:
    """Write one digest per invitee for each coming meeting whose papers added since
    the last digest have been quiet for PAPERS_QUIET; returns the meetings announced."""
    now = now or timezone.now()
    due = (
        Meeting.objects.exclude(status=Meeting.Status.CANCELLED)
        .filter(ends_at__gt=now)
        .annotate(latest=Max("agenda__papers__added_at"))
        .filter(latest__lte=now - PAPERS_QUIET)
        .filter(Q(papers_announced_at__isnull=True) | Q(latest__gt=F("papers_announced_at")))
        .values_list("pk", flat=True)
    )
    announced = []
    for pk in due:
        with transaction.atomic():
            meeting = Meeting.objects.select_for_update().get(pk=pk)
            since = meeting.papers_announced_at
            new = Paper.objects.filter(agenda_item__meeting=meeting)
            if since is not None:
                new = new.filter(added_at__gt=since)
            until = new.aggregate(latest=Max("added_at"))["latest"]
            if until is None:
                continue
            meeting.papers_announced_at = until
            meeting.save(update_fields=["papers_announced_at"])
            ref = {"meeting": meeting.pk, "until": until.isoformat()}
            if since is not None:
                ref["since"] = since.isoformat()
            rows = (
                person_notice(
                    person=person,
                    kind=KIND,
                    template=PAPERS,
                    ref=ref,
                    dedupe_key=f"meeting:{meeting.pk}:papers:{until.isoformat()}:person:{person.pk}",
                    group=f"meeting:{meeting.pk}:papers",
                )
                for person in _invitees(meeting)
            )
            outbox_add(row for row in rows if row is not None)
            announced.append(pk)
    return announced


def minutes_ready_notices_add(*, revision: MinutesRevision) -> int:
    """Tell the meeting's invitees that a revision of its minutes awaits their
    approval; call it inside the transaction that writes the revision."""
    meeting = revision.minutes.meeting
    rows = (
        person_notice(
            person=person,
            kind=KIND,
            template=MINUTES,
            ref={"meeting": meeting.pk, "revision": revision.pk},
            dedupe_key=f"minutes:{revision.minutes_id}:r{revision.number}:person:{person.pk}",
            group=f"meeting:{meeting.pk}:minutes",
        )
        for person in _invitees(meeting)
    )
    return outbox_add(row for row in rows if row is not None)


def meeting_context(rows):
    meetings = Meeting.objects.in_bulk({row.ref["meeting"] for row in rows})
    revisions = MinutesRevision.objects.select_related("minutes").in_bulk(
        {row.ref["revision"] for row in rows if "revision" in row.ref}
    )
    person_for = person_context(rows)
    # Every invitee's digest lists the same papers: read them once per digest.
    digests: dict[tuple, list[Paper]] = {}

    def digest(meeting: Meeting, ref: dict) -> list[Paper]:
        key = (meeting.pk, ref["until"], ref.get("since"))
        if key not in digests:
            papers = Paper.objects.filter(
                agenda_item__meeting=meeting, added_at__lte=parse_datetime(ref["until"])
            ).select_related("agenda_item")
            if "since" in ref:
                papers = papers.filter(added_at__gt=parse_datetime(ref["since"]))
            digests[key] = list(papers.order_by("agenda_item__position", "title"))
        return digests[key]

    def context(row):
        meeting = meetings.get(row.ref["meeting"])
        if meeting is None:
            raise NotMailable("the meeting was deleted")
        if meeting.status == Meeting.Status.CANCELLED:
            raise NotMailable("the meeting was cancelled")
        values = {
            "meeting": meeting,
            "person": person_for(row),
            "url": settings.SITE_URL + reverse("portal:meeting", kwargs={"pk": meeting.pk}),
        }
        if row.template == INVITED:
            calendar = meetings_ics(
                meetings=[meeting], name=meeting.title, url_name="portal:meeting"
            )
            values["attachments"] = [("meeting.ics", calendar, "text/calendar")]
        elif row.template == PAPERS:
            values["papers"] = digest(meeting, row.ref)
        elif row.template == MINUTES:
            revision = revisions.get(row.ref["revision"])
            if revision is None:
                raise NotMailable("the minutes were deleted")
            values["revision"] = revision
            values["url"] = settings.SITE_URL + reverse(
                "portal:minutes_detail", kwargs={"pk": revision.minutes_id}
            )
        return values

    return context
