"""Single transferable vote counts, checked by hand with exact fractions."""

from fractions import Fraction

import pytest

from governance.tally import TieBreak, droop_quota, tally_stv

TIE_BREAK = TieBreak(seed="2026-board-test")

# The food election of Wikipedia's "Single transferable vote" article: 20 voters, 3 seats.
ORANGES, PEARS, CHOCOLATE, STRAWBERRIES, HAMBURGERS = 101, 102, 103, 104, 105
FOOD = [ORANGES, PEARS, CHOCOLATE, STRAWBERRIES, HAMBURGERS]
FOOD_BALLOTS = (
    [(ORANGES, PEARS)] * 4
    + [(PEARS, ORANGES)] * 2
    + [(CHOCOLATE, STRAWBERRIES)] * 8
    + [(CHOCOLATE, HAMBURGERS)] * 4
    + [(STRAWBERRIES,)]
    + [(HAMBURGERS,)]
)


def counts_of(result):
    return [dict(round_.counts) for round_ in result.rounds]


def test_it_counts_the_wikipedia_food_election():
    result = tally_stv(candidates=FOOD, ballots=FOOD_BALLOTS, seats=3, tie_break=TIE_BREAK)

    assert result.quota == 6
    assert result.elected == (CHOCOLATE, ORANGES, STRAWBERRIES)
    assert counts_of(result) == [
        {ORANGES: 4, PEARS: 2, CHOCOLATE: 12, STRAWBERRIES: 1, HAMBURGERS: 1},
        {ORANGES: 4, PEARS: 2, CHOCOLATE: 6, STRAWBERRIES: 5, HAMBURGERS: 3},
        {ORANGES: 6, CHOCOLATE: 6, STRAWBERRIES: 5, HAMBURGERS: 3},
        {ORANGES: 6, CHOCOLATE: 6, STRAWBERRIES: 5},
    ]
    assert [r.exhausted for r in result.rounds] == [0, 0, 0, 3]
    assert [r.elected for r in result.rounds] == [(CHOCOLATE,), (), (ORANGES,), (STRAWBERRIES,)]
    assert [r.excluded for r in result.rounds] == [(), (PEARS,), (HAMBURGERS,), ()]
    surplus = result.rounds[0].transfers[0]
    assert (surplus.source, surplus.kind) == (CHOCOLATE, "surplus")
    assert surplus.transfer_value == Fraction(1, 2)
    assert dict(surplus.received) == {STRAWBERRIES: 4, HAMBURGERS: 2}
    assert result.tie_breaks == ()


def test_it_transfers_a_surplus_of_mixed_weights_by_the_weighted_inclusive_gregory_method():
    alice, bob, chen, dana, eva = 1, 2, 3, 4, 5
    ballots = ([(alice, bob, dana)] * 12 + [(bob, chen)] * 3 + [(chen,)] * 4 + [(dana,)] * 5) + [
        (eva, dana)
    ] * 3

    result = tally_stv(
        candidates=[alice, bob, chen, dana, eva], ballots=ballots, seats=3, tie_break=TIE_BREAK
    )

    # 27 valid ballots, 3 seats: floor(27 / 4) + 1 = 7.
    assert result.quota == 7
    first, second, third, fourth = result.rounds
    # Alice's surplus 5 of 12: her 12 ballots pass to Bob at 5/12 each.
    assert first.transfers[0].transfer_value == Fraction(5, 12)
    assert dict(second.counts) == {alice: 7, bob: 8, chen: 4, dana: 5, eva: 3}
    # Bob's surplus 1 of 8 mixes 3 ballots at weight 1 and 12 at 5/12: each passes at
    # 1/8 of its weight, so Chen gets 3 x 1/8 and Dana 12 x 5/12 x 1/8.
    assert second.elected == (bob,)
    assert second.transfers[0].transfer_value == Fraction(1, 8)
    assert dict(second.transfers[0].received) == {chen: Fraction(3, 8), dana: Fraction(5, 8)}
    assert dict(third.counts) == {
        alice: 7,
        bob: 7,
        chen: Fraction(35, 8),
        dana: Fraction(45, 8),
        eva: 3,
    }
    assert third.excluded == (eva,)
    assert dict(fourth.counts) == {alice: 7, bob: 7, chen: Fraction(35, 8), dana: Fraction(69, 8)}
    assert result.elected == (alice, bob, dana)


def test_it_elects_the_last_continuing_candidates_below_the_quota():
    alice, bob, chen, dana = 1, 2, 3, 4
    ballots = [(alice, bob)] * 6 + [(alice, chen)] * 3 + [(bob,)] * 2 + [(chen,)] * 4
    ballots += [(dana, bob)] * 3

    result = tally_stv(
        candidates=[alice, bob, chen, dana], ballots=ballots, seats=2, tie_break=TIE_BREAK
    )

    assert result.quota == 7
    assert counts_of(result) == [
        {alice: 9, bob: 2, chen: 4, dana: 3},
        {alice: 7, bob: Fraction(10, 3), chen: Fraction(14, 3), dana: 3},
        {alice: 7, bob: Fraction(19, 3), chen: Fraction(14, 3)},
        {alice: 7, bob: Fraction(19, 3)},
    ]
    assert result.rounds[-1].exhausted == Fraction(14, 3)
    assert result.elected == (alice, bob)
    assert result.rounds[-1].counts[bob] < result.quota


def test_it_breaks_a_tie_for_exclusion_by_the_latest_round_that_separates_it():
    alice, bob, chen, dana = 1, 2, 3, 4
    ballots = [(alice, bob, chen)] * 10 + [(bob, dana)] * 2 + [(chen,)] * 3 + [(dana,)] * 5

    result = tally_stv(
        candidates=[alice, bob, chen, dana], ballots=ballots, seats=2, tie_break=TIE_BREAK
    )

    # Round 3: Bob and Dana both hold 5 (and did in round 2); round 1 had Bob on 2.
    assert dict(result.rounds[2].counts) == {alice: 7, bob: 5, dana: 5}
    (record,) = result.tie_breaks
    assert (record.round, record.purpose, record.candidates) == (3, "exclude", (bob, dana))
    assert (record.resolved_by, record.deciding_round, record.outcome) == ("earlier round", 1, bob)
    # Bob's ballots from Alice go on to Chen, who is out: 3 votes exhaust. Dana gets 2.
    assert result.rounds[3].counts == {alice: 7, dana: 7}
    assert result.rounds[3].exhausted == 6
    assert result.elected == (alice, dana)


def test_it_elects_everyone_when_seats_equal_candidates():
    result = tally_stv(candidates=[1, 2, 3], ballots=[(2,), (2, 1)], seats=3, tie_break=TIE_BREAK)

    assert result.elected == (2, 1, 3)
    assert len(result.rounds) == 1


def test_it_computes_the_droop_quota_exactly():
    assert droop_quota(valid_ballots=20, seats=3) == 6
    assert droop_quota(valid_ballots=23, seats=3) == 6
    assert droop_quota(valid_ballots=24, seats=3) == 7
    assert droop_quota(valid_ballots=0, seats=2) == 1


def test_it_keeps_blank_ballots_out_of_the_quota():
    ballots = [(1,)] * 3 + [()] * 5 + [(2,)] * 2

    result = tally_stv(candidates=[1, 2, 3], ballots=ballots, seats=2, tie_break=TIE_BREAK)

    assert (result.total_ballots, result.valid_ballots, result.blank_ballots) == (10, 5, 5)
    assert result.quota == droop_quota(valid_ballots=5, seats=2) == 2


def test_it_rejects_a_ranking_of_an_unknown_candidate():
    with pytest.raises(ValueError, match="unknown candidate"):
        tally_stv(candidates=[1, 2], ballots=[(1, 3)], seats=1, tie_break=TIE_BREAK)


def test_it_rejects_a_ranking_that_repeats_a_candidate():
    with pytest.raises(ValueError, match="more than once"):
        tally_stv(candidates=[1, 2], ballots=[(2, 2)], seats=1, tie_break=TIE_BREAK)


@pytest.mark.parametrize(
    ("seats", "message"),
    [
        (0, "at least 1, got 0"),
        (-2, "at least 1, got -2"),
        (3, r"seats \(3\) cannot exceed the number of candidates \(2\)"),
    ],
)
def test_it_rejects_an_impossible_number_of_seats(seats, message):
    with pytest.raises(ValueError, match=message):
        tally_stv(candidates=[1, 2], ballots=[(1,)], seats=seats, tie_break=TIE_BREAK)
