"""The BLT ballot file format, so outsiders can recount with their own software.

BLT is the plain-text format read by OpenSTV, Droop, the ERS counting programs and
others::

    4 2                 number of candidates, number of seats
    -3                  optional: withdrawn candidates, as negative numbers
    3 1 2 0             a ballot group: weight, then preferences, ending in 0
    1 4 0
    0                   end of ballots
    "Alice"             candidate names in double quotes, numbered 1..n in order
    "Bob"
    "Chen"
    "Dana"
    "Board 2026"        the title of the election

Candidates are numbered 1..n in the order given, not by database id. Identical
ballots are written once with their number as weight, largest groups first, then by
preferences, so the file does not depend on the order ballots were stored in. A
blank ballot is written as "<weight> 0". BLT has no escapes, so in names and the
title double quotes become single quotes and line breaks become spaces.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .ballots import check_candidates, check_seats, group_rankings

_TOKEN = re.compile(r'"[^"\n]*"|\S+')


@dataclass(frozen=True, kw_only=True)
class BltElection:
    """A parsed BLT file. Candidates are referred to by their 1-based BLT number."""

    title: str
    names: tuple[str, ...]
    seats: int
    withdrawn: tuple[int, ...]
    ballots: tuple[tuple[int, ...], ...]


def _quoted(text: str) -> str:
    # BLT has no escapes: a double quote inside a name would end it early, and a line
    # break would split it. Names are only labels there, so they are made safe.
    safe = " ".join(text.replace('"', "'").split())
    return f'"{safe}"'


def write_blt(
    *,
    title: str,
    candidates: Sequence[tuple[int, str]],
    seats: int,
    ballots: Iterable[Sequence[int]],
    withdrawn: Iterable[int] = (),
) -> str:
    """The election as BLT text. `ballots` are rankings of candidate ids."""
    ids = check_candidates(candidate for candidate, _ in candidates)
    check_seats(seats, ids)
    number = {candidate: position for position, candidate in enumerate(ids, start=1)}
    withdrawn_ids = set(withdrawn)
    unknown = sorted(c for c in withdrawn_ids if c not in number)
    if unknown:
        raise ValueError(f"Withdrawn candidate(s) {unknown} are not among the candidates.")
    groups = group_rankings(ballots, candidates=ids)
    rows = sorted(
        ((weight, tuple(number[c] for c in ranking)) for ranking, weight in groups.items()),
        key=lambda row: (-row[0], row[1]),
    )

    lines = [f"{len(ids)} {seats}"]
    if withdrawn_ids:
        lines.append(" ".join(f"-{n}" for n in sorted(number[c] for c in withdrawn_ids)))
    lines.extend(" ".join(map(str, (weight, *preferences, 0))) for weight, preferences in rows)
    lines.append("0")
    lines.extend(_quoted(name) for _, name in candidates)
    lines.append(_quoted(title))
    return "\n".join(lines) + "\n"


def _integer(token: str, *, what: str) -> int:
    if not re.fullmatch(r"-?\d+", token):
        raise ValueError(f"Expected an integer for the {what} in BLT, got {token!r}.")
    return int(token)


def read_blt(text: str) -> BltElection:
    """Parse BLT text, expanding weighted ballot groups into single ballots."""
    tokens = _TOKEN.findall(text)
    position = 0

    def take(what: str) -> str:
        nonlocal position
        if position >= len(tokens):
            raise ValueError(f"The BLT text ends before the {what}.")
        position += 1
        return tokens[position - 1]

    candidate_count = _integer(take("number of candidates"), what="number of candidates")
    seats = _integer(take("number of seats"), what="number of seats")
    if candidate_count < 1 or not 1 <= seats <= candidate_count:
        raise ValueError(f"Invalid BLT header: {candidate_count} candidates, {seats} seats.")

    withdrawn: list[int] = []
    while position < len(tokens) and tokens[position].startswith("-"):
        withdrawn.append(-_integer(take("withdrawn candidate"), what="withdrawn candidate"))

    ballots: list[tuple[int, ...]] = []
    while True:
        weight = _integer(take("ballot weight"), what="ballot weight")
        if weight == 0:
            break
        if weight < 0:
            raise ValueError(f"Ballot weights in BLT must be positive, got {weight}.")
        preferences: list[int] = []
        while (preference := _integer(take("ballot preference"), what="preference")) != 0:
            preferences.append(preference)
        ballots.extend([tuple(preferences)] * weight)

    names = tuple(take("candidate name") for _ in range(candidate_count))
    title = take("title")
    for quoted in (*names, title):
        if len(quoted) < 2 or not (quoted.startswith('"') and quoted.endswith('"')):
            raise ValueError(f"Expected a double-quoted name or title in BLT, got {quoted!r}.")
    if position != len(tokens):
        raise ValueError(f"Unexpected text after the BLT title: {tokens[position]!r}.")

    numbers = range(1, candidate_count + 1)
    outside = sorted({c for ranking in ballots for c in ranking if c not in numbers})
    outside += [c for c in withdrawn if c not in numbers]
    if outside:
        raise ValueError(f"BLT preferences refer to candidate numbers {outside} out of range.")
    for ranking in set(ballots):
        if len(set(ranking)) != len(ranking):
            raise ValueError(f"A BLT ballot ranks a candidate more than once: {list(ranking)}.")
    return BltElection(
        title=title[1:-1],
        names=tuple(name[1:-1] for name in names),
        seats=seats,
        withdrawn=tuple(withdrawn),
        ballots=tuple(ballots),
    )
