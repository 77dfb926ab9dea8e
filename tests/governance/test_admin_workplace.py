# ruff: noqa: F811 (the fixtures of test_meetings, imported, are redefined as arguments)
"""The secretariat's governance screens name what they offer and answer in sentences
(issue 11, point 2): agenda items and objectives say where they belong, papers
download under names that say what they are, minutes are written in one step once
the meeting has started, and inviting the board says whom and how many emails."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from governance.models import (
    AgendaItem,
    Invitation,
    Meeting,
    Minutes,
    Paper,
    StrategicObjective,
    StrategicPlan,
)
from inpud_portal.models import OutboxMessage

from .test_meetings import board_meeting, directors  # noqa: F401 (fixtures)


@pytest.fixture
def meeting(db):
    start = timezone.make_aware(datetime.datetime(2027, 1, 4, 10))
    return Meeting.objects.create(
        kind=Meeting.Kind.BOARD,
        title_en="Annual Board Meeting",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=6),
    )


def test_it_names_an_agenda_item_with_its_meeting(meeting):
    item = AgendaItem.objects.create(meeting=meeting, position=3, title_en="Election rules")

    assert str(item) == "Annual Board Meeting 2027-01-04 · 3. Election rules"


def test_it_names_an_objective_with_its_plan(db):
    plan = StrategicPlan.objects.create(title_en="Strategy", start_year=2025, end_year=2029)
    objective = StrategicObjective.objects.create(plan=plan, number=1, title_en="All Together Now")

    assert str(objective) == "2025–2029 · SO1 All Together Now"


def test_the_agenda_item_autocomplete_names_the_meeting(client, secretariat, meeting):
    AgendaItem.objects.create(meeting=meeting, position=3, title_en="Election rules")
    client.force_login(secretariat)

    found = client.get(
        "/admin/autocomplete/",
        {
            "app_label": "governance",
            "model_name": "paper",
            "field_name": "agenda_item",
            "term": "Annual",
        },
    ).json()

    assert [r["text"] for r in found["results"]] == [
        "Annual Board Meeting 2027-01-04 · 3. Election rules"
    ]


def test_a_paper_downloads_under_a_name_that_says_what_it_is(client, meeting, secretariat):
    item = AgendaItem.objects.create(meeting=meeting, position=3, title_en="Election rules")
    paper = Paper.objects.create(
        agenda_item=item,
        title="Draft rules, v2",
        file=ContentFile(b"%PDF-1.4 demo", name="whatever.PDF"),
    )
    Invitation.objects.create(meeting=meeting, person=secretariat.person)
    client.force_login(secretariat)

    response = client.get(f"/en/portal/papers/{paper.pk}/")

    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="2027-01-04-annual-board-meeting-03-draft-rules-v2.pdf"'
    )


def test_minutes_are_written_in_one_step_once_the_meeting_has_started(client, secretariat, meeting):
    client.force_login(secretariat)
    meeting.starts_at = timezone.now() - datetime.timedelta(hours=2)
    meeting.ends_at = timezone.now() - datetime.timedelta(hours=1)
    meeting.save()

    response = client.post(
        "/admin/governance/minutes/add/",
        {"meeting": meeting.pk, "new_text": "The Board met."},
        follow=True,
    )

    minutes = Minutes.objects.get(meeting=meeting)
    assert [r.text for r in minutes.revisions.all()] == ["The Board met."]
    assert "was added successfully" in response.content.decode()


def test_minutes_are_refused_before_the_meeting_starts(client, secretariat, meeting):
    client.force_login(secretariat)
    meeting.starts_at = timezone.now() + datetime.timedelta(days=3)
    meeting.ends_at = meeting.starts_at + datetime.timedelta(hours=2)
    meeting.save()

    response = client.post(
        "/admin/governance/minutes/add/", {"meeting": meeting.pk, "new_text": "Too early."}
    )

    assert response.status_code == 200  # the form again, with the reason
    assert "Minutes can be written once the meeting has started" in response.content.decode()
    assert not Minutes.objects.exists()


def test_inviting_the_board_says_whom_and_how_many_emails(
    client,
    secretariat,
    board_meeting,
    directors,
):
    Invitation.objects.all().delete()
    OutboxMessage.objects.all().delete()
    client.force_login(secretariat)

    response = client.post(
        "/admin/governance/meeting/",
        {"action": "invite_board", "_selected_action": [board_meeting.pk]},
        follow=True,
    )

    body = response.content.decode()
    assert "invited 5 directors of the current board; 5 emails queued." in body
    rows = OutboxMessage.objects.filter(kind=OutboxMessage.Kind.MEETING_NOTICE)
    assert sorted(rows.values_list("to_email", flat=True)) == sorted(
        d.user.email for d in directors
    )
    # Asked again, nobody is invited or emailed twice.
    again = client.post(
        "/admin/governance/meeting/",
        {"action": "invite_board", "_selected_action": [board_meeting.pk]},
        follow=True,
    ).content.decode()
    assert "invited 0 directors of the current board; 0 emails queued." in again
    assert "5 directors were invited before." in again
    assert rows.count() == 5


def test_the_meeting_warnings_are_shown_once_not_after_every_action(
    client,
    secretariat,
    board_meeting,
):
    client.force_login(secretariat)

    body = client.post(
        "/admin/governance/meeting/",
        {"action": "invite_board", "_selected_action": [board_meeting.pk]},
        follow=True,
    ).content.decode()

    assert body.count("No General Meeting is recorded or scheduled.") == 1
