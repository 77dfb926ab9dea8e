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

from .conftest import count_votes, make_election, name_trustees, open_for_voting, standing_ids


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
    count_votes(open_election)
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
    count_votes(election)

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


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_after_the_close_no_database_trace_links_a_ballot_to_its_voter(napud_seat, delegates):
    from django.db import connection

    election = open_for_voting(make_election(napud_seat), delegates[:3])
    vote_all(election, delegates, [[0], [1], [2], [0, 1]])

    count_votes(election)

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT xmin::text FROM governance_ballot WHERE election_id = %s",
            [election.pk],
        )
        ballot_xmins = {row[0] for row in cursor.fetchall()}
        cursor.execute(
            "SELECT DISTINCT xmin::text FROM governance_receipt WHERE election_id = %s",
            [election.pk],
        )
        receipt_xmins = {row[0] for row in cursor.fetchall()}
        cursor.execute(
            "SELECT xmin::text FROM governance_participation WHERE election_id = %s", [election.pk]
        )
        participation_xmins = {row[0] for row in cursor.fetchall()}
    # Every ballot and receipt was written by the one transaction that opened the box.
    assert len(ballot_xmins) == 1 and ballot_xmins == receipt_xmins
    assert not ballot_xmins & participation_xmins
    assert election.ballots.count() == 4 and election.receipts.count() == 4


def test_opening_writes_the_ballot_box_with_new_ids(open_election, delegates):
    ids = standing_ids(open_election)
    vote_all(open_election, delegates, [[0], [1], [2], [0]])
    sealed = set(open_election.sealed_ballots.values_list("id", flat=True))

    count_votes(open_election)

    opened = set(open_election.ballots.values_list("id", flat=True))
    assert len(opened) == 4 and not sealed & opened
    assert not open_election.sealed_ballots.exists()
    assert sorted(map(tuple, open_election.ballots.values_list("choices", flat=True))) == sorted(
        [(ids[0],), (ids[1],), (ids[2],), (ids[0],)]
    )


def test_names_of_losing_candidates_whose_profile_is_not_public_are_not_published(client, counted):
    from members.models import Person

    losers = counted.candidates.exclude(pk__in=counted.result["elected"]).order_by("pk")
    hidden = losers.first()
    Person.objects.filter(pk=hidden.person_id).update(visibility="members")
    services.election_transition(election=counted, transition="certify")

    body = client.get(f"/en/elections/{counted.pk}/").content.decode()
    ballots = client.get(f"/en/elections/{counted.pk}/ballots/").content.decode()

    number = standing_ids(counted).index(hidden.pk) + 1
    assert hidden.person.display_name not in body
    assert f"Candidate {number}" in body
    assert hidden.person.display_name not in ballots


def test_during_voting_no_page_shows_turnout_receipts_or_counts(
    client, secretariat, open_election, delegates
):
    codes = vote_all(open_election, delegates[:2], [[0], [1]])
    client.force_login(secretariat)

    pages = [
        client.get(f"/en/elections/{open_election.pk}/").content.decode(),
        client.get(f"/admin/governance/election/{open_election.pk}/change/").content.decode(),
        client.get("/admin/governance/election/").content.decode(),
    ]

    for body in pages:
        for code in codes:
            assert code not in body
        assert "2 of 4" not in body
    assert client.get(f"/en/elections/{open_election.pk}/ballots/").status_code == 404
    assert client.get("/admin/governance/ballot/").status_code == 404
    assert client.get("/admin/governance/participation/").status_code == 404


def test_an_executive_election_runs_end_to_end(client, enpud, napud_seat, delegates):
    import datetime

    from governance.models import BoardSeat, Directorship

    enpud_seat = BoardSeat.objects.create(network=enpud)
    chair = Directorship.objects.create(
        seat=napud_seat,
        person=delegates[0],
        starts_on=datetime.date(2025, 1, 1),
        officer=Directorship.Officer.CHAIR,
    )
    member = Directorship.objects.create(
        seat=enpud_seat, person=delegates[1], starts_on=datetime.date(2025, 1, 1)
    )
    election = Election.objects.create(
        title_en="Executive 2027",
        method="stv",
        seats=2,
        electorate=Election.Electorate.BOARD,
        nominations_open_at=in_days(-3),
        nominations_close_at=in_days(-2),
        voting_open_at=in_days(-1 / 24),
        voting_close_at=in_days(1 / 24),
        term_starts_on=datetime.date(2026, 1, 1),
        term_ends_on=datetime.date(2027, 12, 31),
    )
    services.election_transition(election=election, transition="open-nominations")
    # A director nominates in the member area; the nominee list is the board.
    client.force_login(delegates[0].user)
    page = client.get(f"/en/portal/elections/{election.pk}/nominate/")
    assert {p.pk for p in page.context["form"].fields["person"].queryset} == {
        delegates[0].pk,
        delegates[1].pk,
    }
    for person in (delegates[0], delegates[1]):
        services.candidate_nominate(election=election, person=person, nominated_by=person)
    services.election_transition(election=election, transition="close-nominations")
    name_trustees(election, [delegates[2], delegates[3]])
    services.election_transition(election=election, transition="open-voting")
    ids = standing_ids(election)
    for voter in (delegates[0], delegates[1]):
        services.ballot_cast(election=election, voter=voter, choices=ids)
    count_votes(election)
    services.election_transition(election=election, transition="certify")

    chair.refresh_from_db()
    member.refresh_from_db()
    assert chair.officer == Directorship.Officer.CHAIR  # keeps the higher office
    assert member.officer == Directorship.Officer.EXECUTIVE


def in_days(days: float):
    import datetime

    from django.utils import timezone

    return timezone.now() + datetime.timedelta(days=days)


def test_a_reelected_director_keeps_one_role_at_a_time(counted, napud_seat):
    import datetime

    winner = counted.candidates.get(pk=counted.result["elected"][0]).person
    # The winner already directs NAPUD: an open-ended role from before.
    from members.services import role_grant

    role_grant(
        person=winner,
        kind=Role.Kind.DIRECTOR,
        network=napud_seat.network,
        starts_on=datetime.date(2024, 1, 1),
    )

    services.election_transition(election=counted, transition="certify")

    roles = winner.roles.filter(kind=Role.Kind.DIRECTOR).order_by("starts_on")
    assert [(str(r.starts_on), str(r.ends_on)) for r in roles] == [
        ("2024-01-01", "2026-12-31"),
        ("2027-01-01", "2028-12-31"),
    ]
