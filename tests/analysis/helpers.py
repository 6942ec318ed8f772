"""Small stand-ins for the analysis tests: a city with four counties and a zone.

`bulletin()` runs the vectorised engine *and* the reference implementation and
checks that they agree, so every worked example is also a differential test.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import polars as pl

from baozheng.analysis import engine, reference
from baozheng.analysis.model import Indicator, PeerGroup, StatusRules, Target, Unit
from baozheng.analysis.periods import Period
from baozheng.analysis.reasons import EXPLAINED_KEYS, REASON_CODES, ROW_KEYS, STATUSES

RETAIL = Indicator("retail", "amount", "monthly", True, "up", True, True)
GDP = Indicator("gdp", "growth", "quarterly", False, "up", False, True)
FIRMS = Indicator("firms", "count", "monthly", True, "up", True, True)
ENERGY = Indicator("energy", "amount", "monthly", True, "down", False, True)
JOBLESS = Indicator("jobless", "amount", "monthly", False, "down", False, False)
# 城镇调查失业率: a rate, read as it stands, lower is better.
UNEMPLOYMENT = Indicator("unemployment", "rate", "monthly", False, "down")

PROVINCE = Unit("province")
CITY = Unit("city", "province", ("cities",))
PEER_CITY = Unit("other_city", "province", ("cities",))
COUNTIES = tuple(Unit(code, "city", ("county",)) for code in ("a", "b", "c", "d"))
ZONE = Unit("zone", "city", ("zones",))
UNITS = (CITY, *COUNTIES, ZONE)
GROUPS = (
    PeerGroup("county", "city", partitions=True),
    PeerGroup("zones", "city"),
    PeerGroup("cities", "province", partitions=True),
)
SCHEMA = {
    "indicator": pl.String,
    "unit": pl.String,
    "year": pl.Int64,
    "month": pl.Int64,
    "value": pl.Float64,
    "growth": pl.Float64,
}


class Data:
    """Observations written as (unit, period, value, growth)."""

    def __init__(self, indicator: str = "retail") -> None:
        self.indicator = indicator
        self.rows: list[dict] = []

    def add(
        self,
        unit: str,
        period: str,
        value: float | None = None,
        growth: float | None = None,
        indicator: str | None = None,
    ) -> Data:
        p = Period.parse(period)
        self.rows.append(
            {
                "indicator": indicator or self.indicator,
                "unit": unit,
                "year": p.year,
                "month": p.month,
                "value": value,
                "growth": growth,
            }
        )
        return self

    def pair(self, unit: str, period: str, now: float | None, last: float | None) -> Data:
        """This year's and last year's value at the same month."""
        p = Period.parse(period)
        self.add(unit, period, now)
        return self.add(unit, f"{p.year - 1}-{p.month:02d}", last)

    def frame(self) -> pl.DataFrame:
        return pl.DataFrame(self.rows, schema=SCHEMA)


def bulletin(
    period: str,
    data: Data | pl.DataFrame,
    *,
    indicators: Sequence[Indicator] = (RETAIL,),
    units: Sequence[Unit] = UNITS,
    groups: Sequence[PeerGroup] = GROUPS,
    targets: Sequence[Target] = (),
    rules: StatusRules | None = None,
    parent: str = "city",
) -> list[dict]:
    """Engine rows, checked against the reference and the row contract."""
    frame = data.frame() if isinstance(data, Data) else data
    args = (Period.parse(period), parent, indicators, units, groups, frame, targets)
    rules = rules or StatusRules()
    rows = engine.bulletin_rows(*args, rules)
    assert_same_rows(rows, reference.bulletin_rows(*args, rules))
    for row in rows:
        assert_row_contract(row)
    return rows


def row(rows: list[dict], unit: str, indicator: str = "retail", group: str | None = None) -> dict:
    found = [
        x
        for x in rows
        if x["unit"] == unit and x["indicator"] == indicator and group in (None, x["peer_group"])
    ]
    assert len(found) == 1, f"{len(found)} rows for {unit}/{indicator}/{group}"
    return found[0]


def assert_row_contract(row: dict) -> None:
    """Keys, types and reasons: every null explained by one known code, nothing else."""
    assert tuple(row) == ROW_KEYS
    assert row["status"] in STATUSES
    nulls = {k for k in EXPLAINED_KEYS if row[k] is None}
    assert set(row["reasons"]) == nulls, (row["reasons"], nulls)
    assert set(row["reasons"].values()) <= set(REASON_CODES)
    for key, value in row.items():
        if isinstance(value, float):
            assert math.isfinite(value), key


def _close(a: object, b: object) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return a == b or math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)
    return a == b and type(a) is type(b)


def assert_same_rows(rows: list[dict], expected: list[dict]) -> None:
    assert [(x["indicator"], x["unit"], x["peer_group"]) for x in rows] == [
        (x["indicator"], x["unit"], x["peer_group"]) for x in expected
    ]
    for got, want in zip(rows, expected, strict=True):
        bad = {k: (got[k], want[k]) for k in ROW_KEYS if not _close(got[k], want[k])}
        assert not bad, f"{got['indicator']}/{got['unit']}: engine vs reference {bad}"
