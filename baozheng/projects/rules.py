"""The rules of key-project tracking (docs/rules.md §5), as pure functions without Django.

Everything here works on plain values (dates, Decimals, small dataclasses) so that every
rule and every boundary is tested without a database, and so that the pages, the warnings
list, the bulletin and the demo all ask the same function the same question.

Published practice behind the defaults (cities' published 重点项目 "红黄灯" 通报, docs/rules.md §5):
- investment behind time progress (m/12 of the annual plan) by 10–30 points → yellow, by
  more than 30 → red;
- planned start month passed without a start → yellow, three months passed → red;
- started but not yet reported into the statistics system (入统/纳统) for one month →
  yellow, two months → red.
"""

from __future__ import annotations

from calendar import monthrange
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from baozheng.analysis.periods import Period

YELLOW = "yellow"
RED = "red"
LEVEL_LABELS = {YELLOW: "黄灯", RED: "红灯"}
LEVEL_ORDER = {RED: 2, YELLOW: 1}

RULE_INVESTMENT = "investment"
RULE_START = "start"
RULE_STATISTICS = "statistics"
RULE_LABELS = {
    RULE_INVESTMENT: "投资完成滞后于时序进度",
    RULE_START: "计划开工月份已过未开工",
    RULE_STATISTICS: "已开工未入统",
}

# Stage ladder: 签约 → 落地 → 开工 → 投产 → 达效 (早落地、早开工、早投产、早达效).
STAGES: tuple[tuple[str, str], ...] = (
    ("signed", "签约"),
    ("landed", "落地"),
    ("started", "开工"),
    ("producing", "投产"),
    ("at_capacity", "达效"),
)
STAGE_KEYS = tuple(key for key, _ in STAGES)
STAGE_LABELS = dict(STAGES)

WAN_PER_YI = Decimal(10000)  # amounts are stored in 万元; 1 亿元 = 10,000 万元
ONE_TENTH = Decimal("0.1")


# ---------------------------------------------------------------- periods and percentages


@dataclass(frozen=True, order=True)
class Month:
    """A reporting month; project progress is reported per calendar month."""

    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12:
            raise ValueError(f"月份“{self.month}”应在 1 到 12 之间")

    @property
    def index(self) -> int:
        return self.year * 12 + self.month - 1

    @property
    def end(self) -> date:
        """The month's last day, from the calendar: not the day before the next month's
        first, which does not exist after December of the last year a date can hold (9999,
        which the period parser accepts)."""
        return date(self.year, self.month, monthrange(self.year, self.month)[1])

    def next(self) -> Month:
        return Month(self.year + (self.month == 12), self.month % 12 + 1)

    def previous(self) -> Month:
        return Month(self.year - (self.month == 1), (self.month - 2) % 12 + 1)

    @classmethod
    def of(cls, day: date) -> Month:
        return cls(day.year, day.month)

    def __str__(self) -> str:
        return f"{self.year}-{self.month:02d}"

    @property
    def label(self) -> str:
        return f"{self.year}年{self.month}月"

    @property
    def span_label(self) -> str:
        return f"{self.year}年1-{self.month}月" if self.month > 1 else f"{self.year}年1月"


def parse_month(text: str) -> Month:
    """ "2023-06" or "2023年1-6月" → Month(2023, 6), read by the analysis engine's one parser."""
    period = Period.parse(text)
    return Month(period.year, period.month)


def months_between(earlier: Month, later: Month) -> int:
    return later.index - earlier.index


def r1(value: Decimal) -> Decimal:
    """Half-up (四舍五入) to one decimal, as official tables print percentages.
    Amounts are Decimals, so there is no float noise to remove first."""
    return value.quantize(ONE_TENTH, rounding=ROUND_HALF_UP)


def percent(part: Decimal, whole: Decimal | None) -> Decimal | None:
    """part / whole · 100 rounded to one decimal; None when whole is missing or not positive."""
    if whole is None or whole <= 0:
        return None
    return r1(part * 100 / whole)


def time_progress(month: Month) -> Decimal:
    """时序进度 at month m: m/12, in percent (June → 50.0)."""
    return r1(Decimal(month.month) * 100 / 12)


# ---------------------------------------------------------------- warnings


@dataclass(frozen=True)
class Thresholds:
    """Where yellow and red begin; defaults from published practice (module docstring)."""

    investment_yellow_points: Decimal = Decimal(10)
    investment_red_points: Decimal = Decimal(30)
    start_yellow_months: int = 1
    start_red_months: int = 3
    statistics_yellow_months: int = 1
    statistics_red_months: int = 2


@dataclass(frozen=True)
class Alert:
    rule: str
    level: str
    message: str

    @property
    def rule_label(self) -> str:
        return RULE_LABELS[self.rule]

    @property
    def level_label(self) -> str:
        return LEVEL_LABELS[self.level]


def investment_alert(
    month: Month,
    plan_year: int | None,
    annual_plan: Decimal | None,
    invested_ytd: Decimal | None,
    thresholds: Thresholds,
) -> Alert | None:
    """Behind time progress by `yellow` to `red` points (inclusive) → yellow; more → red.
    The gap is taken between the two figures as printed (one decimal), so that the
    warning agrees with the numbers shown beside it. No plan for this year → no warning."""
    if plan_year != month.year or annual_plan is None or annual_plan <= 0:
        return None
    completion = percent(invested_ytd or Decimal(0), annual_plan)
    assert completion is not None  # the plan is positive (checked above)
    expected = time_progress(month)
    gap = expected - completion
    if gap > r1(thresholds.investment_red_points):
        level = RED
    elif gap >= r1(thresholds.investment_yellow_points):
        level = YELLOW
    else:
        return None
    return Alert(
        RULE_INVESTMENT, level, f"投资完成 {completion}%，时序进度 {expected}%，落后 {gap} 个百分点"
    )


def start_alert(
    month: Month, planned_start: date | None, actual_start: date | None, thresholds: Thresholds
) -> Alert | None:
    """The planned start month has passed (as of the end of `month`) without a start."""
    if planned_start is None or (actual_start is not None and actual_start <= month.end):
        return None
    overdue = months_between(Month.of(planned_start), month)
    if overdue >= thresholds.start_red_months:
        level = RED
    elif overdue >= thresholds.start_yellow_months:
        level = YELLOW
    else:
        return None
    return Alert(
        RULE_START, level, f"计划 {Month.of(planned_start).label}开工，已过 {overdue} 个月仍未开工"
    )


def statistics_alert(
    month: Month, actual_start: date | None, entered_statistics: date | None, thresholds: Thresholds
) -> Alert | None:
    """Started, but not reported into the statistics system (入统) for N months."""
    if actual_start is None or actual_start > month.end:
        return None
    if entered_statistics is not None and entered_statistics <= month.end:
        return None
    waiting = months_between(Month.of(actual_start), month)
    if waiting >= thresholds.statistics_red_months:
        level = RED
    elif waiting >= thresholds.statistics_yellow_months:
        level = YELLOW
    else:
        return None
    return Alert(
        RULE_STATISTICS, level, f"{Month.of(actual_start).label}开工，已 {waiting} 个月未入统"
    )


def worst_level(alerts: list[Alert]) -> str | None:
    if not alerts:
        return None
    return max(alerts, key=lambda a: LEVEL_ORDER[a.level]).level


# ---------------------------------------------------------------- stage ladder


@dataclass(frozen=True)
class StageDates:
    planned: date | None = None
    actual: date | None = None
    reason: str = ""


def stage_problems(stages: dict[str, StageDates], today: date) -> dict[str, str]:
    """Problems of a project's stage ladder, by stage key, in Chinese.

    A stage may not be reached while an earlier one is not (skipping), nor be dated
    (planned or actual) before the previous stage, unless that stage records a reason
    (e.g. 技改项目无需签约). An actual date cannot lie in the future."""
    problems: dict[str, str] = {}
    previous_key: str | None = None
    for key in STAGE_KEYS:
        current = stages.get(key, StageDates())
        label = STAGE_LABELS[key]
        if current.actual and current.actual > today:
            problems[key] = f"{label}的实际日期不能晚于今天"
            previous_key = key
            continue
        if previous_key is not None and not current.reason.strip():
            before = stages.get(previous_key, StageDates())
            prev_label = STAGE_LABELS[previous_key]
            if current.actual and not before.actual:
                problems[key] = f"尚未{prev_label}不能直接{label}（如确需跳过，请填写说明）"
            elif current.actual and before.actual and current.actual < before.actual:
                problems[key] = f"{label}日期早于{prev_label}日期（如属实，请填写说明）"
            elif current.planned and before.planned and current.planned < before.planned:
                problems[key] = f"计划{label}日期早于计划{prev_label}日期（如属实，请填写说明）"
        previous_key = key
    return problems


def current_stage(actual_dates: dict[str, date | None], as_of: date) -> str | None:
    """The furthest stage reached by `as_of`, or None before signing."""
    reached = [key for key in STAGE_KEYS if (d := actual_dates.get(key)) and d <= as_of]
    return reached[-1] if reached else None


# ---------------------------------------------------------------- monthly progress


def cumulative_problem(
    cumulative: Decimal,
    previous_cumulative: Decimal | None,
    next_cumulative: Decimal | None,
    correction_reason: str,
) -> str | None:
    """This year's cumulative investment never falls below last month's (nor rises above
    next month's already reported figure) unless a correction reason is recorded."""
    if cumulative < 0:
        return "累计完成投资不能为负"
    if correction_reason.strip():
        return None
    if previous_cumulative is not None and cumulative < previous_cumulative:
        return f"本年累计 {cumulative} 万元低于上月累计 {previous_cumulative} 万元，如为更正请填写更正原因"
    if next_cumulative is not None and cumulative > next_cumulative:
        return f"本年累计 {cumulative} 万元高于下月已报累计 {next_cumulative} 万元，如为更正请填写更正原因"
    return None
