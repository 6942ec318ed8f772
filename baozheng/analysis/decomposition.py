"""Do the children's targets add up to the parent's? (倒推任务的分解核对)

Level targets add directly: ΣT_child against T_parent. Growth targets add through last
year's full-year values: the children's targets imply the parent's growth
ΣL12_u·(1 + g*_u/100) / L12_P − 1, compared with g*_P (L12_P is the parent's own
stored figure, else ΣL12_u). A growth-only or non-additive indicator cannot be checked
(无法核对), which is not an error; nor can a rate (城镇调查失业率: never summed) or a rank
target (places do not add up). Only the partitioning peer group counts: functional
zones lie inside districts and would count twice.

A one-tier target (no stretch) is checked on its floor only; a child with one tier counts
its single figure for both tiers. A phase target (1-3月) is checked like the year's, with
last year's value at that period in place of L12 (the caller passes it).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class TierCheck:
    tier: str  # "floor" | "stretch"
    parent_target: float
    implied: float | None  # ΣT_child for level targets; implied parent growth for growth targets
    gap: float | None  # implied − parent target, in the target's own terms
    adds_up: bool | None  # None: cannot be checked


@dataclass(frozen=True)
class Decomposition:
    basis: str
    checkable: bool
    reason: str = ""  # why it cannot be checked (Chinese, shown as is)
    missing: tuple[str, ...] = ()  # children without a target (or without L12)
    tiers: tuple[TierCheck, ...] = field(default_factory=tuple)

    @property
    def adds_up(self) -> bool:
        return self.checkable and all(t.adds_up for t in self.tiers)


def _adds_up(gap: float, down: bool, tolerance: float) -> bool:
    """Up: the parts must reach the whole; down (e.g. energy use): they must not exceed it."""
    return gap <= tolerance if down else gap >= -tolerance


def check(
    *,
    basis: str,
    growth_only: bool,
    additive: bool,
    down: bool,
    parent: Mapping[str, float],
    children: Mapping[str, Mapping[str, float] | None],
    last_year: Mapping[str, float | None],
    parent_last_year: float | None,
    tolerance: float = 1e-9,
    rate: bool = False,
) -> Decomposition:
    """`parent` maps "floor"/"stretch" to its figures; each child maps to its own tiers and
    "basis" ("growth" or "level"; default: the parent's), or None when it has no target.
    `last_year` maps child codes to L12. Children may set a level where the parent sets a
    growth (a district: retail sales ≥ 460 亿元 under the city's +12 %) and the other way round:
    every child target is turned into a full-year level, L12_u·(1 + g/100) or T_u."""
    if basis == "rank":
        return Decomposition(basis, False, "位次目标无法核对（名次不可加总）")
    if rate:
        return Decomposition(basis, False, "比率类指标无法核对（比率不可加总）")
    if growth_only:
        return Decomposition(basis, False, "增速类指标无法核对（无总量数据）")
    if not additive:
        return Decomposition(basis, False, "不可加总的指标无法核对")
    if not children:
        return Decomposition(basis, False, "没有构成上级全域的下级分组")
    missing = tuple(code for code, tiers in children.items() if tiers is None)
    if missing:
        return Decomposition(basis, False, "部分下级尚未设定目标", missing)
    # every child has a target from here on (the missing ones returned above)
    targets = {code: t for code, t in children.items() if t is not None}
    needs_base = [code for code, t in targets.items() if t.get("basis", basis) == "growth"]
    no_base = tuple(c for c in needs_base if (l12 := last_year.get(c)) is None or l12 <= 0)
    if no_base:
        return Decomposition(basis, False, "部分下级缺少上年全年数据", no_base)
    base: float | None = None
    if basis == "growth":
        known = [last_year.get(code) for code in children]
        positive = [k for k in known if k is not None and k > 0]
        base = (
            parent_last_year
            if parent_last_year and parent_last_year > 0
            else (sum(positive) if len(positive) == len(known) else None)
        )
        if base is None:
            return Decomposition(basis, False, "缺少上年全年数据", ())
    tiers = []
    for tier in ("floor", "stretch"):
        if parent.get(tier) is None:
            continue  # one tier: nothing to check for the stretch
        total = sum(_level(t, tier, basis, last_year.get(code)) for code, t in targets.items())
        if basis == "level":
            implied = total
        else:
            assert base is not None  # a growth basis without a base returned above
            implied = (total / base - 1) * 100
        gap = implied - parent[tier]
        tiers.append(TierCheck(tier, parent[tier], implied, gap, _adds_up(gap, down, tolerance)))
    return Decomposition(basis, True, tiers=tuple(tiers))


def _level(target: Mapping[str, float], tier: str, default_basis: str, l12: float | None) -> float:
    figure = target.get(tier)
    if figure is None:
        figure = target["floor"]  # a one-tier child: its one figure stands for both tiers
    if target.get("basis", default_basis) == "level":
        return figure
    assert l12 is not None  # growth children without a positive L12 are turned away by check()
    return l12 * (1 + figure / 100)
