"""Counting, certifying and publishing: recountable by anyone, nothing shown early."""

import hashlib
import io

import pytest
from django.core.management import call_command

from governance import tally
from governance.models import AuditEntry, Directorship, Election
from governance.services import elections as services
from members.models import Role
from members.selectors import roles_current

from .conftest import make_election, open_for_voting, standing_ids


def vote_all(election, voters, rankings):
    ids = standing_ids(election)
    return [
        services.ballot_cast(election=election, voter=v, choices=[ids[i] for i in r]).code
        for v, r in zip(voters, rankings, strict=True)
    ]


@pytest.fixture
def counted(open_election, delegates):
    # Delegate 0 leads on first preferences but loses after transfers.
    codes = vote_all(open_election, delegates, [[0], [0], [1, 2], [2, 1]])
    services.election_transition(election=open_election, transition="close-voting")
    services.election_transition(election=open_election, transition="tally")
    open_election.refresh_from_db()
    open_election.receipt_codes = codes
    return open_election


def test_the_tally_is_stored_with_turnout_and_quorum(counted):
    result = counted.result

    assert result["method"] == "irv"
    assert result["turnout"] == 4 and result["roll_size"] == 4
    assert result["quorum_met"] is True
    assert len(result["rounds"]) >= 2
    assert counted.ballots_sha256 == hashlib.sha256(counted.ballots_file.encode()).hexdigest()


def test_recounting_gives_the_same_result_every_time(counted):
    assert services.election_count(election=counted) == counted.result
    assert services.election_count(election=counted) == counted.result


def test_the_command_recounts_and_prints_rounds(counted):
    out = io.StringIO()

    call_command("tally_election", str(counted.pk), stdout=out)

    text = out.getvalue()
    assert "Round 1:" in text and "Round 2:" in text
    assert "Turnout: 4 of 4" in text and "quorum 50% met" in text
    assert "Elected:" in text


def test_the_command_refuses_to_count_an_open_vote(open_election):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="after voting has closed"):
        call_command("tally_election", str(open_election.pk))


def test_the_ballot_file_recounts_to_the_same_result_with_another_reader(counted):
    blt = tally.read_blt(counted.ballots_file)

    ids = standing_ids(counted)
    recount = tally.tally_irv(
        candidates=list(range(1, len(ids) + 1)),
        ballots=blt.ballots,
        tie_break=tally.TieBreak(seed=counted.tie_seed),
    )
    winner = ids[recount.elected[0] - 1]
    assert winner == counted.result["elected"][0]
    assert blt.seats == 1


def test_certifying_makes_the_winner_director_of_the_seat(counted, napud_seat, asia_director):
    previous = Directorship.objects.create(
        seat=napud_seat, person=asia_director.person, starts_on="2025-01-01", ends_on=None
    )

    services.election_transition(election=counted, transition="certify")

    winner_id = counted.result["elected"][0]
    winner = counted.candidates.get(pk=winner_id).person
    new = Directorship.objects.get(seat=napud_seat, person=winner)
    assert (str(new.starts_on), str(new.ends_on)) == ("2027-01-01", "2028-12-31")
    assert new.election == counted
    previous.refresh_from_db()
    assert str(previous.ends_on) == "2026-12-31"
    import datetime

    in_2027 = roles_current(on=datetime.date(2027, 6, 1)).filter(
        kind=Role.Kind.DIRECTOR, network=napud_seat.network
    )
    assert list(in_2027.values_list("person", flat=True)) == [winner.pk]
    assert AuditEntry.objects.filter(action="election.certify").exists()


def test_a_result_without_quorum_cannot_be_certified(napud_seat, delegates):
    election = open_for_voting(make_election(napud_seat, quorum_percent=75), delegates[:2])
    vote_all(election, delegates[:1], [[0]])
    services.election_transition(election=election, transition="close-voting")
    services.election_transition(election=election, transition="tally")

    with pytest.raises(services.ElectionError, match="quorum was not met"):
        services.election_transition(election=election, transition="certify")

    election.refresh_from_db()
    assert election.status == Election.Status.TALLIED


def test_nothing_is_counted_or_shown_before_certification(client, open_election, delegates):
    vote_all(open_election, delegates[:2], [[0], [1]])

    body = client.get(f"/en/elections/{open_election.pk}/").content.decode()

    assert "The result is published here once it has been certified." in body
    assert "Round 1" not in body
    assert client.get(f"/en/elections/{open_election.pk}/ballots/").status_code == 404


def test_the_admin_shows_no_counts_while_voting_is_open(
    client, secretariat, open_election, delegates
):
    vote_all(open_election, delegates[:2], [[0], [1]])
    client.force_login(secretariat)

    body = client.get(f"/admin/governance/election/{open_election.pk}/change/").content.decode()

    assert "Round 1" not in body
    assert "Elected:" not in body


def test_the_certified_result_is_published_with_receipts_and_ballots(client, counted):
    services.election_transition(election=counted, transition="certify")

    body = client.get(f"/fr/elections/{counted.pk}/").content.decode()
    download = client.get(f"/en/elections/{counted.pk}/ballots/")

    for code in counted.receipt_codes:
        assert code in body
    assert counted.ballots_sha256 in body
    assert hashlib.sha256(download.content).hexdigest() == counted.ballots_sha256
    assert download["Content-Disposition"].endswith('.blt"')
    assert counted.tie_seed in body


def test_a_draft_election_is_not_public(client, napud_seat):
    election = make_election(napud_seat)

    assert client.get(f"/en/elections/{election.pk}/").status_code == 404
