"""The published record of a count.

Every tally returns a `Result`: frozen dataclasses holding exact `Fraction`s, so the
record can be compared, stored and shown without rounding. `Result.to_dict()` turns
it into plain JSON types. Each fraction becomes ``{"exact": "17/3", "approx": 5.67}``
where "exact" is authoritative and "approx" (the nearest float) is only for display.
Serialising the same count twice with ``json.dumps(result.to_dict(), sort_keys=True)``
gives byte-identical text, which is how outsiders check a recount.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from types import MappingProxyType
from typing import Any, Literal

Method = Literal["plurality", "approval", "irv", "stv"]
TransferKind = Literal["surplus", "exclusion"]
TiePurpose = Literal["elect", "exclude", "surplus order"]
TieResolution = Literal["earlier round", "lot"]


def fraction_to_dict(value: Fraction) -> dict[str, Any]:
    """An exact fraction as JSON: the exact value as "p/q" (or "p") and a float for display."""
    return {"exact": str(value), "approx": float(value)}


def _counts_to_dict(counts: Mapping[int, Fraction]) -> dict[str, dict[str, Any]]:
    # JSON object keys are strings; the ids stay in ascending numeric order.
    return {str(candidate): fraction_to_dict(counts[candidate]) for candidate in sorted(counts)}


def frozen_counts(counts: Mapping[int, Fraction]) -> Mapping[int, Fraction]:
    """A read-only copy of `counts`, ordered by candidate id."""
    return MappingProxyType({c: Fraction(counts[c]) for c in sorted(counts)})


@dataclass(frozen=True, kw_only=True)
class Transfer:
    """Votes moved away from one candidate during a round.

    `transfer_value` is the factor applied to the weight of every ballot moved: for a
    surplus it is surplus / candidate total, for an exclusion it is 1 (ballots move at
    the weight they already had).
    """

    source: int
    kind: TransferKind
    amount: Fraction
    transfer_value: Fraction
    received: Mapping[int, Fraction]
    exhausted: Fraction

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "kind": self.kind,
            "amount": fraction_to_dict(self.amount),
            "transfer_value": fraction_to_dict(self.transfer_value),
            "received": _counts_to_dict(self.received),
            "exhausted": fraction_to_dict(self.exhausted),
        }


@dataclass(frozen=True, kw_only=True)
class TieBreakRecord:
    """One use of the tie rule, published with the result.

    `outcome` is the candidate the rule picked: the one elected, excluded, or whose
    surplus goes first, depending on `purpose`. `deciding_round` is the earlier round
    that settled it (for "earlier round"); `lot_order` is the drawn order (for "lot").
    """

    round: int
    purpose: TiePurpose
    candidates: tuple[int, ...]
    resolved_by: TieResolution
    outcome: int
    deciding_round: int | None = None
    lot_order: tuple[int, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "round": self.round,
            "purpose": self.purpose,
            "candidates": list(self.candidates),
            "resolved_by": self.resolved_by,
            "outcome": self.outcome,
            "deciding_round": self.deciding_round,
            "lot_order": list(self.lot_order),
        }


@dataclass(frozen=True, kw_only=True)
class Round:
    """The state at the start of a round and what was decided in it.

    `counts` holds every candidate still holding votes (continuing, and for STV
    already elected) as it stood before this round's transfer; `exhausted` is the
    running total of votes that could not be transferred, up to the same moment.
    """

    number: int
    counts: Mapping[int, Fraction]
    exhausted: Fraction
    elected: tuple[int, ...] = ()
    excluded: tuple[int, ...] = ()
    transfers: tuple[Transfer, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "counts": _counts_to_dict(self.counts),
            "exhausted": fraction_to_dict(self.exhausted),
            "elected": list(self.elected),
            "excluded": list(self.excluded),
            "transfers": [transfer.to_dict() for transfer in self.transfers],
        }


@dataclass(frozen=True, kw_only=True)
class Result:
    """The outcome of one count: who was elected, in order, and how."""

    method: Method
    seats: int
    candidates: tuple[int, ...]
    elected: tuple[int, ...]
    rounds: tuple[Round, ...]
    total_ballots: int
    valid_ballots: int
    blank_ballots: int
    tie_breaks: tuple[TieBreakRecord, ...] = ()
    quota: Fraction | None = None
    seed: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "seats": self.seats,
            "candidates": list(self.candidates),
            "elected": list(self.elected),
            "quota": None if self.quota is None else fraction_to_dict(self.quota),
            "total_ballots": self.total_ballots,
            "valid_ballots": self.valid_ballots,
            "blank_ballots": self.blank_ballots,
            "seed": self.seed,
            "rounds": [round_.to_dict() for round_ in self.rounds],
            "tie_breaks": [record.to_dict() for record in self.tie_breaks],
        }
