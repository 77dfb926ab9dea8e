"""Single transferable vote: several seats, ranked ballots, exact arithmetic.

Rules, as published with each result. All arithmetic is exact (rational numbers);
nothing is ever rounded.

1. Valid ballots are those ranking at least one candidate; empty ballots are blank.
   Every valid ballot starts with weight 1 and counts, at its weight, for its
   highest-ranked continuing candidate. A candidate's total is the sum of the
   weights of the ballots they hold.
2. The quota is the Droop quota: floor(valid ballots / (seats + 1)) + 1.
3. Each round starts by electing every continuing candidate whose total is at or
   above the quota, highest total first (equal totals are listed by id; the order
   has no effect on the count). Elected candidates receive no further ballots.
4. If the continuing candidates are now exactly as many as the seats left, they are
   all elected, highest total first, and the count ends. The count also ends as
   soon as every seat is filled.
5. Otherwise, if an elected candidate has a surplus (total above the quota) not yet
   transferred, the largest such surplus is transferred (the tie rule chooses among
   equal surpluses), by the Weighted Inclusive Gregory Method: every ballot the
   candidate holds passes to its next continuing preference at its weight times
   surplus / candidate's total, and the candidate keeps exactly the quota. Only one
   surplus is transferred per round.
6. Otherwise the continuing candidate with the lowest total is excluded (the tie
   rule chooses among equal lowest), and all their ballots pass to their next
   continuing preferences at their current weights.
7. Weight that finds no continuing preference is exhausted. In every round the
   totals of the candidates plus the exhausted weight equal the number of valid
   ballots exactly.

A round's record shows the totals at its start, who was elected or excluded in it,
and the transfer made at its end. The tie rule is documented in `ties`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from fractions import Fraction

from .ballots import check_candidates, check_seats, group_rankings
from .result import (
    Result,
    Round,
    TieBreakRecord,
    TiePurpose,
    Transfer,
    TransferKind,
    frozen_counts,
)
from .ties import TieBreak

# Identical ballots held by one candidate: (ranking, number, position, weight of each).
Parcel = tuple[tuple[int, ...], int, int, Fraction]


def droop_quota(*, valid_ballots: int, seats: int) -> Fraction:
    return Fraction(valid_ballots // (seats + 1) + 1)


class _Count:
    """The state of one STV count between rounds."""

    def __init__(self, *, ids: tuple[int, ...], groups: dict[tuple[int, ...], int]) -> None:
        self.piles: dict[int, list[Parcel]] = {c: [] for c in ids}
        self.totals: dict[int, Fraction] = {c: Fraction(0) for c in ids}
        for ranking, number in groups.items():
            self.piles[ranking[0]].append((ranking, number, 0, Fraction(1)))
            self.totals[ranking[0]] += number
        self.continuing = set(ids)
        self.exhausted = Fraction(0)

    def transfer(self, *, source: int, kind: TransferKind, transfer_value: Fraction) -> Transfer:
        """Pass every ballot `source` holds to its next continuing preference."""
        received: dict[int, Fraction] = defaultdict(Fraction)
        lost = Fraction(0)
        amount = Fraction(0)
        for ranking, number, position, weight in self.piles.pop(source):
            new_weight = weight * transfer_value
            amount += number * new_weight
            for next_position in range(position + 1, len(ranking)):
                preference = ranking[next_position]
                if preference in self.continuing:
                    self.piles[preference].append((ranking, number, next_position, new_weight))
                    received[preference] += number * new_weight
                    break
            else:
                lost += number * new_weight
        self.piles[source] = []
        for candidate, value in received.items():
            self.totals[candidate] += value
        self.totals[source] -= amount
        self.exhausted += lost
        return Transfer(
            source=source,
            kind=kind,
            amount=amount,
            transfer_value=transfer_value,
            received=frozen_counts(received),
            exhausted=lost,
        )

    def by_total(self, candidates: Iterable[int]) -> list[int]:
        return sorted(candidates, key=lambda c: (-self.totals[c], c))


def tally_stv(
    *,
    candidates: Iterable[int],
    ballots: Iterable[Sequence[int]],
    seats: int,
    tie_break: TieBreak,
) -> Result:
    ids = check_candidates(candidates)
    check_seats(seats, ids)
    groups = group_rankings(ballots, candidates=ids)
    blank = groups.pop((), 0)
    valid = sum(groups.values())
    quota = droop_quota(valid_ballots=valid, seats=seats)

    count = _Count(ids=ids, groups=groups)
    elected: list[int] = []
    surplus_pending: list[int] = []
    rounds: list[Round] = []
    tie_breaks: list[TieBreakRecord] = []

    def resolve(tied: list[int], purpose: TiePurpose) -> int:
        record = tie_break.resolve(
            tied=tied, purpose=purpose, round_number=len(rounds) + 1, earlier_rounds=rounds
        )
        tie_breaks.append(record)
        return record.outcome

    while len(elected) < seats:
        holding = count.continuing.union(elected)
        counts = frozen_counts({c: count.totals[c] for c in ids if c in holding})
        exhausted_at_start = count.exhausted
        # The Droop quota makes this at most the seats left: (seats + 1) quotas exceed
        # the valid ballots.
        elected_now = count.by_total(c for c in count.continuing if count.totals[c] >= quota)
        surplus_pending.extend(elected_now)
        count.continuing.difference_update(elected_now)
        if len(count.continuing) == seats - len(elected) - len(elected_now):
            elected_now += count.by_total(count.continuing)
            count.continuing.clear()
        elected.extend(elected_now)

        excluded: tuple[int, ...] = ()
        transfers: tuple[Transfer, ...] = ()
        if len(elected) < seats:
            surpluses = {c: count.totals[c] - quota for c in surplus_pending}
            surplus_pending = [c for c in surplus_pending if surpluses[c] > 0]
            if surplus_pending:
                largest = max(surpluses[c] for c in surplus_pending)
                tied = [c for c in surplus_pending if surpluses[c] == largest]
                source = tied[0] if len(tied) == 1 else resolve(tied, "surplus order")
                surplus_pending.remove(source)
                transfer_value = surpluses[source] / count.totals[source]
                transfers = (
                    count.transfer(source=source, kind="surplus", transfer_value=transfer_value),
                )
            else:
                lowest = min(count.totals[c] for c in count.continuing)
                tied = sorted(c for c in count.continuing if count.totals[c] == lowest)
                source = tied[0] if len(tied) == 1 else resolve(tied, "exclude")
                count.continuing.remove(source)
                excluded = (source,)
                transfers = (
                    count.transfer(source=source, kind="exclusion", transfer_value=Fraction(1)),
                )
        rounds.append(
            Round(
                number=len(rounds) + 1,
                counts=counts,
                exhausted=exhausted_at_start,
                elected=tuple(elected_now),
                excluded=excluded,
                transfers=transfers,
            )
        )

    return Result(
        method="stv",
        seats=seats,
        candidates=ids,
        elected=tuple(elected),
        rounds=tuple(rounds),
        total_ballots=blank + valid,
        valid_ballots=valid,
        blank_ballots=blank,
        tie_breaks=tuple(tie_breaks),
        quota=quota,
        seed=tie_break.seed,
    )
