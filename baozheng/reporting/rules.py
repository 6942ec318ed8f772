"""Validation rules (校验规则): evaluated on save and submit in the entry grid, on
submission in the workflow, and for a whole period in the validation report.

Each rule compares figures of one unit and period (单月值 ≥ 0; 累计值 ≤ 上年同期 × k;
published growth consistent with value and last year's value within k points), or a
unit against its parent or its children (county ≤ city; Σ counties ≤ city, additive
indicators only). Errors block submission; warnings need a written explanation that the
approver sees beside the figure. Messages name the rule and the figures.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal

from baozheng.analysis.periods import Period, previous_release
from baozheng.lib.numbers import never_raises
from baozheng.org.models import PeerGroup, Unit
from baozheng.reporting.models import RuleKind, Severity, ValidationRule
from baozheng.stats.models import FINAL_STATUSES, Indicator, Kind, Observation


@dataclass(frozen=True)
class Violation:
    rule: ValidationRule
    indicator: Indicator
    unit: Unit
    message: str

    @property
    def is_error(self) -> bool:
        return self.rule.severity == Severity.ERROR

    @property
    def text(self) -> str:
        return f"【{self.rule.name}】{self.message}"


@never_raises
def _fig(number: Decimal | None) -> str:
    return "—" if number is None else f"{number.normalize():f}"


class Approved:
    """Approved (or locked) cumulative values, read once per (indicator, period) for all
    units, so that a whole period's report makes a few dozen queries, not thousands."""

    def __init__(self) -> None:
        self._values: dict[tuple[int, int, int], dict[int, Decimal | None]] = {}
        self._children: dict[int, list[int]] = {}

    def of(self, indicator: Indicator, unit_ids: list[int], period: Period) -> dict:
        key = (indicator.pk, period.year, period.month)
        if key not in self._values:
            self._values[key] = dict(
                Observation.objects.filter(
                    indicator=indicator,
                    year=period.year,
                    month=period.month,
                    status__in=FINAL_STATUSES,
                ).values_list("unit_id", "value")
            )
        values = self._values[key]
        return {u: values[u] for u in unit_ids if u in values}

    def children(self, unit: Unit) -> list[int]:
        """The members of the peer groups that partition `unit`."""
        if unit.pk not in self._children:
            groups = PeerGroup.objects.filter(parent=unit, partitions=True)
            self._children[unit.pk] = list(
                Unit.objects.filter(peer_group__in=groups).values_list("pk", flat=True)
            )
        return self._children[unit.pk]


def active_rules() -> list[ValidationRule]:
    return list(ValidationRule.objects.filter(active=True).order_by("code"))


def rules_for(indicator: Indicator, active: list[ValidationRule] | None = None) -> list:
    rules = active if active is not None else active_rules()
    return [r for r in rules if r.indicator_id in (None, indicator.pk) and _fits(r, indicator)]


def _fits(rule: ValidationRule, indicator: Indicator) -> bool:
    if indicator.kind == Kind.GROWTH:
        return False
    if rule.kind in (RuleKind.NOT_ABOVE_PARENT, RuleKind.CHILDREN_NOT_ABOVE):
        return indicator.additive
    if rule.kind == RuleKind.MONTH_NONNEGATIVE:
        return indicator.cumulative
    return True


def _check_one(
    rule: ValidationRule,
    indicator: Indicator,
    unit: Unit,
    period: Period,
    value: Decimal | None,
    growth: Decimal | None,
    approved: Approved,
) -> str:
    """The violation message of one rule, or ""."""
    if value is None:
        return ""
    k = rule.parameter
    if rule.kind == RuleKind.MONTH_NONNEGATIVE:
        prev = previous_release(period, indicator.frequency, indicator.merged_jan_feb)
        base = approved.of(indicator, [unit.pk], prev).get(unit.pk) if prev else Decimal(0)
        if base is not None and value < base:
            return f"本期累计值 {_fig(value)} 低于上期 {_fig(base)}，单月值为 {_fig(value - base)}"
        return ""
    last = approved.of(indicator, [unit.pk], Period(period.year - 1, period.month)).get(unit.pk)
    if rule.kind == RuleKind.MAX_RATIO_LAST_YEAR:
        if last is not None and k is not None and last > 0 and value > last * k:
            return f"本期累计值 {_fig(value)} 超过上年同期 {_fig(last)} 的 {_fig(k)} 倍"
        return ""
    if rule.kind == RuleKind.GROWTH_CONSISTENT:
        if growth is None or last is None or last <= 0 or k is None:
            return ""
        computed = (value / last - 1) * 100
        if abs(growth - computed) > k:
            return (
                f"同比增长 {_fig(growth)}% 与按累计值 {_fig(value)}、上年同期 {_fig(last)} "
                f"计算的 {computed:.1f}% 相差超过 {_fig(k)} 个百分点"
            )
        return ""
    if rule.kind == RuleKind.NOT_ABOVE_PARENT:
        if unit.parent_id is None:
            return ""
        above = approved.of(indicator, [unit.parent_id], period).get(unit.parent_id)
        if above is not None and value > above:
            return f"本单位累计值 {_fig(value)} 超过上级 {unit.parent.name} 的 {_fig(above)}"
        return ""
    if rule.kind == RuleKind.CHILDREN_NOT_ABOVE:
        values = approved.of(indicator, approved.children(unit), period)
        total = sum((v for v in values.values() if v is not None), Decimal(0))
        if values and total > value:
            return f"下级单位累计值之和 {_fig(total)} 超过本单位 {_fig(value)}"
        return ""
    return ""


def check(
    indicator: Indicator,
    unit: Unit,
    period: Period,
    value: Decimal | None,
    growth: Decimal | None,
    active: list[ValidationRule] | None = None,
    approved: Approved | None = None,
) -> list[Violation]:
    found = []
    approved = approved or Approved()
    for rule in rules_for(indicator, active):
        message = _check_one(rule, indicator, unit, period, value, growth, approved)
        if message:
            found.append(Violation(rule, indicator, unit, message))
    return found


def period_report(period: Period, units: list[Unit]) -> list[Violation]:
    """Every violation among the figures of `period` for these units: approved figures
    and those awaiting approval alike (the report is read before the release)."""
    found: list[Violation] = []
    active, approved = active_rules(), Approved()
    observations = Observation.objects.filter(
        year=period.year, month=period.month, unit__in=units
    ).select_related("indicator", "unit", "unit__parent")
    for obs in observations.order_by("unit__path", "indicator__order", "indicator__code"):
        if obs.is_pending:
            value, growth = obs.pending_value, obs.pending_growth
        else:
            value, growth = obs.value, obs.growth
        found.extend(check(obs.indicator, obs.unit, period, value, growth, active, approved))
    return found


# Rules the entry grid also runs in the browser (static/monitor/entry.js).
BROWSER_KINDS = (
    RuleKind.MONTH_NONNEGATIVE,
    RuleKind.MAX_RATIO_LAST_YEAR,
    RuleKind.GROWTH_CONSISTENT,
    RuleKind.NOT_ABOVE_PARENT,
)


def annotate_lines(lines: list, unit: Unit, period: Period) -> None:
    """Give each entry line its browser-checkable rules and the parent's approved value."""
    active = [r for r in ValidationRule.objects.filter(active=True) if r.kind in BROWSER_KINDS]
    parents: dict[int, Decimal | None] = {}
    if unit.parent_id is not None:
        parents = dict(
            Observation.objects.filter(
                unit_id=unit.parent_id,
                year=period.year,
                month=period.month,
                status__in=FINAL_STATUSES,
                indicator__in=[line.indicator for line in lines],
            ).values_list("indicator_id", "value")
        )
    for line in lines:
        indicator = line.indicator
        fitting = [
            {
                "name": r.name,
                "kind": r.kind,
                "k": float(r.parameter) if r.parameter is not None else None,
                "error": r.severity == Severity.ERROR,
            }
            for r in active
            if r.indicator_id in (None, indicator.pk) and _fits(r, indicator)
        ]
        line.rules_json = json.dumps(fitting, ensure_ascii=False)
        line.parent_value = parents.get(indicator.pk)
