"""A meeting scheduled, held, its motions decided with quorum, its minutes approved."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from governance.models import (
    AgendaItem,
    Attendance,
    BoardSeat,
    Directorship,
    Invitation,
    Meeting,
    MinutesRevision,
    Motion,
    Paper,
    StrategicPlan,
    WorkPlan,
)
from governance.selectors import governance_warnings
from governance.services import meetings as services
from governance.services.errors import GovernanceError
from members.models import Role

from ..factories import NetworkFactory, enable_totp, person_with_role


@pytest.fixture
def directors(db):
    """A board of five seats, each with a director who has an authenticator."""
    people = []
    for n in range(5):
        network = NetworkFactory()
        seat = BoardSeat.objects.create(network=network, position=n)
        person = person_with_role(Role.Kind.DIRECTOR, network=network, display_name=f"Director {n}")
        enable_totp(person.user)
        Directorship.objects.create(seat=seat, person=person, starts_on=datetime.date(2025, 1, 1))
        people.append(person)
    return people


def _has_started(meeting):
    # Minutes are written once a meeting has started (the rule is tested below).
    meeting.starts_at = timezone.now() - datetime.timedelta(hours=1)
    meeting.ends_at = meeting.starts_at + datetime.timedelta(hours=6)
    meeting.save()


@pytest.fixture
def board_meeting(directors):
    start = timezone.now() + datetime.timedelta(days=10)
    meeting = Meeting.objects.create(
        kind=Meeting.Kind.BOARD,
        title_en="Annual Board Meeting",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=6),
        city="Lisbon",
        country="PT",
        public_summary_en="The Board reviews the year and approves the work plan.",
    )
    item = AgendaItem.objects.create(
        meeting=meeting, position=1, title_en="Work plan for next year"
    )
    Paper.objects.create(
        agenda_item=item,
        title="Draft work plan",
        file=ContentFile(b"%PDF-1.4 demo", name="plan.pdf"),
    )
    services.invitations_send(meeting=meeting, people=directors)
    return meeting


def attend(meeting, people, status="present"):
    for person in people:
        Attendance.objects.create(meeting=meeting, person=person, status=status)


def test_the_quorum_of_a_board_meeting_is_a_majority_of_seats(board_meeting):
    assert services.meeting_quorum(meeting=board_meeting) == 3


def test_a_work_plan_is_approved_by_a_board_meeting_motion(board_meeting, directors):
    plan = StrategicPlan.objects.create(title_en="Strategic Plan", start_year=2025, end_year=2029)
    work_plan = WorkPlan.objects.create(plan=plan, year=2027)
    attend(board_meeting, directors[:3])
    attend(board_meeting, directors[3:], status="apologies")
    motion = Motion.objects.create(
        meeting=board_meeting,
        kind=Motion.Kind.WORK_PLAN,
        work_plan=work_plan,
        text_en="The Board approves the 2027 work plan.",
        proposer=directors[0],
        seconder=directors[1],
    )

    services.motion_open_vote(motion=motion)
    for person, vote in zip(directors[:3], ["for", "for", "against"], strict=True):
        services.motion_record_vote(motion=motion, person=person, vote=vote)
    motion = services.motion_close(motion=motion)

    assert motion.status == Motion.Status.CARRIED
    assert (motion.votes_for, motion.votes_against, motion.abstentions) == (2, 1, 0)
    assert motion.recorded  # Board Meetings vote by recorded vote
    work_plan.refresh_from_db()
    assert work_plan.approved_by == motion
    assert work_plan.approved_by.meeting == board_meeting


def test_without_quorum_a_motion_is_not_decided(board_meeting, directors):
    attend(board_meeting, directors[:2])
    motion = Motion.objects.create(
        meeting=board_meeting, text_en="X", proposer=directors[0], seconder=directors[1]
    )

    services.motion_open_vote(motion=motion)
    services.motion_record_vote(motion=motion, person=directors[0], vote="for")
    motion = services.motion_close(motion=motion)

    assert motion.quorum_met is False
    assert motion.status == Motion.Status.NO_QUORUM


def test_the_quorum_uses_the_attendance_snapshot_taken_when_the_vote_opened(
    board_meeting, directors
):
    attend(board_meeting, directors[:3])
    motion = Motion.objects.create(
        meeting=board_meeting, text_en="X", proposer=directors[0], seconder=directors[1]
    )
    services.motion_open_vote(motion=motion)

    # Someone leaves after the vote opened: the snapshot, not the register, counts.
    Attendance.objects.filter(person=directors[2]).update(status="apologies")
    services.motion_record_vote(motion=motion, person=directors[2], vote="for")
    services.motion_record_vote(motion=motion, person=directors[0], vote="for")
    motion = services.motion_close(motion=motion)

    assert [a["person"] for a in motion.attendance_snapshot] == [d.pk for d in directors[:3]]
    assert motion.status == Motion.Status.CARRIED


def test_only_attendees_vote_and_only_once(board_meeting, directors):
    attend(board_meeting, directors[:3])
    motion = Motion.objects.create(
        meeting=board_meeting, text_en="X", proposer=directors[0], seconder=directors[1]
    )
    services.motion_open_vote(motion=motion)

    with pytest.raises(GovernanceError, match="attending"):
        services.motion_record_vote(motion=motion, person=directors[4], vote="for")
    services.motion_record_vote(motion=motion, person=directors[0], vote="for")
    with pytest.raises(GovernanceError, match="already voted"):
        services.motion_record_vote(motion=motion, person=directors[0], vote="against")


def test_a_motion_needs_a_seconder(board_meeting, directors):
    motion = Motion.objects.create(meeting=board_meeting, text_en="X", proposer=directors[0])

    with pytest.raises(GovernanceError, match="seconder"):
        services.motion_open_vote(motion=motion)


def test_a_show_of_hands_cannot_count_more_votes_than_people(directors):
    start = timezone.now()
    meeting = Meeting.objects.create(
        kind=Meeting.Kind.GENERAL,
        title_en="GM",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
    )
    services.invitations_send(meeting=meeting, people=directors)
    attend(meeting, directors)
    motion = Motion.objects.create(
        meeting=meeting, text_en="X", proposer=directors[0], seconder=directors[1]
    )
    services.motion_open_vote(motion=motion)

    with pytest.raises(GovernanceError, match="more votes"):
        services.motion_close(motion=motion, votes_for=5, votes_against=1, abstentions=0)
    motion = services.motion_close(motion=motion, votes_for=3, votes_against=1, abstentions=1)
    assert motion.status == Motion.Status.CARRIED


def test_minutes_are_approved_by_a_motion_citing_the_exact_revision(
    board_meeting, directors, secretariat
):
    _has_started(board_meeting)
    services.minutes_revise(meeting=board_meeting, text="Draft one", author=secretariat)
    second = services.minutes_revise(
        meeting=board_meeting, text="Draft two, corrected", author=secretariat
    )
    next_start = board_meeting.starts_at + datetime.timedelta(days=200)
    next_meeting = Meeting.objects.create(
        kind=Meeting.Kind.BOARD,
        title_en="Next",
        starts_at=next_start,
        ends_at=next_start + datetime.timedelta(hours=2),
    )
    attend(next_meeting, directors[:3])
    motion = Motion.objects.create(
        meeting=next_meeting,
        kind=Motion.Kind.MINUTES,
        minutes_revision=second,
        text_en="Approve the minutes",
        proposer=directors[0],
        seconder=directors[1],
    )

    services.motion_open_vote(motion=motion)
    for person in directors[:3]:
        services.motion_record_vote(motion=motion, person=person, vote="for")
    motion = services.motion_close(motion=motion)

    minutes = board_meeting.minutes
    minutes.refresh_from_db()
    assert minutes.approved_revision == second
    assert motion.minutes_sha256 == MinutesRevision.digest("Draft two, corrected")
    with pytest.raises(GovernanceError, match="approved"):
        services.minutes_revise(meeting=board_meeting, text="Sneaky change", author=secretariat)
    with pytest.raises(ValueError, match="cannot be changed"):
        second.text = "Sneaky"
        second.save()


def test_approved_minutes_are_readable_by_members_and_drafts_only_by_invitees(
    client, board_meeting, directors, asia_director, secretariat
):
    _has_started(board_meeting)
    services.minutes_revise(meeting=board_meeting, text="Draft text", author=secretariat)
    minutes = board_meeting.minutes
    client.force_login(asia_director)  # a member, not invited to this meeting

    assert client.get(f"/en/portal/minutes/{minutes.pk}/").status_code == 404
    client.force_login(directors[0].user)
    assert "Draft text" in client.get(f"/en/portal/minutes/{minutes.pk}/").content.decode()


def test_papers_open_for_invitees_only(client, board_meeting, directors, asia_director):
    paper = Paper.objects.get()

    client.force_login(asia_director)
    assert client.get(f"/en/portal/papers/{paper.pk}/").status_code == 404
    client.force_login(directors[0].user)
    response = client.get(f"/en/portal/papers/{paper.pk}/")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]


def test_an_invitee_answers_the_invitation(client, board_meeting, directors):
    client.force_login(directors[0].user)

    client.post(f"/en/portal/meetings/{board_meeting.pk}/", {"answer": "remote"})
    bad = client.post(
        f"/en/portal/meetings/{board_meeting.pk}/", {"answer": "maybe later"}, follow=True
    )

    assert Invitation.objects.get(person=directors[0]).answer == "remote"
    assert bad.status_code == 200


def test_public_meeting_pages_never_name_attendees(client, board_meeting, directors):
    attend(board_meeting, directors[:3])

    for url in [
        "/en/meetings/",
        f"/en/meetings/{board_meeting.pk}/",
        f"/en/meetings/{board_meeting.pk}/calendar.ics",
    ]:
        body = client.get(url).content.decode()
        assert "Annual Board Meeting" in body
        for person in directors:
            assert person.display_name not in body


def test_a_meeting_calendar_file_is_valid_icalendar(client, board_meeting):
    from icalendar import Calendar

    response = client.get(f"/en/meetings/{board_meeting.pk}/calendar.ics")

    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    [event] = Calendar.from_ical(response.content).walk("VEVENT")
    assert str(event["summary"]) == "Annual Board Meeting"
    assert "Lisbon" in str(event["location"])


def test_a_member_subscribes_to_their_meetings_by_private_address(client, board_meeting, directors):
    client.force_login(directors[0].user)
    assert client.get("/en/portal/meetings/").context["feed_url"] == ""
    client.post("/en/portal/calendar/reset/")
    page = client.get("/en/portal/meetings/")
    feed_url = page.context["feed_url"]
    path = feed_url.split("testserver", 1)[1]
    client.logout()

    feed = client.get(path)

    assert feed.status_code == 200
    assert b"Annual Board Meeting" in feed.content
    # The feed is about meetings, never about who comes to them.
    attend(board_meeting, directors[:3])
    for person in directors:
        assert person.display_name.encode() not in client.get(path).content
    assert client.get("/calendar/not-a-token.ics").status_code == 404


def test_replacing_the_calendar_address_revokes_the_old_one(client, board_meeting, directors):
    client.force_login(directors[0].user)
    client.post("/en/portal/calendar/reset/")
    old = client.get("/en/portal/meetings/").context["feed_url"].split("testserver", 1)[1]

    client.post("/en/portal/calendar/reset/")

    assert client.get(old).status_code == 404


def test_the_admin_warns_about_missing_general_and_board_meetings(db):
    today = datetime.date(2027, 3, 1)
    start = timezone.make_aware(datetime.datetime(2024, 9, 1, 9))
    Meeting.objects.create(
        kind=Meeting.Kind.GENERAL,
        title_en="GM 2024",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=8),
        status=Meeting.Status.HELD,
    )

    warnings = governance_warnings(today=today)

    assert any("General Meeting" in w for w in warnings)
    assert any("Board Meeting" in w for w in warnings)


def test_the_admin_shows_the_warnings(client, secretariat):
    client.force_login(secretariat)

    body = client.get("/admin/governance/meeting/").content.decode()

    assert "No General Meeting is recorded or scheduled." in body


def test_the_dashboard_shows_seat_meetings_and_minutes_to_review(
    client, board_meeting, directors, secretariat
):
    _has_started(board_meeting)
    services.minutes_revise(meeting=board_meeting, text="Draft", author=secretariat)
    client.force_login(directors[0].user)

    body = client.get("/en/portal/").content.decode()

    assert "Your board seat" in body
    assert "Annual Board Meeting" in body
    assert "Draft work plan" in body
    assert "Draft minutes to review" in body


def test_minutes_changed_behind_the_apps_back_are_not_approved(
    board_meeting, directors, secretariat
):
    _has_started(board_meeting)
    revision = services.minutes_revise(
        meeting=board_meeting, text="Agreed text", author=secretariat
    )
    next_start = board_meeting.starts_at + datetime.timedelta(days=100)
    next_meeting = Meeting.objects.create(
        kind=Meeting.Kind.BOARD,
        title_en="Next",
        starts_at=next_start,
        ends_at=next_start + datetime.timedelta(hours=2),
    )
    attend(next_meeting, directors[:3])
    motion = Motion.objects.create(
        meeting=next_meeting,
        kind=Motion.Kind.MINUTES,
        minutes_revision=revision,
        text_en="Approve",
        proposer=directors[0],
        seconder=directors[1],
    )
    services.motion_open_vote(motion=motion)
    for person in directors[:3]:
        services.motion_record_vote(motion=motion, person=person, vote="for")
    MinutesRevision.objects.filter(pk=revision.pk).update(text="Altered text")

    with pytest.raises(GovernanceError, match="changed since the vote opened"):
        services.motion_close(motion=motion)

    board_meeting.minutes.refresh_from_db()
    assert board_meeting.minutes.approved_revision is None
    assert Motion.objects.get(pk=motion.pk).status == Motion.Status.VOTING


def test_staff_and_guests_on_the_register_do_not_make_quorum_or_vote(
    board_meeting, directors, secretariat
):
    staff = [person_with_role(Role.Kind.SECRETARIAT, display_name=f"Staff {n}") for n in range(3)]
    attend(board_meeting, directors[:1] + staff)
    motion = Motion.objects.create(
        meeting=board_meeting, text_en="X", proposer=directors[0], seconder=directors[0]
    )

    motion = services.motion_open_vote(motion=motion)

    assert motion.quorum_met is False
    with pytest.raises(GovernanceError, match="attending"):
        services.motion_record_vote(motion=motion, person=staff[0], vote="for")


def test_minutes_are_not_approved_by_the_meeting_they_record(board_meeting, directors, secretariat):
    _has_started(board_meeting)
    revision = services.minutes_revise(meeting=board_meeting, text="Text", author=secretariat)
    attend(board_meeting, directors[:3])
    motion = Motion.objects.create(
        meeting=board_meeting,
        kind=Motion.Kind.MINUTES,
        minutes_revision=revision,
        text_en="Approve",
        proposer=directors[0],
        seconder=directors[1],
    )

    with pytest.raises(GovernanceError, match="later meeting"):
        services.motion_open_vote(motion=motion)


def test_only_a_board_meeting_approves_the_work_plan(directors):
    start = timezone.now() + datetime.timedelta(days=5)
    executive = Meeting.objects.create(
        kind=Meeting.Kind.EXECUTIVE,
        title_en="Exec",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=1),
    )
    plan = StrategicPlan.objects.create(title_en="Plan", start_year=2025, end_year=2029)
    motion = Motion.objects.create(
        meeting=executive,
        kind=Motion.Kind.WORK_PLAN,
        work_plan=WorkPlan.objects.create(plan=plan, year=2030),
        text_en="Approve",
        proposer=directors[0],
        seconder=directors[1],
    )

    with pytest.raises(GovernanceError, match="Only a Board Meeting"):
        services.motion_open_vote(motion=motion)


def test_a_carried_motion_cannot_be_rewritten_in_the_admin(
    client, board_meeting, directors, secretariat
):
    attend(board_meeting, directors[:3])
    motion = Motion.objects.create(
        meeting=board_meeting, text_en="Original", proposer=directors[0], seconder=directors[1]
    )
    services.motion_open_vote(motion=motion)
    for person in directors[:3]:
        services.motion_record_vote(motion=motion, person=person, vote="for")
    services.motion_close(motion=motion)
    client.force_login(secretariat)

    form = client.get(f"/admin/governance/motion/{motion.pk}/change/").context["adminform"].form
    client.post(f"/admin/governance/motion/{motion.pk}/delete/", {"post": "yes"})

    assert "text_en" not in form.fields and "votes_for" not in form.fields
    assert Motion.objects.get(pk=motion.pk).text_en == "Original"


def test_a_general_meeting_held_on_29_february_does_not_break_the_warnings(db):
    start = timezone.make_aware(datetime.datetime(2028, 2, 29, 9))
    Meeting.objects.create(
        kind=Meeting.Kind.GENERAL,
        title_en="GM",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=3),
        status=Meeting.Status.HELD,
    )

    warnings = governance_warnings(today=datetime.date(2029, 1, 10))

    assert any("General Meeting" in w for w in warnings)


def test_approved_minutes_need_a_current_role(
    client, board_meeting, directors, secretariat, outsider
):
    _has_started(board_meeting)
    services.minutes_revise(meeting=board_meeting, text="Text", author=secretariat)
    client.force_login(outsider)

    assert client.get("/en/portal/minutes/").status_code == 403


def test_a_closed_accounts_calendar_address_stops_working(client, board_meeting, directors):
    client.force_login(directors[0].user)
    client.post("/en/portal/calendar/reset/")
    path = client.get("/en/portal/meetings/").context["feed_url"].split("testserver", 1)[1]
    directors[0].user.is_active = False
    directors[0].user.save()

    assert client.get(path).status_code == 404
