"""r(x): noise removed at 10 decimals, then half-up to one decimal."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from baozheng.analysis.rounding import fast_path, r, r_array, r_exact


@pytest.mark.parametrize(
    ("x", "expected"),
    [
        (5.05, 5.1),  # stored as 5.0499999…: noise removal first, then half-up
        (0.15, 0.2),
        (1.25, 1.3),  # Python's round() would give 1.2
        (2.675, 2.7),
        (-0.25, -0.3),  # halves away from zero
        (4.96, 5.0),
        (5.04, 5.0),
        (16.666666666666664, 16.7),
        (0.04999999999, 0.1),  # within 1e-10 of the half: counts as the half
        (0.0499999999, 0.0),
        (1e300, 1e300),
        (0.0, 0.0),
    ],
)
def test_r_rounds_like_the_printed_tables(x: float, expected: float) -> None:
    assert r(x) == expected


def test_r_of_none_nan_and_infinity_is_none() -> None:
    assert r(None) is None
    assert r(float("nan")) is None
    assert r(float("inf")) is None


near_ties = st.builds(
    lambda k, eps: k / 100 + eps,
    st.integers(-(10**9), 10**9),
    st.sampled_from([0.0, 5e-11, -5e-11, 4.9e-11, -4.9e-11, 1e-13, 1e-9]),
)
any_float = st.floats(allow_nan=False, allow_infinity=False)
# Just around the fast path's margin, at every magnitude up to where r(x) is x.
around_margin = st.builds(
    lambda k, eps: k / 20 + eps * max(1.0, k / 20),
    st.integers(-(2**55), 2**55),
    st.floats(-1e-7, 1e-7),
)


@settings(max_examples=80, deadline=None)
@given(st.lists(st.one_of(any_float, near_ties, st.none()), min_size=1, max_size=80))
def test_vectorised_rounding_equals_r_on_every_float(xs: list[float | None]) -> None:
    rounded = r_array(np.array([np.nan if x is None else x for x in xs]))
    for x, y in zip(xs, rounded.tolist(), strict=True):
        want = r(x)
        assert (math.isnan(y) and want is None) or (
            y == want and math.copysign(1, y) == math.copysign(1, want)
        )


def test_vectorised_rounding_of_missing_and_infinite_values_is_missing() -> None:
    assert np.isnan(r_array(np.array([np.nan, np.inf, -np.inf]))).all()


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        any_float, near_ties, around_margin, st.sampled_from([float("nan"), float("inf"), None])
    )
)
def test_integer_rounding_equals_r_on_every_float(x: float | None) -> None:
    assert r_exact(x) == r(x)
    if x is not None and r(x) is not None:
        assert math.copysign(1.0, r_exact(x)) == math.copysign(1.0, r(x))


@settings(max_examples=100, deadline=None)
@given(st.lists(st.one_of(any_float, near_ties, around_margin), min_size=1, max_size=80))
def test_the_fast_path_equals_r_wherever_it_is_taken(xs: list[float]) -> None:
    fast, needs_exact = fast_path(np.array(xs))
    for x, y, exact in zip(xs, fast.tolist(), needs_exact.tolist(), strict=True):
        if not exact:
            assert y == r(x)


def test_only_values_near_a_half_or_huge_take_the_exact_path() -> None:
    xs = [
        5.05,
        1.25,
        -0.25,
        0.04999999999,
        4.96,
        5.04,
        16.666666666666664,
        1e300,
        123.4,
    ]  # 1e300: r(x) is x
    _, needs_exact = fast_path(np.array(xs))
    assert needs_exact.tolist() == [True, True, True, True, False, False, False, True, False]
