"""Directorships recorded by the secretariat (appointments, historical terms)."""

from django.db import transaction
from django.utils.translation import gettext as _

from members.models import Role
from members.services import role_grant

from ..models import Directorship
from .audit import audit_record
from .errors import GovernanceError


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


@transaction.atomic
def directorship_delete(*, directorship: Directorship, actor=None) -> None:
    """Remove a directorship entered by mistake. A term that a certified election
    gave is part of that election's record: it can be ended, never deleted."""
    if directorship.election_id:
        raise GovernanceError(
            _("This term was given by an election: end it on its last day instead.")
        )
    audit_record(
        actor=actor,
        action="directorship.delete",
        obj=directorship,
        summary=(
            f"{directorship.person.display_name}: {directorship.seat} "
            f"({directorship.starts_on}–{directorship.ends_on or '…'}) deleted"
        ),
    )
    directorship.delete()
