"""The identities of docs/rules.md §3, on random data (hypothesis, few examples: they run the engine)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from baozheng.analysis import engine
from baozheng.analysis.model import Indicator, Target
from baozheng.analysis.periods import Period
from baozheng.analysis.rounding import r
from tests.analysis.helpers import GROUPS, UNITS, Data, row

FEW = settings(max_examples=6, deadline=None)
COUNTY_CODES = ("a", "b", "c", "d")
positive = st.floats(1.0, 1e6, allow_nan=False)
anything = st.floats(-1e3, 1e6, allow_nan=False)


def run(period: str, data: Data, indicators=None, targets=()) -> list[dict]:
    args = (Period.parse(period), "city", indicators or [Indicator("retail")], UNITS, GROUPS)
    return engine.bulletin_rows(*args, data.frame(), list(targets))


# Several independent cities per example, one indicator each: one engine call checks them all.
cities = st.lists(
    st.lists(st.tuples(anything, positive), min_size=4, max_size=4), min_size=1, max_size=6
)


def city_data(cities: list[list[tuple[float, float]]]) -> tuple[Data, list[Indicator]]:
    data = Data()
    for n, pairs in enumerate(cities):
        for unit, (now, last) in zip(COUNTY_CODES, pairs, strict=True):
            data.add(unit, "2023-06", now, indicator=f"i{n}").add(
                unit, "2022-06", last, indicator=f"i{n}"
            )
    return data, [Indicator(f"i{n}") for n in range(len(cities))]


@FEW
@given(cities)
def test_childrens_pulls_sum_to_the_parents_growth(cities: list[list[tuple[float, float]]]) -> None:
    data, indicators = city_data(cities)
    rows = run("2023-06", data, indicators)
    for ind in indicators:
        pulls = [row(rows, u, ind.code)["pull_pp"] for u in COUNTY_CODES]
        growth = row(rows, "city", ind.code)["growth"]
        assert math.fsum(pulls) == pytest.approx(growth, rel=1e-9, abs=1e-9)


@FEW
@given(cities)
def test_parent_growth_is_the_ratio_of_the_sums(cities: list[list[tuple[float, float]]]) -> None:
    data, indicators = city_data(cities)
    rows = run("2023-06", data, indicators)
    for ind, pairs in zip(indicators, cities, strict=True):
        ratio = (sum(n for n, _ in pairs) / sum(last for _, last in pairs) - 1) * 100
        assert row(rows, "city", ind.code)["growth"] == pytest.approx(ratio, rel=1e-9, abs=1e-9)


CALENDARS = [
    Indicator("merged", frequency="monthly", merged_jan_feb=True),
    Indicator("plain", frequency="monthly", merged_jan_feb=False),
    Indicator("quarter", frequency="quarterly", merged_jan_feb=False),
]


@settings(max_examples=2, deadline=None)
@given(st.lists(st.floats(0, 1e4, allow_nan=False), min_size=12, max_size=12))
def test_single_months_add_back_to_the_cumulative(increments: list[float]) -> None:
    data = Data()
    cumulative = 0.0
    for month, step in enumerate(increments, start=1):
        cumulative += step
        for ind in CALENDARS:
            data.add("a", f"2023-{month:02d}", cumulative, indicator=ind.code)
    totals = {ind.code: 0.0 for ind in CALENDARS}
    for month in range(1, 13):
        for x in run(f"2023-{month:02d}", data, CALENDARS):
            if x["unit"] == "a":
                totals[x["indicator"]] += x["month_value"]
                assert totals[x["indicator"]] == pytest.approx(x["value"], rel=1e-9, abs=1e-6)
    assert all(totals.values()) or not any(increments)


peer_growths = st.lists(
    st.one_of(st.none(), st.decimals(-20, 20, places=2).map(float)), min_size=5, max_size=5
)


@FEW
@given(st.lists(st.tuples(peer_growths, st.sampled_from(["up", "down"])), min_size=1, max_size=6))
def test_ranks_are_a_permutation_with_ties(cases: list[tuple[list[float | None], str]]) -> None:
    data = Data()
    indicators = [Indicator(f"i{n}", direction=d) for n, (_, d) in enumerate(cases)]
    for ind, (growths, _) in zip(indicators, cases, strict=True):
        for unit, growth in zip((*COUNTY_CODES, "zone"), growths, strict=True):
            if growth is not None:
                data.add(unit, "2023-06", 1.0, growth=growth, indicator=ind.code)
    all_rows = run("2023-06", data, indicators)
    for ind in indicators:
        rows = [x for x in all_rows if x["peer_group"] == "county" and x["indicator"] == ind.code]
        ranked = [x for x in rows if x["rank"] is not None]
        sign = -1 if ind.down else 1
        for x in ranked:
            better = sum(1 for y in ranked if sign * r(y["growth"]) > sign * r(x["growth"]))
            assert x["rank"] == 1 + better
            assert x["rank_of"] == len(ranked)
        assert all(x["reasons"]["rank"] == "not_ranked" for x in rows if x["rank"] is None)
        ranks = sorted(x["rank"] for x in ranked)
        assert ranks == [1 + sum(1 for b in ranks if b < a) for a in ranks]  # the 1,2,2,4 shape


@FEW
@given(
    last=st.floats(1.0, 1e4),
    share=st.floats(0.05, 0.95),
    growth=st.floats(-50, 50),
    goal=st.floats(-20, 30),
    month=st.integers(2, 11),
    seasonal=st.booleans(),
)
def test_required_growth_if_achieved_lands_on_the_growth_target(
    last: float, share: float, growth: float, goal: float, month: int, seasonal: bool
) -> None:
    data = Data().add("a", f"2023-{month:02d}", last * (1 + growth / 100), growth=growth)
    data.add("a", f"2022-{month:02d}", last)
    if seasonal:
        data.add("a", "2022-12", last / share)
    target = Target("retail", "a", 2023, "growth", goal, goal + 1)
    a = row(run(f"2023-{month:02d}", data, targets=[target]), "a")
    w = share if seasonal else month / 12
    if a["required_growth_floor"] is None:
        assert a["reasons"]["required_growth_floor"] == "target_reached"
        assert w * (100 + growth) >= 100 + goal - 1e-9
        return
    assert a["required_approximate"] is (not seasonal)
    year = w * (100 + growth) + (1 - w) * (100 + a["required_growth_floor"]) - 100
    assert year == pytest.approx(goal, abs=1e-6)


@FEW
@given(
    values=st.tuples(st.floats(1, 1e4), st.floats(1, 1e4), st.floats(1, 1e4)),
    goal=st.floats(1, 3e4),
)
def test_required_growth_if_achieved_lands_on_the_level_target(
    values: tuple[float, float, float], goal: float
) -> None:
    now, last, rest = values
    data = Data().pair("a", "2023-06", now, last).add("a", "2022-12", last + rest)
    a = row(run("2023-06", data, targets=[Target("retail", "a", 2023, "level", goal, goal)]), "a")
    required = a["required_growth_floor"]
    if required is None:
        assert a["reasons"]["required_growth_floor"] == "target_reached"
        assert goal <= now
        return
    assert now + rest * (1 + required / 100) == pytest.approx(goal, rel=1e-9)


# Rates, one-tier, phase and rank targets (docs/rules.md §3, issue 16).
rates = st.lists(
    st.tuples(st.none() | st.decimals(0, 30, places=2).map(float), st.none() | st.floats(0, 30)),
    min_size=4,
    max_size=4,
)


@FEW
@given(rates, st.sampled_from(["up", "down"]))
def test_a_rate_changes_in_points_and_ranks_by_its_printed_level(
    pairs: list[tuple[float | None, float | None]], direction: str
) -> None:
    data = Data("rate")
    for unit, (now, last) in zip(COUNTY_CODES, pairs, strict=True):
        if now is not None:
            data.add(unit, "2023-06", now)
        if last is not None:
            data.add(unit, "2022-06", last)
    rate = Indicator("rate", "rate", direction=direction)
    rows = [x for x in run("2023-06", data, [rate]) if x["peer_group"] == "county"]
    sign = -1 if rate.down else 1
    ranked = [x for x in rows if x["rank"] is not None]
    assert {x["unit"] for x in ranked} == {
        u for u, (now, _) in zip(COUNTY_CODES, pairs, strict=True) if now is not None
    }
    given_figures = dict(zip(COUNTY_CODES, pairs, strict=True))
    for x in rows:
        now, last = given_figures[x["unit"]]
        assert x["growth"] is None and x["reasons"]["growth"] == "rate_indicator"
        if now is not None and last is not None:
            assert x["change_pp"] == r(r(now) - r(last))
        else:
            assert x["change_pp"] is None
    for x in ranked:
        better = sum(1 for y in ranked if sign * r(y["value"]) > sign * r(x["value"]))
        assert x["rank"] == 1 + better


tier_figures = st.decimals(-10, 20, places=1).map(float)


@FEW
@given(st.lists(st.tuples(tier_figures, tier_figures), min_size=1, max_size=6))
def test_a_one_tier_target_is_never_exceeded(cases: list[tuple[float, float]]) -> None:
    data = Data()
    targets = []
    for n, (growth, floor) in enumerate(cases):
        data.add("a", "2023-06", 1.0, growth=growth, indicator=f"i{n}")
        targets.append(Target(f"i{n}", "a", 2023, "growth", floor, None))
    rows = run("2023-06", data, [Indicator(f"i{n}") for n in range(len(cases))], targets)
    for n, (growth, floor) in enumerate(cases):
        a = row(rows, "a", f"i{n}")
        assert a["status"] != "exceeds"
        assert (a["status"] in ("exceeds", "on_track")) == (r(growth) >= r(floor))
        assert a["target_stretch"] is None and a["required_growth_stretch"] is None


@FEW
@given(
    st.lists(st.decimals(-20, 20, places=2).map(float), min_size=4, max_size=4),
    st.integers(1, 4),
    st.none() | st.integers(1, 4),
)
def test_the_rank_status_follows_the_rank_and_the_places(
    growths: list[float], floor: int, stretch: int | None
) -> None:
    data = Data()
    for unit, growth in zip(COUNTY_CODES, growths, strict=True):
        data.add(unit, "2023-06", 1.0, growth=growth)
    stretch = None if stretch is None else min(stretch, floor)
    targets = [Target("retail", u, 2023, "rank", floor, stretch) for u in COUNTY_CODES]
    for x in run("2023-06", data, targets=targets):
        if x["unit"] not in COUNTY_CODES:
            continue
        rank = x["rank"]
        expected = (
            "exceeds"
            if stretch is not None and rank <= stretch
            else "on_track"
            if rank <= floor
            else "at_risk"
            if rank == floor + 1
            else "off_track"
        )
        assert x["rank_status"] == expected
        assert (x["target_rank_floor"], x["target_rank_stretch"]) == (floor, stretch)
        assert x["status"] == "no_target"  # a rank target is no value target


@FEW
@given(st.integers(2, 12), st.decimals(-10, 20, places=1).map(float))
def test_a_phase_target_is_in_force_only_at_its_own_period(month: int, growth: float) -> None:
    data = Data()
    for m in range(2, 13):
        data.add("a", f"2023-{m:02d}", 1.0, growth=growth)
    targets = [
        Target("retail", "a", 2023, "growth", 5.0, 6.0),
        Target("retail", "a", 2023, "growth", 1.0, 2.0, None, month),
    ]
    for m in range(2, 13):
        a = row(run(f"2023-{m:02d}", data, targets=targets), "a")
        assert a["target_period"] == (f"2023-{m:02d}" if m == month else "2023")
        assert a["target_floor"] == (1.0 if m == month else 5.0)
