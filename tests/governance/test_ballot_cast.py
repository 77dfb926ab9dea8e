"""Casting a secret ballot: one per voter, only in the window, only valid choices."""

import datetime

import pytest
from django.db import models

from governance.models import Ballot, Election, Participation, Receipt, SealedBallot
from governance.services import elections as services

from ..factories import PersonFactory
from .conftest import count_votes, make_election, name_trustees, open_for_voting, standing_ids


def test_it_counts_a_ballot_and_gives_a_receipt(open_election, delegates):
    ids = standing_ids(open_election)

    receipt = services.ballot_cast(
        election=open_election, voter=delegates[3], choices=[ids[1], ids[0]]
    )

    assert len(receipt.code) == 12
    assert Participation.objects.filter(person=delegates[3]).exists()
    # Sealed while voting: neither the choices nor the receipt code are readable.
    assert SealedBallot.objects.filter(election=open_election).count() == 1
    assert not Ballot.objects.exists() and not Receipt.objects.exists()

    count_votes(open_election)

    assert list(Ballot.objects.values_list("choices", flat=True)) == [[ids[1], ids[0]]]
    assert Receipt.objects.get().code == receipt.code


def test_a_second_ballot_from_the_same_voter_is_refused(open_election, delegates):
    ids = standing_ids(open_election)
    services.ballot_cast(election=open_election, voter=delegates[3], choices=[ids[0]])

    with pytest.raises(services.ElectionError, match="already voted"):
        services.ballot_cast(election=open_election, voter=delegates[3], choices=[ids[1]])

    assert SealedBallot.objects.count() == 1


def test_someone_not_on_the_roll_cannot_vote(open_election):
    stranger = PersonFactory()

    with pytest.raises(services.ElectionError, match="not on the electoral roll"):
        services.ballot_cast(
            election=open_election, voter=stranger, choices=standing_ids(open_election)[:1]
        )

    assert not SealedBallot.objects.exists()


@pytest.mark.parametrize(
    ("choices", "message"),
    [
        (lambda ids: [], "empty"),
        (lambda ids: [999999], "not a candidate"),
        (lambda ids: [ids[0], ids[0]], "only once"),
        (lambda ids: [ids[0], 999999], "not a candidate"),
    ],
)
def test_a_bad_ballot_is_refused_and_changes_nothing(open_election, delegates, choices, message):
    with pytest.raises(services.ElectionError, match=message):
        services.ballot_cast(
            election=open_election, voter=delegates[3], choices=choices(standing_ids(open_election))
        )

    assert not SealedBallot.objects.exists()
    assert not Participation.objects.exists()


def test_a_plurality_ballot_has_exactly_one_choice(napud_seat, delegates):
    election = open_for_voting(
        make_election(napud_seat, method=Election.Method.PLURALITY), delegates[:2]
    )

    with pytest.raises(services.ElectionError, match="exactly one"):
        services.ballot_cast(election=election, voter=delegates[3], choices=standing_ids(election))


def test_a_declined_nominee_is_not_on_the_ballot(napud_seat, delegates):
    election = make_election(napud_seat)
    services.election_transition(election=election, transition="open-nominations")
    services.candidate_nominate(election=election, person=delegates[0], nominated_by=delegates[0])
    declined = services.candidate_nominate(
        election=election, person=delegates[1], nominated_by=delegates[0]
    )
    services.candidate_respond(candidate=declined, accept=False)
    services.election_transition(election=election, transition="close-nominations")
    name_trustees(election)
    services.election_transition(election=election, transition="open-voting")

    with pytest.raises(services.ElectionError, match="not a candidate"):
        services.ballot_cast(election=election, voter=delegates[3], choices=[declined.pk])


def test_voting_before_the_window_or_after_it_is_refused(open_election, delegates):
    ids = standing_ids(open_election)
    for moment in [
        open_election.voting_open_at - datetime.timedelta(seconds=1),
        open_election.voting_close_at,
    ]:
        with pytest.raises(services.ElectionError, match="not open"):
            services.ballot_cast(
                election=open_election, voter=delegates[3], choices=ids[:1], now=moment
            )

    assert not SealedBallot.objects.exists()


def test_a_ballot_after_the_close_is_refused(open_election, delegates):
    services.election_transition(election=open_election, transition="close-voting")

    with pytest.raises(services.ElectionError, match="not open"):
        services.ballot_cast(
            election=open_election, voter=delegates[3], choices=standing_ids(open_election)[:1]
        )


def test_the_ballot_schema_cannot_link_a_ballot_to_a_voter():
    """No foreign key to a person or user, no time, no sequence: by construction."""
    for model in (Ballot, Receipt):
        fields = {f.name: f for f in model._meta.get_fields() if f.concrete}
        assert isinstance(fields["id"], models.UUIDField)
        assert set(fields) <= {"id", "election", "choices", "code"}
        for field in fields.values():
            assert not isinstance(field, models.DateTimeField | models.DateField | models.AutoField)
            if field.is_relation:
                assert field.related_model is Election
    participation = {f.name for f in Participation._meta.get_fields() if f.concrete}
    assert participation == {"id", "election", "person"}


def test_ballot_ids_are_random(open_election, delegates):
    ids = standing_ids(open_election)
    for voter in delegates:
        services.ballot_cast(election=open_election, voter=voter, choices=ids[:1])

    sealed_ids = list(SealedBallot.objects.values_list("id", flat=True))
    assert len(set(sealed_ids)) == 4
    assert all(b.version == 4 for b in sealed_ids)

    count_votes(open_election)

    ballot_ids = list(Ballot.objects.values_list("id", flat=True))
    assert len(set(ballot_ids)) == 4
    assert all(b.version == 4 for b in ballot_ids)
