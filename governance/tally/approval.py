"""Approval voting, one or more seats.

Each ballot is the set of candidates the voter approves of (an empty set is a blank
ballot). Every approval counts one vote; the candidates with the most approvals are
elected, as many as there are seats; a tie for the last seat(s) is settled by the tie
rule (see `ties`), and recorded.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from .ballots import check_candidates, check_seats
from .result import Result
from .single_round import elect_highest
from .ties import TieBreak


def tally_approval(
    *,
    candidates: Iterable[int],
    ballots: Iterable[frozenset[int]],
    seats: int = 1,
    tie_break: TieBreak,
) -> Result:
    ids = check_candidates(candidates)
    check_seats(seats, ids)
    groups = Counter(frozenset(approved) for approved in ballots)
    known = frozenset(ids)
    counts = dict.fromkeys(ids, 0)
    for approved, number in groups.items():
        unknown = sorted(approved - known)
        if unknown:
            raise ValueError(f"A ballot approves unknown candidate(s) {unknown}.")
        for candidate in approved:
            counts[candidate] += number
    return elect_highest(
        method="approval",
        candidates=ids,
        counts=counts,
        seats=seats,
        tie_break=tie_break,
        total_ballots=sum(groups.values()),
        blank_ballots=groups.get(frozenset(), 0),
    )
