"""Board seats for the real networks, and demo directorships and an election."""

import datetime

from django.db import transaction
from django.utils import timezone

from members.models import Network, Organisation, Person, Role
from members.services import role_grant

from .models import BoardSeat, Directorship, Election

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
