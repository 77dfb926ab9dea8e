"""Meetings: invitations, attendance, motions with quorum, minutes approval.

Quorum is checked against a snapshot of the attendance taken when each vote opens,
kept with the motion, so later corrections to the register never change a result.
"""

import math
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from members.models import Person

from ..models import (
    Attendance,
    Invitation,
    Meeting,
    Minutes,
    MinutesRevision,
    Motion,
    MotionVote,
)
from ..selectors import board_on
from .audit import audit_record
from .errors import GovernanceError
from .meeting_notices import meeting_invitation_notices_add, minutes_ready_notices_add

K = Meeting.Kind


def meeting_voters(*, meeting: Meeting) -> set[int]:
    """Who may vote and counts for quorum: the directors on the meeting's day (Board
    and extraordinary meetings), the officers (Executive), or those invited (General
    Meeting). Staff and guests on the register do not count."""
    if meeting.kind == K.GENERAL:
        return set(meeting.invitations.values_list("person_id", flat=True))
    seats = [d for _seat, d in board_on(on=meeting.starts_at.date()) if d]
    if meeting.kind == K.EXECUTIVE:
        return {d.person_id for d in seats if d.officer}
    return {d.person_id for d in seats}


def meeting_quorum(*, meeting: Meeting) -> int:
    """A majority of those entitled to vote: of the board's seats for Board and
    extraordinary meetings, of the officers for the Executive, of the invited
    delegates for the General Meeting."""
    if meeting.kind in (K.BOARD, K.EXTRAORDINARY):
        entitled = len(board_on(on=meeting.starts_at.date()))
    else:
        entitled = len(meeting_voters(meeting=meeting))
    return math.floor(entitled / 2) + 1 if entitled else 1


@dataclass(frozen=True)
class InvitationsSent:
    invited: int  # new invitations; people invited before are not invited again
    emailed: int  # invitation emails queued (people without an address get none)


def invitations_send(*, meeting: Meeting, people, actor=None) -> InvitationsSent:
    """Invite people to a meeting and queue an email to each one newly invited,
    with the meeting's calendar file."""
    invited = []
    with transaction.atomic():
        for person in people:
            _invitation, made = Invitation.objects.get_or_create(meeting=meeting, person=person)
            if made:
                invited.append(person)
        emailed = meeting_invitation_notices_add(meeting=meeting, people=invited)
        audit_record(
            actor=actor,
            action="meeting.invite",
            obj=meeting,
            summary=f"{len(invited)} invited, {emailed} emailed",
        )
    return InvitationsSent(invited=len(invited), emailed=emailed)


def invitation_answer(*, meeting: Meeting, person: Person, answer: str) -> Invitation:
    invitation = Invitation.objects.filter(meeting=meeting, person=person).first()
    if invitation is None:
        raise GovernanceError(_("You are not invited to this meeting."))
    if meeting.status != Meeting.Status.SCHEDULED:
        raise GovernanceError(_("This meeting is no longer open for answers."))
    invitation.answer = answer
    invitation.full_clean()
    invitation.save(update_fields=["answer"])
    return invitation


def attendance_snapshot(*, meeting: Meeting) -> list[dict]:
    voters = meeting_voters(meeting=meeting)
    return [
        {
            "person": a.person_id,
            "status": a.status,
            "proxy": a.proxy_id,
            "votes": a.person_id in voters,
        }
        for a in meeting.attendance.order_by("person_id")
    ]


def _taking_part(snapshot: list[dict]) -> list[dict]:
    """Voters in the snapshot who are there, online or by proxy."""
    return [a for a in snapshot if a["votes"] and a["status"] != Attendance.Status.APOLOGIES]


def motion_open_vote(*, motion: Motion, actor=None) -> Motion:
    """Open the vote on a motion: snapshot who is there and check the quorum."""
    with transaction.atomic(durable=True):
        motion = Motion.objects.select_for_update().select_related("meeting").get(pk=motion.pk)
        if motion.status != Motion.Status.PROPOSED:
            raise GovernanceError(_("The vote on this motion has already been opened."))
        if motion.seconder_id is None and motion.kind != Motion.Kind.MINUTES:
            raise GovernanceError(_("A motion needs a seconder before it is put to the vote."))
        _check_motion_belongs_to_meeting(motion)
        snapshot = attendance_snapshot(meeting=motion.meeting)
        taking_part = len(_taking_part(snapshot))
        motion.attendance_snapshot = snapshot
        motion.quorum_required = meeting_quorum(meeting=motion.meeting)
        motion.quorum_met = taking_part >= motion.quorum_required
        motion.status = Motion.Status.VOTING
        motion.recorded = motion.recorded or motion.meeting.kind == K.BOARD
        if motion.kind == Motion.Kind.MINUTES:
            motion.minutes_sha256 = motion.minutes_revision.sha256
        motion.save()
        audit_record(
            actor=actor,
            action="motion.open-vote",
            obj=motion,
            summary=f"{motion}: {taking_part} taking part, quorum {motion.quorum_required}",
            data={"snapshot": snapshot, "quorum_met": motion.quorum_met},
        )
    return motion


def _check_motion_belongs_to_meeting(motion: Motion) -> None:
    """A work plan is approved by a Board Meeting; minutes by a later meeting, never
    the meeting they record."""
    if motion.kind == Motion.Kind.WORK_PLAN and motion.meeting.kind != K.BOARD:
        raise GovernanceError(_("Only a Board Meeting approves the annual work plan."))
    if motion.kind == Motion.Kind.MINUTES:
        minuted = motion.minutes_revision.minutes.meeting
        if minuted.pk == motion.meeting_id or motion.meeting.starts_at <= minuted.starts_at:
            raise GovernanceError(
                _("Minutes are approved at a later meeting than the one they record.")
            )


def motion_record_vote(*, motion: Motion, person: Person, vote: str) -> MotionVote:
    """A recorded vote by someone in the attendance snapshot (in person, online,
    or holding a proxy)."""
    with transaction.atomic():
        # Locked, so the vote cannot slip in while the motion is being closed.
        motion = Motion.objects.select_for_update().get(pk=motion.pk)
        if motion.status != Motion.Status.VOTING:
            raise GovernanceError(_("This motion is not being voted on."))
        voters = {a["person"] for a in _taking_part(motion.attendance_snapshot)}
        if person.pk not in voters:
            raise GovernanceError(_("Only those recorded as attending can vote on this motion."))
        try:
            with transaction.atomic():
                return MotionVote.objects.create(motion=motion, person=person, vote=vote)
        except IntegrityError as exc:
            raise GovernanceError(_("This person has already voted on this motion.")) from exc


def motion_close(
    *,
    motion: Motion,
    votes_for: int | None = None,
    votes_against: int | None = None,
    abstentions: int | None = None,
    actor=None,
) -> Motion:
    """Close the vote and decide. A recorded vote is counted from the recorded
    votes; otherwise the chair's count is given. Without quorum nothing is decided.

    A carried work-plan motion approves the plan; a carried minutes motion approves
    the exact revision it cited, provided its text still has the cited SHA-256."""
    with transaction.atomic(durable=True):
        motion = Motion.objects.select_for_update().select_related("meeting").get(pk=motion.pk)
        if motion.status != Motion.Status.VOTING:
            raise GovernanceError(_("This motion is not being voted on."))
        if motion.recorded:
            tally = dict.fromkeys(MotionVote.Vote.values, 0)
            for vote in motion.recorded_votes.values_list("vote", flat=True):
                tally[vote] += 1
            votes_for, votes_against, abstentions = tally["for"], tally["against"], tally["abstain"]
        elif None in (votes_for, votes_against, abstentions):
            raise GovernanceError(_("Give the number of votes for, against and abstaining."))
        taking_part = len(_taking_part(motion.attendance_snapshot))
        if votes_for + votes_against + abstentions > taking_part:
            raise GovernanceError(_("There are more votes than people taking part."))
        motion.votes_for, motion.votes_against, motion.abstentions = (
            votes_for,
            votes_against,
            abstentions,
        )
        if not motion.quorum_met:
            motion.status = Motion.Status.NO_QUORUM
        elif votes_for > votes_against:
            motion.status = Motion.Status.CARRIED
        else:
            motion.status = Motion.Status.DEFEATED
        motion.save()
        if motion.status == Motion.Status.CARRIED:
            _apply_carried(motion)
        audit_record(
            actor=actor,
            action="motion.close",
            obj=motion,
            summary=f"{motion}: {motion.get_status_display()}",
            data={"for": votes_for, "against": votes_against, "abstentions": abstentions},
        )
    return motion


def _apply_carried(motion: Motion) -> None:
    if motion.kind == Motion.Kind.WORK_PLAN:
        plan = motion.work_plan
        if plan.approved_by_id:
            raise GovernanceError(_("This work plan has already been approved."))
        plan.approved_by = motion
        plan.save(update_fields=["approved_by"])
    elif motion.kind == Motion.Kind.MINUTES:
        revision = motion.minutes_revision
        if MinutesRevision.digest(revision.text) != motion.minutes_sha256:
            raise GovernanceError(_("The minutes changed since the vote opened: not approved."))
        minutes = revision.minutes
        minutes.approved_revision = revision
        minutes.save(update_fields=["approved_revision"])


def minutes_check_meeting_started(*, meeting: Meeting) -> None:
    if meeting.starts_at > timezone.now():
        start = formats.date_format(timezone.localtime(meeting.starts_at), "DATETIME_FORMAT")
        raise GovernanceError(
            _(
                "Minutes can be written once the meeting has started; %(meeting)s starts on "
                "%(start)s. Come back after it has begun."
            )
            % {"meeting": meeting, "start": start}
        )


def minutes_revise(*, meeting: Meeting, text: str, author=None) -> MinutesRevision:
    """Add a revision to a meeting's minutes (creating them with the first); refused
    before the meeting has started and once the minutes are approved."""
    minutes_check_meeting_started(meeting=meeting)
    with transaction.atomic():
        minutes, _created = Minutes.objects.select_for_update().get_or_create(meeting=meeting)
        minutes = Minutes.objects.select_for_update().get(pk=minutes.pk)
        if minutes.approved_revision_id:
            raise GovernanceError(_("These minutes are approved and can no longer change."))
        number = (
            minutes.revisions.order_by("-number").values_list("number", flat=True).first() or 0
        ) + 1
        revision = MinutesRevision.objects.create(
            minutes=minutes, number=number, text=text, author=author
        )
        audit_record(
            actor=author,
            action="minutes.revise",
            obj=minutes,
            summary=f"{meeting}: revision {number}",
            data={"sha256": revision.sha256},
        )
        minutes_ready_notices_add(revision=revision)
    return revision
