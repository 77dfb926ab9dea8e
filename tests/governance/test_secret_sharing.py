import contextlib
import itertools
import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from governance import secret_sharing


@settings(max_examples=30, deadline=None)
@given(
    secret=st.binary(min_size=32, max_size=32), threshold=st.integers(1, 4), extra=st.integers(0, 3)
)
def test_any_threshold_of_the_shares_gives_the_secret_back(secret, threshold, extra):
    shares = secret_sharing.split(secret, threshold=threshold, shares=threshold + extra)

    for subset in itertools.combinations(shares, threshold):
        assert secret_sharing.combine(list(subset)) == secret


def test_fewer_shares_than_the_threshold_do_not_give_the_secret():
    secret = os.urandom(32)
    shares = secret_sharing.split(secret, threshold=3, shares=5)

    for pair in itertools.combinations(shares, 2):
        with contextlib.suppress(secret_sharing.ShareError):
            assert secret_sharing.combine(list(pair)) != secret


def test_the_same_secret_gives_different_shares_each_time():
    secret = os.urandom(32)

    first = secret_sharing.split(secret, threshold=2, shares=3)
    second = secret_sharing.split(secret, threshold=2, shares=3)

    assert set(first).isdisjoint(second)


def test_it_refuses_impossible_parameters_and_foreign_input():
    with pytest.raises(secret_sharing.ShareError):
        secret_sharing.split(os.urandom(32), threshold=4, shares=3)
    with pytest.raises(secret_sharing.ShareError):
        secret_sharing.split(os.urandom(16), threshold=2, shares=3)
    with pytest.raises(secret_sharing.ShareError):
        secret_sharing.combine([b"\x00" * 67])
