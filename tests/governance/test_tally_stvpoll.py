"""Multi-seat STV with surplus transfers, against an independent library: STVPoll.

pyrankvote (test_tally_pyrankvote) can only check counts decided by exclusions.
STVPoll's Scottish STV shares our rules where surpluses are concerned: the Droop
quota floor(n / (seats + 1)) + 1, every ballot of an elected candidate passed on at
its weight times surplus / total (Weighted Inclusive Gregory), exclusions at the
current weight, and the last continuing candidates elected when they are as many as
the seats left. Where the two differ, the comparison stays out of the way:

- STVPoll rounds each ballot's weight to 5 decimals (ours is exact), so only counts
  in which, after the first surplus transfer, no continuing total comes within 0.01
  of the quota and the lowest two totals are more than 0.01 apart are compared;
- when several candidates reach the quota in one round, STVPoll transfers all their
  surpluses at once (ours: one per round), so each round of the compared counts
  elects at most one candidate at the quota;
- tie rules differ, so counts in which ours used the tie rule are left out.
"""

from fractions import Fraction

import pytest
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from governance.tally import TieBreak, tally_stv

stvpoll = pytest.importorskip("stvpoll.scottish_stv")

MARGIN = Fraction(1, 100)
CHECKS = settings(
    max_examples=150,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow],
)


@st.composite
def surplus_elections(draw):
    """Several seats, ballots drawn from a few rankings in uneven numbers: popular
    first preferences pass the quota and leave surpluses to transfer."""
    size = draw(st.integers(min_value=4, max_value=8))
    ids = draw(st.lists(st.integers(1, 10_000), min_size=size, max_size=size, unique=True))
    seats = draw(st.integers(min_value=2, max_value=min(4, size - 1)))
    ranking = st.permutations(ids).flatmap(
        lambda order: st.integers(1, len(order)).map(lambda length: tuple(order[:length]))
    )
    pool = draw(st.lists(st.tuples(ranking, st.integers(1, 40)), min_size=2, max_size=7))
    ballots = [r for r, number in pool for _ in range(number)]
    return ids, ballots, seats, draw(st.text(min_size=1, max_size=8))


def comparable(result) -> bool:
    if result.tie_breaks:
        return False
    elected_before: set[int] = set()
    fractional = False
    for round_ in result.rounds:
        continuing = {c: v for c, v in round_.counts.items() if c not in elected_before}
        at_quota = [c for c in round_.elected if round_.counts[c] >= result.quota]
        if len(at_quota) > 1:
            return False
        if fractional:
            if any(abs(v - result.quota) < MARGIN for v in continuing.values()):
                return False
            if round_.excluded:
                lowest, second, *_ = sorted(continuing.values())
                if second - lowest < MARGIN:
                    return False
        elected_before |= set(round_.elected)
        fractional = fractional or any(t.kind == "surplus" for t in round_.transfers)
    return True


def theirs(ids, ballots, seats):
    groups: dict[tuple[int, ...], int] = {}
    for ballot in ballots:
        groups[tuple(ballot)] = groups.get(tuple(ballot), 0) + 1
    return stvpoll.calculate_scottish_stv(
        tuple(ids), list(groups.items()), seats, allow_random=False
    )


@CHECKS
@given(surplus_elections())
def test_it_elects_the_same_candidates_as_stvpoll_when_surpluses_are_transferred(election):
    ids, ballots, seats, seed = election
    ours = tally_stv(candidates=ids, ballots=ballots, seats=seats, tie_break=TieBreak(seed=seed))
    surpluses = sum(1 for r in ours.rounds for t in r.transfers if t.kind == "surplus")
    assume(surpluses and comparable(ours))
    event(f"{seats} seats, {min(surpluses, 3)}+ surplus transfer(s)")

    result = theirs(ids, ballots, seats)

    assert result.complete
    assert result.quota == ours.quota
    assert set(result) == set(ours.elected)


def test_it_agrees_with_stvpoll_on_a_count_decided_by_a_fractional_surplus():
    """A worked example. Quota 6; A's surplus of 3 in 9 passes at 1/3 per ballot:
    7/3 to B and 2/3 to C. D (3) is excluded, then B (10/3) against C (11/3): C wins
    the second seat by the fractions of A's surplus."""
    a, b, c, d = 1, 2, 3, 4
    ballots = [(a, b)] * 7 + [(a, c)] * 2 + [(b,)] * 1 + [(c,)] * 3 + [(d,)] * 3
    ours = tally_stv(
        candidates=[a, b, c, d], ballots=ballots, seats=2, tie_break=TieBreak(seed="x")
    )

    assert ours.quota == 6 and not ours.tie_breaks
    assert ours.rounds[0].transfers[0].transfer_value == Fraction(1, 3)
    assert ours.rounds[1].counts == {a: 6, b: Fraction(10, 3), c: Fraction(11, 3), d: 3}
    assert set(ours.elected) == set(theirs([a, b, c, d], ballots, 2)) == {a, c}
