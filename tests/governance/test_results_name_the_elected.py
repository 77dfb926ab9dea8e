"""Results name the elected: standing makes the name public if elected, the incoming
board is public once certified, and a count with nothing (or something broken) to
count says so instead of electing by lot or ending in a traceback."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation
from django.utils.formats import date_format
from django.utils.html import escape

from governance import tally
from governance.models import Ballot, Directorship, Election, SealedBallot
from governance.services import elections as services
from governance.services import sealing

from ..factories import PersonFactory
from .conftest import count_votes, make_election, open_for_voting, standing_ids


def cast(election, voters, choices_by_position):
    ids = standing_ids(election)
    for voter, positions in zip(voters, choices_by_position, strict=True):
        services.ballot_cast(election=election, voter=voter, choices=[ids[i] for i in positions])


def close_and_tally(election):
    return count_votes(election)


@pytest.fixture
def certified(napud_seat, delegates):
    """Delegate 1 wins NAPUD's seat outright; Delegate 0 and 2 lose. Every delegate's
    profile is members-only."""
    assert {p.visibility for p in delegates} == {"members"}
    election = open_for_voting(make_election(napud_seat), delegates[:3])
    cast(election, delegates, [[1], [1], [1, 0], [0]])
    election = close_and_tally(election)
    services.election_transition(election=election, transition="certify")
    election.refresh_from_db()
    return election


def test_it_names_the_elected_on_the_results_page_and_in_the_ballot_file(client, certified):
    winner, loser = "Delegate 1", "Delegate 0"

    body = client.get(f"/en/elections/{certified.pk}/").content.decode()
    blt = tally.read_blt(client.get(f"/en/elections/{certified.pk}/ballots/").content.decode())

    assert f"<strong>Elected:</strong> {winner}</p>" in body
    assert loser not in body and "Delegate 2" not in body
    assert blt.names == ("Candidate 1", winner, "Candidate 3")


def test_it_does_not_name_a_members_only_candidate_before_the_result(client, open_election):
    body = client.get(f"/en/elections/{open_election.pk}/").content.decode()

    assert "Delegate" not in body
    assert "<h3>Candidate 1</h3>" in body


def test_the_board_names_the_elected_director_and_shows_the_incoming_board(client, certified):
    today = datetime.date.today()
    # make_election's term starts on 1 January 2027: next year, for the board page.
    year = certified.term_starts_on.year
    assert year > today.year

    current = client.get("/en/board/").content.decode()
    incoming = client.get(f"/en/board/{year}/")
    arabic = client.get(f"/ar/board/{year}/").content.decode()

    assert f'href="/en/board/{year}/"' in current
    assert "Delegate 1" not in current
    assert incoming.status_code == 200
    body = incoming.content.decode()
    assert '<h2 class="h3">Delegate 1</h2>' in body
    starts = certified.term_starts_on
    with translation.override("en"):
        assert f"Takes office on {date_format(starts, 'DATE_FORMAT')}" in body
    with translation.override("ar"):
        takes_office = translation.gettext("Takes office on %(day)s") % {
            "day": date_format(starts, "DATE_FORMAT")
        }
    assert takes_office in arabic
    assert client.get(f"/en/board/{year + 1}/").status_code == 404


def test_a_director_not_elected_through_the_portal_keeps_a_private_name(client, napud_seat):
    person = PersonFactory(display_name="Quiet Quinn", visibility="members")
    Directorship.objects.create(
        seat=napud_seat, person=person, starts_on=datetime.date.today(), election=None
    )

    body = client.get("/en/board/").content.decode()

    assert "Quiet Quinn" not in body
    assert "Director (name not published)" in body


def test_accepting_a_candidacy_says_the_name_becomes_public_if_elected(
    client, napud_seat, delegates
):
    election = make_election(napud_seat)
    services.election_transition(election=election, transition="open-nominations")
    services.candidate_nominate(election=election, person=delegates[1], nominated_by=delegates[0])
    client.force_login(delegates[1].user)

    body = client.get(f"/fr/portal/elections/{election.pk}/candidacy/").content.decode()

    english = (
        "If you accept and are elected, your display name and your statement become "
        "public: on the election results, on the board page and in the published ballot "
        "file, even if your profile is visible to members only. If you are not elected "
        "and your profile is not public, you stay unnamed on public pages."
    )
    with translation.override("fr"):
        notice = translation.gettext(english)
    assert notice != english
    assert escape(notice) in body


def test_an_election_without_valid_ballots_elects_no_one(client, napud_seat, delegates):
    election = open_for_voting(make_election(napud_seat, quorum_percent=1), delegates[:2])
    election = close_and_tally(election)

    assert election.result["elected"] == []
    assert election.result["valid_ballots"] == 0
    assert election.result["tie_breaks"] == []
    with pytest.raises(services.ElectionError, match="No valid ballot was cast"):
        services.election_transition(election=election, transition="certify")
    body = client.get(f"/en/elections/{election.pk}/").content.decode()
    assert "No valid ballot was cast, so no one was elected and there is no result." in body
    out = io.StringIO()
    call_command("tally_election", str(election.pk), stdout=out)
    assert "No valid ballot was cast: no one is elected." in out.getvalue()
    assert "Elected:" not in out.getvalue()


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda ids: [ids[0], ids[0]], "names candidate {0} more than once"),
        (lambda ids: [ids[0], 999999], "names 999999, not a standing candidate"),
    ],
    ids=["repeated", "unknown"],
)
def test_a_corrupt_stored_ballot_stops_the_count_with_a_clear_error(
    open_election, delegates, damage, message
):
    cast(open_election, delegates[:2], [[0], [1]])
    ids = standing_ids(open_election)
    # Written past ballot_cast, as a damaged restore would.
    SealedBallot.objects.create(
        election=open_election,
        sealed=sealing.ballot_seal(
            election=open_election, choices=damage(ids), code="DAMAGED00000"
        ),
    )
    expected = message.format(ids[0])
    # The trustees open the box; the count that follows stops on the damaged ballot.
    with pytest.raises(services.ElectionError, match=expected):
        count_votes(open_election)
    assert Ballot.objects.filter(election=open_election).count() == 3

    with pytest.raises(services.ElectionError, match=expected):
        services.election_count(election=open_election)
    with pytest.raises(services.ElectionError, match=expected):
        services.election_transition(election=open_election, transition="tally")
    with pytest.raises(CommandError, match=expected) as raised:
        call_command("tally_election", str(open_election.pk))

    assert "Traceback" not in str(raised.value)
    open_election.refresh_from_db()
    assert open_election.status == Election.Status.VOTING_CLOSED
    assert open_election.result is None


def test_the_tie_rule_describes_the_seat_by_seat_draw(client, napud_seat):
    election = services.election_transition(
        election=make_election(napud_seat, method=Election.Method.STV, seats=2),
        transition="open-nominations",
    )

    body = client.get(f"/en/elections/{election.pk}/").content.decode()

    assert "the draw is repeated seat by seat" in body
    assert "seat by seat" in services.TIE_RULE


def test_a_multi_seat_tie_is_drawn_one_seat_at_a_time():
    # Three level candidates for two seats: the second seat is a fresh draw among
    # the two left, not the second of the first shuffled list.
    tie_break = tally.TieBreak(seed="seat-by-seat")
    result = tally.tally_approval(
        candidates=[1, 2, 3],
        ballots=[frozenset({1, 2, 3})],
        seats=2,
        tie_break=tie_break,
    )

    first, second = result.tie_breaks
    assert first.outcome == tie_break.lot_order([1, 2, 3])[0]
    left = sorted({1, 2, 3} - {first.outcome})
    assert second.candidates == tuple(left)
    assert second.outcome == tie_break.lot_order(left)[0]
    assert result.elected == (first.outcome, second.outcome)
