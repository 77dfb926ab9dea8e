"""A member's home in the member area: who they are in the network, and what
needs their attention (seat, elections, meetings, minutes)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from members.models import Network, Person
from members.skills_register import can_use_register
from members.visibility import active_roles, network_ids_of

from ..models import Election, ElectionTrustee
from ..selectors import (
    directorships_current,
    elections_for_person,
    meetings_upcoming_for_person,
    minutes_to_review,
)


@login_required
def home(request):
    try:
        person = request.user.person
    except Person.DoesNotExist as exc:
        raise PermissionDenied from exc
    elections = elections_for_person(person=person).exclude(status=Election.Status.CERTIFIED)
    return render(
        request,
        "governance/portal/dashboard.html",
        {
            "person": person,
            "can_use_register": can_use_register(request.user),
            "roles": active_roles(request.user).select_related("network", "organisation__network"),
            "networks": Network.objects.filter(pk__in=network_ids_of(request.user)).select_related(
                "region"
            ),
            "directorship": directorships_current()
            .filter(person=person)
            .select_related("seat__network")
            .first(),
            "elections": elections.order_by("voting_close_at"),
            "trusteeships": ElectionTrustee.objects.filter(person=person)
            .exclude(election__status=Election.Status.CERTIFIED)
            .select_related("election"),
            "meetings": meetings_upcoming_for_person(person=person)[:5],
            "minutes_to_review": minutes_to_review(person=person),
        },
    )
