"""Board seats for the real networks, and demo directorships, elections and meetings.

Everything is dated from today, so the demo tells the same story whenever it is
loaded: a board in office, the next Board Meeting with its papers, an election
taking nominations, one in its voting week and a certified one in the past.
Loading it again changes nothing, unless time has moved on and a part of the
story is over: then that part is told again for the new present.
"""

import datetime

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation

from members.models import Network, Organisation, Person, Role
from members.services import role_grant

from .models import (
    KPI,
    AgendaItem,
    BoardSeat,
    Candidate,
    Directorship,
    Election,
    ElectionTrustee,
    KPIValue,
    Meeting,
    Motion,
    Paper,
    StrategicObjective,
    StrategicPlan,
    Voter,
    WorkPlan,
    WorkPlanActivity,
)
from .selectors import board_on, election_electorate
from .services.elections import (
    ballot_cast,
    candidate_nominate,
    candidate_respond,
    election_transition,
)
from .services.meetings import invitations_send
from .services.sealing import trustee_key_collect

OFFICERS = {"napud": "chair", "lanpud": "vice-chair", "euronpud": "treasurer", "inwud": "executive"}
# The next Board Meeting is about a month ahead, like a real invitation.
MEETING_AHEAD = datetime.timedelta(days=30)
E = Election.Status


def demo_term(on: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The board term that includes the day: two calendar years from an odd year
    (2025–2026, 2027–2028, ...)."""
    first = on.year if on.year % 2 else on.year - 1
    return datetime.date(first, 1, 1), datetime.date(first + 1, 12, 31)


def demo_seed_governance() -> dict[str, str]:
    """Returns the trustee keys of a newly opened demo vote (email -> key): seed_demo
    prints them, since the demo trustees collected them while it was seeding."""
    # Not one transaction: the election steps are services with their own durable
    # transactions, as when the secretariat runs them.
    now = timezone.now().replace(microsecond=0)
    today = timezone.localdate(now)
    with transaction.atomic():
        for network in Network.objects.all():
            BoardSeat.objects.get_or_create(
                network=network, defaults={"position": network.position}
            )
        _demo_delegates(today)
    _demo_certified_election(now)
    meeting_at = _next_meeting_time(now)
    with transaction.atomic():
        _demo_board(today, until=timezone.localdate(meeting_at))
    _demo_nominations(now)
    trustee_keys = _demo_voting(now)
    with transaction.atomic():
        _demo_strategy()
        _demo_approved_work_plan(now)
        _demo_meetings(now, meeting_at)
    return trustee_keys


def _director_of(network: Network) -> Person | None:
    return (
        Person.objects.filter(roles__kind=Role.Kind.DIRECTOR, roles__network=network)
        .order_by("pk")
        .first()
    )


def _demo_delegates(today: datetime.date) -> None:
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
                starts_on=demo_term(today)[0],
            )


def _demo_board(today: datetime.date, *, until: datetime.date) -> None:
    """Every seat has its director from today to the next Board Meeting: the term
    that includes today, and the next one too when the meeting falls in it."""
    for seat in BoardSeat.objects.select_related("network"):
        director = _director_of(seat.network)
        if director is None:
            continue
        day = today
        while day <= until:
            held = seat.directorships.filter(starts_on__lte=day).exclude(ends_on__lt=day).first()
            if held is None:
                starts_on, ends_on = demo_term(day)
                # A term that began while the seat was held runs on from the day after.
                before = (
                    seat.directorships.filter(ends_on__lt=day)
                    .order_by("-ends_on")
                    .values_list("ends_on", flat=True)
                    .first()
                )
                if before and before >= starts_on:
                    starts_on = before + datetime.timedelta(days=1)
                held = Directorship.objects.create(
                    seat=seat,
                    person=director,
                    starts_on=starts_on,
                    ends_on=ends_on,
                    origin=Directorship.Origin.ELECTION,
                    officer=OFFICERS.get(seat.network.slug, ""),
                )
            if held.ends_on is None:
                break
            day = held.ends_on + datetime.timedelta(days=1)


def _demo_certified_election(now: datetime.datetime) -> None:
    """The election that put NAPUD's director in office for the current term, with
    its count and ballot file, run through the same services as a real one."""
    napud = Network.objects.get(slug="napud")
    term_starts, term_ends = demo_term(timezone.localdate(now))
    seat = napud.board_seat
    if Election.objects.filter(seat=seat, term_starts_on=term_starts).exists():
        return
    if seat.directorships.filter(starts_on__lte=term_starts).exclude(ends_on__lt=term_starts):
        return  # the seat was filled for this term without an election
    director = _director_of(napud)
    rival = Person.objects.filter(email="delegate1.napud@example.org").first()
    if director is None or rival is None:
        return
    voting_closes = timezone.make_aware(
        datetime.datetime.combine(term_starts, datetime.time(12, 0))
    ) - datetime.timedelta(days=45)
    with translation.override("en"):
        election = Election.objects.create(
            title_en=f"NAPUD board seat {term_starts.year}–{term_ends.year}",
            description_en="The voting delegates of NAPUD's member organisations elected "
            f"NAPUD's director on the INPUD board for {term_starts.year} and {term_ends.year}.",
            network=napud,
            seat=seat,
            method=Election.Method.IRV,
            electorate=Election.Electorate.DELEGATES,
            nominations_open_at=voting_closes - datetime.timedelta(days=30),
            nominations_close_at=voting_closes - datetime.timedelta(days=16),
            voting_open_at=voting_closes - datetime.timedelta(days=14),
            voting_close_at=voting_closes,
            term_starts_on=term_starts,
            term_ends_on=term_ends,
            status=E.NOMINATIONS_OPEN,
        )
        for person in (director, rival):
            candidate_nominate(election=election, person=person, nominated_by=person)
        # Opened by hand, not by the transition: these ballots were cast long ago and
        # nobody should be told today that voting is open.
        Election.objects.filter(pk=election.pk).update(status=E.VOTING_OPEN)
        Voter.objects.bulk_create(
            Voter(election=election, person=p) for p in election_electorate(election=election)
        )
        standing = dict(
            election.candidates.filter(status=Candidate.Status.ACCEPTED).values_list(
                "person_id", "pk"
            )
        )
        voters = list(election.roll.select_related("person").order_by("person__email"))
        for n, voter in enumerate(voters):
            first, second = standing[director.pk], standing[rival.pk]
            if n == len(voters) - 1 and n >= 2:
                first, second = second, first
            ballot_cast(
                election=election,
                voter=voter.person,
                choices=[first, second],
                now=election.voting_open_at + datetime.timedelta(days=1, minutes=n),
            )
        for step in ("close-voting", "tally", "certify"):
            election_transition(election=election, transition=step)
    Directorship.objects.filter(election=election).update(officer=OFFICERS["napud"])


def _demo_nominations(now: datetime.datetime) -> None:
    """NAPUD's seat for the next term, taking nominations this week."""
    napud = Network.objects.get(slug="napud")
    seat = napud.board_seat
    if Election.objects.filter(seat=seat, status=E.NOMINATIONS_OPEN, nominations_close_at__gt=now):
        return
    last_term_ends = (
        seat.directorships.exclude(ends_on=None)
        .order_by("-ends_on")
        .values_list("ends_on", flat=True)
        .first()
    )
    term_starts, term_ends = demo_term(
        (last_term_ends or timezone.localdate(now)) + datetime.timedelta(days=1)
    )
    Election.objects.create(
        title_en=f"NAPUD board seat {term_starts.year}–{term_ends.year}",
        title_fr=f"Siège du NAPUD au conseil {term_starts.year}–{term_ends.year}",
        description_en="The voting delegates of NAPUD's member organisations elect NAPUD's "
        f"director on the INPUD board for {term_starts.year} and {term_ends.year}.",
        network=napud,
        seat=seat,
        method=Election.Method.IRV,
        electorate=Election.Electorate.DELEGATES,
        nominations_open_at=now - datetime.timedelta(days=1),
        nominations_close_at=now + datetime.timedelta(days=7),
        voting_open_at=now + datetime.timedelta(days=8),
        voting_close_at=now + datetime.timedelta(days=15),
        term_starts_on=term_starts,
        term_ends_on=term_ends,
        status=E.NOMINATIONS_OPEN,
    )


EXECUTIVE_CANDIDATES = {
    "lanpud": "I will keep the Executive in touch with the regions between meetings.",
    "menanpud": "I want every decision of the Executive reported to the board within a week.",
    "africanpud": "I will look after the budget and the reserves with the Treasurer.",
}


def _demo_voting(now: datetime.datetime) -> dict[str, str]:
    """The board elects two members of the Executive; voting is open this week, so
    every demo director has a ballot to cast. The ballots are sealed: the secretariat
    and two directors who do not stand are the trustees, two of them open the box."""
    if Election.objects.filter(
        seat=None, status=E.VOTING_OPEN, voting_close_at__gt=now + datetime.timedelta(days=1)
    ).exists():
        return {}
    with translation.override("en"):
        election = Election.objects.create(
            title_en=f"Executive members {timezone.localdate(now).year}",
            title_fr=f"Membres de l'exécutif {timezone.localdate(now).year}",
            description_en="The directors elect two of their number to the Executive, which "
            "reviews progress with the Executive Director between Board Meetings.",
            method=Election.Method.STV,
            seats=2,
            electorate=Election.Electorate.BOARD,
            nominations_open_at=now - datetime.timedelta(days=10),
            nominations_close_at=now - datetime.timedelta(days=3),
            voting_open_at=now - datetime.timedelta(days=2),
            voting_close_at=now + datetime.timedelta(days=12),
            term_starts_on=timezone.localdate(now) + datetime.timedelta(days=13),
            term_ends_on=timezone.localdate(now) + datetime.timedelta(days=13 + 364),
            status=E.NOMINATIONS_OPEN,
        )
        for slug, statement in EXECUTIVE_CANDIDATES.items():
            director = _director_of(Network.objects.get(slug=slug))
            candidate = candidate_nominate(
                election=election, person=director, nominated_by=director
            )
            candidate_respond(candidate=candidate, accept=True, statement=statement)
        keys = _demo_trustees(election)
        for step in ("close-nominations", "open-voting"):
            election_transition(election=election, transition=step)
    return keys


def _demo_trustees(election: Election) -> dict[str, str]:
    from members import demo_data

    standing = set(election.candidates.values_list("person", flat=True))
    directors = [
        person
        for network in Network.objects.order_by("position", "pk")
        if (person := _director_of(network)) is not None and person.pk not in standing
    ]
    secretariat = Person.objects.filter(user__email=demo_data.SECRETARIAT_EMAIL).first()
    keys = {}
    for person in [p for p in (secretariat, *directors[:2]) if p is not None]:
        trustee = ElectionTrustee.objects.create(election=election, person=person)
        keys[person.user.email] = trustee_key_collect(trustee=trustee)
    return keys


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


def _demo_approved_work_plan(now: datetime.datetime) -> None:
    """This year's work plan, approved at last year's Board Meeting, so the public
    strategy page and the directors' work plans have one to show on any date."""
    year = timezone.localdate(now).year
    plan = StrategicPlan.objects.filter(start_year__lte=year, end_year__gte=year).first()
    director = Person.objects.filter(roles__kind=Role.Kind.DIRECTOR).order_by("pk").first()
    if plan is None or director is None:
        return
    work_plan, created = WorkPlan.objects.get_or_create(plan=plan, year=year)
    if work_plan.approved_by_id:
        return
    if created:
        statuses = ["done", "in-progress", "in-progress", "planned"]
        for position, objective in enumerate(plan.objectives.all()):
            WorkPlanActivity.objects.create(
                work_plan=work_plan,
                objective=objective,
                position=position,
                title_en=f"Demo activity {year} under objective {objective.number}",
                status=statuses[position % len(statuses)],
            )
    held = (now - datetime.timedelta(days=330)).replace(hour=13, minute=0, second=0)
    meeting = Meeting.objects.create(
        kind=Meeting.Kind.BOARD,
        title_en=f"Annual Board Meeting {year - 1}",
        starts_at=held,
        ends_at=held + datetime.timedelta(hours=6),
        status=Meeting.Status.HELD,
        city="Bangkok",
        country="TH",
    )
    motion = Motion.objects.create(
        meeting=meeting,
        kind=Motion.Kind.WORK_PLAN,
        text_en=f"The Board approves the work plan {year}.",
        proposer=director,
        work_plan=work_plan,
        status=Motion.Status.CARRIED,
    )
    work_plan.approved_by = motion
    work_plan.save(update_fields=["approved_by"])


def _next_meeting_time(now: datetime.datetime) -> datetime.datetime:
    upcoming = Meeting.objects.filter(
        kind=Meeting.Kind.BOARD, status=Meeting.Status.SCHEDULED, starts_at__gt=now
    ).order_by("starts_at")
    if upcoming.exists():
        return upcoming.first().starts_at
    at = (now + MEETING_AHEAD).replace(hour=13, minute=0, second=0, microsecond=0)
    # Held by the board in office, when its term leaves time for it; otherwise the
    # next term's board is seated early (see _demo_board).
    last_day = demo_term(timezone.localdate(now))[1] - datetime.timedelta(days=1)
    before_the_change = at.replace(year=last_day.year, month=last_day.month, day=last_day.day)
    if timezone.localdate(at) > last_day and before_the_change > now + datetime.timedelta(days=2):
        return before_the_change
    return at


AGENDA = [
    ("Welcome and apologies", None),
    ("Minutes of the last meeting", "Draft minutes"),
    ("Next year's work plan", "Work plan (draft)"),
    ("Board elections", "Election rules"),
]
# The smallest file a PDF reader opens: one empty page.
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def _demo_meetings(now: datetime.datetime, meeting_at: datetime.datetime) -> None:
    montreal = timezone.make_aware(datetime.datetime(2017, 5, 13, 9, 0))
    Meeting.objects.get_or_create(
        kind=Meeting.Kind.GENERAL,
        starts_at=montreal,
        defaults={
            "title_en": "General Meeting 2017",
            "ends_at": montreal + datetime.timedelta(hours=7),
            "city": "Montréal",
            "country": "CA",
            "conference": "International Harm Reduction Conference",
            "public_summary_en": "Members met alongside the conference in Montréal (demo record).",
            "status": Meeting.Status.HELD,
        },
    )
    meeting, created = Meeting.objects.get_or_create(
        kind=Meeting.Kind.BOARD,
        starts_at=meeting_at,
        defaults={
            "title_en": "Annual Board Meeting",
            "title_fr": "Réunion annuelle du conseil d'administration",
            "ends_at": meeting_at + datetime.timedelta(hours=4),
            "online_url": "https://meet.example.org/inpud-board",
            "public_summary_en": "The Board reviews the year and approves next year's work plan.",
        },
    )
    if created:
        for position, (title, paper) in enumerate(AGENDA, start=1):
            item = AgendaItem.objects.create(meeting=meeting, position=position, title_en=title)
            if paper:
                Paper.objects.create(
                    agenda_item=item,
                    title=paper,
                    file=ContentFile(DEMO_PDF, name=f"{paper.lower().replace(' ', '-')}.pdf"),
                )
    # Invited: the board in office on the meeting's day.
    invited = set(meeting.invitations.values_list("person_id", flat=True))
    board = [d.person for _seat, d in board_on(on=timezone.localdate(meeting_at)) if d]
    missing = [person for person in board if person.pk not in invited]
    if missing:
        invitations_send(meeting=meeting, people=missing)
