"""Meetings: the public list and calendar, and the member area's agenda, papers,
answers and minutes."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from inpud_portal.page_cache import cache_for_visitors
from inpud_portal.public_pages import public_page
from inpud_portal.stored_files import stored_file_response
from members.models import Person
from members.visibility import active_roles

from ..calendar_feed import meetings_ics
from ..meeting_pack import meeting_pack
from ..models import CalendarFeed, Invitation, Meeting, Minutes, Paper
from ..selectors import meetings_for_person, meetings_public
from ..services import meetings as services
from ..services.calendar import calendar_feed_replace

ICS = "text/calendar; charset=utf-8"


@public_page
@cache_for_visitors(shows=("governance", "members"))
def meeting_list(request):
    now = timezone.now()
    meetings = meetings_public()
    return render(
        request,
        "governance/meeting_list.html",
        {
            "upcoming": meetings.filter(ends_at__gte=now).order_by("starts_at"),
            "past": meetings.filter(ends_at__lt=now).order_by("-starts_at")[:50],
        },
    )


@public_page
@cache_for_visitors(shows=("governance", "members"))
def meeting_detail(request, pk):
    meeting = get_object_or_404(meetings_public(), pk=pk)
    return render(
        request,
        "governance/meeting_detail.html",
        {"meeting": meeting, "agenda": meeting.agenda.all()},
    )


@public_page
def meeting_ics(request, pk):
    meeting = get_object_or_404(meetings_public(), pk=pk)
    response = HttpResponse(
        meetings_ics(meetings=[meeting], name=meeting.title, url_name="governance:meeting"),
        content_type=ICS,
    )
    response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.pk}.ics"'
    return response


@public_page
def calendar_feed(request, token):
    """A person's meetings, for calendar apps, by private token."""
    feed = get_object_or_404(
        CalendarFeed.objects.select_related("person__user"),
        token=token,
        # The address dies with the account: no feed for a closed login.
        person__user__is_active=True,
    )
    meetings = meetings_for_person(person=feed.person).exclude(status=Meeting.Status.CANCELLED)
    response = HttpResponse(
        meetings_ics(meetings=meetings, name="INPUD", url_name="portal:meeting"),
        content_type=ICS,
    )
    # One person's meetings, by a secret address: no cache on the way may keep them.
    response["Cache-Control"] = "private, no-store"
    return response


def _person(request) -> Person:
    try:
        return request.user.person
    except Person.DoesNotExist as exc:
        raise PermissionDenied from exc


def _invited_meeting(request, pk) -> tuple[Meeting, Person]:
    person = _person(request)
    meeting = meetings_for_person(person=person).filter(pk=pk).first()
    if meeting is None:
        raise Http404
    return meeting, person


@login_required
def portal_meeting_list(request):
    person = _person(request)
    # Nothing is created on GET: the address is made by the button (a POST).
    feed = CalendarFeed.objects.filter(person=person).first()
    return render(
        request,
        "governance/portal/meeting_list.html",
        {
            "meetings": meetings_for_person(person=person).order_by("-starts_at"),
            "feed_url": request.build_absolute_uri(f"/calendar/{feed.token}.ics") if feed else "",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def portal_meeting(request, pk):
    meeting, person = _invited_meeting(request, pk)
    invitation = Invitation.objects.get(meeting=meeting, person=person)
    if request.method == "POST":
        try:
            services.invitation_answer(
                meeting=meeting, person=person, answer=request.POST.get("answer", "")
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Your answer has been saved."))
        return redirect("portal:meeting", pk=pk)
    minutes = Minutes.objects.filter(meeting=meeting).prefetch_related("revisions").first()
    return render(
        request,
        "governance/portal/meeting_detail.html",
        {
            "meeting": meeting,
            "invitation": invitation,
            "answers": Invitation.Answer.choices[1:],
            "agenda": meeting.agenda.prefetch_related("papers"),
            "minutes": minutes,
            "latest_revision": minutes.revisions.last() if minutes else None,
            "motions": meeting.motions.all(),
        },
    )


@login_required
def paper_download(request, pk):
    paper = get_object_or_404(Paper.objects.select_related("agenda_item__meeting"), pk=pk)
    person = _person(request)
    if not paper.agenda_item.meeting.invitations.filter(person=person).exists():
        raise Http404
    return stored_file_response(paper.file, as_attachment=True, filename=paper.download_name)


@login_required
def meeting_pack_download(request, pk):
    """The agenda and every paper in one zip, for the meeting's invitees only."""
    meeting, _person_invited = _invited_meeting(request, pk)
    pack, filename = meeting_pack(meeting=meeting)
    return FileResponse(pack, as_attachment=True, filename=filename, content_type="application/zip")


@login_required
@require_POST
def calendar_feed_reset(request):
    person = _person(request)
    calendar_feed_replace(person=person)
    messages.success(
        request, _("Your calendar address has been replaced; the old one no longer works.")
    )
    return redirect("portal:meetings")


def _member(request) -> Person:
    """Approved minutes are for members: someone holding a current role."""
    person = _person(request)
    if not active_roles(request.user).exists():
        raise PermissionDenied
    return person


@login_required
def minutes_list(request):
    _member(request)
    approved = Minutes.objects.filter(approved_revision__isnull=False).select_related(
        "meeting", "approved_revision"
    )
    return render(
        request,
        "governance/portal/minutes_list.html",
        {"minutes": approved.order_by("-meeting__starts_at")},
    )


@login_required
def minutes_detail(request, pk):
    """Approved minutes, readable by every member; drafts only by invitees."""
    person = _member(request)
    minutes = get_object_or_404(
        Minutes.objects.select_related("meeting", "approved_revision"), pk=pk
    )
    invited = minutes.meeting.invitations.filter(person=person).exists()
    if minutes.approved_revision_id is None and not invited:
        raise Http404
    revision = minutes.approved_revision or minutes.revisions.last()
    return render(
        request,
        "governance/portal/minutes_detail.html",
        {
            "minutes": minutes,
            "revision": revision,
            "approved": minutes.approved_revision_id is not None,
        },
    )
