"""The tie rule, the same for every counting method.

When the count has to choose between candidates with equal totals (whom to elect,
whom to exclude, or whose surplus to transfer first), it applies this rule:

1. Earlier rounds. Look back through the earlier rounds of the same count, from the
   most recent backwards, for a round in which the tied candidates had different
   totals. When electing (or ordering surpluses) the candidate higher in that round
   is preferred; when excluding, the candidate lower in that round is excluded. If
   several are still level at the top (or bottom) of that round, only they stay
   tied and the look-back goes on from the round before.
2. Lot. If no earlier round separates them (plurality and approval counts have a
   single round, so they always go to lot), lots are drawn: the ids still tied are
   sorted in ascending order and shuffled by Python's ``random.Random`` seeded with
   the SHA-256 digest of the published seed (UTF-8), that is
   ``random.Random(hashlib.sha256(seed.encode()).digest()).shuffle(ids)``. The
   shuffled list is the order of precedence: the first is elected (or has its surplus
   transferred first), the last is excluded. A draw settles one choice only: when more
   candidates are tied than seats are left, the first of the list takes one seat and
   a new draw is made among those still tied for the next, seat by seat. Every draw
   starts from a fresh generator, so anyone with the seed and the tied ids reproduces
   it on its own.

Every use of the rule is returned as a `TieBreakRecord` and published with the result.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction

from .result import Round, TieBreakRecord, TiePurpose


@dataclass(frozen=True, kw_only=True)
class TieBreak:
    """The tie rule with its published seed, e.g. ``TieBreak(seed="2026-board-asia")``."""

    seed: str

    def __post_init__(self) -> None:
        if not isinstance(self.seed, str) or not self.seed:
            raise ValueError("The tie-break seed must be a non-empty string.")

    def lot_order(self, candidates: Iterable[int]) -> tuple[int, ...]:
        """The drawn order of precedence of `candidates`, first to last."""
        order = sorted(set(candidates))
        # Not a secret: the draw must be reproducible by anyone who knows the seed.
        generator = random.Random(hashlib.sha256(self.seed.encode("utf-8")).digest())  # noqa: S311
        generator.shuffle(order)
        return tuple(order)

    def resolve(
        self,
        *,
        tied: Iterable[int],
        purpose: TiePurpose,
        round_number: int,
        earlier_rounds: Sequence[Round],
    ) -> TieBreakRecord:
        """Choose one of the `tied` candidates for `purpose` and say how it was chosen.

        `earlier_rounds` are the completed rounds of this count, oldest first.
        """
        candidates = tuple(sorted(set(tied)))
        if len(candidates) < 2:
            raise ValueError("A tie needs at least two candidates.")
        prefer_highest = purpose != "exclude"
        still_tied = list(candidates)
        deciding_round = None
        for earlier in reversed(earlier_rounds):
            totals = {c: earlier.counts.get(c, Fraction(0)) for c in still_tied}
            target = max(totals.values()) if prefer_highest else min(totals.values())
            narrowed = [c for c in still_tied if totals[c] == target]
            if len(narrowed) == len(still_tied):
                continue
            still_tied = narrowed
            deciding_round = earlier.number
            if len(still_tied) == 1:
                return TieBreakRecord(
                    round=round_number,
                    purpose=purpose,
                    candidates=candidates,
                    resolved_by="earlier round",
                    outcome=still_tied[0],
                    deciding_round=deciding_round,
                )
        order = self.lot_order(still_tied)
        return TieBreakRecord(
            round=round_number,
            purpose=purpose,
            candidates=candidates,
            resolved_by="lot",
            outcome=order[0] if prefer_highest else order[-1],
            deciding_round=deciding_round,
            lot_order=order,
        )
