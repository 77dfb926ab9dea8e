"""Plurality (first past the post), one or more seats.

Each ballot names one candidate or none (`None` is a blank ballot). The candidates
with the most votes are elected, as many as there are seats; a tie for the last
seat(s) is settled by the tie rule (see `ties`), and recorded.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from .ballots import check_candidates, check_seats
from .result import Result
from .single_round import elect_highest
from .ties import TieBreak


def tally_plurality(
    *,
    candidates: Iterable[int],
    ballots: Iterable[int | None],
    seats: int = 1,
    tie_break: TieBreak,
) -> Result:
    ids = check_candidates(candidates)
    check_seats(seats, ids)
    groups = Counter(ballots)
    known = frozenset(ids)
    for choice in groups:
        if choice is not None and choice not in known:
            raise ValueError(f"A ballot names unknown candidate {choice!r}.")
    blank = groups.pop(None, 0)
    return elect_highest(
        method="plurality",
        candidates=ids,
        counts={c: groups.get(c, 0) for c in ids},
        seats=seats,
        tie_break=tie_break,
        total_ballots=blank + sum(groups.values()),
        blank_ballots=blank,
    )
