"""Directorships recorded by the secretariat (appointments, historical terms)."""

from django.db import transaction

from members.models import Role
from members.services import role_grant

from ..models import Directorship
from .audit import audit_record


@transaction.atomic
def directorship_record(*, directorship: Directorship, actor=None) -> Directorship:
    """Save a directorship entered in the admin. A current or future term also gives
    the person the network's director role for the same dates, as an election does."""
    created = directorship.pk is None
    directorship.full_clean()
    directorship.save()
    if created:
        role_grant(
            person=directorship.person,
            kind=Role.Kind.DIRECTOR,
            network=directorship.seat.network,
            starts_on=directorship.starts_on,
            ends_on=directorship.ends_on,
        )
    audit_record(
        actor=actor,
        action="directorship.record" if created else "directorship.change",
        obj=directorship,
        summary=(
            f"{directorship.person.display_name}: {directorship.seat} "
            f"({directorship.get_origin_display()}, "
            f"{directorship.starts_on}–{directorship.ends_on or '…'})"
        ),
    )
    return directorship
