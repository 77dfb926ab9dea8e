"""The tallies against deliberately naive reference counts, on generated elections.

The references below are written in a different style from the package: they keep
one record per ballot paper (no grouping), recompute every total from scratch over
all papers in every round, and draw lots with their own code. When both agree on the
elected candidates, their order, every round's totals, exhaustion and every use of
the tie rule, a mistake would have to be made twice, differently.
"""

import hashlib
import json
import random
from fractions import Fraction

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from governance.tally import TieBreak, tally_approval, tally_irv, tally_plurality, tally_stv

# No example database: the tests must not write files into the repository.
CHECKS = settings(
    max_examples=250,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


# --- Generated elections -----------------------------------------------------------


@st.composite
def ranked_elections(draw, *, max_seats=4):
    """2-8 candidates with database-like ids, 0-200 ballots, partial rankings, blanks.

    Half the time the ballots are drawn from a few distinct rankings, which gives the
    large groups, surpluses and lopsided counts that uniform ballots rarely produce.
    """
    size = draw(st.integers(min_value=2, max_value=8))
    ids = draw(st.lists(st.integers(1, 10_000), min_size=size, max_size=size, unique=True))
    ranking = st.permutations(ids).flatmap(
        lambda order: st.integers(0, len(order)).map(lambda length: tuple(order[:length]))
    )
    if draw(st.booleans()):
        ballots = draw(st.lists(ranking, max_size=200))
    else:
        pool = draw(st.lists(ranking, min_size=1, max_size=6))
        ballots = draw(st.lists(st.sampled_from(pool), max_size=200))
    seats = draw(st.integers(min_value=1, max_value=min(max_seats, size)))
    seed = draw(st.text(min_size=1, max_size=12))
    return ids, ballots, seats, seed


@st.composite
def single_mark_elections(draw):
    size = draw(st.integers(min_value=1, max_value=8))
    ids = draw(st.lists(st.integers(1, 10_000), min_size=size, max_size=size, unique=True))
    ballots = draw(st.lists(st.one_of(st.none(), st.sampled_from(ids)), max_size=200))
    seats = draw(st.integers(min_value=1, max_value=size))
    return ids, ballots, seats, draw(st.text(min_size=1, max_size=12))


@st.composite
def approval_elections(draw):
    size = draw(st.integers(min_value=1, max_value=8))
    ids = draw(st.lists(st.integers(1, 10_000), min_size=size, max_size=size, unique=True))
    ballots = draw(st.lists(st.frozensets(st.sampled_from(ids)), max_size=200))
    seats = draw(st.integers(min_value=1, max_value=size))
    return ids, ballots, seats, draw(st.text(min_size=1, max_size=12))


# --- The naive references ----------------------------------------------------------


def naive_lot(pool, seed):
    shuffled = sorted(pool)
    random.Random(hashlib.sha256(seed.encode("utf-8")).digest()).shuffle(shuffled)
    return shuffled


def naive_tie(tied, history, *, highest, seed):
    """Returns (chosen, how). `history` is the list of earlier rounds' totals, oldest first."""
    pool = set(tied)
    pick = max if highest else min
    for past in reversed(history):
        best = pick(past[c] for c in pool)
        keep = {c for c in pool if past[c] == best}
        if keep != pool:
            pool = keep
        if len(pool) == 1:
            return pool.pop(), "earlier round"
    lots = naive_lot(pool, seed)
    return (lots[0] if highest else lots[-1]), "lot"


def naive_single_round(ids, votes_for, seats, seed):
    """Plurality or approval: repeatedly take the top, drawing lots at the seat boundary."""
    winners, draws = [], []
    left = list(ids)
    while len(winners) < seats:
        top = max(votes_for[c] for c in left)
        level = [c for c in left if votes_for[c] == top]
        if len(level) <= seats - len(winners):
            chosen = sorted(level)
        else:
            pick, how = naive_tie(level, [], highest=True, seed=seed)
            draws.append((sorted(level), how, pick))
            chosen = [pick]
        winners += chosen
        left = [c for c in left if c not in chosen]
    return winners, draws


def naive_irv(ids, ballots, seed):
    papers = [list(b) for b in ballots if b]
    standing = list(ids)
    history, rounds, draws = [], [], []
    while True:
        tally = dict.fromkeys(standing, 0)
        gone = 0
        for paper in papers:
            choices = [c for c in paper if c in standing]
            if choices:
                tally[choices[0]] += 1
            else:
                gone += 1
        counted = sum(tally.values())
        best = max(tally.values())
        top = [c for c in standing if tally[c] == best]
        if best * 2 > counted or len(top) == len(standing):
            if len(top) == 1:
                winner = top[0]
            else:
                winner, how = naive_tie(top, history, highest=True, seed=seed)
                draws.append((len(history) + 1, sorted(top), how, winner))
            rounds.append((tally, gone, [winner], []))
            return [winner], rounds, draws
        worst = min(tally.values())
        bottom = [c for c in standing if tally[c] == worst]
        if len(bottom) == 1:
            loser = bottom[0]
        else:
            loser, how = naive_tie(bottom, history, highest=False, seed=seed)
            draws.append((len(history) + 1, sorted(bottom), how, loser))
        rounds.append((tally, gone, [], [loser]))
        history.append(tally)
        standing.remove(loser)


def naive_stv(ids, ballots, seats, seed):
    """WIGM STV over individual papers; every total recomputed from scratch each round."""
    papers = [{"prefs": list(b), "weight": Fraction(1), "at": b[0]} for b in ballots if b]
    quota = Fraction(len(papers) // (seats + 1) + 1)
    hopeful = list(ids)
    winners, waiting, kept = [], [], {}
    history, rounds, draws = [], [], []

    def first_hopeful(paper):
        return next((c for c in paper["prefs"] if c in hopeful), None)

    def move(source, factor):
        for paper in papers:
            if paper["at"] == source:
                paper["weight"] *= factor
                paper["at"] = first_hopeful(paper)

    while len(winners) < seats:
        totals = {}
        for c in ids:
            if c in hopeful or c in winners:
                on_pile = sum((p["weight"] for p in papers if p["at"] == c), Fraction(0))
                totals[c] = kept.get(c, on_pile)
        gone = sum((p["weight"] for p in papers if p["at"] is None), Fraction(0))
        newly = sorted((c for c in hopeful if totals[c] >= quota), key=lambda c: (-totals[c], c))
        for c in newly:
            hopeful.remove(c)
        waiting += newly
        if len(hopeful) == seats - len(winners) - len(newly):
            newly += sorted(hopeful, key=lambda c: (-totals[c], c))
            hopeful.clear()
        winners += newly
        out = []
        if len(winners) < seats:
            waiting = [c for c in waiting if totals[c] > quota]
            if waiting:
                biggest = max(totals[c] for c in waiting)
                level = [c for c in waiting if totals[c] == biggest]
                source = level[0]
                if len(level) > 1:
                    source, how = naive_tie(level, history, highest=True, seed=seed)
                    draws.append((len(history) + 1, sorted(level), how, source))
                waiting.remove(source)
                move(source, (totals[source] - quota) / totals[source])
                kept[source] = quota
            else:
                worst = min(totals[c] for c in hopeful)
                level = [c for c in hopeful if totals[c] == worst]
                source = level[0]
                if len(level) > 1:
                    source, how = naive_tie(level, history, highest=False, seed=seed)
                    draws.append((len(history) + 1, sorted(level), how, source))
                hopeful.remove(source)
                move(source, Fraction(1))
                out = [source]
        rounds.append((totals, gone, newly, out))
        history.append(totals)
    return winners, rounds, draws, quota


def round_view(result):
    return [(dict(r.counts), r.exhausted, list(r.elected), list(r.excluded)) for r in result.rounds]


def draw_view(result):
    return [(t.round, list(t.candidates), t.resolved_by, t.outcome) for t in result.tie_breaks]


# --- Agreement with the references -------------------------------------------------


@CHECKS
@given(single_mark_elections())
def test_it_agrees_with_the_naive_plurality_count(election):
    ids, ballots, seats, seed = election

    result = tally_plurality(
        candidates=ids, ballots=ballots, seats=seats, tie_break=TieBreak(seed=seed)
    )

    votes_for = {c: sum(1 for b in ballots if b == c) for c in ids}
    winners, draws = naive_single_round(ids, votes_for, seats, seed)
    assert list(result.elected) == winners
    assert result.rounds[0].counts == votes_for
    assert [(list(t.candidates), t.resolved_by, t.outcome) for t in result.tie_breaks] == draws
    assert result.blank_ballots == ballots.count(None)


@CHECKS
@given(approval_elections())
def test_it_agrees_with_the_naive_approval_count(election):
    ids, ballots, seats, seed = election

    result = tally_approval(
        candidates=ids, ballots=ballots, seats=seats, tie_break=TieBreak(seed=seed)
    )

    votes_for = {c: sum(1 for b in ballots if c in b) for c in ids}
    winners, draws = naive_single_round(ids, votes_for, seats, seed)
    assert list(result.elected) == winners
    assert result.rounds[0].counts == votes_for
    assert [(list(t.candidates), t.resolved_by, t.outcome) for t in result.tie_breaks] == draws


@CHECKS
@given(ranked_elections())
def test_it_agrees_with_the_naive_instant_runoff_count(election):
    ids, ballots, _, seed = election

    result = tally_irv(candidates=ids, ballots=ballots, tie_break=TieBreak(seed=seed))

    winners, rounds, draws = naive_irv(ids, ballots, seed)
    assert list(result.elected) == winners
    assert round_view(result) == rounds
    assert draw_view(result) == draws


@CHECKS
@given(ranked_elections())
def test_it_agrees_with_the_naive_stv_count(election):
    ids, ballots, seats, seed = election

    result = tally_stv(candidates=ids, ballots=ballots, seats=seats, tie_break=TieBreak(seed=seed))

    winners, rounds, draws, quota = naive_stv(ids, ballots, seats, seed)
    assert result.quota == quota
    assert list(result.elected) == winners
    assert round_view(result) == rounds
    assert draw_view(result) == draws


# --- Properties --------------------------------------------------------------------


def as_json(result):
    return json.dumps(result.to_dict(), sort_keys=True)


TALLIES = {
    "irv": lambda ids, ballots, seats, tie_break: tally_irv(
        candidates=ids, ballots=ballots, tie_break=tie_break
    ),
    "stv": lambda ids, ballots, seats, tie_break: tally_stv(
        candidates=ids, ballots=ballots, seats=seats, tie_break=tie_break
    ),
}


@CHECKS
@given(ranked_elections(), st.sampled_from(sorted(TALLIES)), st.randoms(use_true_random=False))
def test_it_gives_identical_json_on_a_recount_and_in_any_ballot_order(election, method, rnd):
    ids, ballots, seats, seed = election
    tally = TALLIES[method]
    shuffled = list(ballots)
    rnd.shuffle(shuffled)

    first = as_json(tally(ids, ballots, seats, TieBreak(seed=seed)))
    recount = as_json(tally(ids, ballots, seats, TieBreak(seed=seed)))
    reordered = as_json(tally(ids, shuffled, seats, TieBreak(seed=seed)))

    assert first == recount == reordered


@CHECKS
@given(ranked_elections())
def test_it_conserves_every_stv_vote_exactly_in_every_round(election):
    ids, ballots, seats, seed = election

    result = tally_stv(candidates=ids, ballots=ballots, seats=seats, tie_break=TieBreak(seed=seed))

    for round_ in result.rounds:
        values = [*round_.counts.values(), round_.exhausted]
        assert all(type(value) is Fraction for value in values)
        assert sum(values) == result.valid_ballots
        for transfer in round_.transfers:
            assert sum(transfer.received.values()) + transfer.exhausted == transfer.amount


@CHECKS
@given(ranked_elections())
def test_it_elects_in_stv_only_at_the_quota_or_as_the_last_continuing(election):
    ids, ballots, seats, seed = election

    result = tally_stv(candidates=ids, ballots=ballots, seats=seats, tie_break=TieBreak(seed=seed))

    assert len(result.elected) == len(set(result.elected)) == seats
    elected_before = set()
    for round_ in result.rounds:
        below_quota = [c for c in round_.elected if round_.counts[c] < result.quota]
        if below_quota:
            continuing = set(round_.counts) - elected_before
            assert round_ is result.rounds[-1]
            assert set(round_.elected) == continuing
        elected_before |= set(round_.elected)
    assert list(result.elected) == [c for r in result.rounds for c in r.elected]


@CHECKS
@given(ranked_elections())
def test_it_ends_irv_with_a_majority_or_a_recorded_tie(election):
    ids, ballots, _, seed = election

    result = tally_irv(candidates=ids, ballots=ballots, tie_break=TieBreak(seed=seed))

    last = result.rounds[-1]
    (winner,) = result.elected
    counted = sum(last.counts.values())
    if 2 * last.counts[winner] <= counted and len(last.counts) > 1:
        assert result.tie_breaks[-1].round == last.number
        assert set(result.tie_breaks[-1].candidates) == set(last.counts)
    for round_ in result.rounds:
        assert sum(round_.counts.values()) + round_.exhausted == result.valid_ballots
