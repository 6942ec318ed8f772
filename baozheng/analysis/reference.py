"""The bulletin computed the obvious way: one row at a time, in plain Python.

This is the executable reading of docs/rules.md §3 and the oracle the tests compare
the vectorised engine with (and the naive peer of the benchmark).  It gives
the same rows as `engine.bulletin_rows`; where docs/rules.md leaves a choice open the
choice is written here, next to the rule:

- A growth-only indicator has no stored values: every value-based figure is
  null with `growth_only`, including the month figures (even at 1-2月).
- Month figures of non-cumulative indicators (rates, stocks) are null with
  `not_cumulative`: a stock's 1-6月 minus 1-5月 is no period value.  The same
  goes for required growth, which assumes flows summed from January — except
  for growth-only indicators, whose published growth is the year-to-date
  growth of a flow (GDP 1-9月): they get the equal-month approximation,
  flagged, whatever their `cumulative` flag says (docs/rules.md §3's NBS example).
- The parent's figures come from its children (additive indicators, parent
  without an observation at the period) for every point in time at once:
  each sum needs every partition member, else `incomplete_children`.
- A figure that would overflow to an infinity is null with `zero_base`.
- The rank metric is completion when the indicator is a cumulative count and
  any level target exists for it that year, else growth.  The parent is
  ranked among its peers by the growth its row shows (derived if need be);
  its peers and its own parent use their own observations only.
- A missing last-year value at the previous release reads
  `no_previous_release` (it belongs to that release's comparison).
- Non-cumulative level targets compare r(V) with stretch and floor only: no
  amber band is defined for them, except on rate indicators (docs/rules.md §3 "Rate
  indicators": r(floor) ∓ the rate margin).
- Rate indicators ignore any growth stored for them: their growth is null
  (`rate_indicator`) and they rank by r(V) now and r(Vp) at the previous release.
- A phase target is in force at its own period only; rank targets and the year's
  value target are read with no period (a rank target with one is ignored).
  `target_period` is the year whenever no phase target is in force (also
  without any target), so it is never null.
- A missing stretch (one tier) makes `required_growth_stretch` null with
  `no_target` before any other guard.
- The completion metric of ranks uses the target in force (phase or annual),
  also at the previous release, and is chosen when any level target of the
  indicator is in force at this period.

`observations` may be a polars DataFrame (read with `iter_rows`, polars is not
imported here) or any iterable of dicts with the keys indicator, unit, year,
month, value, growth; `targets` a DataFrame of the same fields as `Target` or
a sequence of `Target`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from baozheng.analysis import reasons as why
from baozheng.analysis.model import (
    DEFAULT_RULES,
    Indicator,
    PeerGroup,
    StatusRules,
    Target,
    Unit,
)
from baozheng.analysis.periods import (
    Period,
    last_release_month,
    previous_release,
    released_indicators,
)
from baozheng.analysis.reference_targets import TargetsInForce, place, rank_status, status
from baozheng.analysis.rounding import r, r_finite
from baozheng.analysis.scope import Scope, resolve_scope

Fig = tuple[Any, str | None]  # a figure and, when it is None, why
_Key = tuple[str, str, int, int]


@dataclass(frozen=True)
class _Series:
    """What one unit's row reads: now (V, G), last year (L, L12), previous release."""

    V: float | None
    G: float | None
    L: float | None
    L12: float | None
    Vp: float | None
    Gp: float | None
    Lp: float | None
    growth_only: bool = False
    derived: bool = False
    rate: bool = False

    def missing(self, name: str) -> str:
        """Why the stored figure `name` is absent."""
        if self.growth_only:
            return why.GROWTH_ONLY
        if self.derived:
            return why.INCOMPLETE_CHILDREN
        return {"V": why.NO_DATA, "L": why.NO_LAST_YEAR, "L12": why.NO_LAST_YEAR}.get(
            name, why.NO_PREVIOUS_RELEASE
        )


def _float(x: float | None) -> float | None:
    return None if x is None else float(x)


def _finite(x: float, reason: str = why.ZERO_BASE) -> Fig:
    return (x, None) if math.isfinite(x) else (None, reason)


def _index(observations: Any) -> dict[_Key, tuple[float | None, float | None]]:
    rows: Iterable[Mapping[str, Any]]
    rows = (
        observations.iter_rows(named=True) if hasattr(observations, "iter_rows") else observations
    )
    return {
        (o["indicator"], o["unit"], int(o["year"]), int(o["month"])): (o["value"], o["growth"])
        for o in rows
    }


def _read(obs, ind: Indicator, unit: str, period: Period, prev: Period | None) -> _Series:
    def at(year: int, month: int | None) -> tuple[float | None, float | None]:
        return obs.get((ind.code, unit, year, month), (None, None)) if month else (None, None)

    y, m, pm = period.year, period.month, prev.month if prev else None
    (v, g), (vp, gp) = at(y, m), at(y, pm)
    if ind.growth_only:
        return _Series(None, g, None, None, None, gp, None, growth_only=True)
    if ind.rate:
        g = gp = None
    return _Series(v, g, at(y - 1, m)[0], at(y - 1, 12)[0], vp, gp, at(y - 1, pm)[0], rate=ind.rate)


def _sum(parts: list[float | None]) -> float | None:
    present = [p for p in parts if p is not None]
    return sum(present) if len(present) == len(parts) else None


def _parent_series(own: _Series, ind: Indicator, children: list[_Series] | None) -> _Series:
    """The parent's own observation wins; else, for additive indicators, its partition's sums."""
    if own.V is not None or own.G is not None or not ind.additive or ind.growth_only:
        return own
    if children is None:
        return own

    def total(point: str) -> float | None:
        return _sum([getattr(c, point) for c in children])

    return _Series(
        V=total("V"),
        G=None,
        L=total("L"),
        L12=total("L12"),
        Vp=total("Vp"),
        Gp=None,
        Lp=total("Lp"),
        derived=True,
    )


def _growth_of(
    v, g, lv, s: _Series, now: bool = True
) -> tuple[float | None, str | None, str | None]:
    """(growth, source, reason): published wins, else (V/L − 1)·100; none for rates."""
    if s.rate:
        return None, None, why.RATE_INDICATOR
    if g is not None:
        return g, "published", None
    if s.growth_only:
        return None, None, why.NO_DATA
    if v is None:
        return None, None, s.missing("V" if now else "Vp")
    if lv is None:
        return None, None, s.missing("L" if now else "Lp")
    if lv == 0:
        return None, None, why.ZERO_BASE
    if lv < 0:
        return None, None, why.NEGATIVE_BASE
    x, reason = _finite((v / lv - 1) * 100)
    return x, "computed" if x is not None else None, reason


def _growth(s: _Series) -> tuple[float | None, str | None, str | None]:
    return _growth_of(s.V, s.G, s.L, s)


def _prev_growth(s: _Series) -> float | None:
    return _growth_of(s.Vp, s.Gp, s.Lp, s, now=False)[0]


def _month(s: _Series, ind: Indicator, prev: Period | None) -> tuple[Fig, Fig]:
    """Single-period value and growth (first release: V and g)."""
    if ind.growth_only:
        return (None, why.GROWTH_ONLY), (None, why.GROWTH_ONLY)
    if not ind.cumulative:
        return (None, why.NOT_CUMULATIVE), (None, why.NOT_CUMULATIVE)
    if prev is None:
        g, _, g_reason = _growth(s)
        return (s.V, None if s.V is not None else s.missing("V")), (g, g_reason)
    checks = [("V", s.V), ("Vp", s.Vp)]
    for name, x in checks:
        if x is None:
            reason = s.missing(name)
            return (None, reason), (None, reason)
    assert s.V is not None and s.Vp is not None  # the loop above returned otherwise
    value = _finite(s.V - s.Vp)
    for name, x in [("L", s.L), ("Lp", s.Lp)]:
        if x is None:
            return value, (None, s.missing(name))
    assert s.L is not None and s.Lp is not None  # the loop above returned otherwise
    base = s.L - s.Lp
    if base == 0:
        return value, (None, why.ZERO_BASE)
    if base < 0:
        return value, (None, why.NEGATIVE_BASE)
    return value, _finite(((s.V - s.Vp) / base - 1) * 100)


def _pull(s: _Series, p: _Series, ind: Indicator, is_parent: bool) -> tuple[Fig, Fig]:
    """拉动 (pp of the parent's base) and 贡献率 (% of the parent's increment)."""
    for blocked, reason in [
        (is_parent, why.IS_PARENT),
        (not ind.additive, why.NOT_ADDITIVE),
        (ind.growth_only, why.GROWTH_ONLY),
        (s.V is None, s.missing("V")),
        (s.L is None, s.missing("L")),
    ]:
        if blocked:
            return (None, reason), (None, reason)
    assert s.V is not None and s.L is not None  # blocked above otherwise
    delta = s.V - s.L
    if p.L is None:
        pull: Fig = (None, p.missing("L"))
    elif p.L == 0:
        pull = (None, why.ZERO_BASE)
    elif p.L < 0:
        pull = (None, why.NEGATIVE_BASE)
    else:
        pull = _finite(delta / p.L * 100)
    if p.V is None:
        share: Fig = (None, p.missing("V"))
    elif p.L is None:
        share = (None, p.missing("L"))
    elif p.V == p.L:
        share = (None, why.ZERO_BASE)
    else:
        share = _finite(delta / (p.V - p.L) * 100)
    return pull, share


def _completion(
    v: float | None, s: _Series, target: Target | None, ind: Indicator, name: str
) -> Fig:
    if target is None:
        return None, why.NO_TARGET
    if target.basis == "growth":
        return None, why.GROWTH_TARGET
    if not ind.cumulative:
        return None, why.NOT_CUMULATIVE
    if v is None:
        return None, s.missing(name)
    if target.floor == 0:
        return None, why.ZERO_BASE
    if target.floor < 0:
        return None, why.NEGATIVE_BASE
    return _finite(v / target.floor * 100)


def _expected(s: _Series, target: Target | None, ind: Indicator, period: Period) -> tuple[Fig, Fig]:
    """Expected progress: a phase target is due in full by its period; else last
    year's seasonal share where known, else m/12."""
    if target is None or target.basis == "growth" or not ind.cumulative:
        reason = (
            why.NO_TARGET
            if target is None
            else (why.GROWTH_TARGET if target.basis == "growth" else why.NOT_CUMULATIVE)
        )
        return (None, reason), (None, reason)
    if target.month is not None:
        return (100.0, None), ("phase", None)
    if s.L is not None and s.L12 is not None and s.L12 > 0 and 0 <= s.L <= s.L12:
        return (s.L / s.L12 * 100, None), ("seasonal", None)
    return (period.time_progress, None), ("time", None)


def _required(
    s: _Series,
    g: float | None,
    g_reason: str | None,
    target: Target | None,
    ind: Indicator,
    period: Period,
) -> tuple[Fig, Fig, Fig]:
    """倒算目标: growth needed over the rest of the year for floor and stretch."""
    if target is None:
        blocked: str | None = why.NO_TARGET
    elif not ind.cumulative and not ind.growth_only:
        blocked = why.NOT_CUMULATIVE
    elif period.month == last_release_month(ind.frequency, ind.merged_jan_feb):
        blocked = why.YEAR_OVER
    else:
        blocked = None
    if blocked is not None or target is None:
        if target is not None and target.stretch is None:
            return (None, blocked), (None, why.NO_TARGET), (None, blocked)
        return (None, blocked), (None, blocked), (None, blocked)

    approximate = True
    if target.basis == "growth":
        if not ind.growth_only and s.L is not None and s.L12 is not None and 0 < s.L < s.L12:
            w, approximate = s.L / s.L12, False
        else:
            w = period.month / 12

        def need(goal: float) -> Fig:
            if g is None:
                return None, g_reason
            if w * (100 + g) >= 100 + goal:
                return None, why.TARGET_REACHED
            return _finite(((100 + goal) - w * (100 + g)) / (1 - w) - 100)
    else:
        approximate = ind.growth_only

        def need(goal: float) -> Fig:
            for name, x in (("V", s.V),):
                if x is None:
                    return None, s.missing(name)
            assert s.V is not None  # the loop above returned otherwise
            if goal <= s.V:
                return None, why.TARGET_REACHED
            for name, x in (("L", s.L), ("L12", s.L12)):
                if x is None:
                    return None, s.missing(name)
            assert s.L is not None and s.L12 is not None  # the loop above returned otherwise
            rest = s.L12 - s.L
            if rest <= 0:
                return None, why.NO_REMAINING_BASE
            return _finite(((goal - s.V) / rest - 1) * 100)

    floor = need(target.floor)
    stretch = need(target.stretch) if target.stretch is not None else (None, why.NO_TARGET)
    if floor[0] is None and stretch[0] is None:
        return floor, stretch, (None, floor[1])
    return floor, stretch, (approximate, None)


_Ranks = dict[str, int | None]  # unit → shared best rank, None when not ranked


def _rank_key(x: float, down: bool) -> float:
    """r(x), negated for a down indicator (a smaller figure ranks higher)."""
    return -r_finite(x) if down else r_finite(x)


def _ranks(metric: dict[str, float | None], down: bool) -> tuple[_Ranks, int]:
    """Shared best ranks over r(x): 5.04 and 4.96 both count as 5.0."""
    keys = {u: _rank_key(x, down) for u, x in metric.items() if x is not None}
    ranks: dict[str, int | None] = {u: None for u in metric}
    for u, k in keys.items():
        ranks[u] = 1 + sum(1 for other in keys.values() if other > k)
    return ranks, len(keys)


def bulletin_rows(
    period: Period,
    parent: str,
    indicators: Sequence[Indicator],
    units: Sequence[Unit],
    groups: Sequence[PeerGroup],
    observations: Any,
    targets: Any,
    rules: StatusRules = DEFAULT_RULES,
) -> list[dict]:
    """Same contract as `engine.bulletin_rows`, computed row by row."""
    obs = _index(observations)
    scope = resolve_scope(parent, units, groups)
    if hasattr(targets, "iter_rows"):
        targets = [Target(**row) for row in targets.iter_rows(named=True)]
    rows: list[dict] = []
    for ind in sorted(released_indicators(period, indicators), key=lambda i: i.code):
        rows.extend(
            _indicator_rows(period, ind, scope, obs, TargetsInForce(targets, period), rules)
        )
    return rows


def _indicator_rows(
    period: Period, ind: Indicator, scope: Scope, obs, targets: TargetsInForce, rules
) -> list[dict]:
    prev = previous_release(period, ind.frequency, ind.merged_jan_feb)
    series = {u: _read(obs, ind, u, period, prev) for u in scope.units}
    kids = [series[u] for u in scope.partition] if scope.partition else None
    series[scope.parent] = _parent_series(series[scope.parent], ind, kids)
    use_completion = ind.kind == "count" and ind.cumulative and ind.code in targets.level

    def metric(u: str, now: bool) -> float | None:
        s, target = series[u], targets.in_force((ind.code, u))
        if ind.rate:
            return s.V if now else s.Vp
        if use_completion:
            return _completion(s.V if now else s.Vp, s, target, ind, "V")[0]
        return _growth(s)[0] if now else _prev_growth(s)

    ranking: dict[str, tuple[_Ranks, int, _Ranks]] = {}
    for peer_group, members in scope.members.items():
        ranks_now, count = _ranks({u: metric(u, True) for u in members}, ind.down)
        ranks_before = _ranks({u: metric(u, False) for u in members}, ind.down)[0] if prev else {}
        ranking[peer_group] = (ranks_now, count, ranks_before)

    def compared(u: str | None) -> float | None:
        """What vs_parent compares: the growth, or a rate's own figure."""
        if u is None:
            return None
        return series[u].V if ind.rate else _growth(series[u])[0]

    parent_g, grand_g = compared(scope.parent), compared(scope.grandparent)
    layout = [(scope.parent_group, scope.parent, True)] + [
        (g, u, False) for g, u in scope.child_rows
    ]
    rows = []
    for group, unit, is_parent in layout:
        key = (ind.code, unit)
        row = _row(
            period,
            ind,
            unit,
            series[unit],
            series[scope.parent],
            is_parent,
            grand_g if is_parent else parent_g,
            (targets.in_force(key), targets.annual.get(key)),
            rules,
            prev,
        )
        row["peer_group"] = group
        if group is None:
            row["rank"] = row["rank_of"] = row["rank_change"] = row["rank_tied"] = None
            row["reasons"].update(
                peer_group=why.NOT_RANKED,
                rank=why.NOT_RANKED,
                rank_tied=why.NOT_RANKED,
                rank_of=why.NOT_RANKED,
                rank_change=why.NOT_RANKED,
            )
        else:
            ranks_now, count, ranks_before = ranking[group]
            rank_now, rank_before = ranks_now[unit], ranks_before.get(unit)
            row["rank"], row["rank_of"] = rank_now, count
            # 并列: another member of the peer group holds the same rank.
            row["rank_tied"] = (
                None
                if rank_now is None
                else sum(1 for u in ranks_now.values() if u == rank_now) > 1
            )
            if rank_now is None:
                row["rank_change"] = None
                row["reasons"].update(
                    rank=why.NOT_RANKED, rank_tied=why.NOT_RANKED, rank_change=why.NOT_RANKED
                )
            elif rank_before is None:
                row["rank_change"] = None
                row["reasons"]["rank_change"] = why.NO_PREVIOUS_RELEASE
            else:
                row["rank_change"] = rank_before - rank_now
        rank_target = targets.rank.get(key)
        rank_figures = {
            "target_rank_floor": place(rank_target.floor if rank_target else None),
            "target_rank_stretch": place(rank_target.stretch if rank_target else None),
            "target_rank_top": place(rank_target.top if rank_target else None),
            "rank_status": rank_status(row["rank"], rank_target),
        }
        for name, (value, reason) in rank_figures.items():
            row[name] = value
            if value is None:
                row["reasons"][name] = reason
        rows.append(row)
    children = sorted(
        rows[1:], key=lambda x: (x["peer_group"], x["rank"] is None, x["rank"] or 0, x["unit"])
    )
    return [{k: row[k] for k in why.ROW_KEYS} for row in [rows[0], *children]]


def _row(
    period,
    ind,
    unit,
    s: _Series,
    p: _Series,
    is_parent: bool,
    cmp_figure: float | None,
    in_force: tuple[Target | None, Target | None],
    rules: StatusRules,
    prev: Period | None,
) -> dict:
    target, annual = in_force
    g, source, g_reason = _growth(s)
    month_value, month_growth = _month(s, ind, prev)
    mine, mine_reason = (s.V, s.missing("V")) if ind.rate else (g, g_reason)
    if mine is None:
        vs: Fig = (None, mine_reason)
    elif cmp_figure is None:
        vs = (None, why.NO_PARENT_GROWTH)
    else:
        vs = (r(r_finite(mine) - r_finite(cmp_figure)), None)
    if not ind.rate:
        change: Fig = (None, why.NOT_RATE)
    elif s.V is None or s.L is None:
        change = (None, s.missing("V" if s.V is None else "L"))
    else:
        change = (r(r_finite(s.V) - r_finite(s.L)), None)
    pull, share = _pull(s, p, ind, is_parent)
    completion = _completion(s.V, s, target, ind, "V")
    expected, expected_source = _expected(s, target, ind, period)
    floor, stretch, approximate = _required(s, g, g_reason, annual, ind, period)
    # The period whose target is in force: a phase target's, else the year (also
    # without any target: the year's targets are what would apply).
    if target is not None and target.month is not None:
        target_period: Fig = (f"{period.year:04d}-{target.month:02d}", None)
    else:
        target_period = (f"{period.year:04d}", None)
    figures: dict[str, Fig] = {
        "value": (s.V, None if s.V is not None else s.missing("V")),
        "value_last_year": (s.L, None if s.L is not None else s.missing("L")),
        "growth": (g, g_reason),
        "growth_source": (source, g_reason),
        "change_pp": change,
        "month_value": month_value,
        "month_growth": month_growth,
        "vs_parent_pp": vs,
        "pull_pp": pull,
        "contribution_pct": share,
        "target_basis": (target.basis if target else None, why.NO_TARGET),
        "target_period": target_period,
        "target_floor": (float(target.floor) if target else None, why.NO_TARGET),
        "target_stretch": (_float(target.stretch) if target else None, why.NO_TARGET),
        "target_top": (_float(target.top) if target else None, why.NO_TARGET),
        "completion_pct": completion,
        "expected_pct": expected,
        "expected_source": expected_source,
        "required_growth_floor": floor,
        "required_growth_stretch": stretch,
        "required_approximate": approximate,
    }
    row: dict[str, Any] = {"indicator": ind.code, "unit": unit}
    row.update({k: v for k, (v, _) in figures.items()})
    row["status"] = status(s.V, g, completion[0], expected[0], target, ind, rules)
    row["reasons"] = {k: reason for k, (v, reason) in figures.items() if v is None}
    return row
