"""Plurality and approval counts, checked by hand."""

from fractions import Fraction

import pytest

from governance.tally import TieBreak, tally_approval, tally_plurality

ASIA, EURASIA, LATAM = 11, 22, 33
TIE_BREAK = TieBreak(seed="2026-board-test")


def test_it_elects_the_candidate_with_most_votes():
    ballots = [ASIA] * 5 + [EURASIA] * 3 + [LATAM] * 4 + [None] * 2

    result = tally_plurality(
        candidates=[ASIA, EURASIA, LATAM], ballots=ballots, tie_break=TIE_BREAK
    )

    assert result.method == "plurality"
    assert result.elected == (ASIA,)
    assert dict(result.rounds[0].counts) == {ASIA: 5, EURASIA: 3, LATAM: 4}
    assert (result.total_ballots, result.valid_ballots, result.blank_ballots) == (14, 12, 2)
    assert result.tie_breaks == ()


def test_it_elects_several_seats_highest_first():
    ballots = [ASIA] * 2 + [EURASIA] * 7 + [LATAM] * 4

    result = tally_plurality(
        candidates=[ASIA, EURASIA, LATAM], ballots=ballots, seats=2, tie_break=TIE_BREAK
    )

    assert result.elected == (EURASIA, LATAM)


def test_it_counts_a_candidate_without_votes_as_zero():
    result = tally_plurality(candidates=[ASIA, EURASIA], ballots=[ASIA], tie_break=TIE_BREAK)

    assert result.rounds[0].counts == {ASIA: Fraction(1), EURASIA: Fraction(0)}


def test_it_breaks_a_tie_for_the_last_seat_by_lot_and_records_it():
    ballots = [ASIA] * 5 + [EURASIA] * 3 + [LATAM] * 3

    result = tally_plurality(
        candidates=[ASIA, EURASIA, LATAM], ballots=ballots, seats=2, tie_break=TIE_BREAK
    )

    (record,) = result.tie_breaks
    assert record.candidates == (EURASIA, LATAM)
    assert record.purpose == "elect"
    assert record.resolved_by == "lot"
    assert record.lot_order == TIE_BREAK.lot_order([EURASIA, LATAM])
    assert record.outcome == record.lot_order[0]
    assert result.elected == (ASIA, record.outcome)


def test_it_elects_tied_candidates_without_a_draw_when_they_all_fit():
    ballots = [ASIA] * 3 + [EURASIA] * 3 + [LATAM]

    result = tally_plurality(
        candidates=[ASIA, EURASIA, LATAM], ballots=ballots, seats=2, tie_break=TIE_BREAK
    )

    assert result.elected == (ASIA, EURASIA)
    assert result.tie_breaks == ()


def test_it_draws_one_lot_per_seat_in_a_three_way_tie_for_two_seats():
    result = tally_plurality(
        candidates=[ASIA, EURASIA, LATAM],
        ballots=[ASIA, EURASIA, LATAM],
        seats=2,
        tie_break=TIE_BREAK,
    )

    first, second = result.tie_breaks
    assert first.candidates == (ASIA, EURASIA, LATAM)
    assert second.candidates == tuple(sorted({ASIA, EURASIA, LATAM} - {first.outcome}))
    assert result.elected == (first.outcome, second.outcome)


def test_it_rejects_a_vote_for_an_unknown_candidate():
    with pytest.raises(ValueError, match="unknown candidate 99"):
        tally_plurality(candidates=[ASIA, EURASIA], ballots=[ASIA, 99], tie_break=TIE_BREAK)


@pytest.mark.parametrize("seats", [0, -1, 3])
def test_it_rejects_an_impossible_number_of_seats(seats):
    with pytest.raises(ValueError, match="seats"):
        tally_plurality(
            candidates=[ASIA, EURASIA], ballots=[ASIA], seats=seats, tie_break=TIE_BREAK
        )


def test_it_rejects_repeated_candidate_ids():
    with pytest.raises(ValueError, match=r"unique; repeated: \[11\]"):
        tally_plurality(candidates=[ASIA, ASIA], ballots=[], tie_break=TIE_BREAK)


def test_it_counts_every_approval():
    ballots = [
        frozenset({ASIA, EURASIA}),
        frozenset({ASIA}),
        frozenset({EURASIA, LATAM}),
        frozenset({ASIA, EURASIA, LATAM}),
        frozenset(),
    ]

    result = tally_approval(candidates=[ASIA, EURASIA, LATAM], ballots=ballots, tie_break=TIE_BREAK)

    assert result.method == "approval"
    assert dict(result.rounds[0].counts) == {ASIA: 3, EURASIA: 3, LATAM: 2}
    assert (result.total_ballots, result.valid_ballots, result.blank_ballots) == (5, 4, 1)
    # Asia and Eurasia are level for the one seat: the tie rule decides, on the record.
    (record,) = result.tie_breaks
    assert record.candidates == (ASIA, EURASIA)
    assert result.elected == (record.outcome,)


def test_it_elects_the_most_approved_for_several_seats():
    ballots = [frozenset({ASIA, LATAM})] * 4 + [frozenset({EURASIA})] * 3 + [frozenset({LATAM})]

    result = tally_approval(
        candidates=[ASIA, EURASIA, LATAM], ballots=ballots, seats=2, tie_break=TIE_BREAK
    )

    assert result.elected == (LATAM, ASIA)
    assert dict(result.rounds[0].counts) == {ASIA: 4, EURASIA: 3, LATAM: 5}


def test_it_rejects_an_approval_of_an_unknown_candidate():
    with pytest.raises(ValueError, match=r"unknown candidate\(s\) \[99\]"):
        tally_approval(
            candidates=[ASIA, EURASIA], ballots=[frozenset({ASIA, 99})], tie_break=TIE_BREAK
        )


def test_it_rejects_more_approval_seats_than_candidates():
    with pytest.raises(ValueError, match=r"seats \(3\) cannot exceed the number of candidates"):
        tally_approval(candidates=[ASIA, EURASIA], ballots=[], seats=3, tie_break=TIE_BREAK)
