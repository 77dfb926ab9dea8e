"""The published record: exact, frozen and JSON-serialisable."""

import dataclasses
import json
from fractions import Fraction

import pytest

from governance.tally import TieBreak, fraction_to_dict, tally_stv

TIE_BREAK = TieBreak(seed="2026-board-test")


def count():
    ballots = [(1, 2)] * 4 + [(1, 3)] * 2 + [(2,)] + [(3, 2)] * 2 + [()]
    return tally_stv(candidates=[1, 2, 3], ballots=ballots, seats=2, tie_break=TIE_BREAK)


def test_it_writes_fractions_exactly_with_a_float_for_display():
    assert fraction_to_dict(Fraction(17, 3)) == {"exact": "17/3", "approx": 17 / 3}
    assert fraction_to_dict(Fraction(6)) == {"exact": "6", "approx": 6.0}


def test_it_serialises_the_whole_count_to_json():
    result = count()

    data = json.loads(json.dumps(result.to_dict()))

    assert data["method"] == "stv"
    assert data["elected"] == [1, 3]
    assert data["quota"] == {"exact": "4", "approx": 4.0}
    assert (data["total_ballots"], data["valid_ballots"], data["blank_ballots"]) == (10, 9, 1)
    assert data["seed"] == "2026-board-test"
    first = data["rounds"][0]
    assert first["counts"] == {
        "1": {"exact": "6", "approx": 6.0},
        "2": {"exact": "1", "approx": 1.0},
        "3": {"exact": "2", "approx": 2.0},
    }
    # Candidate 1's surplus of 2 out of 6 passes on at 1/3: 4/3 to 2, 2/3 to 3.
    (transfer,) = first["transfers"]
    assert transfer["transfer_value"]["exact"] == "1/3"
    assert transfer["received"] == {
        "2": {"exact": "4/3", "approx": 4 / 3},
        "3": {"exact": "2/3", "approx": 2 / 3},
    }
    assert data["rounds"][1]["counts"]["2"]["exact"] == "7/3"
    assert data["rounds"][1]["excluded"] == [2]
    assert data["tie_breaks"] == []


def test_it_recounts_to_byte_identical_json():
    assert json.dumps(count().to_dict()) == json.dumps(count().to_dict())


def test_it_cannot_be_changed_after_the_count():
    result = count()

    with pytest.raises(dataclasses.FrozenInstanceError):
        result.elected = (3,)
    with pytest.raises(TypeError):
        result.rounds[0].counts[3] = Fraction(100)
