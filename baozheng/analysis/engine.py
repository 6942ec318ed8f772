"""The bulletin (通报) for one period and one parent unit, computed on a grid.

Every input is laid out on one grid of (indicator, unit) cells
(`inputs.read_grid`): the released indicators × every unit the bulletin
reads.  The parent is derived from its children where it has no
observation, every figure of docs/rules.md §3 is whole-array arithmetic over the
cells (`figures`), ranks are counted within peer groups (`ranking`), and the
rows are the cells of the parent and its grouped children, in order.  Only
the final conversion to dicts is Python.  `reference.py` computes the same
rows one by one and is the oracle of the tests; read it for the rules in
plain words.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from itertools import repeat

import numpy as np
import polars as pl

from baozheng.analysis import reasons as why
from baozheng.analysis.figures import (
    CODE,
    UnitFigures,
    completion,
    figure,
    growth,
    missing,
    rank_metrics,
    unit_figures,
)
from baozheng.analysis.inputs import BASES, Grid, read_grid, target_frame
from baozheng.analysis.model import (
    DEFAULT_RULES,
    Indicator,
    PeerGroup,
    StatusRules,
    Target,
    Unit,
)
from baozheng.analysis.periods import Period, released_indicators
from baozheng.analysis.ranking import ranks, tied
from baozheng.analysis.rounding import r_array
from baozheng.analysis.scope import Scope, resolve_scope

__all__ = ["bulletin_columns", "bulletin_rows", "released_indicators", "rows_of"]

_SUMMED = ("V", "L", "L12", "Vp", "Lp")


def bulletin_rows(*args, **kwargs) -> list[dict]:
    """Every bulletin row for `parent` at `period`: `bulletin_columns`' arguments, one dict per row."""
    return rows_of(bulletin_columns(*args, **kwargs))


def rows_of(columns: dict[str, list]) -> list[dict]:
    """The rows of a bulletin given as columns (every key of why.ROW_KEYS)."""
    # Every column has one entry per row, so zip needs no checking; map keeps the loop in C.
    rows = zip(*(columns[k] for k in why.ROW_KEYS), strict=False)
    return list(map(dict, map(zip, repeat(why.ROW_KEYS), rows)))


def bulletin_columns(
    period: Period,
    parent: str,
    indicators: Sequence[Indicator],
    units: Sequence[Unit],
    groups: Sequence[PeerGroup],
    observations: pl.DataFrame,
    targets: pl.DataFrame | Sequence[Target],
    rules: StatusRules = DEFAULT_RULES,
) -> dict[str, list]:
    """The bulletin for `parent` at `period` as columns: each key of why.ROW_KEYS and
    its values, row by row (see the module docstring).

    `observations` has the columns indicator, unit, year, month, value and
    growth; `targets` is a frame with `inputs.TARGET_SCHEMA`'s columns or a
    sequence of `Target`.  Indicator and unit columns may be Enums (the
    database loader makes them so), which spares numbering every row by its
    string.
    """
    released = sorted(released_indicators(period, indicators), key=lambda i: i.code)
    if not released:
        return {key: [] for key in why.ROW_KEYS}
    scope = resolve_scope(parent, units, groups)
    # The units shown come first, so their cells are the grid's head.
    shown = list(dict.fromkeys([scope.parent, *(u for _, u in scope.child_rows)]))
    read = list(dict.fromkeys([*shown, *scope.units]))
    grid = read_grid(period, released, read, observations, target_frame(targets), rules)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        partition = [read.index(u) for u in scope.partition] if scope.partition else None
        grid = _with_parent_sums(grid, partition)
        miss = missing(grid)
        growth_now, completion_now = growth(grid, miss), completion(grid, miss)
        metric = rank_metrics(grid, growth_now, completion_now, miss)
        head = slice(0, len(shown) * grid.n_indicators)
        unit = unit_figures(
            grid.head(len(shown)),
            {p: x[head] for p, x in miss.items()},
            (growth_now[0][head], growth_now[1][head]),
            (completion_now[0][head], completion_now[1][head]),
            period.month,
            period.time_progress,
        )
        compared = r_array(np.where(grid.rate, grid.points["V"], growth_now[0]))
        rows = _Rows(grid, scope, read, unit, compared, metric)
        return rows.values([i.code for i in released], period)


def _with_parent_sums(grid: Grid, partition: list[int] | None) -> Grid:
    """The grid with growth-only indicators' values blanked and the parent
    (unit 0) derived from its partition where it has no observation of its
    own: all members or nothing, summed in the reference's order."""
    points = {
        p: np.where(grid.growth_only, np.nan, x)
        if p in _SUMMED
        else np.where(grid.rate, np.nan, x)  # a rate has no growth, published or not
        for p, x in grid.points.items()
    }
    if not partition:
        return replace(grid, points=points)
    parent = grid.unit(0)
    derived = np.zeros(grid.size, dtype=bool)
    derived[parent] = (
        grid.additive[parent]
        & ~grid.growth_only[parent]
        & np.isnan(points["V"][parent])
        & np.isnan(points["G"][parent])
    )
    where = derived[parent]
    for p in _SUMMED:
        total = points[p][grid.unit(partition[0])].copy()
        for member in partition[1:]:
            total += points[p][grid.unit(member)]
        points[p][parent] = np.where(where, total, points[p][parent])
    for p in ("G", "Gp"):
        points[p] = points[p].copy()
        points[p][parent][where] = np.nan
    return replace(grid, points=points, derived=derived)


class _Rows:
    """The bulletin's rows: per indicator the parent, then its children by group and rank.

    Row (indicator i, place j of the layout) reads the cell of the layout's
    j-th unit; the layout is the parent, then (group, child) pairs, so a
    child in two groups has two rows.
    """

    def __init__(
        self,
        grid: Grid,
        scope: Scope,
        read: list[str],
        unit: UnitFigures,
        r_growth: np.ndarray,
        metric: np.ndarray,
    ) -> None:
        self.grid, self.scope, self.unit, self.r_growth, self.metric = (
            grid,
            scope,
            unit,
            r_growth,
            metric,
        )
        self.position = {u: n for n, u in enumerate(read)}
        layout = [(scope.parent_group, scope.parent), *scope.child_rows]
        self.groups = [g for g, _ in layout]
        self.units = [u for _, u in layout]
        n = grid.n_indicators
        self.width = len(layout)
        indicator = np.repeat(np.arange(n), self.width)
        place = np.tile(np.arange(self.width), n)
        rank, rank_of, before, ties = self._ranks(indicator, place)
        order = self._order(indicator, place, rank)
        self.indicator, self.place = indicator[order], place[order]
        self.rank, self.rank_of, self.before = rank[order], rank_of[order], before[order]
        self.tied = ties[order]
        self.cell = (
            np.array([self.position[u] for u in self.units])[self.place] * n + self.indicator
        )
        self.parent_cell = self.indicator  # the parent is unit 0
        self.is_parent = self.place == 0

    def _ranks(
        self, indicator: np.ndarray, place: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """rank, rank_of, the rank at the previous release (0: none) and whether the rank is
        shared (并列) of every row."""
        n = self.grid.n_indicators
        down = self.grid.down[:n]
        shape = (n, self.width)
        rank, rank_of, before = (
            np.zeros(shape, np.int64),
            np.zeros(shape, np.int64),
            np.zeros(shape, np.int64),
        )
        ties = np.zeros(shape, bool)
        now_by_unit, prev_by_unit = (m.reshape(-1, n) for m in self.metric)
        for group, members in self.scope.members.items():
            rows = [self.position[u] for u in members]
            now, count = ranks(now_by_unit[rows].T, down)
            prev, _ = ranks(prev_by_unit[rows].T, down)
            shared = tied(now)
            column = {u: k for k, u in enumerate(members)}
            for j, (g, u) in enumerate(zip(self.groups, self.units, strict=True)):
                if g == group:
                    rank[:, j], rank_of[:, j], before[:, j], ties[:, j] = (
                        now[:, column[u]],
                        count,
                        prev[:, column[u]],
                        shared[:, column[u]],
                    )
        return rank.ravel(), rank_of.ravel(), before.ravel(), ties.ravel()

    def _order(self, indicator: np.ndarray, place: np.ndarray, rank: np.ndarray) -> np.ndarray:
        """Per indicator the parent, then by group, rank (unranked last), unit code."""
        child_groups = [g for g, _ in self.scope.child_rows]  # self.groups[1:], never None
        group_order = {g: n + 1 for n, g in enumerate(sorted(set(child_groups)))}
        group = np.array([0] + [group_order[g] for g in child_groups])[place]
        # A child's rank is at most the number of rows per indicator; unranked children
        # sort after every rank; the parent's rank (among its own peers) does not order it.
        unranked = self.width
        rank_key = np.where(place == 0, 0, np.where(rank > 0, rank, unranked))
        key = (indicator * (len(group_order) + 1) + group) * (unranked + 1) + rank_key
        return np.argsort(key * self.width + place)

    def values(self, indicator_codes: list[str], period: Period) -> dict[str, list]:
        """Each key's values as Python objects, None where null."""
        values = {
            "indicator": _texts(indicator_codes, self.indicator),
            "unit": _texts(self.units, self.place),
            "status": _texts(why.STATUSES, self.unit.status[self.cell]),
        }
        columns = self.columns(period)
        reasons = np.empty((len(columns), len(self.cell)), dtype=np.uint8)
        for n, (key, (value, null, reason)) in enumerate(columns.items()):
            values[key] = _python(value, null)
            np.multiply(reason, null, out=reasons[n], casting="unsafe")
        values["reasons"] = _reason_dicts(reasons)
        return values

    def columns(self, period: Period) -> dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]]:
        """Each explained key: values, where they are null, and the reason there."""
        unit, cell, grid = self.unit, self.cell, self.grid

        def at_cell(
            fig: tuple[np.ndarray, np.ndarray],
        ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
            value = fig[0][cell]
            return value, np.isnan(value), fig[1][cell]

        no_target = np.full(len(cell), CODE[why.NO_TARGET])
        basis = grid.basis[cell]
        growth_now = at_cell(unit.growth)
        approximate, approximate_why = unit.approximate
        expected = at_cell(unit.expected)
        published = ~np.isnan(grid.points["G"][cell])
        no_value_target = basis == 0
        phase = grid.phase[cell]
        columns = {
            "peer_group": self._peer_group(),
            "value": at_cell((grid.points["V"], unit.miss["V"])),
            "value_last_year": at_cell((grid.points["L"], unit.miss["L"])),
            "growth": growth_now,
            "growth_source": (
                np.where(published, "published", "computed").astype(object),
                growth_now[1],
                growth_now[2],
            ),
            "change_pp": at_cell(unit.change),
            "month_value": at_cell(unit.month_value),
            "month_growth": at_cell(unit.month_growth),
            **self._relative(growth_now),
            "target_basis": (np.array(BASES, dtype=object)[basis], no_value_target, no_target),
            "target_period": (
                np.where(phase, f"{period.year:04d}-{period.month:02d}", f"{period.year:04d}"),
                np.zeros(len(cell), dtype=bool),  # the year when no phase target is in force
                no_target,
            ),
            "target_floor": (grid.floor[cell], no_value_target, no_target),
            "target_stretch": (grid.stretch[cell], np.isnan(grid.stretch[cell]), no_target),
            "target_top": (grid.top[cell], np.isnan(grid.top[cell]), no_target),
            "completion_pct": at_cell(unit.completion),
            "expected_pct": expected,
            "expected_source": (
                np.where(phase, "phase", np.where(unit.seasonal[cell], "seasonal", "time")).astype(
                    object
                ),
                expected[1],
                expected[2],
            ),
            "required_growth_floor": at_cell(unit.required_floor),
            "required_growth_stretch": at_cell(unit.required_stretch),
            "required_approximate": (
                approximate[cell] == 1,
                approximate[cell] < 0,
                approximate_why[cell],
            ),
            **self._rank_columns(),
        }
        return {k: columns[k] for k in why.EXPLAINED_KEYS}

    def _peer_group(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        groups = np.array(self.groups, dtype=object)[self.place]
        ungrouped = np.array([g is None for g in self.groups])[self.place]
        return groups, ungrouped, np.full(len(self.place), CODE[why.NOT_RANKED])

    def _relative(self, growth_now) -> dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]]:
        """Figures against the parent (or, for the parent row, its own parent)."""
        grid, unit, cell, parent = self.grid, self.unit, self.cell, self.parent_cell
        comparison = np.where(self.is_parent, np.nan, self.r_growth[parent])
        if self.scope.grandparent is not None:
            grand = self.position[self.scope.grandparent] * grid.n_indicators + self.indicator
            comparison = np.where(self.is_parent, self.r_growth[grand], comparison)
        V, L = grid.points["V"][cell], grid.points["L"][cell]
        rate = grid.rate[cell]  # a rate compares its own figure, not a growth
        vs = figure(
            r_array(self.r_growth[cell] - comparison),
            (
                np.where(rate, np.isnan(V), growth_now[1]),
                np.where(rate, unit.miss["V"][cell], growth_now[2]),
            ),
            (np.isnan(comparison), CODE[why.NO_PARENT_GROWTH]),
        )
        P_V, P_L = grid.points["V"][parent], grid.points["L"][parent]
        P_V_why, P_L_why = unit.miss["V"][parent], unit.miss["L"][parent]
        common = (
            (self.is_parent, CODE[why.IS_PARENT]),
            (~grid.additive[cell], CODE[why.NOT_ADDITIVE]),
            (grid.growth_only[cell], CODE[why.GROWTH_ONLY]),
            (np.isnan(V), unit.miss["V"][cell]),
            (np.isnan(L), unit.miss["L"][cell]),
        )
        pull = figure(
            (V - L) / P_L * 100,
            *common,
            (np.isnan(P_L), P_L_why),
            (P_L == 0, CODE[why.ZERO_BASE]),
            (P_L < 0, CODE[why.NEGATIVE_BASE]),
        )
        share = figure(
            (V - L) / (P_V - P_L) * 100,
            *common,
            (np.isnan(P_V), P_V_why),
            (np.isnan(P_L), P_L_why),
            (P_V == P_L, CODE[why.ZERO_BASE]),
        )
        return {
            name: (value, np.isnan(value), reason)
            for name, (value, reason) in (
                ("vs_parent_pp", vs),
                ("pull_pp", pull),
                ("contribution_pct", share),
            )
        }

    def _rank_columns(self) -> dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]]:
        rank, before = self.rank, self.before
        ungrouped = self._peer_group()[1]
        not_ranked = CODE[why.NOT_RANKED]
        unranked = ungrouped | (rank == 0)
        change_why = np.where(unranked, not_ranked, CODE[why.NO_PREVIOUS_RELEASE])
        no_target = np.full(len(rank), CODE[why.NO_TARGET])
        places = {
            f"target_rank_{tier}": getattr(self.grid, f"rank_{tier}")[self.cell]
            for tier in ("floor", "stretch", "top")
        }
        floor, stretch = places["target_rank_floor"], places["target_rank_stretch"]
        rank_status = np.select(
            [unranked, rank <= stretch, rank <= floor, rank == floor + 1],
            ["no_data", "exceeds", "on_track", "at_risk"],
            "off_track",
        ).astype(object)
        return {
            "rank": (rank, unranked, np.full(len(rank), not_ranked)),
            "rank_tied": (self.tied, unranked, np.full(len(rank), not_ranked)),
            "rank_of": (self.rank_of, ungrouped, np.full(len(rank), not_ranked)),
            "rank_change": (before - rank, unranked | (before == 0), change_why),
            **{
                key: (np.nan_to_num(place).astype(np.int64), np.isnan(place), no_target)
                for key, place in places.items()
            },
            "rank_status": (rank_status, np.isnan(floor), no_target),
        }


def _texts(texts: Sequence[str | None], index: np.ndarray) -> list:
    return np.array(texts, dtype=object)[index].tolist()


def _python(values: np.ndarray, null: np.ndarray) -> list:
    """Python numbers, bools or texts, with None where `null`."""
    values = values.astype(object)
    values[null] = None
    return values.tolist()


# Each row's reasons packed into integers: 5 bits per key holding the reason's
# number (0: the key has a value), 12 keys per 64-bit integer.
_BITS = 5
_KEYS_PER_WORD = 12
assert len(why.REASON_CODES) < 2**_BITS
_SHIFTS = (np.arange(len(why.EXPLAINED_KEYS)) % _KEYS_PER_WORD * _BITS).astype(np.int64)[:, None]


def _reason_dicts(reasons: np.ndarray) -> list[dict[str, str]]:
    """Each row's {key: reason code} for its null keys, from one reason array per key.

    The reasons are packed into a few integers per row and turned into a dict
    once per distinct combination, far faster than building thousands of
    small dicts key by key.  Rows with the same reasons share that dict (as
    they share their texts): copying it for each of thousands of rows, and
    freeing the copies, cost a tenth of the whole bulletin.  Rows are
    read-only; copy a row's reasons before changing them.
    """
    packed = reasons.astype(np.int64) << _SHIFTS
    combination = np.zeros(reasons.shape[1], dtype=np.int64)
    for n in range(0, len(reasons), _KEYS_PER_WORD):
        _, number = np.unique(packed[n : n + _KEYS_PER_WORD].sum(axis=0), return_inverse=True)
        combination = combination * (number.max(initial=0) + 1) + number
    _, first, inverse = np.unique(combination, return_index=True, return_inverse=True)
    dicts = [
        {
            key: why.REASON_CODES[code - 1]
            for key, code in zip(why.EXPLAINED_KEYS, row, strict=True)
            if code
        }
        for row in reasons[:, first].T.tolist()
    ]
    return list(map(dicts.__getitem__, inverse.tolist()))
