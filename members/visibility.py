"""Who may see which organisations and people.

Public pages never call these with a user: they show PUBLIC records only. The member
area uses them, so a director sees their own network's members-only records and
nothing non-public of any other network.
"""

from django.db.models import Q, QuerySet

from .models import Organisation, Person, Role, Visibility

SECRETARIAT_PERMISSION = "members.view_private_directory"


def is_secretariat(user) -> bool:
    """A current secretariat role (or a superuser), not merely a group membership
    that may outlive the role by a few minutes (see members.tasks.sync_access)."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_superuser:
        return True
    return (
        user.has_perm(SECRETARIAT_PERMISSION)
        and active_roles(user).filter(kind=Role.Kind.SECRETARIAT).exists()
    )


def active_roles(user) -> QuerySet[Role]:
    from .selectors import roles_current

    if not user.is_authenticated:
        return Role.objects.none()
    return roles_current().filter(person__user=user)


def network_ids_of(user) -> set[int]:
    """The networks whose members-only records this user may read."""
    ids = set()
    for network_id, org_network_id in active_roles(user).values_list(
        "network_id", "organisation__network_id"
    ):
        ids.add(network_id or org_network_id)
    ids.discard(None)
    return ids


def organisations_visible_to(user, queryset: QuerySet[Organisation] | None = None):
    queryset = Organisation.objects.all() if queryset is None else queryset
    if is_secretariat(user):
        return queryset
    members_rule = Q(visibility=Visibility.MEMBERS, network_id__in=network_ids_of(user))
    return queryset.filter(Q(visibility=Visibility.PUBLIC) | members_rule)


def people_visible_to(user, queryset: QuerySet[Person] | None = None):
    queryset = Person.objects.all() if queryset is None else queryset
    if is_secretariat(user):
        return queryset
    networks = network_ids_of(user)
    shares_network = Q(roles__network_id__in=networks) | Q(
        roles__organisation__network_id__in=networks
    )
    own = Q(user=user) if user.is_authenticated else Q(pk__in=[])
    return queryset.filter(
        Q(visibility=Visibility.PUBLIC) | own | (Q(visibility=Visibility.MEMBERS) & shares_network)
    ).distinct()


def can_edit_organisation(user, organisation: Organisation) -> bool:
    """Directors and staff of a network keep its directory entries up to date.
    Secretariat-only entries are edited in the admin only, where that level exists."""
    if organisation.visibility == Visibility.SECRETARIAT:
        return False
    if is_secretariat(user):
        return True
    return (
        active_roles(user)
        .filter(
            kind__in=[Role.Kind.DIRECTOR, Role.Kind.NETWORK_STAFF],
            network_id=organisation.network_id,
        )
        .exists()
    )
