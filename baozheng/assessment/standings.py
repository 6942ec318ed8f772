"""Totals, ranks, tiers, year weighting and rank targets of an assessment, apart from Django.

Design notes:
- A total adds the item points as rounded (0.01), so the printed columns add up.
- An item excluded for a unit (missing data, rule `exclude`) is taken out of that unit's full
  score and the base items are scaled back to it (缺项按比例折算): total = Σbase × full / present.
  Bonus and penalty entries are added after scaling. A unit with every base item excluded has
  no total and no rank — never silently last.
- Totals are ranked with shared places (1, 2, 2, 4). Rank change = previous rank − this rank
  (positive = 进位), null when either is missing, as for indicator ranks (docs/rules.md §3).
- Rank targets ("全省保三争二抢第一"): lower is better; exceeds at or above the stretch place,
  on_track at the floor place, at_risk one place below it, off_track below that; the top
  place (抢) is shown, not evaluated — the same codes and colours as indicator targets.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from baozheng.assessment.methods import ZERO, SchemeError, Scored, points2, shared_ranks, to_decimal


@dataclass(frozen=True)
class ItemResult:
    """One item's full points, whether it counts towards the full score, and the unit's result."""

    full: Decimal
    in_base: bool
    scored: Scored


def unit_total(results: Sequence[ItemResult]) -> Decimal | None:
    base_full = sum((r.full for r in results if r.in_base), ZERO)
    present = [r for r in results if r.in_base and not r.scored.excluded]
    present_full = sum((r.full for r in present), ZERO)
    if base_full and not present_full:
        return None
    base = sum((r.scored.points for r in present if r.scored.points is not None), ZERO)
    if present_full and present_full != base_full:
        base = points2(base * base_full / present_full)
    adjustments = sum(
        (r.scored.points for r in results if not r.in_base and r.scored.points is not None), ZERO
    )
    return points2(base + adjustments)


def rank_totals(totals: Mapping[str, Decimal | None]) -> dict[str, int | None]:
    return shared_ranks(totals, 1)


def rank_change(previous: int | None, current: int | None) -> int | None:
    if previous is None or current is None:
        return None
    return previous - current


def parse_tiers(tiers: Any) -> list[tuple[str, int | None]]:
    """Tiers (方阵) by place: [{"label": "第一方阵", "max_rank": 4}, …, {"label": "第三方阵"}]."""
    if not isinstance(tiers, list):
        raise SchemeError("方阵设置应为列表")
    parsed: list[tuple[str, int | None]] = []
    last = 0
    for tier in tiers:
        if not isinstance(tier, dict) or not str(tier.get("label", "")).strip():
            raise SchemeError("每个方阵应有名称 label")
        bound = tier.get("max_rank")
        if bound is not None:
            if not isinstance(bound, int) or isinstance(bound, bool) or bound <= last:
                raise SchemeError("方阵的 max_rank 应为递增的正整数")
            last = bound
        elif tier is not tiers[-1]:
            raise SchemeError("只有最后一个方阵可以不设 max_rank")
        parsed.append((str(tier["label"]).strip(), bound))
    return parsed


def tier_for(rank: int | None, tiers: Sequence[tuple[str, int | None]]) -> str:
    if rank is None:
        return ""
    for label, bound in tiers:
        if bound is None or rank <= bound:
            return label
    return ""


def parse_parts(parts: Any) -> list[tuple[str, Decimal]]:
    """Year weighting: [{"scheme": "code", "weight": 10}, …]; this scheme's own items weigh the
    rest of 100. Weights are percent and must not exceed 100 together."""
    if not isinstance(parts, list):
        raise SchemeError("年度权重应为列表")
    parsed = []
    for part in parts:
        if not isinstance(part, dict) or not str(part.get("scheme", "")).strip():
            raise SchemeError("每个组成部分应指明方案编码 scheme")
        weight = to_decimal(part.get("weight"), "weight")
        if weight <= 0:
            raise SchemeError("权重应大于0")
        parsed.append((str(part["scheme"]).strip(), weight))
    if sum((w for _, w in parsed), ZERO) > 100:
        raise SchemeError("各部分权重之和不能超过100")
    return parsed


def combine_parts(
    parts: Sequence[tuple[Decimal, Decimal | None]], missing: str = "zero"
) -> Decimal | None:
    """Σ weight × part total / 100. A missing part counts 0 (`zero`) or is left out and the
    remaining weights scaled back to their sum (`exclude`)."""
    total_weight = sum((w for w, _ in parts), ZERO)
    present = [(w, t) for w, t in parts if t is not None]
    if not present:
        return None
    weighted = sum((w * t for w, t in present), ZERO) / 100
    if missing == "exclude":
        present_weight = sum((w for w, _ in present), ZERO)
        weighted = weighted * total_weight / present_weight
    return points2(weighted)


@dataclass(frozen=True)
class RankTarget:
    floor: int  # 保
    stretch: int  # 争
    top: int | None = None  # 抢, shown only

    def __post_init__(self) -> None:
        if self.floor < 1 or self.stretch < 1 or self.stretch > self.floor:
            raise SchemeError("位次目标应满足：争取名次不低于保底名次，且都从1开始")
        if self.top is not None and not 1 <= self.top <= self.stretch:
            raise SchemeError("抢先名次应不低于争取名次")

    @property
    def label(self) -> str:
        text = f"保{_place(self.floor)}争{_place(self.stretch)}"
        return text + (f"抢{_place(self.top)}" if self.top else "")


_CN = "一二三四五六七八九十"


def _place(rank: int) -> str:
    if rank == 1:
        return "第一"
    return _CN[rank - 1] if rank <= 10 else str(rank)


def rank_target_status(rank: int | None, target: RankTarget | None) -> str:
    if target is None:
        return "no_target"
    if rank is None:
        return "no_data"
    if rank <= target.stretch:
        return "exceeds"
    if rank <= target.floor:
        return "on_track"
    if rank == target.floor + 1:
        return "at_risk"
    return "off_track"


@dataclass(frozen=True)
class RowChange:
    unit: str
    old_total: Decimal | None
    new_total: Decimal | None
    old_rank: int | None
    new_rank: int | None
    items: tuple[tuple[str, Decimal | None, Decimal | None], ...]


def diff_rows(
    old: Mapping[str, tuple[Decimal | None, int | None, Mapping[str, Decimal | None]]],
    new: Mapping[str, tuple[Decimal | None, int | None, Mapping[str, Decimal | None]]],
) -> list[RowChange]:
    """What a recomputation changed: per unit (total, rank, {item: points}) old vs new; units
    that appear or vanish are changes too. Unchanged units are left out."""
    changes = []
    empty: tuple[None, None, dict] = (None, None, {})
    for unit in sorted(set(old) | set(new)):
        o_total, o_rank, o_items = old.get(unit, empty)
        n_total, n_rank, n_items = new.get(unit, empty)
        items = tuple(
            (key, o_items.get(key), n_items.get(key))
            for key in sorted(set(o_items) | set(n_items))
            if o_items.get(key) != n_items.get(key)
        )
        if unit not in old or unit not in new or o_total != n_total or o_rank != n_rank or items:
            changes.append(RowChange(unit, o_total, n_total, o_rank, n_rank, items))
    return changes
