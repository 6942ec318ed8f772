"""What contest staff may set up, and when a setting can no longer change.

Raw score sheets are the source of truth and every result is recomputed from them with the
contest's rules and rubric (`standings`). Changing the trimmed-mean threshold, the group
weights, the prize quotas or a rubric after the first sheet would therefore silently change
results already announced on the spot, so those settings lock at the first submitted sheet
(for a rubric: the first sheet of a division using it). Once results are frozen into the
snapshot, nothing of the contest's setup changes any more.

The value checks at the top are pure (no database) so that they are tested directly.
"""

from __future__ import annotations

from decimal import Decimal

from baozheng.contest.models import Contest, Division, Rubric, ScoreSheet
from baozheng.contest.scoring import is_frozen

FROZEN = "成绩已定档：定档后的成绩不可修改，赛事设置也随之锁定，不能再修改。"
RULES_LOCKED = (
    "本赛事已有评委提交评分表，评分规则（去掉最高最低分的人数、评委组权重、奖项比例）不能再修改："
    "成绩始终按原始评分表和规则重新计算，改规则会使已当场公布的成绩随之改变。"
)
RUBRIC_LOCKED = (
    "使用该评分标准的组别已有评委提交评分表，评分项不能再修改："
    "已提交的评分表按这些评分项打分，改动满分或评分项会使评分表失效。"
)
DIVISION_LOCKED = "该组别已有评委提交评分表，不能再修改其阶段、学科、学段或评分标准。"
SESSION_LOCKED = "该场次已有评委提交评分表，不能再改变其组别。"

HUNDRED = Decimal(100)


def weight_errors(frontline_pct: Decimal, researcher_pct: Decimal) -> list[str]:
    """The two judge groups' weights, in percent, must add up to exactly 100 %."""
    if frontline_pct + researcher_pct != HUNDRED:
        return [f"一线教师与教研员权重之和必须为 100%（现为 {frontline_pct + researcher_pct}%）"]
    return []


def quota_errors(first: Decimal, second: Decimal, third: Decimal) -> list[str]:
    """Prize quotas in percent: each within 0–100, fewer higher prizes than lower ones
    (一等奖 ≤ 二等奖 ≤ 三等奖), and together at most every contestant."""
    errors = [
        f"{label}比例必须在 0 到 100 之间"
        for label, value in (("一等奖", first), ("二等奖", second), ("三等奖", third))
        if not 0 <= value <= HUNDRED
    ]
    if not first <= second <= third:
        errors.append("奖项比例应逐级递增：一等奖 ≤ 二等奖 ≤ 三等奖")
    if first + second + third > HUNDRED:
        errors.append(f"三个奖项比例之和不能超过 100%（现为 {first + second + third}%）")
    return errors


def step_error(max_points: Decimal, step: Decimal) -> str:
    """A rubric item's maximum must be positive and a whole number of steps, so that the
    judge's page can offer every score from 0 to the maximum."""
    if max_points <= 0:
        return "满分必须大于 0"
    if step <= 0:
        return "最小分值单位必须大于 0"
    if max_points % step:
        return f"满分 {max_points} 不是最小分值单位 {step} 的整数倍"
    return ""


def frozen_reason(contest: Contest) -> str:
    return FROZEN if is_frozen(contest) else ""


def rules_lock_reason(contest: Contest) -> str:
    if is_frozen(contest):
        return FROZEN
    if ScoreSheet.objects.filter(contestant__contest=contest).exists():
        return RULES_LOCKED
    return ""


def rubric_lock_reason(rubric: Rubric) -> str:
    if is_frozen(rubric.contest):
        return FROZEN
    if ScoreSheet.objects.filter(session__division__rubric=rubric).exists():
        return RUBRIC_LOCKED
    return ""


def division_lock_reason(division: Division) -> str:
    if is_frozen(division.contest):
        return FROZEN
    if ScoreSheet.objects.filter(contestant__division=division).exists():
        return DIVISION_LOCKED
    return ""
