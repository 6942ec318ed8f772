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


def _previous_months(period: Period, released: Sequence[Indicator]) -> list[int | None]:
    """Each indicator's previous release month, worked out once per release calendar."""
    by_calendar: dict[tuple[str, bool], int | None] = {}
    for calendar in {(i.frequency, i.merged_jan_feb) for i in released}:
        prev = previous_release(period, *calendar)
        by_calendar[calendar] = prev.month if prev else None
    return [by_calendar[i.frequency, i.merged_jan_feb] for i in released]


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
            "m_prev": _previous_months(period, released),
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

    One filtered read numbers each row with its slot (place on the grid, year,
    and which of the few months read) and scatters values and growths into a
    dense array of every slot; each point in time is then one gather from it.
    Duplicates: the last row wins, as in the reference.
    """
    y, m = period.year, period.month
    prev_of = _previous_months(period, released)
    months = sorted({m, 12, *(p for p in prev_of if p is not None)})
    column_of = {month: n for n, month in enumerate(months)}
    per_place = 2 * len(months)  # last year's months, then this year's
    size = len(released) * len(units)
    # Casting to an Enum numbers the codes (null when not wanted) far faster
    # than a join or a dict lookup would.
    indicator_number = c("indicator").cast(pl.Enum([i.code for i in released]), strict=False).to_physical()
    unit_number = c("unit").cast(pl.Enum(list(units)), strict=False).to_physical()
    place = indicator_number.cast(pl.Int64) * len(units) + unit_number
    month_column = pl.lit(pl.Series([column_of.get(n) for n in range(13)], dtype=pl.Int64)).gather(c("month"))
    read = (
        observations.lazy()
        .filter(c("year").is_in([y, y - 1]) & c("month").is_in(months))
        .select(
            c("value").cast(pl.Float64),
            c("growth").cast(pl.Float64),
            slot=place * per_place + (c("year") - (y - 1)) * len(months) + month_column,
        )
        .filter(c("slot").is_not_null())
        .collect(engine="in-memory")
    )
    slots = size * per_place
    # Marking every row's slot covers fewer slots than there are rows exactly
    # when a slot repeats: a check far cheaper than hashing.
    covered = pl.repeat(False, slots, dtype=pl.Boolean, eager=True).scatter(read["slot"], True).sum()
    if covered != read.height:
        read = read.unique("slot", keep="last", maintain_order=True)
    dense = pl.DataFrame(
        [
            pl.repeat(None, slots, dtype=pl.Float64, eager=True).scatter(read["slot"], read[name]).alias(name)
            for name in ("value", "growth")
        ]
    )
    first_slot = pl.int_range(0, size, eager=True) * per_place
    prev_column = pl.Series([column_of.get(p) for p in prev_of], dtype=pl.Int64)
    prev_column = prev_column.gather(pl.int_range(0, size, eager=True) // len(units))
    last_year, prev_last_year = first_slot + column_of[m], first_slot + prev_column
    now, prev_now = last_year + len(months), prev_last_year + len(months)
    v, g = c("value"), c("growth")
    return dense.select(
        V=v.gather(now),
        G=g.gather(now),
        L=v.gather(last_year),
        L12=v.gather(first_slot + column_of[12]),
        Vp=v.gather(prev_now),
        Gp=g.gather(prev_now),
        Lp=v.gather(prev_last_year),
    )


def target_frame(
    period: Period, targets: Sequence[Target], released: Sequence[Indicator], units: Sequence[str]
) -> pl.DataFrame:
    """This year's targets on the grid (the last one wins on duplicates).

    Each wanted target is put straight into its place on the grid, numbered
    from its indicator's and unit's positions: integer places are cheaper to
    look up than (indicator, unit) pairs.
    """
    unit_place = {u: n for n, u in enumerate(units)}
    indicator_place = {i.code: n * len(units) for n, i in enumerate(released)}
    on_grid: list[Target | None] = [None] * (len(released) * len(units))
    for t in targets:
        if t.year == period.year and t.unit in unit_place and t.indicator in indicator_place:
            on_grid[indicator_place[t.indicator] + unit_place[t.unit]] = t
    return pl.DataFrame(
        {
            "basis": [t and t.basis for t in on_grid],
            "floor": [t and float(t.floor) for t in on_grid],
            "stretch": [t and float(t.stretch) for t in on_grid],
            "top": [None if t is None or t.top is None else float(t.top) for t in on_grid],
        },
        schema={"basis": pl.String, "floor": pl.Float64, "stretch": pl.Float64, "top": pl.Float64},
    )
