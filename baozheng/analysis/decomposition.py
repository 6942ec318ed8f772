"""Do the children's targets add up to the parent's? (倒推任务的分解核对)

Level targets add directly: ΣT_child against T_parent. Growth targets add through last
year's full-year values: the children's targets imply the parent's growth
ΣL12_u·(1 + g*_u/100) / L12_P − 1, compared with g*_P (L12_P is the parent's own
stored figure, else ΣL12_u). A growth-only or non-additive indicator cannot be checked
(无法核对), which is not an error. Only the partitioning peer group counts: functional
zones lie inside districts and would count twice.
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


def _adds_up(gap: float, down: bool, tolerance: float) -> bool:
    """Up: the parts must reach the whole; down (e.g. energy use): they must not exceed it."""
    return gap <= tolerance if down else gap >= -tolerance


def check(*, basis: str, growth_only: bool, additive: bool, down: bool,
          parent: Mapping[str, float], children: Mapping[str, Mapping[str, float] | None],
          last_year: Mapping[str, float | None], parent_last_year: float | None,
          tolerance: float = 1e-9) -> Decomposition:
    """`parent` and each child's targets map "floor"/"stretch" to the figure; a child
    mapped to None has no target. `last_year` maps child codes to L12."""
    if growth_only:
        return Decomposition(basis, False, "增速类指标无法核对（无总量数据）")
    if not additive:
        return Decomposition(basis, False, "不可加总的指标无法核对")
    if not children:
        return Decomposition(basis, False, "没有构成上级全域的下级分组")
    missing = tuple(code for code, tiers in children.items() if tiers is None)
    if missing:
        return Decomposition(basis, False, "部分下级尚未设定目标", missing)
    if basis == "level":
        tiers = []
        for tier in ("floor", "stretch"):
            total = sum(t[tier] for t in children.values())
            gap = total - parent[tier]
            tiers.append(TierCheck(tier, parent[tier], total, gap, _adds_up(gap, down, tolerance)))
        return Decomposition(basis, True, tiers=tuple(tiers))
    no_base = tuple(code for code in children if last_year.get(code) is None or last_year[code] <= 0)
    if no_base:
        return Decomposition(basis, False, "部分下级缺少上年全年数据", no_base)
    base = parent_last_year if parent_last_year and parent_last_year > 0 else sum(last_year.values())
    tiers = []
    for tier in ("floor", "stretch"):
        reached = sum(last_year[code] * (1 + t[tier] / 100) for code, t in children.items())
        implied = (reached / base - 1) * 100
        gap = implied - parent[tier]
        tiers.append(TierCheck(tier, parent[tier], implied, gap, _adds_up(gap, down, tolerance)))
    return Decomposition(basis, True, tiers=tuple(tiers))
