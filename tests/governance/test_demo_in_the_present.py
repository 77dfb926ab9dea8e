"""seed_demo tells the same story whenever it runs: a board in office, the next
Board Meeting with the board invited and its papers, nominations open, a ballot
for the directors and a certified result. Run today, a year from now, and a year
from now on top of today's data."""

import datetime

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from governance.models import Election, Meeting
from governance.selectors import board_on
from members.models import User

from ..factories import enable_totp

A_YEAR = datetime.timedelta(days=365)


def assert_the_demo_journeys_work(client):
    now = timezone.now()
    today = timezone.localdate()

    board = board_on(on=today)
    assert len(board) == 9
    assert all(directorship for _seat, directorship in board), "a seat is vacant today"

    meeting = Meeting.objects.get(
        kind=Meeting.Kind.BOARD, status=Meeting.Status.SCHEDULED, starts_at__gt=now
    )
    on_meeting_day = {d.person_id for _seat, d in board_on(on=meeting.starts_at.date()) if d}
    assert set(meeting.invitations.values_list("person_id", flat=True)) == on_meeting_day
    assert len(on_meeting_day) == 9

    director = User.objects.get(email="director.napud@example.org")
    if not director.authenticator_set.exists():
        enable_totp(director)
    client.force_login(director)
    dashboard = client.get("/en/portal/").content.decode()
    assert "Annual Board Meeting" in dashboard
    assert "You are not invited to any upcoming meeting" not in dashboard
    papers = meeting.agenda.get(title_en="Next year's work plan").papers.get()
    assert client.get(f"/en/portal/papers/{papers.pk}/").status_code == 200

    nominating = Election.objects.get(
        status=Election.Status.NOMINATIONS_OPEN,
        nominations_open_at__lte=now,
        nominations_close_at__gt=now,
    )
    assert nominating.term_starts_on > today

    voting = Election.objects.get(
        status=Election.Status.VOTING_OPEN, voting_open_at__lte=now, voting_close_at__gt=now
    )
    assert voting.roll.filter(person=director.person).exists()
    assert voting.roll.count() == 9
    assert voting.candidates.filter(status="accepted").count() == 3
    assert "Executive members" in client.get(f"/en/portal/elections/{voting.pk}/").content.decode()

    certified = Election.objects.filter(status=Election.Status.CERTIFIED).latest("term_starts_on")
    assert certified.term_starts_on <= today
    assert certified.result["quorum_met"]
    elected = certified.candidates.get(pk=certified.result["elected"][0])
    assert elected.person == director.person
    assert certified.directorships.get().person == director.person
    public = client.get(f"/en/elections/{certified.pk}/")
    assert public.status_code == 200


@pytest.mark.django_db
def test_it_is_set_in_the_present(client):
    call_command("seed_demo", verbosity=0)

    assert_the_demo_journeys_work(client)


@pytest.mark.django_db
def test_it_is_set_in_the_present_a_year_from_now(client):
    with time_machine.travel(timezone.now() + A_YEAR, tick=False):
        call_command("seed_demo", verbosity=0)

        assert_the_demo_journeys_work(client)


@pytest.mark.django_db
def test_it_moves_into_the_new_present_when_loaded_again_a_year_later(client):
    call_command("seed_demo", verbosity=0)

    with time_machine.travel(timezone.now() + A_YEAR, tick=False):
        call_command("seed_demo", verbosity=0)

        assert_the_demo_journeys_work(client)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "day",
    ["2026-11-20", "2026-12-30", "2026-12-31", "2027-01-01", "2027-06-15"],
)
def test_it_invites_the_board_of_the_meeting_day_across_a_change_of_term(client, day):
    at = timezone.make_aware(datetime.datetime.fromisoformat(day + "T10:00"))
    with time_machine.travel(at, tick=False):
        call_command("seed_demo", verbosity=0)

        assert_the_demo_journeys_work(client)


@pytest.mark.django_db
def test_the_demo_has_an_approved_work_plan_for_this_year_on_any_date(client):
    from governance.models import WorkPlan

    call_command("seed_demo", verbosity=0)
    # A page per language: Redis keeps real time, so a page cached "a year ago"
    # a moment ago would still be fresh there.
    for ahead, language in ((0, "en"), (365, "fr")):
        with time_machine.travel(timezone.now() + datetime.timedelta(days=ahead)):
            call_command("seed_demo", verbosity=0)
            year = timezone.localdate().year
            [approved] = WorkPlan.objects.filter(year=year, approved_by__isnull=False)
            page = client.get(f"/{language}/strategy/").content.decode()
            assert approved.activities.first().title in page
