"""Board seats for the real networks, and demo directorships and an election."""

import datetime

from django.db import transaction
from django.utils import timezone

from members.models import Network, Organisation, Person, Role
from members.services import role_grant

from .models import (
    KPI,
    AgendaItem,
    BoardSeat,
    Directorship,
    Election,
    Invitation,
    KPIValue,
    Meeting,
    StrategicObjective,
    StrategicPlan,
    WorkPlan,
    WorkPlanActivity,
)

TERM = (datetime.date(2025, 1, 1), datetime.date(2026, 12, 31))
OFFICERS = {"napud": "chair", "lanpud": "vice-chair", "euronpud": "treasurer", "inwud": "executive"}


@transaction.atomic
def demo_seed_governance() -> None:
    for network in Network.objects.all():
        seat, _ = BoardSeat.objects.get_or_create(
            network=network, defaults={"position": network.position}
        )
        director = Person.objects.filter(
            roles__kind=Role.Kind.DIRECTOR, roles__network=network
        ).first()
        if director and not seat.directorships.exists():
            Directorship.objects.create(
                seat=seat,
                person=director,
                starts_on=TERM[0],
                ends_on=TERM[1],
                origin=Directorship.Origin.ELECTION,
                officer=OFFICERS.get(network.slug, ""),
            )
    _demo_election()
    _demo_strategy()
    _demo_meetings()


def _demo_election() -> None:
    napud = Network.objects.get(slug="napud")
    # Voting delegates of NAPUD's member organisations make up the electorate.
    for n, organisation in enumerate(Organisation.objects.filter(network=napud).order_by("slug")):
        email = f"delegate{n + 1}.napud@example.org"
        person, created = Person.objects.get_or_create(
            email=email, defaults={"display_name": f"NAPUD delegate {n + 1} (demo)"}
        )
        if created:
            role_grant(
                person=person,
                kind=Role.Kind.VOTING_DELEGATE,
                organisation=organisation,
                starts_on=TERM[0],
            )
    if Election.objects.filter(seat__network=napud).exists():
        return
    now = timezone.now().replace(microsecond=0)
    Election.objects.create(
        title_en="NAPUD board seat 2027–2028",
        title_fr="Siège du NAPUD au conseil 2027–2028",
        description_en="The voting delegates of NAPUD's member organisations elect NAPUD's "
        "director on the INPUD board for 2027 and 2028.",
        network=napud,
        seat=napud.board_seat,
        method=Election.Method.IRV,
        electorate=Election.Electorate.DELEGATES,
        nominations_open_at=now - datetime.timedelta(days=1),
        nominations_close_at=now + datetime.timedelta(days=7),
        voting_open_at=now + datetime.timedelta(days=8),
        voting_close_at=now + datetime.timedelta(days=15),
        term_starts_on=datetime.date(2027, 1, 1),
        term_ends_on=datetime.date(2028, 12, 31),
        status=Election.Status.NOMINATIONS_OPEN,
    )


DIRECTIONS_2017 = [
    ("Network Development", "Stronger regional and national networks of people who use drugs."),
    (
        "Partnership Development",
        "Alliances with communities, allies and agencies that share our goals.",
    ),
    ("Programming and Technical Support", "Skills and support for peer-led programmes."),
    ("Advocacy and Campaigning", "A loud, informed voice in global drug and health policy."),
]
OBJECTIVES_2025 = [
    (
        "All Together Now",
        "Policy, advocacy and collective action led by people who use drugs.",
        [("Global policy processes where INPUD spoke for peers", "12 a year", {2025: "9"})],
    ),
    (
        "We Are Stronger",
        "Regional networks that are resourced, governed well and heard.",
        [("Regional networks with a funded work plan", "8 of 8", {2025: "6 of 8"})],
    ),
    (
        "Lead by Example and Technical Assistance",
        "Technical support that brings rights-based harm reduction to more countries.",
        [("Countries reached with technical assistance", "20", {2025: "7"})],
    ),
    (
        "Loud and Proud",
        "A resilient secretariat that is a trusted, effective partner.",
        [("Months of operating reserves", "6", {2025: "4"})],
    ),
]


def _demo_strategy() -> None:
    old, _ = StrategicPlan.objects.get_or_create(
        start_year=2017, end_year=2020, defaults={"title_en": "Strategic Plan"}
    )
    for number, (title, description) in enumerate(DIRECTIONS_2017, start=1):
        StrategicObjective.objects.get_or_create(
            plan=old,
            number=number,
            defaults={"kind": "direction", "title_en": title, "description_en": description},
        )
    plan, created = StrategicPlan.objects.get_or_create(
        start_year=2025,
        end_year=2029,
        defaults={
            "title_en": "Strategic Plan",
            "summary_en": "Four mutually reinforcing objectives for a stronger global movement "
            "of people who use drugs (demo summary).",
        },
    )
    if not created:
        return
    for number, (title, description, kpis) in enumerate(OBJECTIVES_2025, start=1):
        objective = StrategicObjective.objects.create(
            plan=plan, number=number, title_en=title, description_en=description
        )
        for kpi_title, target, values in kpis:
            kpi = KPI.objects.create(objective=objective, title_en=kpi_title, target=target)
            for year, value in values.items():
                KPIValue.objects.create(kpi=kpi, year=year, value=value)
    work_plan = WorkPlan.objects.create(plan=plan, year=timezone.localdate().year + 1)
    for position, objective in enumerate(plan.objectives.all()):
        WorkPlanActivity.objects.create(
            work_plan=work_plan,
            objective=objective,
            position=position,
            title_en=f"Demo activity under objective {objective.number}",
        )


def _demo_meetings() -> None:
    if Meeting.objects.exists():
        return
    montreal = timezone.make_aware(datetime.datetime(2017, 5, 13, 9, 0))
    Meeting.objects.create(
        kind=Meeting.Kind.GENERAL,
        title_en="General Meeting 2017",
        starts_at=montreal,
        ends_at=montreal + datetime.timedelta(hours=7),
        city="Montréal",
        country="CA",
        conference="International Harm Reduction Conference",
        public_summary_en="Members met alongside the conference in Montréal (demo record).",
        status=Meeting.Status.HELD,
    )
    start = (timezone.now() + datetime.timedelta(days=30)).replace(
        hour=13, minute=0, second=0, microsecond=0
    )
    meeting = Meeting.objects.create(
        kind=Meeting.Kind.BOARD,
        title_en="Annual Board Meeting",
        title_fr="Réunion annuelle du conseil d'administration",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=4),
        online_url="https://meet.example.org/inpud-board",
        public_summary_en="The Board reviews the year and approves next year's work plan.",
    )
    for position, title in enumerate(
        [
            "Welcome and apologies",
            "Minutes of the last meeting",
            "Next year's work plan",
            "Board elections",
        ],
        start=1,
    ):
        AgendaItem.objects.create(meeting=meeting, position=position, title_en=title)
    for directorship in Directorship.objects.filter(ends_on__gte=start.date()):
        Invitation.objects.get_or_create(meeting=meeting, person=directorship.person)
