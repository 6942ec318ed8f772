"""Validation rules (校验规则): evaluated on save and submit in the entry grid, on
submission in the workflow, on import (`stats.imports.validation`, through `check_many`)
and for a whole period in the validation report.

Each rule compares figures of one unit and period (单月值 ≥ 0; 累计值 ≤ 上年同期 × k;
published growth consistent with value and last year's value within k points), or a
unit against its parent or its children (county ≤ city; Σ counties ≤ city, additive
indicators only). Errors block submission; warnings need a written explanation that the
approver sees beside the figure. Messages name the rule and the figures. Besides these
built-in kinds, the office writes expression rules (`left operator right`, the right side
read from the unit, its parent or the sum of its children; `reporting.expressions`).
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass
from decimal import Decimal

from baozheng.analysis.periods import Period, previous_release
from baozheng.lib.bounds import too_long
from baozheng.lib.numbers import never_raises
from baozheng.org.models import PeerGroup, Unit
from baozheng.reporting import expressions
from baozheng.reporting.models import RuleKind, RuleScope, Severity, ValidationRule
from baozheng.stats.models import (
    EXPLAINED_LENGTH,
    FINAL_STATUSES,
    Indicator,
    Kind,
    Observation,
)


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

    @property
    def located(self) -> str:
        """The text with the unit and indicator, for lists that mix many figures."""
        return f"{self.unit.name}“{self.indicator.name}”{self.text}"


WARNINGS_ROOM = 100  # of the revision reason, kept for the warnings before the explanation
# A clerk's explanation: what the explained warnings may take less WARNINGS_ROOM (300 - 100).
EXPLANATION_LIMIT = EXPLAINED_LENGTH - WARNINGS_ROOM


def explanation_problem(explanation: str) -> str:
    """The refusal of an explanation too long to be kept whole beside its warnings."""
    length = len(explanation.strip())
    return too_long("说明", EXPLANATION_LIMIT, length) if length > EXPLANATION_LIMIT else ""


def explained(warnings: list[Violation], explanation: str) -> str:
    """The reason kept in the submitted revision: the warnings and the written
    explanation, which the approval page shows beside the figure (填报说明). Only the
    warnings, which the rules write, are shortened to fit the column: the clerk's words
    (at most the `explanation_problem` limit) are kept whole."""
    if not warnings:
        return ""
    words = f"。说明：{explanation.strip()}"
    room = EXPLAINED_LENGTH - len(words)
    texts = "；".join(v.text for v in warnings)
    return (texts if len(texts) <= room else texts[: room - 1] + "…") + words


@never_raises
def _fig(number: Decimal | None) -> str:
    return "—" if number is None else f"{number.normalize():f}"


class Approved:
    """Approved (or locked) cumulative values, read once per (indicator, period) for all
    units, so that a whole period's report makes a few dozen queries, not thousands."""

    def __init__(self) -> None:
        self._values: dict[tuple[int, int, int], dict[int, Decimal | None]] = {}
        self._children: dict[int, list[int]] = {}
        self._children_read = False

    def _read(self, indicator: Indicator, period: Period) -> dict[int, Decimal | None]:
        key = (indicator.id, period.year, period.month)
        values = self._values.get(key)
        if values is None:
            values = self._values[key] = dict(
                Observation.objects.filter(
                    indicator=indicator,
                    year=period.year,
                    month=period.month,
                    status__in=FINAL_STATUSES,
                ).values_list("unit_id", "value")
            )
        return values

    def preload(self, indicator_ids: set[int], years: set[int]) -> None:
        """Read every approved value of these indicators in these years in one query
        (an import checks thousands of figures over a few indicators and years)."""
        for key in itertools.product(indicator_ids, years, range(1, 13)):
            self._values.setdefault(key, {})
        rows = Observation.objects.filter(
            indicator_id__in=indicator_ids, year__in=years, status__in=FINAL_STATUSES
        ).values_list("indicator_id", "year", "month", "unit_id", "value")
        for indicator_id, year, month, unit_id, value in rows.iterator(chunk_size=20_000):
            self._values[(indicator_id, year, month)][unit_id] = value

    def of(self, indicator: Indicator, unit_ids: list[int], period: Period) -> dict:
        values = self._read(indicator, period)
        return {u: values[u] for u in unit_ids if u in values}

    def one(self, indicator: Indicator, unit_id: int, period: Period) -> Decimal | None:
        return self._read(indicator, period).get(unit_id)

    def children(self, unit: Unit) -> list[int]:
        """The members of the peer groups that partition `unit` (every parent's members
        read in one query, the first time any is asked for)."""
        if not self._children_read:
            members = Unit.objects.filter(
                peer_group__in=PeerGroup.objects.filter(partitions=True)
            ).values_list("peer_group__parent_id", "pk")
            for parent_id, pk in members:
                self._children.setdefault(parent_id, []).append(pk)
            self._children_read = True
        return self._children.get(unit.pk, [])


def active_rules() -> list[ValidationRule]:
    return list(ValidationRule.objects.filter(active=True).order_by("code"))


def rules_for(indicator: Indicator, active: list[ValidationRule] | None = None) -> list:
    rules = active if active is not None else active_rules()
    return [r for r in rules if r.indicator_id in (None, indicator.pk) and _fits(r, indicator)]


def _fits(rule: ValidationRule, indicator: Indicator) -> bool:
    if rule.kind == RuleKind.EXPRESSION:
        return rule.scope != RuleScope.CHILDREN or indicator.additive
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
    if rule.kind == RuleKind.EXPRESSION:
        return _check_expression(rule, indicator, unit, period, value, growth, approved)
    if value is None:
        return ""
    k = rule.parameter
    if rule.kind == RuleKind.MONTH_NONNEGATIVE:
        prev = previous_release(period, indicator.frequency, indicator.merged_jan_feb)
        base = approved.one(indicator, unit.id, prev) if prev else Decimal(0)
        if base is not None and value < base:
            return f"本期累计值 {_fig(value)} 低于上期 {_fig(base)}，单月值为 {_fig(value - base)}"
        return ""
    last = approved.one(indicator, unit.id, Period(period.year - 1, period.month))
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
        above = approved.one(indicator, unit.parent_id, period)
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


def _approved_figures(
    names: frozenset[str], indicator: Indicator, unit_ids: list[int], period: Period, approved
) -> dict[str, Decimal | None]:
    """V, L, Vp, Lp of these units (summed over several), from approved figures; the
    previous release's figures are 0 at the first release (docs/rules.md §3.4)."""
    prev = previous_release(period, indicator.frequency, indicator.merged_jan_feb)
    at = {
        "V": period,
        "L": Period(period.year - 1, period.month),
        "Vp": prev,
        "Lp": Period(prev.year - 1, prev.month) if prev else None,
    }
    found: dict[str, Decimal | None] = {}
    for name in names & at.keys():
        when = at[name]
        if when is None:
            found[name] = Decimal(0)
            continue
        values = [v for v in approved.of(indicator, unit_ids, when).values() if v is not None]
        found[name] = sum(values, Decimal(0)) if values else None
    return found


def _check_expression(
    rule: ValidationRule,
    indicator: Indicator,
    unit: Unit,
    period: Period,
    value: Decimal | None,
    growth: Decimal | None,
    approved: Approved,
) -> str:
    """`left operator right`: the left side over the figure and the unit's approved
    figures, the right side over the unit, its parent or the sum of its children. Not
    applicable (no message) when a figure it needs is missing."""
    try:
        left, right = expressions.parse(rule.left), expressions.parse(rule.right)
    except expressions.ExpressionError:
        return ""  # refused when the rule is saved; an old malformed rule checks nothing
    own_names = left.names | (right.names if rule.scope == RuleScope.UNIT else frozenset())
    own = _approved_figures(own_names - {"V"}, indicator, [unit.pk], period, approved)
    own.update(V=value, G=growth)
    if rule.scope == RuleScope.UNIT:
        other = own
    elif rule.scope == RuleScope.PARENT:
        if unit.parent_id is None:
            return ""
        other = _approved_figures(right.names, indicator, [unit.parent_id], period, approved)
    else:
        children = approved.children(unit)
        if not children:
            return ""
        other = _approved_figures(right.names, indicator, children, period, approved)
    lhs, rhs = left.evaluate(own), right.evaluate(other)
    if lhs is None or rhs is None or expressions.holds(lhs, rule.operator, rhs):
        return ""
    symbol = expressions.OPERATORS[rule.operator]
    where = RuleScope(rule.scope).label
    text = f"{rule.left}（{_fig(round(lhs, 4))}）应 {symbol} {rule.right}（{where}：{_fig(round(rhs, 4))}）"
    return f"{rule.message}：{text}" if rule.message else text


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


@dataclass(frozen=True)
class Figures:
    """Figures about to be written, as a submission or an import row carries them."""

    indicator: Indicator
    unit: Unit
    period: Period
    value: Decimal | None
    growth: Decimal | None


def check_many(
    figures: list[Figures],
    approved: Approved | None = None,
    active: list[ValidationRule] | None = None,
) -> list[list[Violation]]:
    """The violations of each of `figures`, in order, evaluated in batch: the rules are
    read once, and the approved figures they compare with in one query for the figures'
    indicators and years (and the year before). A caller that checks in chunks may pass
    the same `approved`."""
    active = active_rules() if active is None else active
    approved = approved or Approved()
    if active and figures:
        years = {f.period.year for f in figures}
        approved.preload({f.indicator.id for f in figures}, years | {y - 1 for y in years})
    fitting: dict[int, list[ValidationRule]] = {}  # by indicator: the filter runs once each
    found = []
    for f in figures:
        rules = fitting.get(f.indicator.id)
        if rules is None:
            rules = fitting[f.indicator.id] = rules_for(f.indicator, active)
        found.append(
            [
                Violation(rule, f.indicator, f.unit, message)
                for rule in rules
                if (
                    message := _check_one(
                        rule, f.indicator, f.unit, f.period, f.value, f.growth, approved
                    )
                )
            ]
        )
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
