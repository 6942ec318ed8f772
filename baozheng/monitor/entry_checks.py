"""The data-entry grid of one unit and period: which indicators a user enters, what they
are compared with, and the checks made while typing (static/monitor/entry.js runs the
same rules in the browser; the server runs them again on save).

Errors block saving: not a number, a growth at or below −100 %, a negative or fractional
count. Warnings ask the clerk to verify but do not block: growth moving more than the
indicator's `warn_growth_change_pp` from the previous release, a cumulative value falling
below the previous release's, a negative cumulative amount.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from baozheng.analysis.periods import Period, previous_release, released_indicators
from baozheng.org.models import Unit, User
from baozheng.org.permissions import for_department
from baozheng.reporting.obligations import obligations
from baozheng.stats.models import FINAL_STATUSES, Indicator, Kind, Observation, Status

# Above this a growth rate is a typing error (a value typed into the growth column).
MAX_GROWTH = Decimal(1000)
MAX_VALUE = Decimal(10) ** 15
EDITABLE = (Status.DRAFT, Status.RETURNED)


def parse_figure(text: str) -> Decimal | None:
    """A typed figure; thousands separators allowed, empty means not supplied."""
    cleaned = text.strip().replace(",", "").replace("，", "").replace("％", "").replace("%", "")
    if not cleaned:
        return None
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(f"“{text.strip()}”不是数字") from None
    if not number.is_finite():
        raise ValueError(f"“{text.strip()}”不是数字")
    return number


def growth_of(
    value: Decimal | None, published: Decimal | None, last: Decimal | None
) -> Decimal | None:
    """The growth shown beside an entry: the published one, else from the values."""
    if published is not None:
        return published
    if value is None or last is None or last <= 0:
        return None
    return (value / last - 1) * 100


@dataclass
class Checked:
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def check_figures(
    indicator: Indicator,
    value: Decimal | None,
    growth: Decimal | None,
    previous_value: Decimal | None,
    previous_growth: Decimal | None,
    last_year_value: Decimal | None,
) -> Checked:
    out = Checked()
    if value is not None:
        if indicator.kind == Kind.GROWTH:
            out.errors.append("增速类指标只填同比增长，不填累计值")
        elif abs(value) >= MAX_VALUE:
            out.errors.append("累计值超出范围，请检查计量单位")
        elif indicator.kind == Kind.COUNT and (value < 0 or value != value.to_integral_value()):
            out.errors.append("数量类指标应为非负整数")
        elif value < 0 and indicator.cumulative:
            out.warnings.append("累计值为负数，请核实")
    if growth is not None and indicator.kind == Kind.RATE:
        # A rate is entered as it stands; its change is worked out in points (docs/rules.md §3).
        out.errors.append("比率类指标只填当期比率，不填同比增长")
    elif growth is not None and (growth <= -100 or growth > MAX_GROWTH):
        out.errors.append("同比增长应大于 −100% 且不超过 1000%")
    if out.errors:
        return out
    if (
        value is not None
        and previous_value is not None
        and indicator.cumulative
        and indicator.kind != Kind.GROWTH
        and value < previous_value
    ):
        out.warnings.append(f"累计值低于上期（{previous_value.normalize():f}），请核实")
    current = growth_of(value, growth, last_year_value)
    threshold = indicator.warn_growth_change_pp
    if (
        indicator.kind != Kind.RATE
        and current is not None
        and previous_growth is not None
        and abs(current - previous_growth) > threshold
    ):
        out.warnings.append(
            f"增速较上期（{previous_growth:.1f}%）变化 {abs(current - previous_growth):.1f} 个百分点，"
            f"超过 {threshold.normalize():f} 个百分点，请核实"
        )
    return out


def indicators_for(user: User, period: Period, unit: Unit | None = None) -> list[Indicator]:
    """The indicators released at `period` that this user enters: department staff enter
    their own department's indicators, everyone else with the right all of them; for a
    unit, only those its report forms oblige it to report."""
    queryset = Indicator.objects.select_related("department")
    queryset = for_department(queryset, user, field="department")
    released = released_indicators(period, list(queryset))
    if unit is None:
        return released
    owed = obligations([unit], period, released)
    return [ind for ind in released if (ind.pk, unit.pk) in owed]


@dataclass
class EntryLine:
    indicator: Indicator
    observation: Observation | None
    previous_value: Decimal | None
    previous_growth: Decimal | None
    last_year_value: Decimal | None
    value_text: str = ""
    growth_text: str = ""
    checked: Checked = field(default_factory=Checked)
    deadline: date | None = None
    explanation: str = ""
    # The validation rules the browser runs while typing (JSON) and the parent's
    # approved value they compare with; the server runs every rule again.
    rules_json: str = "[]"
    parent_value: Decimal | None = None

    @property
    def editable(self) -> bool:
        return self.observation is None or self.observation.status in EDITABLE

    @property
    def status(self) -> str:
        return self.observation.status if self.observation else ""

    @property
    def status_label(self) -> str:
        return self.observation.get_status_display() if self.observation else "未填报"

    def current(self) -> tuple[Decimal | None, Decimal | None]:
        obs = self.observation
        if obs is None:
            return None, None
        if obs.status in FINAL_STATUSES:
            return obs.value, obs.growth
        return obs.pending_value, obs.pending_growth


def _text(number: Decimal | None) -> str:
    return "" if number is None else f"{number.normalize():f}"


def _approved(
    indicators: list[Indicator], unit: Unit, period: Period | None
) -> dict[int, Observation]:
    if period is None:
        return {}
    rows = Observation.objects.filter(
        indicator__in=indicators, unit=unit, year=period.year, month=period.month, has_approved=True
    )
    return {obs.indicator_id: obs for obs in rows}


def entry_lines(indicators: list[Indicator], unit: Unit, period: Period) -> list[EntryLine]:
    """One line per indicator with this period's figures and what they are compared with."""
    current = {
        obs.indicator_id: obs
        for obs in Observation.objects.filter(
            indicator__in=indicators, unit=unit, year=period.year, month=period.month
        )
    }
    last_year = _approved(indicators, unit, Period(period.year - 1, period.month))
    lines = []
    previous_periods = {
        i.pk: previous_release(period, i.frequency, i.merged_jan_feb) for i in indicators
    }
    previous: dict[tuple[int, int], dict[int, Observation]] = {}
    for prev in {p for p in previous_periods.values() if p is not None}:
        previous[(prev.year, prev.month)] = _approved(indicators, unit, prev)
        previous[(prev.year - 1, prev.month)] = _approved(
            indicators, unit, Period(prev.year - 1, prev.month)
        )
    for indicator in indicators:
        prev = previous_periods[indicator.pk]
        prev_obs = previous.get((prev.year, prev.month), {}).get(indicator.pk) if prev else None
        prev_last = (
            previous.get((prev.year - 1, prev.month), {}).get(indicator.pk) if prev else None
        )
        last_obs = last_year.get(indicator.pk)
        line = EntryLine(
            indicator=indicator,
            observation=current.get(indicator.pk),
            previous_value=prev_obs.value if prev_obs else None,
            previous_growth=growth_of(
                prev_obs.value, prev_obs.growth, prev_last.value if prev_last else None
            )
            if prev_obs
            else None,
            last_year_value=last_obs.value if last_obs else None,
        )
        value, growth = line.current()
        line.value_text, line.growth_text = _text(value), _text(growth)
        lines.append(line)
    return lines
