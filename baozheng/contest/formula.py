"""The score formula (评分公式), versioned — pure Python, no Django.

Raw judges' sheets are the source of truth; every figure here is recomputed from them.

Formula version "2022.1" (shown on every results page):

1. A sheet's total is the exact sum of its item points (items have half-point or whole steps,
   so the sum is exact).
2. Per judge group (一线教师 frontline, 教研员 researcher): the mean of the group's sheet totals;
   when the group has at least `trim_threshold` sheets (default 5), the highest and the lowest
   one are dropped first (去掉一个最高分和一个最低分).
3. The final score is Σ weight × group mean over the groups present, divided by the sum of the
   weights of the groups present (frontline 70 %, researchers 30 % by default — the source interviews'
   rule). If a group has no sheet, the remaining groups carry the score alone, so a missing
   researcher never halves a result.
4. Arithmetic is Decimal throughout with 28 significant digits; only the final score is
   rounded, half-up, to two decimals (`quantize(Decimal("0.01"), ROUND_HALF_UP)`). Group
   means are shown rounded the same way but enter step 3 unrounded.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

VERSION = "2022.1"
FRONTLINE = "frontline"
RESEARCHER = "researcher"
GROUP_LABELS = {FRONTLINE: "一线教师", RESEARCHER: "教研员"}
CENT = Decimal("0.01")


def half_up(value: Decimal, step: Decimal = CENT) -> Decimal:
    return value.quantize(step, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Rules:
    trim_threshold: int = 5
    weights: Mapping[str, Decimal] = field(
        default_factory=lambda: {FRONTLINE: Decimal("0.7"), RESEARCHER: Decimal("0.3")}
    )
    version: str = VERSION


@dataclass(frozen=True)
class GroupScore:
    group: str
    count: int
    trimmed: bool
    mean: Decimal  # unrounded


@dataclass(frozen=True)
class Score:
    final: Decimal | None  # rounded to 0.01; None before any sheet
    groups: dict[str, GroupScore]
    sheets: int

    def group_mean(self, group: str) -> Decimal:
        found = self.groups.get(group)
        return found.mean if found else Decimal(0)


def group_mean(totals: Sequence[Decimal], trim_threshold: int) -> tuple[Decimal, bool]:
    values = sorted(totals)
    trimmed = len(values) >= trim_threshold and len(values) >= 3
    if trimmed:
        values = values[1:-1]
    return sum(values, Decimal(0)) / len(values), trimmed


def score(sheets: Iterable[tuple[str, Decimal]], rules: Rules = Rules()) -> Score:
    """`sheets` are (judge group, sheet total) pairs for one contestant."""
    by_group: dict[str, list[Decimal]] = {}
    count = 0
    for group, total in sheets:
        by_group.setdefault(group, []).append(total)
        count += 1
    groups: dict[str, GroupScore] = {}
    weighted = Decimal(0)
    weight_sum = Decimal(0)
    for group, totals in sorted(by_group.items()):
        mean, trimmed = group_mean(totals, rules.trim_threshold)
        groups[group] = GroupScore(group, len(totals), trimmed, mean)
        weight = rules.weights.get(group, Decimal(0))
        weighted += weight * mean
        weight_sum += weight
    final = half_up(weighted / weight_sum) if weight_sum else None
    return Score(final, groups, count)


@dataclass(frozen=True)
class VenueNormalisation:
    venue: str
    count: int
    mean: Decimal
    stdev: Decimal
    reported: bool  # False when the sample is below the minimum: no z-scores then
    z_scores: dict[str, Decimal]


def normalisation_report(
    finals_by_venue: Mapping[str, Mapping[str, Decimal]], min_sample: int = 10
) -> list[VenueNormalisation]:
    """Per venue: mean, population standard deviation and each contestant's z-score.

    A report for the organisers to judge whether venues scored alike. It never changes a
    score: results always come from `score` alone."""
    report = []
    for venue, finals in sorted(finals_by_venue.items()):
        values = list(finals.values())
        n = len(values)
        mean = sum(values, Decimal(0)) / n if n else Decimal(0)
        variance = sum(((v - mean) ** 2 for v in values), Decimal(0)) / n if n else Decimal(0)
        stdev = variance.sqrt()
        reported = n >= min_sample and stdev > 0
        z = {key: half_up((v - mean) / stdev) for key, v in finals.items()} if reported else {}
        report.append(VenueNormalisation(venue, n, half_up(mean), half_up(stdev), reported, z))
    return report
