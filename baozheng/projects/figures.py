"""County and leader figures of key projects, and the county rules (pure, no Django).

Input is a list of `ProjectFacts` (what one project looked like at the end of a month);
`baozheng.projects.facts` builds them from the database. Pages, the bulletin and the
tests all read the figures from here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from baozheng.projects.rules import (
    WAN_PER_YI,
    Alert,
    Month,
    Thresholds,
    investment_alert,
    percent,
    r1,
    start_alert,
    statistics_alert,
    time_progress,
    worst_level,
)

ONE_YI = WAN_PER_YI  # 1 亿元
FIVE_YI = 5 * WAN_PER_YI
TEN_YI = 10 * WAN_PER_YI


@dataclass
class ProjectFacts:
    id: int
    code: str
    name: str
    county_code: str
    county_name: str
    leader_key: str  # user id or display name: leaders without an account still count
    leader_name: str
    is_manufacturing: bool
    total_investment: Decimal
    plan_year: int | None
    annual_plan: Decimal | None
    invested_ytd: Decimal | None
    actual: dict[str, date | None]
    planned_start: date | None
    entered_statistics: date | None
    alerts: list[Alert] = field(default_factory=list)

    def reached(self, stage: str, as_of: date) -> bool:
        day = self.actual.get(stage)
        return day is not None and day <= as_of

    def reached_in_year(self, stage: str, month: Month) -> bool:
        day = self.actual.get(stage)
        return day is not None and day.year == month.year and day <= month.end

    @property
    def level(self) -> str | None:
        return worst_level(self.alerts)

    def completion(self) -> Decimal | None:
        return percent(self.invested_ytd or Decimal(0), self.annual_plan)


def evaluate(facts: ProjectFacts, month: Month, thresholds: Thresholds) -> list[Alert]:
    """Every warning of one project at `month`, worst first."""
    found = [
        investment_alert(month, facts.plan_year, facts.annual_plan, facts.invested_ytd, thresholds),
        start_alert(month, facts.planned_start, facts.actual.get("started"), thresholds),
        statistics_alert(month, facts.actual.get("started"), facts.entered_statistics, thresholds),
    ]
    alerts = [a for a in found if a is not None]
    return sorted(alerts, key=lambda a: a.level != "red")


@dataclass
class TwoYearRule:
    """Each county newly introduces (signs), within two years up to the period, at least
    one manufacturing project of ≥ 10 亿元 or two of ≥ 5 亿元 (以上 includes the bound)."""

    over_ten: int
    over_five: int

    @property
    def met(self) -> bool:
        return self.over_ten >= 1 or self.over_five >= 2

    @property
    def text(self) -> str:
        return f"10亿元以上制造业项目 {self.over_ten} 个，5亿元以上 {self.over_five} 个"


def two_year_window_start(month: Month) -> date:
    """First day of the 24 months ending with `month` (2023-06 → 2021-07-01)."""
    first = month.index - 23
    return date(first // 12, first % 12 + 1, 1)


def two_year_rule(projects: Iterable[ProjectFacts], month: Month) -> TwoYearRule:
    start, end = two_year_window_start(month), month.end
    signed = [
        p
        for p in projects
        if p.is_manufacturing and (d := p.actual.get("signed")) is not None and start <= d <= end
    ]
    return TwoYearRule(
        over_ten=sum(p.total_investment >= TEN_YI for p in signed),
        over_five=sum(p.total_investment >= FIVE_YI for p in signed),
    )


@dataclass
class GroupFigures:
    """Figures of a group of projects (a county or a leader's) at one month."""

    key: str
    name: str
    projects: int = 0
    signed_this_year: int = 0
    landed_this_year: int = 0
    started_this_year: int = 0
    producing_this_year: int = 0
    over_one_yi: int = 0
    over_ten_yi: int = 0
    total_investment: Decimal = Decimal(0)
    annual_plan: Decimal = Decimal(0)
    invested_ytd: Decimal = Decimal(0)
    signed: int = 0
    signed_and_started: int = 0
    yellow: int = 0
    red: int = 0
    completion: Decimal | None = None
    expected: Decimal = Decimal(0)
    start_rate: Decimal | None = None
    rank: int | None = None
    rule: TwoYearRule | None = None

    @property
    def gap(self) -> Decimal | None:
        """Completion minus time progress, in percentage points (negative = behind)."""
        return None if self.completion is None else self.completion - self.expected


def group_figures(key: str, name: str, projects: list[ProjectFacts], month: Month) -> GroupFigures:
    end = month.end
    g = GroupFigures(key=key, name=name, projects=len(projects), expected=time_progress(month))
    for p in projects:
        g.signed_this_year += p.reached_in_year("signed", month)
        g.landed_this_year += p.reached_in_year("landed", month)
        g.started_this_year += p.reached_in_year("started", month)
        g.producing_this_year += p.reached_in_year("producing", month)
        g.over_one_yi += p.total_investment >= ONE_YI
        g.over_ten_yi += p.total_investment >= TEN_YI
        g.total_investment += p.total_investment
        if p.plan_year == month.year and p.annual_plan:
            g.annual_plan += p.annual_plan
            g.invested_ytd += p.invested_ytd or Decimal(0)
        if p.reached("signed", end):
            g.signed += 1
            g.signed_and_started += p.reached("started", end)
        g.yellow += p.level == "yellow"
        g.red += p.level == "red"
    g.completion = percent(g.invested_ytd, g.annual_plan)
    g.start_rate = percent(Decimal(g.signed_and_started), Decimal(g.signed))
    return g


def _completion_key(g: GroupFigures) -> Decimal:
    """Highest printed completion first; only groups with a plan are sorted."""
    assert g.completion is not None
    return -r1(g.completion)


def rank_by_completion(groups: list[GroupFigures]) -> list[GroupFigures]:
    """Rank by investment completion (printed to one decimal, ties share the best rank);
    groups without a plan are not ranked and listed last, never silently ranked last."""
    ranked = sorted((g for g in groups if g.completion is not None), key=_completion_key)
    previous, rank = None, 0
    for position, g in enumerate(ranked, start=1):
        if g.completion != previous:
            rank, previous = position, g.completion
        g.rank = rank
    unranked = [g for g in groups if g.completion is None]
    return ranked + unranked


def county_figures(
    projects: list[ProjectFacts], counties: list[tuple[str, str]], month: Month
) -> list[GroupFigures]:
    """One row per county (code, name), ranked, with the two-year introduction rule."""
    by_county: dict[str, list[ProjectFacts]] = {code: [] for code, _ in counties}
    for p in projects:
        by_county.setdefault(p.county_code, []).append(p)
    rows = []
    for code, name in counties:
        row = group_figures(code, name, by_county[code], month)
        row.rule = two_year_rule(by_county[code], month)
        rows.append(row)
    return rank_by_completion(rows)


def leader_figures(projects: list[ProjectFacts], month: Month) -> list[GroupFigures]:
    by_leader: dict[str, list[ProjectFacts]] = {}
    names: dict[str, str] = {}
    for p in projects:
        if not p.leader_key:
            continue
        by_leader.setdefault(p.leader_key, []).append(p)
        names[p.leader_key] = p.leader_name
    rows = [group_figures(k, names[k], ps, month) for k, ps in by_leader.items()]
    return rank_by_completion(sorted(rows, key=lambda g: g.name))


def lagging(projects: list[ProjectFacts]) -> list[ProjectFacts]:
    """Projects with a warning, red first, then by county and code."""
    flagged = [p for p in projects if p.alerts]
    return sorted(flagged, key=lambda p: (p.level != "red", p.county_code, p.code))
