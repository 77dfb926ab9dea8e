"""Ballots sealed to the election key while voting is open; trustees open the box."""

import io
import json

import pytest
from django.core.management import call_command

from governance.models import AuditEntry, Ballot, ElectionTrustee, Receipt, SealedBallot
from governance.services import elections as services
from governance.services import sealing
from members.models import Role

from ..factories import person_with_role
from .conftest import make_election, standing_ids

pytestmark = pytest.mark.django_db


@pytest.fixture
def trustees(db):
    return [person_with_role(Role.Kind.SECRETARIAT, display_name=f"Trustee {n}") for n in range(3)]


def sealed_for_voting(seat, candidates, trustees, **fields):
    """Draft → voting open with three trustees holding keys (two open the box).
    Returns the election and each trustee's key."""
    election = make_election(seat, **({"trustee_threshold": 2} | fields))
    keys = {}
    for person in trustees:
        trustee = ElectionTrustee.objects.create(election=election, person=person)
        keys[person.pk] = sealing.trustee_key_collect(trustee=trustee)
    services.election_transition(election=election, transition="open-nominations")
    for person in candidates:
        services.candidate_nominate(election=election, person=person, nominated_by=person)
    services.election_transition(election=election, transition="close-nominations")
    election = services.election_transition(election=election, transition="open-voting")
    return election, keys


@pytest.fixture
def sealed(napud_seat, delegates, trustees):
    return sealed_for_voting(napud_seat, delegates[:3], trustees)


def trustee_of(election, person):
    return ElectionTrustee.objects.get(election=election, person=person)


def test_it_stores_only_sealed_ballots_of_one_size_while_voting(sealed, delegates):
    election, _keys = sealed
    ids = standing_ids(election)
    services.ballot_cast(election=election, voter=delegates[0], choices=[ids[0]])
    services.ballot_cast(election=election, voter=delegates[1], choices=[ids[2], ids[1], ids[0]])

    assert Ballot.objects.count() == 0 and Receipt.objects.count() == 0
    sizes = {len(bytes(s)) for s in SealedBallot.objects.values_list("sealed", flat=True)}
    assert len(sizes) == 1 and sizes.pop() > sealing.BALLOT_SIZE
    raw = b"".join(bytes(s) for s in SealedBallot.objects.values_list("sealed", flat=True))
    assert json.dumps([ids[0]]).encode() not in raw
    # The election keeps its public key only; each trustee's share is sealed to them.
    assert len(bytes(election.ballot_public_key)) == 32
    assert all(t.sealed_share for t in election.trustees.all())


def test_it_refuses_to_open_voting_before_every_trustee_has_a_key(napud_seat, delegates, trustees):
    election = make_election(napud_seat)
    ElectionTrustee.objects.create(election=election, person=trustees[0])
    services.election_transition(election=election, transition="open-nominations")
    services.candidate_nominate(election=election, person=delegates[0], nominated_by=delegates[0])
    services.election_transition(election=election, transition="close-nominations")

    with pytest.raises(services.ElectionError, match="Trustee 0"):
        services.election_transition(election=election, transition="open-voting")


def test_it_refuses_a_threshold_above_the_number_of_trustees(napud_seat, delegates, trustees):
    election = make_election(napud_seat, trustee_threshold=3)
    trustee = ElectionTrustee.objects.create(election=election, person=trustees[0])
    sealing.trustee_key_collect(trustee=trustee)
    services.election_transition(election=election, transition="open-nominations")
    services.candidate_nominate(election=election, person=delegates[0], nominated_by=delegates[0])
    services.election_transition(election=election, transition="close-nominations")

    with pytest.raises(services.ElectionError, match="3 trustees open the box, 1 named"):
        services.election_transition(election=election, transition="open-voting")


def test_a_trustee_key_is_given_once(napud_seat, trustees):
    election = make_election(napud_seat)
    trustee = ElectionTrustee.objects.create(election=election, person=trustees[0])
    key = sealing.trustee_key_collect(trustee=trustee)

    assert len(key.replace(" ", "")) == 52
    with pytest.raises(services.ElectionError, match="already collected"):
        sealing.trustee_key_collect(trustee=trustee)
    assert AuditEntry.objects.filter(action="election.trustee.key-collected").count() == 1


def test_two_of_three_trustees_open_the_box_and_the_votes_are_counted(sealed, delegates, trustees):
    election, keys = sealed
    ids = standing_ids(election)
    cast = [[ids[0]], [ids[1], ids[0]], [ids[0], ids[2]], [ids[2]]]
    codes = [
        services.ballot_cast(election=election, voter=voter, choices=choices).code
        for voter, choices in zip(delegates, cast, strict=True)
    ]
    services.election_transition(election=election, transition="close-voting")
    with pytest.raises(services.ElectionError, match="still sealed"):
        services.election_transition(election=election, transition="tally")

    first = sealing.trustee_key_enter(
        trustee=trustee_of(election, trustees[2]), key=keys[trustees[2].pk]
    )
    # The portal holds no share it can read: only sealed hand-overs to the others.
    assert first is False
    assert all(t.handed_over for t in election.trustees.filter(share_entered_at__isnull=True))
    second = sealing.trustee_key_enter(
        trustee=trustee_of(election, trustees[0]), key=keys[trustees[0].pk].lower()
    )

    election.refresh_from_db()
    assert second is True and election.status == election.Status.TALLIED
    assert sorted(Ballot.objects.values_list("choices", flat=True)) == sorted(cast)
    assert sorted(Receipt.objects.values_list("code", flat=True)) == sorted(codes)
    assert SealedBallot.objects.count() == 0
    assert not any(t.sealed_share or t.handed_over for t in election.trustees.all())
    assert election.result["elected"] == [ids[0]]
    actions = list(
        AuditEntry.objects.filter(object_id=str(election.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions[-4:] == [
        "election.trustee.key-entered",
        "election.trustee.key-entered",
        "election.box-opened",
        "election.tally",
    ]
    out = io.StringIO()
    call_command("tally_election", str(election.pk), stdout=out)
    assert "Elected: Delegate 0" in out.getvalue()


def test_a_key_that_is_not_the_trustees_is_refused(sealed, trustees):
    election, keys = sealed
    services.election_transition(election=election, transition="close-voting")

    with pytest.raises(services.ElectionError, match="not your trustee key"):
        sealing.trustee_key_enter(
            trustee=trustee_of(election, trustees[0]), key=keys[trustees[1].pk]
        )
    with pytest.raises(services.ElectionError, match="not a trustee key"):
        sealing.trustee_key_enter(trustee=trustee_of(election, trustees[0]), key="not a key")
    assert trustee_of(election, trustees[0]).share_entered_at is None


def test_a_trustee_gives_their_key_only_once_and_only_after_the_close(sealed, trustees):
    election, keys = sealed
    trustee = trustee_of(election, trustees[0])
    with pytest.raises(services.ElectionError, match="not waiting"):
        sealing.trustee_key_enter(trustee=trustee, key=keys[trustees[0].pk])
    services.election_transition(election=election, transition="close-voting")
    sealing.trustee_key_enter(trustee=trustee, key=keys[trustees[0].pk])

    with pytest.raises(services.ElectionError, match="already given"):
        sealing.trustee_key_enter(trustee=trustee, key=keys[trustees[0].pk])


def test_the_scheduler_closes_a_sealed_vote_and_waits_for_the_trustees(sealed):
    import datetime

    from django.utils import timezone

    election, _keys = sealed
    later = timezone.now() + datetime.timedelta(hours=2)

    assert services.elections_advance_due(now=later) == [f"{election.pk}:close-voting"]
    election.refresh_from_db()
    assert election.status == election.Status.VOTING_CLOSED
    assert not AuditEntry.objects.filter(action__endswith=".refused").exists()


def test_tally_election_refuses_a_box_the_trustees_have_not_opened(sealed):
    from django.core.management.base import CommandError

    election, _keys = sealed
    services.election_transition(election=election, transition="close-voting")

    with pytest.raises(CommandError, match="still sealed"):
        call_command("tally_election", str(election.pk), stdout=io.StringIO())
