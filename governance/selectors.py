import datetime

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import Person, Role
from members.selectors import roles_current

from .models import (
    BoardSeat,
    Candidate,
    Directorship,
    Election,
    Meeting,
    Minutes,
    Voter,
    WorkPlan,
    WorkPlanActivity,
)


def directorships_current(*, on: datetime.date | None = None) -> QuerySet[Directorship]:
    on = on or timezone.localdate()
    return Directorship.objects.filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=on), starts_on__lte=on
    )


def board_on(*, on: datetime.date) -> list[tuple[BoardSeat, Directorship | None]]:
    """Every seat with its director on that day (None when vacant)."""
    current = {
        d.seat_id: d for d in directorships_current(on=on).select_related("person", "seat__network")
    }
    seats = BoardSeat.objects.select_related("network__region").order_by("position")
    return [(seat, current.get(seat.pk)) for seat in seats]


def board_years(*, today: datetime.date) -> list[int]:
    """The past years with a board on record, latest first: from the year the first
    recorded directorship started up to last year."""
    first = Directorship.objects.order_by("starts_on").values_list("starts_on", flat=True).first()
    if first is None:
        return []
    return list(range(today.year - 1, first.year - 1, -1))


def board_incoming_starts(*, today: datetime.date) -> list[datetime.date]:
    """The days, after today, on which a director takes office, soonest first.

    A directorship is only recorded once it is decided (a certified election or an
    appointment), so an incoming board is public as soon as it exists."""
    return sorted(
        set(Directorship.objects.filter(starts_on__gt=today).values_list("starts_on", flat=True))
    )


def network_members(*, network) -> QuerySet[Person]:
    """People with a current role in the network: its director, staff and the
    voting delegates of its member organisations."""
    return Person.objects.filter(
        pk__in=roles_current()
        .filter(Q(network=network) | Q(organisation__network=network))
        .values("person_id")
    )


def election_electorate(*, election: Election) -> QuerySet[Person]:
    """Who may vote, by the election's rule, as of now (the roll freezes it)."""
    current = roles_current()
    if election.electorate == Election.Electorate.DELEGATES:
        ids = current.filter(
            kind=Role.Kind.VOTING_DELEGATE, organisation__network=election.network
        ).values("person_id")
    elif election.electorate == Election.Electorate.STEERING:
        ids = current.filter(
            kind__in=[Role.Kind.DIRECTOR, Role.Kind.NETWORK_STAFF], network=election.network
        ).values("person_id")
    else:
        ids = directorships_current().values("person_id")
    return Person.objects.filter(pk__in=ids)


def elections_for_person(*, person: Person) -> QuerySet[Election]:
    """Elections a member can take part in: their network's, those they are on the
    roll of or stand in, and board elections if they are a director."""
    networks = (
        roles_current().filter(person=person).values_list("network_id", "organisation__network_id")
    )
    network_ids = {a or b for a, b in networks} - {None}
    board = Q(pk__in=[])
    if directorships_current().filter(person=person).exists():
        board = Q(electorate=Election.Electorate.BOARD)
    # Subqueries, not joins: a join on the roll would multiply rows by its size.
    return (
        Election.objects.exclude(status=Election.Status.DRAFT)
        .filter(
            Q(network_id__in=network_ids)
            | Q(pk__in=Voter.objects.filter(person=person).values("election_id"))
            | Q(pk__in=Candidate.objects.filter(person=person).values("election_id"))
            | board
        )
        .select_related("network", "seat__network")
    )


def meetings_public() -> QuerySet[Meeting]:
    return Meeting.objects.filter(is_public=True).exclude(status=Meeting.Status.CANCELLED)


def meetings_upcoming_public(*, limit: int) -> QuerySet[Meeting]:
    """The next public meetings that are still to be held, soonest first."""
    return (
        meetings_public()
        .filter(ends_at__gte=timezone.now(), status=Meeting.Status.SCHEDULED)
        .order_by("starts_at")[:limit]
    )


def meetings_for_person(*, person: Person) -> QuerySet[Meeting]:
    """Meetings the person is invited to."""
    return Meeting.objects.filter(invitations__person=person).distinct()


def meetings_upcoming_for_person(*, person: Person) -> QuerySet[Meeting]:
    return (
        meetings_for_person(person=person)
        .filter(ends_at__gte=timezone.now(), status=Meeting.Status.SCHEDULED)
        .order_by("starts_at")
        .prefetch_related("agenda__papers")
    )


def minutes_to_review(*, person: Person) -> QuerySet[Minutes]:
    """Draft minutes of meetings the person was invited to."""
    return (
        Minutes.objects.filter(meeting__invitations__person=person, approved_revision__isnull=True)
        .select_related("meeting")
        .prefetch_related("revisions")
        .distinct()
    )


def governance_warnings(*, today: datetime.date | None = None) -> list[str]:
    """What the secretariat should not forget: the biennial General Meeting and
    the annual Board Meeting."""
    today = today or timezone.localdate()
    warnings = []
    general = Meeting.objects.filter(kind=Meeting.Kind.GENERAL).exclude(
        status=Meeting.Status.CANCELLED
    )
    last = general.filter(starts_at__date__lte=today).order_by("-starts_at").first()
    if last is not None:
        held = last.starts_at.date()
        # Two years on; a meeting held on 29 February is due by 28 February.
        deadline = held.replace(
            year=held.year + 2, day=min(held.day, 28) if held.month == 2 else held.day
        )
        if not general.filter(
            starts_at__date__gt=last.starts_at.date(), starts_at__date__lte=deadline
        ).exists():
            warnings.append(
                _("No General Meeting is scheduled within two years of the last one (%(date)s).")
                % {"date": last.starts_at.date().isoformat()}
            )
    elif not general.exists():
        warnings.append(_("No General Meeting is recorded or scheduled."))
    board_this_year = Meeting.objects.filter(
        kind=Meeting.Kind.BOARD, starts_at__year=today.year
    ).exclude(status=Meeting.Status.CANCELLED)
    if not board_this_year.filter(status=Meeting.Status.HELD).exists():
        if board_this_year.exists():
            warnings.append(_("This year's Board Meeting is scheduled but has not been held yet."))
        else:
            warnings.append(_("No Board Meeting has been held or scheduled this year."))
    return warnings


def _with_activities(queryset: QuerySet[WorkPlan]) -> QuerySet[WorkPlan]:
    activities = WorkPlanActivity.objects.select_related("objective")
    return queryset.select_related("plan", "approved_by__meeting").prefetch_related(
        Prefetch("activities", queryset=activities)
    )


def work_plans_approved(*, plan) -> QuerySet[WorkPlan]:
    """The strategic plan's work plans the board has approved, latest year first."""
    return _with_activities(WorkPlan.objects.filter(plan=plan, approved_by__isnull=False))


def work_plans_for_directors(*, today: datetime.date | None = None) -> QuerySet[WorkPlan]:
    """What directors read before approving: this year's work plan (approved or
    not) and every draft still waiting for the board, latest year first."""
    today = today or timezone.localdate()
    return _with_activities(
        WorkPlan.objects.filter(Q(year=today.year) | Q(approved_by__isnull=True))
    )
