"""The headline in words, as a leader reads it in a bulletin or a group message:
"1-9月增长9.4%，高于争9目标0.4个百分点，全省第1".

Pure functions over one bulletin row (the statistics core's JSON keys), no Django. Every
figure is printed as r(x) (docs/rules.md §3) and every comparison is made on the printed figures,
so the words agree with the numbers beside them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from baozheng.analysis.rounding import r
from baozheng.lib.numbers import never_raises

STATUS_WORDS = {
    "exceeds": "达争",
    "on_track": "达保",
    "at_risk": "黄灯",
    "off_track": "红灯",
    "no_target": "无目标",
    "no_data": "无数据",
}
# From worst to best: a move to a later entry is an improvement.
STATUS_ORDER = ("no_data", "off_track", "at_risk", "no_target", "on_track", "exceeds")


@never_raises
def tier(value: float | None) -> str:
    """A target as written in slogans: 8 → "8", 8.5 → "8.5"."""
    if value is None:
        return "—"
    rounded = r(value)
    return f"{rounded:.0f}" if rounded == int(rounded) else f"{rounded:.1f}"


@never_raises
def pct(value: float | None) -> str:
    return "—" if value is None else f"{r(value):.1f}"


def growth_phrase(growth: float | None) -> str:
    if growth is None:
        return ""
    g = r(growth)
    if g < 0:
        return f"下降{-g:.1f}%"
    if g == 0:
        return "与上年持平"
    return f"增长{g:.1f}%"


def _versus(mine: float, bar: float, name: str) -> str:
    gap = r(mine - bar)
    if gap > 0:
        return f"高于{name}目标{gap:.1f}个百分点"
    if gap < 0:
        return f"低于{name}目标{-gap:.1f}个百分点"
    return f"与{name}目标持平"


def target_phrase(row: Mapping[str, Any]) -> str:
    """Where the growth stands against the tiers: above the stretch it is said against the
    stretch, between the tiers against both, below the floor against the floor."""
    growth, floor, stretch = row.get("growth"), row.get("target_floor"), row.get("target_stretch")
    if row.get("target_basis") == "growth" and growth is not None and floor is not None:
        g = r(growth)
        floor_name = f"保{tier(floor)}"
        if stretch is None:
            return _versus(g, r(floor), floor_name)
        stretch_name = f"争{tier(stretch)}"
        if g >= r(stretch):
            return _versus(g, r(stretch), stretch_name)
        if g >= r(floor):
            return f"{_versus(g, r(floor), floor_name)}，{_versus(g, r(stretch), stretch_name)}"
        return _versus(g, r(floor), floor_name)
    completion, expected = row.get("completion_pct"), row.get("expected_pct")
    if completion is not None and expected is not None:
        gap = r(r(completion) - r(expected))
        where = (
            f"快于进度{gap:.1f}个百分点"
            if gap > 0
            else (f"慢于进度{-gap:.1f}个百分点" if gap < 0 else "与进度持平")
        )
        return f"完成全年保底目标{pct(completion)}%，{where}"
    if row.get("target_floor") is None:
        return "未设目标"
    return ""


def rank_phrase(row: Mapping[str, Any], area: str) -> str:
    rank = row.get("rank")
    if not rank:
        return ""
    return f"{area}第{rank}"


def headline_sentence(
    row: Mapping[str, Any] | None, period_label: str, measure: str, area: str
) -> str:
    """One indicator in one sentence: span, growth (or level), targets, rank."""
    span = period_label.split("年", 1)[-1]
    if row is None or (row.get("growth") is None and row.get("value") is None):
        return f"{span}暂无数据"
    parts = []
    value = row.get("value")
    if row.get("target_basis") == "level" and value is not None:
        level = f"{span}累计{pct(value)}{measure}"
        parts.append(f"{level}，{growth_phrase(row.get('growth'))}".rstrip("，"))
    elif row.get("growth") is not None:
        parts.append(f"{span}{growth_phrase(row.get('growth'))}")
    else:
        parts.append(f"{span}累计{pct(value)}{measure}")
    for phrase in (target_phrase(row), rank_phrase(row, area)):
        if phrase:
            parts.append(phrase)
    return "，".join(parts)


def status_move(before: str | None, after: str | None) -> str:
    """ "黄灯→红灯" when the light changed, else ""."""
    if not before or not after or before == after:
        return ""
    return f"{STATUS_WORDS.get(before, before)}→{STATUS_WORDS.get(after, after)}"


def rank_move(change: int | None, area: str) -> str:
    if not change:
        return ""
    return f"{area}位次{'上升' if change > 0 else '下降'}{abs(change)}位"


def is_worse(before: str | None, after: str | None) -> bool:
    if before not in STATUS_ORDER or after not in STATUS_ORDER:
        return False
    return STATUS_ORDER.index(after) < STATUS_ORDER.index(before)


def required_phrase(row: Mapping[str, Any]) -> str:
    """What the rest of the year must deliver, e.g. "余下月份需增长3.8%（保）、7.8%（争）"."""
    floor, stretch = row.get("required_growth_floor"), row.get("required_growth_stretch")
    if floor is None and stretch is None:
        reasons = row.get("reasons") or {}
        if reasons.get("required_growth_floor") == "target_reached":
            return "已达全年目标"
        return ""
    approx = "约" if row.get("required_approximate") else ""
    parts = []
    if floor is not None:
        parts.append(f"{pct(floor)}%（保）")
    if stretch is not None:
        parts.append(f"{pct(stretch)}%（争）")
    return f"余下月份需增长{approx}{'、'.join(parts)}"
