"""The reference implementation's reading of targets: which are in force at a period,
and the two status lights (亮灯 for value targets, 位次 for rank targets), row by row
in plain Python (see `reference.py`, whose oracle role these share)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from baozheng.analysis import reasons as why
from baozheng.analysis.model import Indicator, StatusRules, Target
from baozheng.analysis.periods import Period
from baozheng.analysis.rounding import r

Fig = tuple[Any, str | None]  # a figure and, when it is None, why


class TargetsInForce:
    """The targets in force at `period`, by (indicator, unit); the last one wins."""

    def __init__(self, targets: Sequence[Target], period: Period) -> None:
        this_year = [t for t in targets if t.year == period.year]
        value = [t for t in this_year if t.basis != "rank"]
        self.annual = {(t.indicator, t.unit): t for t in value if t.month is None}
        self.phase = {(t.indicator, t.unit): t for t in value if t.month == period.month}
        self.rank = {
            (t.indicator, t.unit): t for t in this_year if t.basis == "rank" and t.month is None
        }
        self.level = {
            t.indicator
            for t in value
            if t.basis == "level" and (t.month is None or t.month == period.month)
        }

    def in_force(self, key: tuple[str, str]) -> Target | None:
        return self.phase.get(key) or self.annual.get(key)


def _at_least(x: float, threshold: float, down: bool) -> bool:
    """r(x) reaches r(threshold); "down" indicators mirror the comparison."""
    rx, rt = r(x), r(threshold)
    return rx <= rt if down else rx >= rt  # type: ignore[operator]


def status(
    V: float | None,
    g: float | None,
    completion: float | None,
    expected: float | None,
    target: Target | None,
    ind: Indicator,
    rules: StatusRules,
) -> str:
    if V is None and g is None:
        return "no_data"
    if target is None:
        return "no_target"
    down = ind.down
    sign = 1 if down else -1
    margins = rules.for_indicator(ind.code)
    stretch = target.stretch
    if target.basis == "growth":
        if g is None:
            return "no_data"
        if stretch is not None and _at_least(g, stretch, down):
            return "exceeds"
        if _at_least(g, target.floor, down):
            return "on_track"
        if _at_least(g, target.floor + sign * margins.at_risk_growth_pp, down):
            return "at_risk"
        return "off_track"
    if not ind.cumulative:
        if V is None:
            return "no_data"
        if stretch is not None and _at_least(V, stretch, down):
            return "exceeds"
        if _at_least(V, target.floor, down):
            return "on_track"
        if ind.rate and _at_least(V, r(target.floor) + sign * margins.at_risk_rate_pp, down):  # type: ignore[operator]
            return "at_risk"
        return "off_track"
    if completion is None or expected is None:
        return "no_data"
    if stretch is not None and stretch > 0 and V is not None:
        stretch_done = V / stretch * 100
        if math.isfinite(stretch_done) and _at_least(stretch_done, expected, down):
            return "exceeds"
    if _at_least(completion, expected, down):
        return "on_track"
    if _at_least(completion, r(expected) + sign * margins.at_risk_completion_pp, down):  # type: ignore[operator]
        return "at_risk"
    return "off_track"


def rank_status(rank: int | None, target: Target | None) -> Fig:
    """位次目标: places among the peers, lower is better whatever the direction."""
    if target is None:
        return None, why.NO_TARGET
    if rank is None:
        return "no_data", None
    if target.stretch is not None and rank <= target.stretch:
        return "exceeds", None
    if rank <= target.floor:
        return "on_track", None
    return ("at_risk" if rank == target.floor + 1 else "off_track"), None


def place(x: float | None) -> Fig:
    return (None, why.NO_TARGET) if x is None else (int(x), None)
