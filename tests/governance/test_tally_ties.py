"""The tie rule: look back through earlier rounds, then a reproducible lot."""

import hashlib
import random
from fractions import Fraction

import pytest

from governance.tally import Round, TieBreak, tally_irv


def rounds_with(*counts):
    return [
        Round(number=n, counts={c: Fraction(v) for c, v in totals.items()}, exhausted=Fraction(0))
        for n, totals in enumerate(counts, start=1)
    ]


def test_it_draws_the_same_lot_for_the_same_seed():
    candidates = [40, 7, 19, 3, 88]

    first = TieBreak(seed="2026-board-asia").lot_order(candidates)
    again = TieBreak(seed="2026-board-asia").lot_order(reversed(candidates))

    assert first == again
    assert sorted(first) == sorted(candidates)


def test_it_draws_lots_as_published_so_outsiders_can_reproduce_them():
    seed = "2026-board-asia"
    expected = [3, 7, 19, 40, 88]
    random.Random(hashlib.sha256(seed.encode()).digest()).shuffle(expected)

    assert TieBreak(seed=seed).lot_order([40, 7, 19, 3, 88]) == tuple(expected)


def test_it_can_draw_differently_with_different_seeds():
    candidates = range(1, 9)

    orders = {TieBreak(seed=f"2026-board-{region}").lot_order(candidates) for region in range(20)}

    assert len(orders) > 1


def test_it_prefers_the_higher_candidate_of_the_latest_round_that_differs_when_electing():
    earlier = rounds_with({1: 5, 2: 2, 3: 9}, {1: 4, 2: 6, 3: 6}, {1: 7, 2: 7, 3: 7})

    record = TieBreak(seed="s").resolve(
        tied=[1, 2, 3], purpose="elect", round_number=4, earlier_rounds=earlier
    )

    # Round 3 does not separate them; round 2 leaves 2 and 3 ahead; round 1 has 3 ahead.
    assert (record.outcome, record.resolved_by, record.deciding_round) == (3, "earlier round", 1)
    assert record.candidates == (1, 2, 3)
    assert record.round == 4


def test_it_excludes_the_lower_candidate_of_the_latest_round_that_differs():
    earlier = rounds_with({1: 1, 2: 5}, {1: 4, 2: 3})

    record = TieBreak(seed="s").resolve(
        tied=[1, 2], purpose="exclude", round_number=3, earlier_rounds=earlier
    )

    assert (record.outcome, record.deciding_round) == (2, 2)


def test_it_draws_lots_when_no_earlier_round_separates_the_tie():
    tie_break = TieBreak(seed="2026-board-eurasia")

    excluded = tie_break.resolve(
        tied=[5, 9], purpose="exclude", round_number=2, earlier_rounds=rounds_with({5: 1, 9: 1})
    )
    elected = tie_break.resolve(tied=[5, 9], purpose="elect", round_number=1, earlier_rounds=[])

    assert excluded.resolved_by == elected.resolved_by == "lot"
    assert excluded.lot_order == elected.lot_order == tie_break.lot_order([5, 9])
    assert excluded.outcome == excluded.lot_order[-1]
    assert elected.outcome == elected.lot_order[0]
    assert excluded.outcome != elected.outcome


def test_it_records_a_tie_in_the_result():
    # Bob and Chen level on 2 in the only round: one of them is excluded by lot.
    ballots = [(1,)] * 3 + [(2, 1)] * 2 + [(3, 2)] * 2

    result = tally_irv(candidates=[1, 2, 3], ballots=ballots, tie_break=TieBreak(seed="x"))

    (record,) = result.tie_breaks
    assert (record.round, record.purpose, record.candidates) == (1, "exclude", (2, 3))
    assert result.rounds[0].excluded == (record.outcome,)
    assert result.to_dict()["tie_breaks"] == [record.to_dict()]


def test_it_elects_by_an_earlier_round_when_all_remaining_are_tied():
    # Round 1: Alice 3, Bob 2, Chen 1. Chen's vote goes to Bob: 3 all.
    ballots = [(1,)] * 3 + [(2,)] * 2 + [(3, 2)]

    result = tally_irv(candidates=[1, 2, 3], ballots=ballots, tie_break=TieBreak(seed="x"))

    (record,) = result.tie_breaks
    assert (record.purpose, record.resolved_by, record.outcome) == ("elect", "earlier round", 1)
    assert result.elected == (1,)


def test_it_can_change_the_winner_of_a_lot_with_the_seed():
    winners = {
        tally_irv(candidates=[1, 2], ballots=[(1,), (2,)], tie_break=TieBreak(seed=f"s{i}")).elected
        for i in range(20)
    }

    assert winners == {(1,), (2,)}


@pytest.mark.parametrize("seed", ["", None, 42])
def test_it_rejects_a_missing_seed(seed):
    with pytest.raises(ValueError, match="seed"):
        TieBreak(seed=seed)


def test_it_refuses_a_tie_of_one():
    with pytest.raises(ValueError, match="at least two"):
        TieBreak(seed="s").resolve(tied=[1], purpose="elect", round_number=1, earlier_rounds=[])
