"""The vectorised engine gives exactly the rows of the plain-Python reference."""

from __future__ import annotations

import random

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from baozheng.analysis import engine, reference
from baozheng.analysis.periods import Period
from tests.analysis.helpers import assert_row_contract, assert_same_rows
from tests.analysis.strategies import worlds


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(worlds())
def test_engine_matches_the_reference_on_random_cities(world: dict) -> None:
    args = (
        Period(2023, world["month"]),
        "city",
        world["indicators"],
        world["units"],
        world["groups"],
        world["observations"],
        world["targets"],
    )
    rows = engine.bulletin_rows(*args)
    assert_same_rows(rows, reference.bulletin_rows(*args))
    for row in rows:
        assert_row_contract(row)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(worlds(), st.integers(0, 2**32))
def test_engine_matches_the_reference_when_observation_rows_repeat(
    world: dict, rng_state: int
) -> None:
    """A table may hold a (indicator, unit, year, month) twice; the last row wins in both."""
    table = world["observations"]
    if table.height:
        rnd = random.Random(rng_state)
        repeated = table[sorted(rnd.sample(range(table.height), min(table.height, 20)))]
        shuffled = repeated.with_columns(
            value=repeated["value"].shuffle(rng_state), growth=repeated["growth"].shuffle(rng_state)
        )
        table = pl.concat([table, shuffled, repeated.head(3)])
    args = (
        Period(2023, world["month"]),
        "city",
        world["indicators"],
        world["units"],
        world["groups"],
        table,
        world["targets"],
    )
    assert_same_rows(engine.bulletin_rows(*args), reference.bulletin_rows(*args))
