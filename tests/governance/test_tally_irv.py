"""Instant-runoff counts, checked by hand."""

from fractions import Fraction

import pytest

from governance.tally import TieBreak, tally_irv, tally_plurality

ALICE, BOB, CHEN, DANA, EVA = 1, 2, 3, 4, 5
TIE_BREAK = TieBreak(seed="2026-board-test")


def test_it_elects_a_first_round_majority_at_once():
    ballots = [(ALICE,)] * 6 + [(BOB, ALICE)] * 5

    result = tally_irv(candidates=[ALICE, BOB], ballots=ballots, tie_break=TIE_BREAK)

    assert result.elected == (ALICE,)
    assert len(result.rounds) == 1
    assert result.rounds[0].elected == (ALICE,)


def test_it_elects_the_candidate_the_plurality_leader_loses_to():
    # Alice leads on first preferences, but Chen's voters prefer Bob to her.
    ballots = [(ALICE,)] * 8 + [(BOB, CHEN)] * 7 + [(CHEN, BOB)] * 6
    candidates = [ALICE, BOB, CHEN]

    result = tally_irv(candidates=candidates, ballots=ballots, tie_break=TIE_BREAK)
    plurality = tally_plurality(
        candidates=candidates, ballots=[b[0] for b in ballots], tie_break=TIE_BREAK
    )

    assert plurality.elected == (ALICE,)
    assert result.elected == (BOB,)
    first, second = result.rounds
    assert dict(first.counts) == {ALICE: 8, BOB: 7, CHEN: 6}
    assert first.excluded == (CHEN,)
    assert dict(first.transfers[0].received) == {BOB: 6}
    assert dict(second.counts) == {ALICE: 8, BOB: 13}
    assert second.elected == (BOB,)
    assert result.tie_breaks == ()


def test_it_needs_a_majority_of_the_votes_still_counted_not_of_all_ballots():
    # Round 2: Dana's ballots exhaust; Alice's 5 of the 9 still counted is a majority,
    # although it is not a majority of the 11 valid ballots.
    ballots = [(ALICE,)] * 5 + [(BOB,)] * 4 + [(DANA,)] * 2

    result = tally_irv(candidates=[ALICE, BOB, DANA], ballots=ballots, tie_break=TIE_BREAK)

    assert result.elected == (ALICE,)
    second = result.rounds[1]
    assert dict(second.counts) == {ALICE: 5, BOB: 4}
    assert second.exhausted == Fraction(2)
    assert result.rounds[0].transfers[0].exhausted == Fraction(2)


def test_it_counts_blank_ballots_apart():
    ballots = [(ALICE, BOB), (), (BOB,), ()]

    result = tally_irv(candidates=[ALICE, BOB], ballots=ballots, tie_break=TIE_BREAK)

    assert (result.total_ballots, result.valid_ballots, result.blank_ballots) == (4, 2, 2)
    assert sum(result.rounds[0].counts.values()) == 2


def test_it_narrows_a_three_way_tie_by_an_earlier_round_then_draws_lots():
    # Round 1: Alice 6, Bob 3, Chen 3, Dana 4, Eva 2 -> Eva out, one vote each to Bob, Chen.
    # Round 2: Bob, Chen and Dana tie for last on 4. Round 1 had Bob and Chen lower (3)
    # than Dana (4) but level with each other, and there is no earlier round: lots
    # decide between Bob and Chen only.
    ballots = (
        [(ALICE,)] * 6 + [(BOB,)] * 3 + [(CHEN,)] * 3 + [(DANA,)] * 4 + [(EVA, BOB), (EVA, CHEN)]
    )

    result = tally_irv(
        candidates=[ALICE, BOB, CHEN, DANA, EVA], ballots=ballots, tie_break=TIE_BREAK
    )

    second = result.rounds[1]
    assert dict(second.counts) == {ALICE: 6, BOB: 4, CHEN: 4, DANA: 4}
    (record,) = [r for r in result.tie_breaks if r.round == 2]
    assert record.purpose == "exclude"
    assert record.candidates == (BOB, CHEN, DANA)
    assert record.deciding_round == 1
    assert record.resolved_by == "lot"
    assert record.lot_order == TIE_BREAK.lot_order([BOB, CHEN])
    assert record.outcome == record.lot_order[-1]
    assert second.excluded == (record.outcome,)


def test_it_settles_a_tie_by_an_earlier_round_without_a_lot():
    # Round 1: Alice 5, Bob 4, Chen 3, Dana 1. Dana's vote goes to Chen: Bob 4, Chen 4.
    # Round 1 had Chen lower, so Chen is excluded in round 2.
    ballots = [(ALICE,)] * 5 + [(BOB,)] * 4 + [(CHEN, BOB)] * 3 + [(DANA, CHEN)]

    result = tally_irv(candidates=[ALICE, BOB, CHEN, DANA], ballots=ballots, tie_break=TIE_BREAK)

    (record,) = result.tie_breaks
    assert (record.round, record.candidates, record.outcome) == (2, (BOB, CHEN), CHEN)
    assert (record.resolved_by, record.deciding_round) == ("earlier round", 1)
    assert result.rounds[1].excluded == (CHEN,)
    assert result.elected == (BOB,)


def test_it_uses_the_tie_rule_when_all_remaining_are_tied():
    ballots = [(ALICE, BOB)] * 3 + [(BOB, ALICE)] * 3

    result = tally_irv(candidates=[ALICE, BOB], ballots=ballots, tie_break=TIE_BREAK)

    (record,) = result.tie_breaks
    assert record.purpose == "elect"
    assert record.resolved_by == "lot"
    assert result.elected == (record.outcome,) == (TIE_BREAK.lot_order([ALICE, BOB])[0],)
    assert len(result.rounds) == 1


def test_it_elects_the_only_candidate_even_without_votes():
    result = tally_irv(candidates=[ALICE], ballots=[(), ()], tie_break=TIE_BREAK)

    assert result.elected == (ALICE,)
    assert result.tie_breaks == ()


def test_it_rejects_a_ranking_of_an_unknown_candidate():
    with pytest.raises(ValueError, match=r"unknown candidate\(s\) \[9\]"):
        tally_irv(candidates=[ALICE, BOB], ballots=[(ALICE, 9)], tie_break=TIE_BREAK)


def test_it_rejects_a_ranking_that_repeats_a_candidate():
    with pytest.raises(ValueError, match=r"ranks candidate\(s\) \[1\] more than once"):
        tally_irv(candidates=[ALICE, BOB], ballots=[(ALICE, BOB, ALICE)], tie_break=TIE_BREAK)


def test_it_rejects_an_election_without_candidates():
    with pytest.raises(ValueError, match="at least one candidate"):
        tally_irv(candidates=[], ballots=[], tie_break=TIE_BREAK)
