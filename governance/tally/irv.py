"""Instant-runoff voting: one seat, ranked ballots.

Rules, as published with each result:

1. Each ballot counts for its highest-ranked continuing candidate. A ballot whose
   ranked candidates have all been excluded is exhausted and counts for nobody; an
   empty ballot is blank and never counts.
2. In each round, a candidate with a strict majority of the votes counted for
   continuing candidates in that round (more than half, exhausted ballots left out)
   is elected and the count ends.
3. Otherwise, if every continuing candidate has the same number of votes (this
   includes a lone continuing candidate), the tie rule elects one of them.
4. Otherwise the candidate with the fewest votes is excluded (the tie rule chooses
   among equal lowest), and each of their ballots passes to its next continuing
   preference, or is exhausted. Then the next round begins.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from fractions import Fraction

from .ballots import check_candidates, group_rankings
from .result import Result, Round, TieBreakRecord, Transfer, frozen_counts
from .ties import TieBreak

# A group of identical ballots sitting with a candidate: (ranking, number, position).
Parcel = tuple[tuple[int, ...], int, int]


def tally_irv(
    *,
    candidates: Iterable[int],
    ballots: Iterable[Sequence[int]],
    tie_break: TieBreak,
) -> Result:
    ids = check_candidates(candidates)
    groups = group_rankings(ballots, candidates=ids)
    blank = groups.pop((), 0)
    valid = sum(groups.values())

    piles: dict[int, list[Parcel]] = {c: [] for c in ids}
    totals = dict.fromkeys(ids, 0)
    for ranking, number in groups.items():
        piles[ranking[0]].append((ranking, number, 0))
        totals[ranking[0]] += number

    continuing = set(ids)
    exhausted = 0
    rounds: list[Round] = []
    tie_breaks: list[TieBreakRecord] = []
    winner = None
    while winner is None:
        round_number = len(rounds) + 1
        counts = {c: totals[c] for c in continuing}
        counted = sum(counts.values())
        highest = max(counts.values())
        leaders = [c for c in counts if counts[c] == highest]
        if 2 * highest > counted or len(leaders) == len(counts):
            if len(leaders) == 1:
                winner = leaders[0]
            else:
                record = tie_break.resolve(
                    tied=leaders, purpose="elect", round_number=round_number, earlier_rounds=rounds
                )
                tie_breaks.append(record)
                winner = record.outcome
            rounds.append(
                Round(
                    number=round_number,
                    counts=frozen_counts(counts),
                    exhausted=Fraction(exhausted),
                    elected=(winner,),
                )
            )
            break

        lowest = min(counts.values())
        trailing = [c for c in counts if counts[c] == lowest]
        if len(trailing) == 1:
            loser = trailing[0]
        else:
            record = tie_break.resolve(
                tied=trailing, purpose="exclude", round_number=round_number, earlier_rounds=rounds
            )
            tie_breaks.append(record)
            loser = record.outcome
        continuing.remove(loser)

        received: Counter[int] = Counter()
        lost = 0
        for ranking, number, position in piles.pop(loser):
            for next_position in range(position + 1, len(ranking)):
                preference = ranking[next_position]
                if preference in continuing:
                    piles[preference].append((ranking, number, next_position))
                    received[preference] += number
                    break
            else:
                lost += number
        for candidate, number in received.items():
            totals[candidate] += number
        rounds.append(
            Round(
                number=round_number,
                counts=frozen_counts(counts),
                exhausted=Fraction(exhausted),
                excluded=(loser,),
                transfers=(
                    Transfer(
                        source=loser,
                        kind="exclusion",
                        amount=Fraction(totals[loser]),
                        transfer_value=Fraction(1),
                        received=frozen_counts(received),
                        exhausted=Fraction(lost),
                    ),
                ),
            )
        )
        exhausted += lost

    return Result(
        method="irv",
        seats=1,
        candidates=ids,
        elected=(winner,),
        rounds=tuple(rounds),
        total_ballots=blank + valid,
        valid_ballots=valid,
        blank_ballots=blank,
        tie_breaks=tuple(tie_breaks),
        seed=tie_break.seed,
    )
