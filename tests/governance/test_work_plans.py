"""Work plans are read where people expect them: directors read this year's plan and
the drafts in the member area; approved plans are public on the strategy page, with
their activities and how far each has come."""

import datetime

import pytest
from django.utils import timezone, translation

from governance.models import (
    BoardSeat,
    Directorship,
    Meeting,
    Motion,
    StrategicObjective,
    StrategicPlan,
    WorkPlan,
    WorkPlanActivity,
)

TODAY = datetime.date.today()


@pytest.fixture
def plan(db):
    plan = StrategicPlan.objects.create(
        title_en="Strategic Plan", start_year=TODAY.year - 1, end_year=TODAY.year + 3
    )
    StrategicObjective.objects.create(plan=plan, number=1, title_en="Network development")
    return plan


def work_plan(plan, year, *, approved_by=None, activities=()):
    work_plan = WorkPlan.objects.create(plan=plan, year=year)
    objective = plan.objectives.get()
    for position, (title, status) in enumerate(activities):
        WorkPlanActivity.objects.create(
            work_plan=work_plan,
            objective=objective,
            title_en=title,
            status=status,
            position=position,
        )
    if approved_by is not None:
        # Approval is the motion's service's doing (tests/governance/test_meetings.py).
        WorkPlan.objects.filter(pk=work_plan.pk).update(approved_by=approved_by(work_plan))
    return work_plan


@pytest.fixture
def approving_motion(asia_director):
    start = timezone.now() - datetime.timedelta(days=30)
    meeting = Meeting.objects.create(
        kind=Meeting.Kind.BOARD,
        title_en="Annual Board Meeting",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=6),
    )

    def make(work_plan):
        return Motion.objects.create(
            meeting=meeting,
            kind=Motion.Kind.WORK_PLAN,
            work_plan=work_plan,
            text_en=f"The Board approves the {work_plan.year} work plan.",
            proposer=asia_director.person,
            seconder=asia_director.person,
            status=Motion.Status.CARRIED,
        )

    return make


@pytest.fixture
def plans(plan, approving_motion):
    return {
        "current": work_plan(
            plan,
            TODAY.year,
            approved_by=approving_motion,
            activities=[("Regional peer trainings", "in-progress"), ("Annual report", "done")],
        ),
        "past": work_plan(
            plan,
            TODAY.year - 1,
            approved_by=approving_motion,
            activities=[("Launch the toolkit", "done")],
        ),
        "draft": work_plan(
            plan, TODAY.year + 1, activities=[("Draft activity for next year", "planned")]
        ),
    }


@pytest.fixture
def director(asia_director, napud):
    seat = BoardSeat.objects.create(network=napud, position=1)
    Directorship.objects.create(
        seat=seat, person=asia_director.person, starts_on=TODAY.replace(year=TODAY.year - 1)
    )
    return asia_director


def test_directors_read_the_current_and_the_draft_work_plans(client, plans, director):
    client.force_login(director)

    response = client.get("/en/portal/work-plans/")
    body = response.content.decode()

    assert response.status_code == 200
    assert [p.year for p in response.context["work_plans"]] == [TODAY.year + 1, TODAY.year]
    assert "Draft activity for next year" in body and "Draft: not approved by the board yet" in body
    assert "Regional peer trainings" in body and "In progress" in body
    assert "Launch the toolkit" not in body
    assert 'href="/en/portal/work-plans/"' in client.get("/en/portal/").content.decode()


def test_someone_who_is_not_a_director_cannot_read_them(client, plans, eurasia_director):
    # A network's director role without a board seat.
    client.force_login(eurasia_director)

    assert client.get("/en/portal/work-plans/").status_code == 403


def test_approved_work_plans_are_public_with_activities_and_status(client, plans):
    body = client.get("/fr/strategy/").content.decode()

    with translation.override("fr"):
        in_progress = translation.gettext("In progress")
        done = translation.gettext("Done")
        heading = translation.gettext("Approved work plans")
    assert in_progress != "In progress"
    assert heading in body
    assert "Regional peer trainings" in body and in_progress in body and done in body
    assert "Launch the toolkit" in body
    assert "Draft activity for next year" not in body


def test_the_strategy_page_reads_a_fixed_number_of_queries(
    client, plan, approving_motion, django_assert_max_num_queries
):
    for year in range(2000, 2004):
        work_plan(
            plan,
            year,
            approved_by=approving_motion,
            activities=[(f"Activity {n}", "done") for n in range(5)],
        )

    with django_assert_max_num_queries(12):
        response = client.get("/en/strategy/")

    assert response.content.decode().count("Activity 4") == 4
