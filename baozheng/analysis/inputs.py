"""The engine's inputs laid out on one grid: one cell per (unit, indicator).

Every unit the bulletin reads in order, each with the released indicators in
order: cell = unit position × number of indicators + indicator position.
Every input (flags, stored points, targets) becomes a numpy array over the
cells, so the figures are whole-array arithmetic and nothing is ever joined,
and the cells of the first units are a prefix: the engine puts the units it
shows first and computes most figures on that prefix only.  A missing
figure is NaN.

Reading is the costly part (a 4-million-row table for a province), so the
observations are numbered by their codes' positions through the frames'
Enum columns where the caller supplies them (the database loader does), and
each point in time is then one gather from a dense array of every slot.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from operator import attrgetter

import numpy as np
import polars as pl

from baozheng.analysis.model import Indicator, StatusRules, Target
from baozheng.analysis.periods import Period, last_release_month, previous_release

TARGET_SCHEMA = {
    "indicator": pl.String,
    "unit": pl.String,
    "year": pl.Int64,
    "basis": pl.String,
    "floor": pl.Float64,
    "stretch": pl.Float64,
    "top": pl.Float64,
    "month": pl.Int64,
}
# Target bases as small integers on the grid.
NO_BASIS, GROWTH_BASIS, LEVEL_BASIS = 0, 1, 2
BASES = (None, "growth", "level")


def target_frame(targets: pl.DataFrame | Sequence[Target]) -> pl.DataFrame:
    """Targets as a frame with TARGET_SCHEMA's columns (a frame passes through; one
    without a month column holds the year's targets only)."""
    if isinstance(targets, pl.DataFrame):
        if "month" not in targets.columns:
            return targets.with_columns(month=pl.lit(None, dtype=pl.Int64))
        return targets
    fields = attrgetter(*TARGET_SCHEMA)
    columns = (
        list(zip(*map(fields, targets), strict=True)) if targets else [[] for _ in TARGET_SCHEMA]
    )
    return pl.DataFrame(dict(zip(TARGET_SCHEMA, columns, strict=True)), schema=TARGET_SCHEMA)


@dataclass
class Grid:
    """Everything one bulletin reads, cell by cell (see the module docstring)."""

    n_indicators: int
    # Indicator flags, repeated for every unit of the indicator.
    growth_only: np.ndarray
    additive: np.ndarray
    cumulative: np.ndarray
    down: np.ndarray
    first: np.ndarray  # no earlier release this year (1-2月, Q1, the yearly figure)
    year_over: np.ndarray  # the year's last release: nothing left to require
    use_completion: np.ndarray  # rank by completion, not growth
    rate: np.ndarray  # a level read as it stands: no growth, ranked by r(V)
    # Stored points: V, G (published growth), L, L12, Vp, Gp, Lp.
    points: dict[str, np.ndarray]
    # The value target in force (the phase target at its period, else the year's).
    basis: np.ndarray
    floor: np.ndarray
    stretch: np.ndarray  # NaN: one tier
    top: np.ndarray
    phase: np.ndarray  # the target in force is a phase target
    # The year's value target: required growth always works back from it.
    annual_basis: np.ndarray
    annual_floor: np.ndarray
    annual_stretch: np.ndarray
    # Rank target places (NaN: none).
    rank_floor: np.ndarray
    rank_stretch: np.ndarray
    rank_top: np.ndarray
    # Amber margins of the cell's indicator (StatusRules, per indicator where set).
    margin_growth: np.ndarray
    margin_completion: np.ndarray
    margin_rate: np.ndarray
    # Cells whose points were derived from the children (the parent's, by the engine).
    derived: np.ndarray

    @property
    def size(self) -> int:
        return len(self.basis)

    def unit(self, position: int) -> slice:
        """The cells of the unit at `position`, one per indicator."""
        return slice(position * self.n_indicators, (position + 1) * self.n_indicators)

    def head(self, n_units: int) -> Grid:
        """The grid of the first `n_units` units (views, nothing copied)."""
        cut = slice(0, n_units * self.n_indicators)
        return Grid(
            self.n_indicators,
            **{name: getattr(self, name)[cut] for name in _PER_CELL},
            points={p: x[cut] for p, x in self.points.items()},
        )


_PER_CELL = (
    "growth_only",
    "additive",
    "cumulative",
    "down",
    "first",
    "year_over",
    "use_completion",
    "rate",
    "basis",
    "floor",
    "stretch",
    "top",
    "phase",
    "annual_basis",
    "annual_floor",
    "annual_stretch",
    "rank_floor",
    "rank_stretch",
    "rank_top",
    "margin_growth",
    "margin_completion",
    "margin_rate",
    "derived",
)


def read_grid(
    period: Period,
    released: Sequence[Indicator],
    units: Sequence[str],
    observations: pl.DataFrame | pl.LazyFrame,
    targets: pl.DataFrame,
    rules: StatusRules,
) -> Grid:
    n = len(units)
    prev_of = _previous_months(period, released)
    # One pass over the indicators; each flag is then repeated for every unit.
    flags = np.tile(
        np.array(
            [
                (
                    i.growth_only,
                    i.additive,
                    i.cumulative,
                    i.down,
                    prev is None,
                    period.month == last_release_month(i.frequency, i.merged_jan_feb),
                    i.kind == "count" and i.cumulative,
                    i.rate,
                )
                for i, prev in zip(released, prev_of, strict=True)
            ],
            dtype=bool,
        ).T,
        n,
    )
    growth_only, additive, cumulative, down, first, year_over, count, rate = flags
    tiers, level = _targets(targets, period, released, units)
    margins = [rules.for_indicator(i.code) for i in released]
    return Grid(
        n_indicators=len(released),
        growth_only=growth_only,
        additive=additive,
        cumulative=cumulative,
        down=down,
        first=first,
        year_over=year_over,
        use_completion=count & np.tile(level, n),
        rate=rate,
        points=_points(observations, period, released, prev_of, first, units),
        **tiers,
        **{
            f"margin_{name}": np.tile([getattr(m, f"at_risk_{name}_pp") for m in margins], n)
            for name in ("growth", "completion", "rate")
        },
        derived=np.zeros(n * len(released), dtype=bool),
    )


def _previous_months(period: Period, released: Sequence[Indicator]) -> list[int | None]:
    """Each indicator's previous release month, worked out once per release calendar."""
    by_calendar: dict[tuple[str, bool], int | None] = {}
    for calendar in {(i.frequency, i.merged_jan_feb) for i in released}:
        prev = previous_release(period, *calendar)
        by_calendar[calendar] = prev.month if prev else None
    return [by_calendar[i.frequency, i.merged_jan_feb] for i in released]


def _positions(column: pl.Series, wanted: Sequence[str]) -> np.ndarray:
    """Each value's position in `wanted`, −1 where it is not wanted (or null).

    An Enum column is numbered through its categories (a few hundred) rather
    than its rows; any other column is cast to an Enum of `wanted` first.
    """
    dtype = column.dtype  # built anew on every access
    if isinstance(dtype, pl.Enum):
        place = {code: n for n, code in enumerate(wanted)}
        table = [place.get(code, -1) for code in dtype.categories.to_list()]
    else:
        column = column.cast(pl.String).cast(pl.Enum(list(wanted)), strict=False)
        table = list(range(len(wanted)))
    codes = column.to_physical()
    if codes.null_count():
        codes = codes.fill_null(len(table))
    return np.array([*table, -1])[codes.to_numpy()]


def _cells(
    frame: pl.DataFrame, released: Sequence[Indicator], units: Sequence[str]
) -> tuple[np.ndarray, np.ndarray]:
    """Each row's grid cell (−1 for rows of other indicators or units) and indicator position."""
    indicator = _positions(frame.get_column("indicator"), [i.code for i in released])
    unit = _positions(frame.get_column("unit"), units)
    return np.where((indicator >= 0) & (unit >= 0), unit * len(released) + indicator, -1), indicator


def _last_wins(slots: np.ndarray, size: int) -> np.ndarray | None:
    """Which rows to keep so that a repeated slot (of `size`) keeps its last row, in row
    order; None when no slot repeats."""
    covered = np.zeros(size, dtype=bool)
    covered[slots] = True
    if np.count_nonzero(covered) == len(slots):  # no slot repeats: far cheaper than hashing
        return None
    _, last_from_end = np.unique(slots[::-1], return_index=True)
    return np.sort(len(slots) - 1 - last_from_end)


def _floats(frame: pl.DataFrame, name: str) -> np.ndarray:
    column = frame.get_column(name)
    return (column if column.dtype == pl.Float64 else column.cast(pl.Float64)).to_numpy()


def _points(
    observations: pl.DataFrame | pl.LazyFrame,
    period: Period,
    released: Sequence[Indicator],
    prev_of: list[int | None],
    first: np.ndarray,
    units: Sequence[str],
) -> dict[str, np.ndarray]:
    """V, G, L, L12, Vp, Gp, Lp on the grid (NaN where no row was read); `prev_of` is
    each indicator's previous release month, `first` the grid's cells without one.

    Each row read is numbered with its slot (cell, year, and which of the few
    months read) and scattered into a dense array of every slot; each point
    in time is then one gather from it.  Duplicates: the last row wins, as in
    the reference.
    """
    y, m = period.year, period.month
    months = sorted({m, 12, *(p for p in prev_of if p is not None)})
    column_of = np.full(13, -1)
    column_of[months] = np.arange(len(months))
    per_cell = 2 * len(months)  # last year's months, then this year's
    size = len(released) * len(units)

    frame = observations.collect() if isinstance(observations, pl.LazyFrame) else observations
    year = frame.get_column("year").to_numpy() - (y - 1)
    month = column_of[np.clip(frame.get_column("month").to_numpy(), 0, 12)]
    cell = _cells(frame, released, units)[0]
    slots = cell * per_cell + year * len(months) + month
    rows = np.flatnonzero((cell >= 0) & (month >= 0) & (year >= 0) & (year <= 1))
    if len(rows) < len(slots):
        slots = slots[rows]
    keep = _last_wins(slots, size * per_cell)
    if keep is not None:
        slots, rows = slots[keep], rows[keep]
    dense = {}
    for name in ("value", "growth"):
        values = _floats(frame, name)
        dense[name] = np.full(size * per_cell, np.nan)
        dense[name][slots] = values if len(rows) == len(values) else values[rows]

    first_slot = np.arange(size) * per_cell
    prev_column = np.array([column_of[p] if p is not None else 0 for p in prev_of])
    prev_column = np.tile(prev_column, len(units))
    last_year, prev_last_year = first_slot + column_of[m], first_slot + prev_column
    now, prev_now = last_year + len(months), prev_last_year + len(months)
    value, growth = dense["value"], dense["growth"]
    previous = {
        name: np.where(first, np.nan, values)
        for name, values in (
            ("Vp", value[prev_now]),
            ("Gp", growth[prev_now]),
            ("Lp", value[prev_last_year]),
        )
    }
    return {
        "V": value[now],
        "G": growth[now],
        "L": value[last_year],
        "L12": value[first_slot + column_of[12]],
        **previous,
    }


def _targets(
    targets: pl.DataFrame, period: Period, released: Sequence[Indicator], units: Sequence[str]
) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """The targets in force on the grid (the Grid fields from `basis` to `rank_top`),
    and per released indicator whether a level target of any unit is in force.

    Three kinds of row are read: the year's value targets (no month), phase value
    targets at this period's month, and rank targets (no month).  Within each kind
    the last row of a cell wins; a phase target replaces the year's target in the
    in-force fields."""
    size = len(released) * len(units)
    this_year = np.flatnonzero(targets.get_column("year").to_numpy() == period.year)
    if len(this_year) < targets.height:
        targets = targets[this_year]
    basis_column = targets.get_column("basis")
    is_level = (basis_column == "level").to_numpy()
    is_rank = (basis_column == "rank").to_numpy()
    codes = np.where(
        is_level,
        LEVEL_BASIS,
        np.where((basis_column == "growth").to_numpy(), GROWTH_BASIS, NO_BASIS),
    )
    month = targets.get_column("month")
    annual = month.is_null().to_numpy()
    phase = (month == period.month).fill_null(False).to_numpy()
    cell, indicator = _cells(targets, released, units)
    level = np.zeros(len(released), dtype=bool)
    level[indicator[is_level & (annual | phase) & (indicator >= 0)]] = True
    tier_columns = [_floats(targets, name) for name in ("floor", "stretch", "top")]

    def scatter(rows: np.ndarray) -> tuple[np.ndarray, list[np.ndarray]]:
        wanted = np.flatnonzero(rows & (cell >= 0))
        keep = _last_wins(cell[wanted], size)
        keep = wanted if keep is None else wanted[keep]
        basis = np.zeros(size, dtype=np.int8)
        basis[cell[keep]] = codes[keep]
        tiers = []
        for column in tier_columns:
            tier = np.full(size, np.nan)
            tier[cell[keep]] = column[keep]
            tiers.append(tier)
        return basis, tiers

    value = (codes != NO_BASIS) & ~is_rank
    annual_basis, (annual_floor, annual_stretch, annual_top) = scatter(value & annual)
    phase_basis, phase_tiers = scatter(value & phase)
    in_phase = phase_basis != NO_BASIS
    _, (rank_floor, rank_stretch, rank_top) = scatter(is_rank & annual)
    floor, stretch, top = (
        np.where(in_phase, p, a)
        for p, a in zip(phase_tiers, (annual_floor, annual_stretch, annual_top), strict=True)
    )
    return {
        "basis": np.where(in_phase, phase_basis, annual_basis),
        "floor": floor,
        "stretch": stretch,
        "top": top,
        "phase": in_phase,
        "annual_basis": annual_basis,
        "annual_floor": annual_floor,
        "annual_stretch": annual_stretch,
        "rank_floor": rank_floor,
        "rank_stretch": rank_stretch,
        "rank_top": rank_top,
    }, level
