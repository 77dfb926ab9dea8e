"""What a certified result publishes: every round in every language, the drawing of
lots and its seed in the audit trail, and ballot files anyone can recount."""

import csv
import hashlib
import io
import re

import pytest
from django.utils import translation
from django.utils.formats import number_format
from django.utils.html import escape

from governance import tally
from governance.models import AuditEntry, Election
from governance.services import elections as services

from .conftest import count_votes, make_election, open_for_voting, standing_ids

LANGUAGES = ["en", "fr", "es", "ru", "ar", "pt"]


def cast(election, voters, choices_by_position):
    ids = standing_ids(election)
    for voter, positions in zip(voters, choices_by_position, strict=True):
        services.ballot_cast(election=election, voter=voter, choices=[ids[i] for i in positions])


def count_and_certify(election):
    election = count_votes(election)
    services.election_transition(election=election, transition="certify")
    election.refresh_from_db()
    return election


@pytest.fixture
def tied(open_election, delegates):
    """Instant-runoff where candidates 1 and 2 tie for exclusion in the first round
    with no earlier round to separate them: lots are drawn."""
    cast(open_election, delegates, [[0], [1], [2], [0, 1]])
    return count_and_certify(open_election)


def test_the_drawing_of_lots_and_its_seed_are_in_the_audit_trail(tied):
    ids = standing_ids(tied)
    entry = AuditEntry.objects.get(action="election.tally", object_id=str(tied.pk))
    [draw] = entry.data["tie_breaks"]

    assert draw["resolved_by"] == "lot"
    assert draw["purpose"] == "exclude"
    assert draw["candidates"] == sorted(ids[1:])
    assert entry.data["tie_seed"] == tied.tie_seed
    # Anyone with the seed from the trail redoes the draw and gets the same outcome.
    redone = tally.TieBreak(seed=entry.data["tie_seed"]).lot_order(draw["candidates"])
    assert draw["lot_order"] == list(redone)
    assert draw["outcome"] == redone[-1]
    # The rule and the seed were in the trail from the moment voting opened.
    opened = AuditEntry.objects.get(action="election.open-voting", object_id=str(tied.pk))
    assert opened.pk < entry.pk
    assert opened.data["tie_seed"] == tied.tie_seed
    assert opened.data["tie_rule"] == services.TIE_RULE


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_result_page_shows_every_round_in_every_language(client, tied, lang):
    body = client.get(f"/{lang}/elections/{tied.pk}/").content.decode()

    with translation.override(lang):
        round_caption = translation.gettext("Round %(number)s")
        drawn = translation.gettext(
            "A tie in round %(number)s was broken by drawing lots with the published seed."
        )
        votes = translation.gettext("Votes")
        # An instant-runoff count moves whole ballots: whole numbers, written the
        # language's way.
        shown = [
            [number_format(int(count["exact"])) for count in round_["counts"].values()]
            for round_ in tied.result["rounds"]
        ]
    for round_, counts in zip(tied.result["rounds"], shown, strict=True):
        assert f"<caption>{round_caption % {'number': round_['number']}}</caption>" in body
        for count in counts:
            assert f"<td>{count}</td>" in body
    assert votes in body
    assert drawn % {"number": 1} in body
    # The tie rule's internal name ("lot") is never shown as if it were a sentence.
    assert "broken by: lot" not in body
    assert not re.search(r"<td>\d+[.,]00</td>", body)
    if lang != "en":
        assert "Round 1<" not in body


def test_an_approval_result_is_published_as_csv_that_recounts_the_same(
    client, napud_seat, delegates
):
    election = open_for_voting(
        make_election(napud_seat, method=Election.Method.APPROVAL, seats=2), delegates[:3]
    )
    cast(election, delegates, [[0, 1], [1], [1, 2], [0, 2]])
    # Counted by a secretary whose admin is in French: the file is the same for all.
    with translation.override("fr"):
        election = count_and_certify(election)

    download = client.get(f"/en/elections/{election.pk}/ballots/")
    page = client.get(f"/en/elections/{election.pk}/").content.decode()

    assert download["Content-Disposition"].endswith('.csv"')
    assert hashlib.sha256(download.content).hexdigest() == election.ballots_sha256
    assert election.ballots_sha256 in page
    header, *rows = list(csv.reader(io.StringIO(download.content.decode())))
    # The delegates' profiles are not public: the elected are named (standing said
    # so), the others have neutral labels, in English.
    ids = standing_ids(election)
    people = {c.pk: c.person.display_name for c in election.candidates.select_related("person")}
    assert header == [
        people[pk] if pk in election.result["elected"] else f"Candidate {n}"
        for n, pk in enumerate(ids, start=1)
    ]
    assert len([name for name in header if name.startswith("Delegate")]) == 2
    assert sorted(rows) == sorted(
        [["1", "1", "0"], ["0", "1", "0"], ["0", "1", "1"], ["1", "0", "1"]]
    )
    # An observer recounts from the file alone, numbering the columns 1..n.
    recount = tally.tally_approval(
        candidates=[1, 2, 3],
        ballots=[frozenset(n for n, mark in enumerate(row, 1) if mark == "1") for row in rows],
        seats=2,
        tie_break=tally.TieBreak(seed=election.tie_seed),
    )
    ids = standing_ids(election)
    assert [ids[n - 1] for n in recount.elected] == election.result["elected"]
    assert {str(ids[c - 1]): float(v) for c, v in recount.rounds[0].counts.items()} == {
        pk: count["approx"] for pk, count in election.result["rounds"][0]["counts"].items()
    }


def test_a_plurality_result_is_published_as_csv_with_one_mark_per_ballot(
    client, napud_seat, delegates
):
    election = open_for_voting(
        make_election(napud_seat, method=Election.Method.PLURALITY), delegates[:2]
    )
    cast(election, delegates, [[0], [1], [1], [1]])
    election = count_and_certify(election)

    rows = list(
        csv.reader(
            io.StringIO(client.get(f"/en/elections/{election.pk}/ballots/").content.decode())
        )
    )

    # Delegate 1 was elected and is named; Delegate 0 lost and stays unnamed.
    assert rows[0] == ["Candidate 1", "Delegate 1"]
    assert sorted(rows[1:]) == [["0", "1"]] * 3 + [["1", "0"]]
    assert election.result["elected"] == [standing_ids(election)[1]]


def test_the_tie_rule_and_seed_are_public_before_voting_opens(client, napud_seat):
    election = services.election_transition(
        election=make_election(napud_seat), transition="open-nominations"
    )

    body = client.get(f"/fr/elections/{election.pk}/").content.decode()

    assert election.status == Election.Status.NOMINATIONS_OPEN
    with translation.override("fr"):
        # The rule in words, and the exact draw anyone can repeat with the seed.
        assert escape(translation.gettext(TIE_RULE_START)) in body
    assert "random.Random(hashlib.sha256(seed.encode()).digest()).shuffle(tied)" in body
    assert election.tie_seed in body


TIE_RULE_START = (
    "When the count has to choose between candidates with the same number of votes "
    "(whom to elect, whom to exclude, or whose surplus to pass on first):"
)
# What the page showed before it was written for people rather than programmers.
DEVELOPER_WORDING = ["`", "None", "see ties", "frozenset", "tuple[", "docstring"]


@pytest.mark.parametrize("method", list(Election.Method))
def test_the_rules_are_explained_in_plain_words(client, napud_seat, method):
    election = services.election_transition(
        election=make_election(napud_seat, method=method, seats=2 if method == "stv" else 1),
        transition="open-nominations",
    )

    body = client.get(f"/en/elections/{election.pk}/").content.decode()
    rules = body[body.index('id="rules-heading"') : body.index("Published seed")]

    for wording in DEVELOPER_WORDING:
        assert wording not in rules.replace("hashlib.sha256", ""), wording
    assert "blank" in rules
    assert "tie rule" in rules


def test_a_plurality_result_counts_whole_votes(client, napud_seat, delegates):
    election = open_for_voting(
        make_election(napud_seat, method=Election.Method.PLURALITY), delegates[:2]
    )
    cast(election, delegates, [[0], [1], [1], [1]])
    election = count_and_certify(election)
    names = services.candidate_public_names(election=election, elected=election.result["elected"])
    first, second = standing_ids(election)

    body = client.get(f"/en/elections/{election.pk}/").content.decode()

    assert f"<tr><td>{names[str(first)]}</td><td>1</td></tr>" in body
    assert f"<tr><td>{names[str(second)]}</td><td>3</td></tr>" in body
    assert "1.00" not in body and "3.00" not in body
    assert "rounded to two decimal places" not in body


def test_a_single_transferable_vote_shows_fractions_rounded_with_their_exact_value(
    client, napud_seat, delegates
):
    election = open_for_voting(
        make_election(napud_seat, method=Election.Method.STV, seats=2), delegates[:3]
    )
    # Quota 2: the first candidate's surplus of 1 passes on at a third of a vote.
    cast(election, delegates, [[0, 1], [0, 1], [0, 2], [2]])
    election = count_and_certify(election)

    body = client.get(f"/fr/elections/{election.pk}/").content.decode()

    second_round = election.result["rounds"][1]["counts"]
    assert {count["exact"] for count in second_round.values()} == {"2", "2/3", "4/3"}
    # Two decimal places, written the French way, the exact fraction kept in the markup.
    assert '<td><data value="2/3">0,67</data></td>' in body
    assert '<td><data value="4/3">1,33</data></td>' in body
    assert "<td>2</td>" in body
    with translation.override("fr"):
        quota = translation.gettext("Votes needed to be elected (the quota): %(quota)s.")
        note = translation.gettext(
            "Passing on a surplus moves parts of votes, so some totals below are fractions: "
            "they are shown rounded to two decimal places. The count itself uses the exact "
            "fractions."
        )
    assert escape(quota % {"quota": 2}) in body
    assert escape(note) in body
