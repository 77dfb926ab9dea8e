"""BLT files, for recounts with OpenSTV, Droop or the ERS programs."""

from collections import Counter

import pytest

from governance.tally import read_blt, write_blt

CANDIDATES = [(305, "Alice Mwangi"), (112, "Bob Okafor"), (940, "Chen Wei"), (77, "Dana Ruiz")]


def test_it_writes_the_exact_blt_text():
    ballots = [(305, 112), (940,), (305, 112), (77, 305, 940), (), (305, 112)]

    text = write_blt(title="INPUD Executive 2026", candidates=CANDIDATES, seats=2, ballots=ballots)

    assert text == (
        "4 2\n"
        "3 1 2 0\n"
        "1 0\n"
        "1 3 0\n"
        "1 4 1 3 0\n"
        "0\n"
        '"Alice Mwangi"\n'
        '"Bob Okafor"\n'
        '"Chen Wei"\n'
        '"Dana Ruiz"\n'
        '"INPUD Executive 2026"\n'
    )


def test_it_writes_withdrawn_candidates_as_negative_numbers():
    text = write_blt(
        title="T", candidates=CANDIDATES, seats=1, ballots=[(305,)], withdrawn=[77, 112]
    )

    assert text.splitlines()[:3] == ["4 1", "-2 -4", "1 1 0"]
    assert read_blt(text).withdrawn == (2, 4)


def test_it_reads_back_what_it_wrote():
    ballots = [(305, 112), (940,), (305, 112), (77, 305, 940, 112), (), (112, 305)]
    number = {candidate: n for n, (candidate, _) in enumerate(CANDIDATES, start=1)}

    election = read_blt(
        write_blt(title="Board: Asia", candidates=CANDIDATES, seats=2, ballots=ballots)
    )

    assert election.title == "Board: Asia"
    assert election.names == tuple(name for _, name in CANDIDATES)
    assert election.seats == 2
    assert election.withdrawn == ()
    assert Counter(election.ballots) == Counter(
        tuple(number[c] for c in ranking) for ranking in ballots
    )


def test_it_does_not_depend_on_the_order_ballots_were_stored_in():
    ballots = [(305, 112), (940,), (305, 112), (77,)]

    forward = write_blt(title="T", candidates=CANDIDATES, seats=1, ballots=ballots)
    backward = write_blt(title="T", candidates=CANDIDATES, seats=1, ballots=ballots[::-1])

    assert forward == backward


def test_it_reads_blt_spread_over_lines_differently():
    election = read_blt('3 1\n2 1\n  3 0 1 2 0\n0 "A" "B"\n"C"\n"Title with spaces"')

    assert election.ballots == ((1, 3), (1, 3), (2,))
    assert election.names == ("A", "B", "C")
    assert election.title == "Title with spaces"


def test_it_makes_names_with_quotes_or_line_breaks_safe_for_blt():
    candidates = [(1, 'Alice "Ace" Mwangi'), (2, "Bob\nOkafor")]

    text = write_blt(title='The "big"\r\nvote', candidates=candidates, seats=1, ballots=[(2, 1)])

    assert text.splitlines()[-3:] == [
        "\"Alice 'Ace' Mwangi\"",
        '"Bob Okafor"',
        "\"The 'big' vote\"",
    ]
    assert read_blt(text).names == ("Alice 'Ace' Mwangi", "Bob Okafor")


def test_it_refuses_to_write_a_ballot_for_an_unknown_candidate():
    with pytest.raises(ValueError, match="unknown candidate"):
        write_blt(title="T", candidates=CANDIDATES, seats=1, ballots=[(1,)])


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('2 1\n1 3 0\n0\n"A"\n"B"\n"T"\n', "out of range"),
        ('2 1\n1 1 1 0\n0\n"A"\n"B"\n"T"\n', "more than once"),
        ('2 1\n1 1 0\n0\n"A"\n"B"\n', "ends before the title"),
        ('2 3\n0\n"A"\n"B"\n"T"\n', "Invalid BLT header"),
        ('2 1\n1 x 0\n0\n"A"\n"B"\n"T"\n', "Expected an integer"),
        ('2 1\n0\n"A"\nB\n"T"\n', "double-quoted"),
        ('2 1\n0\n"A"\n"B"\n"T"\n"extra"\n', "after the BLT title"),
    ],
)
def test_it_rejects_malformed_blt(text, message):
    with pytest.raises(ValueError, match=message):
        read_blt(text)
