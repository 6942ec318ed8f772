"""The vectorised engine gives exactly the rows of the plain-Python reference."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings

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
