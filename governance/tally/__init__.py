"""Vote counting for INPUD board elections: exact, deterministic and documented.

A pure-Python package (no Django, no database): the caller loads the ballots and
stores the `Result`. Candidates are identified by their database ids (ints).

Ballots by method:

- plurality: ``int | None`` (``None`` is a blank ballot);
- approval: ``frozenset[int]`` (empty is blank);
- IRV and STV: ``tuple[int, ...]`` in order of preference, no repeats (empty is blank).

The rules of each method are in the docstring of its module (`plurality`,
`approval`, `irv`, `stv`) and the tie rule, shared by all, in `ties`. The results
page says the same in plain words (templates/governance/includes/counting_rules.html
and tie_rule.html): change them together. `blt` writes and reads the BLT format so
that outsiders can recount with other software.
"""

from .approval import tally_approval
from .blt import BltElection, read_blt, write_blt
from .irv import tally_irv
from .plurality import tally_plurality
from .result import Result, Round, TieBreakRecord, Transfer, fraction_to_dict
from .stv import droop_quota, tally_stv
from .ties import TieBreak

__all__ = [
    "BltElection",
    "Result",
    "Round",
    "TieBreak",
    "TieBreakRecord",
    "Transfer",
    "droop_quota",
    "fraction_to_dict",
    "read_blt",
    "tally_approval",
    "tally_irv",
    "tally_plurality",
    "tally_stv",
    "write_blt",
]
