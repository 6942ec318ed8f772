"""The engine's input frames: indicator flags, the points each row reads, targets.

Reading is the costly part of a bulletin (a 4-million-row table for a city),
so the observations are filtered on plain columns first and then pivoted in a
single group-by into one row per (indicator, unit) with the five points.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from baozheng.analysis.model import Indicator, Target
from baozheng.analysis.periods import Period, last_release_month, previous_release

c = pl.col


def _previous_month(period: Period, ind: Indicator) -> int | None:
    prev = previous_release(period, ind.frequency, ind.merged_jan_feb)
    return prev.month if prev else None


def indicator_frame(
    period: Period, released: Sequence[Indicator], targets: Sequence[Target]
) -> pl.LazyFrame:
    """One row of flags per released indicator (m_prev: the previous release month)."""
    level = {t.indicator for t in targets if t.year == period.year and t.basis == "level"}
    return pl.LazyFrame(
        {
            "indicator": [i.code for i in released],
            "growth_only": [i.growth_only for i in released],
            "additive": [i.additive for i in released],
            "cumulative": [i.cumulative for i in released],
            "down": [i.down for i in released],
            "m_prev": [_previous_month(period, i) for i in released],
            "year_over": [
                period.month == last_release_month(i.frequency, i.merged_jan_feb) for i in released
            ],
            "use_completion": [
                i.kind == "count" and i.cumulative and i.code in level for i in released
            ],
        },
        schema={
            "indicator": pl.String,
            "growth_only": pl.Boolean,
            "additive": pl.Boolean,
            "cumulative": pl.Boolean,
            "down": pl.Boolean,
            "m_prev": pl.Int64,
            "year_over": pl.Boolean,
            "use_completion": pl.Boolean,
        },
    ).with_columns(first=c("m_prev").is_null())


def read_points(
    observations: pl.DataFrame | pl.LazyFrame,
    period: Period,
    released: Sequence[Indicator],
    units: Sequence[str],
) -> pl.LazyFrame:
    """(indicator, unit) → V, G, L, L12, Vp, Gp, Lp for every released indicator × unit.

    One filtered read, then one small left join per point in time (duplicates:
    the last row wins, as in the reference).
    """
    y, m = period.year, period.month
    prev_of = {i.code: _previous_month(period, i) for i in released}
    prev_months = sorted({p for p in prev_of.values() if p is not None})
    read = (
        observations.lazy()
        .filter(c("year").is_in([y, y - 1]) & c("month").is_in(sorted({m, 12, *prev_months})))
        .filter(c("indicator").is_in(list(prev_of)) & c("unit").is_in(list(units)))
        .select(
            "indicator",
            "unit",
            "year",
            "month",
            c("value").cast(pl.Float64),
            c("growth").cast(pl.Float64),
        )
        .unique(["indicator", "unit", "year", "month"], keep="last", maintain_order=True)
        # Collected here: left lazy, predicate pushdown would copy the
        # per-point filters below into seven scans of the whole table.
        .collect(engine="in-memory")
        .lazy()
    )
    keys = pl.LazyFrame(
        {
            "indicator": [code for code in prev_of for _ in units],
            "unit": [u for _ in prev_of for u in units],
            "m_prev": [p for p in prev_of.values() for _ in units],
        },
        schema={"indicator": pl.String, "unit": pl.String, "m_prev": pl.Int64},
    )

    def point(year: int, month: int, value: str, growth: str | None = None) -> pl.LazyFrame:
        picked = read.filter((c("year") == year) & (c("month") == month))
        columns = [c("value").alias(value)] + ([c("growth").alias(growth)] if growth else [])
        return picked.select("indicator", "unit", *columns)

    wide = keys
    for year, month, value, growth in [
        (y, m, "V", "G"),
        (y - 1, m, "L", None),
        (y - 1, 12, "L12", None),
        *((y, p, f"V{p}", f"G{p}") for p in prev_months),
        *((y - 1, p, f"L{p}", None) for p in prev_months),
    ]:
        wide = wide.join(point(year, month, value, growth), on=["indicator", "unit"], how="left")

    def previous(prefix: str) -> pl.Expr:
        expr = pl.lit(None, pl.Float64)
        for p in prev_months:
            expr = pl.when(c("m_prev") == p).then(c(f"{prefix}{p}")).otherwise(expr)
        return expr.alias(f"{prefix}p")

    return wide.select(
        "indicator", "unit", "V", "G", "L", "L12", previous("V"), previous("G"), previous("L")
    )


def target_frame(period: Period, targets: Sequence[Target], units: Sequence[str]) -> pl.LazyFrame:
    """This year's targets of the units read (the last one wins on duplicates)."""
    wanted = set(units)
    latest = {(t.indicator, t.unit): t for t in targets if t.year == period.year and t.unit in wanted}
    rows = list(latest.values())
    return pl.LazyFrame(
        {
            "indicator": [t.indicator for t in rows],
            "unit": [t.unit for t in rows],
            "basis": [t.basis for t in rows],
            "floor": [float(t.floor) for t in rows],
            "stretch": [float(t.stretch) for t in rows],
            "top": [None if t.top is None else float(t.top) for t in rows],
        },
        schema={
            "indicator": pl.String,
            "unit": pl.String,
            "basis": pl.String,
            "floor": pl.Float64,
            "stretch": pl.Float64,
            "top": pl.Float64,
        },
    )
