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
    """(indicator, unit) → V, G, L, L12, Vp, Gp, Lp (the last row wins on duplicates)."""
    y, m = period.year, period.month
    prev_months = sorted({p for i in released if (p := _previous_month(period, i))})
    months = sorted({m, 12, *prev_months})
    at = {
        (year, month): (c("year") == year) & (c("month") == month)
        for year in (y, y - 1)
        for month in months
    }
    value_points = {(y, m), (y - 1, m), (y - 1, 12)}
    value_points |= {(yr, p) for p in prev_months for yr in (y, y - 1)}
    growth_points = {(y, m)} | {(y, p) for p in prev_months}
    aggs = [
        c("value").filter(at[k]).last().alias(f"v{k[0]}_{k[1]}") for k in sorted(value_points)
    ] + [c("growth").filter(at[k]).last().alias(f"g{k[0]}_{k[1]}") for k in sorted(growth_points)]
    wide = (
        observations.lazy()
        .filter(
            c("year").is_in([y, y - 1])
            & c("month").is_in(months)
            & c("indicator").is_in([i.code for i in released])
            & c("unit").is_in(list(units))
        )
        .with_columns(c("value").cast(pl.Float64), c("growth").cast(pl.Float64))
        .group_by("indicator", "unit")
        .agg(aggs)
    )
    prev_of = pl.LazyFrame(
        {"indicator": [i.code for i in released], "m_prev": [_previous_month(period, i) for i in released]},
        schema={"indicator": pl.String, "m_prev": pl.Int64},
    )

    def previous(prefix: str, year: int) -> pl.Expr:
        expr = pl.lit(None, pl.Float64)
        for p in prev_months:
            expr = pl.when(c("m_prev") == p).then(c(f"{prefix}{year}_{p}")).otherwise(expr)
        return expr

    return wide.join(prev_of, on="indicator", how="left").select(
        "indicator",
        "unit",
        V=c(f"v{y}_{m}"),
        G=c(f"g{y}_{m}"),
        L=c(f"v{y - 1}_{m}"),
        L12=c(f"v{y - 1}_12"),
        Vp=previous("v", y),
        Gp=previous("g", y),
        Lp=previous("v", y - 1),
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
