"""The engine's input frames: indicator flags, the points each row reads, targets.

Every frame here is laid out on the same grid: one row per (indicator, unit),
the released indicators in order, each with every unit read in order, so the
engine puts them side by side instead of joining them.

Reading is the costly part of a bulletin (a 4-million-row table for a city),
so the observations are filtered on plain columns first and each point in
time is then scattered straight into its place on the grid.
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
    period: Period, released: Sequence[Indicator], targets: Sequence[Target], units: Sequence[str]
) -> pl.DataFrame:
    """The grid's keys and flags: each released indicator's flags (m_prev: the previous
    release month) repeated for every unit, and whether the unit is in `partition`."""
    level = {t.indicator for t in targets if t.year == period.year and t.basis == "level"}
    flags = pl.DataFrame(
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
    )
    per_unit = pl.int_range(0, len(released) * len(units), eager=True) // len(units)
    return flags.select(
        pl.all().gather(per_unit), unit=pl.Series(list(units) * len(released), dtype=pl.String)
    ).with_columns(first=c("m_prev").is_null())


def read_points(
    observations: pl.DataFrame | pl.LazyFrame,
    period: Period,
    released: Sequence[Indicator],
    units: Sequence[str],
) -> pl.DataFrame:
    """V, G, L, L12, Vp, Gp, Lp on the grid (null where no row was read).

    One filtered read that numbers each row with its place on the grid, then
    each point in time is scattered into place (duplicates: the last row
    wins, as in the reference).
    """
    y, m = period.year, period.month
    prev_of = {i.code: _previous_month(period, i) for i in released}
    months = sorted({m, 12, *(p for p in prev_of.values() if p is not None)})
    size = len(released) * len(units)
    # Casting to an Enum numbers the codes (null when not wanted) far faster
    # than a join or a dict lookup would.
    indicator_number = c("indicator").cast(pl.Enum(list(prev_of)), strict=False).to_physical()
    unit_number = c("unit").cast(pl.Enum(list(units)), strict=False).to_physical()
    read = (
        observations.lazy()
        .filter(c("year").is_in([y, y - 1]) & c("month").is_in(months))
        .select(
            "year",
            "month",
            c("value").cast(pl.Float64),
            c("growth").cast(pl.Float64),
            m_prev=pl.lit(pl.Series(list(prev_of.values()), dtype=pl.Int64)).gather(indicator_number),
            place=indicator_number.cast(pl.Int64) * len(units) + unit_number,
        )
        .filter(c("place").is_not_null())
        .collect(engine="in-memory")
    )

    def at(year: int, month: int | pl.Expr) -> pl.DataFrame:
        """The rows at one moment; of duplicates, the last."""
        picked = read.filter((c("year") == year) & (c("month") == month))
        # Marking every row's place covers fewer places than there are rows
        # exactly when a place repeats: a check far cheaper than hashing.
        covered = pl.Series([False] * size).scatter(picked["place"], True).sum()
        return picked if covered == picked.height else picked.unique("place", keep="last")

    def grid(rows: pl.DataFrame, source: str, name: str) -> pl.Series:
        empty = pl.Series(name, [None] * size, dtype=pl.Float64)
        return empty.scatter(rows["place"], rows[source])

    now, last_year, december = at(y, m), at(y - 1, m), at(y - 1, 12)
    prev_now, prev_last_year = at(y, c("m_prev")), at(y - 1, c("m_prev"))
    return pl.DataFrame(
        [
            grid(now, "value", "V"),
            grid(now, "growth", "G"),
            grid(last_year, "value", "L"),
            grid(december, "value", "L12"),
            grid(prev_now, "value", "Vp"),
            grid(prev_now, "growth", "Gp"),
            grid(prev_last_year, "value", "Lp"),
        ]
    )


def target_frame(
    period: Period, targets: Sequence[Target], released: Sequence[Indicator], units: Sequence[str]
) -> pl.DataFrame:
    """This year's targets on the grid (the last one wins on duplicates)."""
    wanted = set(units)
    latest = {(t.indicator, t.unit): t for t in targets if t.year == period.year and t.unit in wanted}
    on_grid = [latest.get((i.code, u)) for i in released for u in units]
    return pl.DataFrame(
        {
            "basis": [t and t.basis for t in on_grid],
            "floor": [t and float(t.floor) for t in on_grid],
            "stretch": [t and float(t.stretch) for t in on_grid],
            "top": [None if t is None or t.top is None else float(t.top) for t in on_grid],
        },
        schema={"basis": pl.String, "floor": pl.Float64, "stretch": pl.Float64, "top": pl.Float64},
    )
