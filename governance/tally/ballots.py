"""Checks shared by every method, and grouping of identical ballots.

Checking ballots against the election is the caller's job; these checks are the last
line of defence, so a count never runs on a ballot it cannot interpret.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence


def check_candidates(candidates: Iterable[int]) -> tuple[int, ...]:
    """The candidate ids as a tuple, or ValueError if they are empty, not ints, or repeated."""
    ids = tuple(candidates)
    if not ids:
        raise ValueError("An election needs at least one candidate.")
    for candidate in ids:
        if isinstance(candidate, bool) or not isinstance(candidate, int):
            raise ValueError(f"Candidate ids must be integers, got {candidate!r}.")
    repeated = sorted(c for c, n in Counter(ids).items() if n > 1)
    if repeated:
        raise ValueError(f"Candidate ids must be unique; repeated: {repeated}.")
    return ids


def check_seats(seats: int, candidates: Sequence[int]) -> None:
    if isinstance(seats, bool) or not isinstance(seats, int) or seats < 1:
        raise ValueError(f"The number of seats must be an integer of at least 1, got {seats!r}.")
    if seats > len(candidates):
        raise ValueError(
            f"The number of seats ({seats}) cannot exceed the number of candidates "
            f"({len(candidates)})."
        )


def group_rankings(
    ballots: Iterable[Sequence[int]], *, candidates: Sequence[int]
) -> Counter[tuple[int, ...]]:
    """Identical rankings grouped with their number, after checking each distinct one.

    An empty ranking is a blank ballot and is kept (under the key ``()``).
    """
    groups = Counter(tuple(ranking) for ranking in ballots)
    known = frozenset(candidates)
    for ranking in groups:
        unknown = [c for c in ranking if c not in known]
        if unknown:
            raise ValueError(f"Ballot {ranking!r} names unknown candidate(s) {unknown}.")
        if len(set(ranking)) != len(ranking):
            repeated = sorted(c for c, n in Counter(ranking).items() if n > 1)
            raise ValueError(f"Ballot {ranking!r} ranks candidate(s) {repeated} more than once.")
    return groups
