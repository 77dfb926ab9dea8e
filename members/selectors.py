import datetime

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from .models import Network, Organisation, Person, Role, Visibility


def roles_current(*, on: datetime.date | None = None) -> QuerySet[Role]:
    on = on or timezone.localdate()
    return Role.objects.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on), starts_on__lte=on)


def networks_for_directory() -> QuerySet[Network]:
    """All member networks with their region, for the public list."""
    return Network.objects.select_related("region").order_by("position", "acronym")


def organisations_public() -> QuerySet[Organisation]:
    return Organisation.objects.filter(visibility=Visibility.PUBLIC)


def organisations_for_listing(queryset: QuerySet[Organisation]) -> QuerySet[Organisation]:
    """What a directory listing shows of each organisation, in a fixed number of queries."""
    return queryset.select_related("network").prefetch_related("activities", "needs")


def network_profile(*, slug: str) -> Network:
    """A network with everything its public page shows, public records only."""
    public_people = Person.objects.filter(visibility=Visibility.PUBLIC)
    current_roles = (
        roles_current()
        .filter(person__in=public_people, kind__in=[Role.Kind.DIRECTOR, Role.Kind.NETWORK_STAFF])
        .select_related("person")
        .order_by("kind", "person__display_name")
    )
    return (
        Network.objects.select_related("region")
        .prefetch_related(
            "former_names",
            "endorsements",
            # Only what the page shows (activities, not needs), each into a plain
            # list: a prefetch without to_attr builds a filtered queryset per
            # organisation, which cost more than the page's queries.
            Prefetch(
                "organisations",
                queryset=organisations_public().prefetch_related(
                    Prefetch("activities", to_attr="listed_activities")
                ),
                to_attr="public_organisations",
            ),
            Prefetch("roles", queryset=current_roles, to_attr="public_roles"),
        )
        .get(slug=slug)
    )
