import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from members.models import Person, Role
from members.selectors import roles_current

from .models import BoardSeat, Directorship, Election


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
    roll of, and those they stand or were nominated in."""
    networks = (
        roles_current().filter(person=person).values_list("network_id", "organisation__network_id")
    )
    network_ids = {a or b for a, b in networks} - {None}
    return (
        Election.objects.exclude(status=Election.Status.DRAFT)
        .filter(
            Q(network_id__in=network_ids)
            | Q(roll__person=person)
            | Q(candidates__person=person)
            | Q(electorate=Election.Electorate.BOARD, seat__isnull=True)
        )
        .distinct()
        .select_related("network", "seat__network")
    )
