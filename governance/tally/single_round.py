"""Electing the highest totals of a single round (plurality and approval)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction

from .result import Method, Result, Round, TieBreakRecord, frozen_counts
from .ties import TieBreak


def elect_highest(
    *,
    method: Method,
    candidates: Sequence[int],
    counts: Mapping[int, int],
    seats: int,
    tie_break: TieBreak,
    total_ballots: int,
    blank_ballots: int,
) -> Result:
    """Elect the `seats` candidates with the highest counts, in one round.

    Candidates are taken by count, highest first. When candidates with equal counts
    all fit in the seats left they are all elected (listed by id); when they do not,
    the tie rule picks them one seat at a time, and each pick is recorded.
    """
    elected: list[int] = []
    tie_breaks: list[TieBreakRecord] = []
    for total in sorted(set(counts.values()), reverse=True):
        room = seats - len(elected)
        if room == 0:
            break
        level = sorted(c for c in candidates if counts[c] == total)
        if len(level) <= room:
            elected.extend(level)
            continue
        while room:
            record = tie_break.resolve(
                tied=level, purpose="elect", round_number=1, earlier_rounds=()
            )
            tie_breaks.append(record)
            elected.append(record.outcome)
            level.remove(record.outcome)
            room -= 1
    round_ = Round(
        number=1,
        counts=frozen_counts({c: Fraction(counts[c]) for c in candidates}),
        exhausted=Fraction(0),
        elected=tuple(elected),
    )
    return Result(
        method=method,
        seats=seats,
        candidates=tuple(candidates),
        elected=tuple(elected),
        rounds=(round_,),
        total_ballots=total_ballots,
        valid_ballots=total_ballots - blank_ballots,
        blank_ballots=blank_ballots,
        tie_breaks=tuple(tie_breaks),
        seed=tie_break.seed,
    )
