"""One unit's figures (docs/rules.md §3) for every cell of the grid at once.

Each figure is a value array and a reason array.  The reason is the first
guard that holds, in the order `reference.py` checks them (`first_reason`),
or `zero_base` where the formula overflows; the value is kept only where no
guard holds.  Reasons are small integers: 0 for "no reason", else the code's
position in `why.REASON_CODES` plus one, turned back into codes once per
distinct combination when the rows are built.

Whole-array numpy arithmetic, because a bulletin's grid is small (a few
thousand cells) and each operation's fixed cost is what counts: about 1 µs in
numpy against 3–140 µs for an eager polars call or 15 µs per expression in a
polars query, while Python would pay per cell.  Comparisons with NaN (a
missing figure) are false, which is exactly what every guard needs.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from baozheng.analysis import reasons as why
from baozheng.analysis.inputs import GROWTH_BASIS, LEVEL_BASIS, NO_BASIS, Grid
from baozheng.analysis.rounding import r_array

CODE = {code: np.uint8(n + 1) for n, code in enumerate(why.REASON_CODES)}
# A case's reason: one code for every cell (a uint8 from CODE, an int from STATUS, 0 for
# "no reason") or a code per cell.
Reason = int | np.integer | np.ndarray
Case = tuple[np.ndarray, Reason]
Figure = tuple[np.ndarray, np.ndarray]  # values (NaN where null) and reasons (0 where none)
STATUS = {status: n for n, status in enumerate(why.STATUSES)}

isnan = np.isnan


def first_reason(*cases: Case) -> np.ndarray:
    """The reason of the first case whose condition holds, else 0."""
    reason = np.zeros(len(cases[0][0]), dtype=np.uint8)
    for cond, code in reversed(cases):
        np.copyto(reason, code, where=cond)
    return reason


def figure(raw: np.ndarray, *cases: Case) -> Figure:
    reason = first_reason(*cases, (~np.isfinite(raw), CODE[why.ZERO_BASE]))
    return np.where(reason == 0, raw, np.nan), reason


def missing(grid: Grid) -> dict[str, np.ndarray]:
    """Why a stored point is absent: growth-only, a parent's incomplete children, or plain."""
    special = np.where(
        grid.growth_only,
        CODE[why.GROWTH_ONLY],
        np.where(grid.derived, CODE[why.INCOMPLETE_CHILDREN], 0),
    )
    plain = {"V": why.NO_DATA, "L": why.NO_LAST_YEAR, "L12": why.NO_LAST_YEAR}
    return {
        p: np.where(special > 0, special, CODE[plain.get(p, why.NO_PREVIOUS_RELEASE)])
        for p in ("V", "L", "L12", "Vp", "Lp")
    }


def growth(grid: Grid, miss: dict[str, np.ndarray], now: bool = True) -> Figure:
    """Published growth wins; else (V/L − 1)·100 with its null cases (or at the previous release)."""
    v_key, g_key, lv_key = ("V", "G", "L") if now else ("Vp", "Gp", "Lp")
    v, g, lv = grid.points[v_key], grid.points[g_key], grid.points[lv_key]
    miss_v, miss_lv = miss[v_key], miss[lv_key]
    published = ~isnan(g)
    return figure(
        np.where(published, g, (v / lv - 1) * 100),
        (grid.rate, CODE[why.RATE_INDICATOR]),
        (published, 0),
        (grid.growth_only, CODE[why.NO_DATA]),
        (isnan(v), miss_v),
        (isnan(lv), miss_lv),
        (lv == 0, CODE[why.ZERO_BASE]),
        (lv < 0, CODE[why.NEGATIVE_BASE]),
    )


def completion(grid: Grid, miss: dict[str, np.ndarray], now: bool = True) -> Figure:
    v = "V" if now else "Vp"
    return figure(
        grid.points[v] / grid.floor * 100,
        *_level_guards(grid),
        (isnan(grid.points[v]), miss[v]),
        (grid.floor == 0, CODE[why.ZERO_BASE]),
        (grid.floor < 0, CODE[why.NEGATIVE_BASE]),
    )


def rank_metrics(
    grid: Grid, growth_now: Figure, completion_now: Figure, miss: dict[str, np.ndarray]
):
    """r() of what ranks: a rate's own figure, completion for cumulative counts with
    level targets, else growth, now and at the previous release.  The choice lives
    here, apart from the ranking kernel, which only orders what it is given."""
    growth_prev, completion_prev = (
        growth(grid, miss, now=False)[0],
        completion(grid, miss, now=False)[0],
    )
    V, Vp = grid.points["V"], grid.points["Vp"]
    metric = np.where(grid.rate, V, np.where(grid.use_completion, completion_now[0], growth_now[0]))
    metric_prev = np.where(
        grid.first,
        np.nan,
        np.where(grid.rate, Vp, np.where(grid.use_completion, completion_prev, growth_prev)),
    )
    return r_array(np.concatenate([metric, metric_prev])).reshape(2, -1)


@dataclass
class UnitFigures:
    """The figures of each shown cell that depend on its own points and target only."""

    miss: dict[str, np.ndarray]  # why each stored point is absent
    growth: Figure
    month_value: Figure
    month_growth: Figure
    completion: Figure
    expected: Figure
    seasonal: np.ndarray  # expected progress from last year's share, not m/12
    change: Figure  # a rate's change in percentage points
    required_floor: Figure
    required_stretch: Figure
    approximate: tuple[np.ndarray, np.ndarray]  # 1 / 0 / −1 (null), reason
    status: np.ndarray  # positions in why.STATUSES


def unit_figures(
    grid: Grid,
    miss: dict[str, np.ndarray],
    growth_now: Figure,
    completion_now: Figure,
    month: int,
    time_progress: float,
) -> UnitFigures:
    """Every figure of the cells of `grid`, given their growth and completion."""
    L, L12 = grid.points["L"], grid.points["L12"]
    floor, stretch = (
        _required(grid, growth_now, miss, goal, month / 12)
        for goal in (grid.annual_floor, grid.annual_stretch)
    )
    expected = _expected(grid, time_progress)
    V = grid.points["V"]
    return UnitFigures(
        miss=miss,
        growth=growth_now,
        **_month_figures(grid, growth_now, miss),
        completion=completion_now,
        expected=expected,
        seasonal=seasonal(L, L12),
        change=figure(
            r_array(r_array(V) - r_array(L)),
            (~grid.rate, CODE[why.NOT_RATE]),
            (isnan(V), miss["V"]),
            (isnan(L), miss["L"]),
        ),
        required_floor=floor,
        required_stretch=stretch,
        approximate=_approximate(grid, floor, stretch),
        status=_status(grid, growth_now[0], completion_now[0], expected[0]),
    )


def _month_figures(
    grid: Grid, growth_now: Figure, miss: dict[str, np.ndarray]
) -> dict[str, Figure]:
    """Single-period value and growth; the first release repeats V and g."""
    V, Vp, L, Lp = (grid.points[p] for p in ("V", "Vp", "L", "Lp"))
    first = grid.first
    common = (
        (grid.growth_only, CODE[why.GROWTH_ONLY]),
        (~grid.cumulative, CODE[why.NOT_CUMULATIVE]),
    )
    base = L - Lp
    return {
        "month_value": figure(
            np.where(first, V, V - Vp),
            *common,
            (isnan(V), miss["V"]),
            (~first & isnan(Vp), miss["Vp"]),
        ),
        "month_growth": figure(
            np.where(first, growth_now[0], ((V - Vp) / base - 1) * 100),
            *common,
            (first, growth_now[1]),
            (isnan(V), miss["V"]),
            (isnan(Vp), miss["Vp"]),
            (isnan(L), miss["L"]),
            (isnan(Lp), miss["Lp"]),
            (base == 0, CODE[why.ZERO_BASE]),
            (base < 0, CODE[why.NEGATIVE_BASE]),
        ),
    }


def _level_guards(grid: Grid) -> tuple[Case, ...]:
    return (
        (grid.basis == NO_BASIS, CODE[why.NO_TARGET]),
        (grid.basis == GROWTH_BASIS, CODE[why.GROWTH_TARGET]),
        (~grid.cumulative, CODE[why.NOT_CUMULATIVE]),
    )


def _expected(grid: Grid, time_progress: float) -> Figure:
    """100 for a phase target (due in full by its period); else last year's seasonal
    share L/L12 where it is sound, else m/12 (see `seasonal`)."""
    L, L12 = grid.points["L"], grid.points["L12"]
    reason = first_reason(*_level_guards(grid))
    share = np.where(grid.phase, 100.0, np.where(seasonal(L, L12), L / L12 * 100, time_progress))
    return np.where(reason == 0, share, np.nan), reason


def seasonal(L: np.ndarray, L12: np.ndarray) -> np.ndarray:
    """Where last year's share L/L12 is a sound expected progress."""
    return (L12 > 0) & (L >= 0) & (L <= L12)


def _required(
    grid: Grid,
    growth_now: Figure,
    miss: dict[str, np.ndarray],
    goal: np.ndarray,
    month_share: float,
) -> Figure:
    """倒算目标: the growth the rest of the year needs to reach the year's `goal`
    (NaN: no such tier, as the stretch of a one-tier target)."""
    V, L, L12 = grid.points["V"], grid.points["L"], grid.points["L12"]
    g, g_why = growth_now
    w = np.where(_exact_weight(grid), L / L12, month_share)
    basis = grid.annual_basis
    by_growth, by_level = basis == GROWTH_BASIS, basis == LEVEL_BASIS
    return figure(
        np.where(
            by_growth,
            ((100 + goal) - w * (100 + g)) / (1 - w) - 100,
            ((goal - V) / (L12 - L) - 1) * 100,
        ),
        ((basis == NO_BASIS) | isnan(goal), CODE[why.NO_TARGET]),
        (~grid.cumulative & ~grid.growth_only, CODE[why.NOT_CUMULATIVE]),
        (grid.year_over, CODE[why.YEAR_OVER]),
        (by_growth & isnan(g), g_why),
        (by_growth & (w * (100 + g) >= 100 + goal), CODE[why.TARGET_REACHED]),
        (by_level & isnan(V), miss["V"]),
        (by_level & (goal <= V), CODE[why.TARGET_REACHED]),
        (by_level & isnan(L), miss["L"]),
        (by_level & isnan(L12), miss["L12"]),
        (by_level & (L12 - L <= 0), CODE[why.NO_REMAINING_BASE]),
    )


def _exact_weight(grid: Grid) -> np.ndarray:
    """Where the share of the year done is last year's L/L12 rather than m/12."""
    L, L12 = grid.points["L"], grid.points["L12"]
    return ~grid.growth_only & (L > 0) & (L < L12)


def _approximate(grid: Grid, floor: Figure, stretch: Figure) -> tuple[np.ndarray, np.ndarray]:
    """Whether the required growths use the equal-month approximation (−1: neither exists)."""
    neither = isnan(floor[0]) & isnan(stretch[0])
    flag = np.where(
        grid.growth_only,
        True,
        np.where(grid.annual_basis == LEVEL_BASIS, False, ~_exact_weight(grid)),
    )
    return np.where(neither, -1, flag), np.where(neither, floor[1], 0)


def _status(
    grid: Grid, g: np.ndarray, completion_now: np.ndarray, expected: np.ndarray
) -> np.ndarray:
    """亮灯: every comparison is r(x) against r(threshold); "down" mirrors them; a
    missing stretch (one tier) never compares, so one tier is never `exceeds`."""
    V, down = grid.points["V"], grid.down
    sign = np.where(down, 1.0, -1.0)
    level = grid.basis == LEVEL_BASIS
    r_expected = r_array(expected)
    r_floor = r_array(grid.floor)
    # Stacked, so that the exact path of the rounding runs once.
    stretch_done = np.where(
        level & grid.cumulative & (grid.stretch > 0), V / grid.stretch * 100, np.nan
    )
    stacked = r_array(
        np.concatenate(
            [
                g,
                np.where(level & ~grid.cumulative, V, np.nan),
                grid.stretch,
                grid.floor + sign * grid.margin_growth,
                completion_now,
                stretch_done,
                r_expected + sign * grid.margin_completion,
                r_floor + sign * grid.margin_rate,
            ]
        )
    )
    r_g, r_level, r_stretch, r_risk_g, r_completion, r_done, r_risk_c, r_risk_rate = np.split(
        stacked, 8
    )

    def reaches(x: np.ndarray, threshold: np.ndarray) -> np.ndarray:
        return np.where(down, x <= threshold, x >= threshold)

    by_growth, not_cumulative = grid.basis == GROWTH_BASIS, ~grid.cumulative
    return first_reason(
        (isnan(V) & isnan(g), STATUS["no_data"]),
        (grid.basis == NO_BASIS, STATUS["no_target"]),
        (by_growth & isnan(g), STATUS["no_data"]),
        (by_growth & reaches(r_g, r_stretch), STATUS["exceeds"]),
        (by_growth & reaches(r_g, r_floor), STATUS["on_track"]),
        (by_growth & reaches(r_g, r_risk_g), STATUS["at_risk"]),
        (by_growth, STATUS["off_track"]),
        (not_cumulative & isnan(V), STATUS["no_data"]),
        (not_cumulative & reaches(r_level, r_stretch), STATUS["exceeds"]),
        (not_cumulative & reaches(r_level, r_floor), STATUS["on_track"]),
        (not_cumulative & grid.rate & reaches(r_level, r_risk_rate), STATUS["at_risk"]),
        (not_cumulative, STATUS["off_track"]),
        (isnan(completion_now), STATUS["no_data"]),
        (reaches(r_done, r_expected), STATUS["exceeds"]),
        (reaches(r_completion, r_expected), STATUS["on_track"]),
        (reaches(r_completion, r_risk_c), STATUS["at_risk"]),
        (np.ones(len(V), dtype=bool), STATUS["off_track"]),
    )
