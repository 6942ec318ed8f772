"""Hypothesis strategies: small random cities with holes in their data."""

from __future__ import annotations

import random

import polars as pl
from hypothesis import strategies as st

from baozheng.analysis.model import Indicator, Target
from tests.analysis.helpers import GROUPS, PEER_CITY, PROVINCE, SCHEMA, UNITS

UNIT_CODES = [u.code for u in (*UNITS, PROVINCE, PEER_CITY)]

# Values that exercise ties, zeros and negatives as well as ordinary figures.
values = st.one_of(
    st.integers(-5, 400).map(float),
    st.decimals(-50, 1000, places=2).map(float),
    st.floats(0.01, 1e6, allow_nan=False, allow_infinity=False),
    st.sampled_from([0.0, 100.0, 105.04, 104.96, 95.0]),
)
growths = st.one_of(
    st.decimals(-30, 30, places=2).map(float),
    st.sampled_from([5.04, 4.96, 5.05, 8.0, 7.0, -0.05]),
)


@st.composite
def indicators(draw: st.DrawFn, code: str) -> Indicator:
    kind = draw(st.sampled_from(["amount", "amount", "growth", "count", "rate"]))
    return Indicator(
        code=code,
        kind=kind,
        frequency=draw(st.sampled_from(["monthly", "monthly", "quarterly", "yearly"])),
        merged_jan_feb=draw(st.booleans()),
        direction=draw(st.sampled_from(["up", "up", "down"])),
        additive=kind != "growth" and draw(st.booleans()),
        cumulative=draw(st.sampled_from([True, True, False])),
    )


@st.composite
def targets(
    draw: st.DrawFn, indicator: Indicator, unit: str, year: int, month: int
) -> list[Target]:
    """A unit's targets on one indicator: the year's value target (one or two tiers),
    maybe a phase target (sometimes at the bulletin's month), maybe a rank target.
    Tiers follow the import's direction rule."""
    found = []
    bases = ["level"] if indicator.kind == "rate" else ["growth", "level"]
    sign = -1.0 if indicator.down else 1.0
    months = st.sampled_from([None, None, month, month, max(1, month - 1)])
    for phase in (None, draw(months)):
        if phase is None and found:
            continue
        basis = draw(st.sampled_from(bases))
        floor = draw(growths if basis == "growth" else values)
        stretch = draw(st.none() | st.sampled_from([0.0, 1.0, 2.5, 50.0]))
        stretch = None if stretch is None else floor + sign * stretch
        top = None if stretch is None else draw(st.none() | st.just(stretch + sign))
        found.append(Target(indicator.code, unit, year, basis, floor, stretch, top, phase))
    if draw(st.integers(0, 2)) == 0:
        floor = draw(st.integers(1, 6))
        stretch = draw(st.none() | st.integers(1, floor))
        top = None if stretch is None else draw(st.none() | st.integers(1, stretch))
        found.append(Target(indicator.code, unit, year, "rank", floor, stretch, top))
    return found


VALUE_POOL = (0.0, 100.0, 105.04, 104.96, 95.0, -20.0, 1.0, 250.5, 1e6)
GROWTH_POOL = (5.04, 4.96, 5.05, 8.0, 7.0, -0.05, 0.0, 12.3)


def _value(rnd: random.Random) -> float:
    roll = rnd.random()
    if roll < 0.3:
        return rnd.choice(VALUE_POOL)
    if roll < 0.6:
        return float(rnd.randint(-5, 400))
    if roll < 0.9:
        return rnd.randint(-5000, 100000) / 100
    return rnd.uniform(0.01, 1e6)


@st.composite
def observations(draw: st.DrawFn, inds: list[Indicator], year: int) -> pl.DataFrame:
    """A table with holes: some units have everything, some nothing, most a bit."""
    rnd = random.Random(draw(st.integers(0, 2**32)))  # one draw, cheap to replay
    rows = []
    for ind in inds:
        for unit in UNIT_CODES:
            density = rnd.choice([0.0, 0.7, 0.95, 1.0, 1.0])
            published = rnd.choice([0.0, 0.3, 1.0])
            for y in (year - 1, year):
                for m in range(1, 13):
                    if rnd.random() >= density:
                        continue
                    value = None
                    if ind.kind != "growth" and rnd.random() < 0.95:
                        value = _value(rnd)
                    growth = None
                    if rnd.random() < published:
                        growth = (
                            rnd.choice(GROWTH_POOL)
                            if rnd.random() < 0.5
                            else rnd.randint(-300, 300) / 10
                        )
                    rows.append(
                        {
                            "indicator": ind.code,
                            "unit": unit,
                            "year": y,
                            "month": m,
                            "value": value,
                            "growth": growth,
                        }
                    )
    return pl.DataFrame(rows, schema=SCHEMA)


@st.composite
def worlds(draw: st.DrawFn, year: int = 2023) -> dict:
    """Arguments for bulletin_rows: indicators, observations with holes, targets."""
    inds = [draw(indicators(f"i{n}")) for n in range(draw(st.integers(1, 3)))]
    month = draw(st.integers(1, 12))
    target_list = [
        target
        for ind in inds
        for unit in UNIT_CODES
        if draw(st.integers(0, 2)) == 0
        for target in draw(targets(ind, unit, year, month))
    ]
    with_province = draw(st.booleans())
    return {
        "month": month,
        "indicators": inds,
        "units": [*UNITS, PROVINCE, PEER_CITY] if with_province else list(UNITS),
        "groups": GROUPS,
        "observations": draw(observations(inds, year)),
        "targets": target_list,
    }
