import datetime

import pytest
from django.utils import timezone, translation

from governance.models import BoardSeat, Candidate, Election, ElectionTrustee
from governance.services import elections as services
from governance.services import sealing
from members.models import Role

from ..factories import OrganisationFactory, enable_totp, person_with_role


@pytest.fixture(autouse=True)
def _no_language_left_active():
    """A request under /fr/ leaves French active in the thread; the next test must
    start in the default language, as a fresh worker does."""
    yield
    translation.deactivate()


@pytest.fixture
def napud_seat(napud):
    return BoardSeat.objects.create(network=napud, position=1)


@pytest.fixture
def delegates(napud):
    """Four voting delegates of NAPUD member organisations, with authenticators."""
    people = []
    for n in range(4):
        org = OrganisationFactory(network=napud, slug=f"napud-member-{n}")
        person = person_with_role(
            Role.Kind.VOTING_DELEGATE, organisation=org, display_name=f"Delegate {n}"
        )
        person.totp_secret = enable_totp(person.user)
        people.append(person)
    return people


def make_election(seat, *, method=Election.Method.IRV, seats=1, **fields) -> Election:
    now = timezone.now()
    defaults = {
        "title_en": "NAPUD board seat 2027",
        "network": seat.network,
        "seat": seat,
        "method": method,
        "seats": seats,
        "electorate": Election.Electorate.DELEGATES,
        "nominations_open_at": now - datetime.timedelta(days=3),
        "nominations_close_at": now - datetime.timedelta(days=2),
        "voting_open_at": now - datetime.timedelta(hours=1),
        "voting_close_at": now + datetime.timedelta(hours=1),
        "term_starts_on": datetime.date(2027, 1, 1),
        "term_ends_on": datetime.date(2028, 12, 31),
        "trustee_threshold": 1,
    }
    return Election.objects.create(**(defaults | fields))


# Trustee keys the tests' trustees collected, by election: a real trustee keeps
# theirs offline, the portal keeps none.
TRUSTEE_KEYS: dict[int, list[tuple[int, str]]] = {}


def name_trustees(election: Election, people=None) -> list[tuple[int, str]]:
    """Name trustees (a secretariat member unless given) and collect their keys,
    as they do in the member area before voting opens."""
    if people is None:
        people = [person_with_role(Role.Kind.SECRETARIAT, display_name="Trustee")]
    keys = TRUSTEE_KEYS.setdefault(election.pk, [])
    for person in people:
        trustee = ElectionTrustee.objects.create(election=election, person=person)
        keys.append((trustee.pk, sealing.trustee_key_collect(trustee=trustee)))
    return keys


def count_votes(election: Election, *, actor=None) -> Election:
    """Close voting and let the trustees open the box, which counts the votes."""
    services.election_transition(election=election, transition="close-voting", actor=actor)
    for trustee_pk, key in TRUSTEE_KEYS[election.pk]:
        trustee = ElectionTrustee.objects.get(pk=trustee_pk)
        if sealing.trustee_key_enter(trustee=trustee, key=key, actor=actor):
            break
    return Election.objects.get(pk=election.pk)


def open_for_voting(election: Election, candidates) -> Election:
    """Draft → voting open, with these people standing."""
    services.election_transition(election=election, transition="open-nominations")
    for person in candidates:
        services.candidate_nominate(election=election, person=person, nominated_by=person)
    services.election_transition(election=election, transition="close-nominations")
    if not election.trustees.exists():
        name_trustees(election)
    return services.election_transition(election=election, transition="open-voting")


def standing_ids(election) -> list[int]:
    return list(
        election.candidates.filter(status=Candidate.Status.ACCEPTED)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


@pytest.fixture
def open_election(napud_seat, delegates):
    """An instant-runoff election for NAPUD's seat, voting open, the first three
    delegates standing, all four on the roll."""
    election = make_election(napud_seat)
    return open_for_voting(election, delegates[:3])
