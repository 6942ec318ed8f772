"""The headline of one unit at one period: the few indicators that decide the year, in
figures and in words, what changed since the previous release, who is behind, what the
rest of the year must deliver, and the red tasks and lagging projects.

Every figure comes from the statistics core's bulletin (through `monitor.report`, so it is
cached per data version and filtered to the viewer's scope); this module only picks and
words them. A viewer whose top unit is a ranked county but who may not see the city gets
the county's own view: its rows read from the city's bulletin (so its rank among peers is
right) with every other county's row filtered out by scope.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import QuerySet

from baozheng.analysis.periods import Period, latest_release, previous_release
from baozheng.headline import words
from baozheng.headline.models import HeadlineIndicator
from baozheng.monitor.context import default_period
from baozheng.monitor.labels import WARNING_STATUSES
from baozheng.monitor.report import Records, Report, Row, load_report
from baozheng.org.models import PeerGroup, Unit, UnitKind
from baozheng.org.permissions import in_scope
from baozheng.stats.models import Indicator
from baozheng.stats.released import released_periods

AREA_WORDS = {
    UnitKind.COUNTRY: "全国",
    UnitKind.PROVINCE: "全省",
    UnitKind.CITY: "全市",
    UnitKind.COUNTY: "全县",
    UnitKind.COUNTY_CITY: "全市",
    UnitKind.DISTRICT: "全区",
}
TOP_ITEMS = 5
MAX_CHANGES = 6


def headline_period(unit: Unit) -> Period | None:
    """The period the headline opens on: the monitor pages' default, i.e. the latest
    released period (before the office releases any, the newest month with approved
    figures), so that a clerk's early figure never moves what a leader sees."""
    return default_period(unit, released_periods())


def area_word(unit: Unit | None) -> str:
    """How a rank among the children of `unit` is said: 全省第1, 全市第3."""
    if unit is None:
        return ""
    return AREA_WORDS.get(unit.kind, unit.name)


def headline_indicators() -> list[Indicator]:
    return [
        h.indicator
        for h in HeadlineIndicator.objects.select_related("indicator", "indicator__department")
    ]


def own_row_mode(viewer: Any, unit: Unit) -> bool:
    """A unit with nothing ranked below it (a county), ranked among peers under a parent
    the viewer may not see, is read from its parent's bulletin (for its rank, every other
    row filtered out by scope). A unit with ranked children reads its own bulletin, whose
    parent row carries its rank among its own peers."""
    if not unit.peer_group_id or not unit.parent_id or in_scope(viewer, unit.parent):
        return False
    return not PeerGroup.objects.filter(parent=unit).exists()


@dataclass
class Behind:
    row: Row
    figure: str  # "4.5%" or "完成62.0%"


@dataclass
class Line:
    indicator: Indicator
    period: Period
    row: Row | None
    sentence: str
    required: str
    behind: list[Behind] = field(default_factory=list)
    moves: list[str] = field(default_factory=list)

    @property
    def status(self) -> str:
        return self.row.status if self.row else "no_data"


@dataclass
class Headline:
    unit: Unit
    period: Period
    area: str  # the word for the unit's own rank
    child_area: str  # the word for its children's ranks
    lines: list[Line]
    reports: dict[str, Report]  # by period code, for the map
    own_row: bool  # `own_row_mode`: the unit's own row read from its parent's bulletin
    changes: list[str] = field(default_factory=list)
    red_tasks: list = field(default_factory=list)
    lagging: list = field(default_factory=list)

    def line(self, code: str) -> Line | None:
        return next((line for line in self.lines if line.indicator.code == code), None)


class _Reports:
    """Each needed bulletin once: one per indicator calendar (quarterly GDP at 1-9月 and
    monthly 社零 at 1-9月 share one; the previous releases differ)."""

    def __init__(self, viewer: Any, unit: Unit) -> None:
        self.viewer, self.unit = viewer, unit
        self.own_row = own_row_mode(viewer, unit)
        self.parent = unit.parent if self.own_row else unit
        self.cache: dict[str, Report] = {}
        self.records = Records()

    def at(self, period: Period) -> Report:
        if period.code not in self.cache:
            self.cache[period.code] = load_report(
                period, self.parent, self.viewer, records=self.records
            )
        return self.cache[period.code]

    def unit_row(self, report: Report, indicator: Indicator) -> Row | None:
        if self.own_row:
            return next((r for r in report.child_rows(indicator) if r.unit == self.unit), None)
        return report.parent_row(indicator)

    def children(self, report: Report, indicator: Indicator) -> list[Row]:
        return [] if self.own_row else report.child_rows(indicator)


def _figure(row: Row) -> str:
    if row.data.get("target_basis") == "level" and row.data.get("completion_pct") is not None:
        return f"完成{words.pct(row.completion_pct)}%"
    growth = row.data.get("growth")
    return f"{words.pct(growth)}%" if growth is not None else "无数据"


def _severity(row: Row) -> tuple:
    gap = row.floor_gap
    return (WARNING_STATUSES.index(row.status), gap if gap is not None else 0, row.unit.path)


def build(viewer: Any, unit: Unit, period: Period, indicators: list[Indicator]) -> Headline:
    reports = _Reports(viewer, unit)
    area = area_word(unit.parent) if unit.parent_id else ""
    child_area = area_word(unit)
    lines: list[Line] = []
    changes: list[str] = []
    for indicator in indicators:
        released = latest_release(period, indicator.frequency, indicator.merged_jan_feb)
        if released is None:
            continue
        report = reports.at(released)
        row = reports.unit_row(report, indicator)
        children = reports.children(report, indicator)
        line = Line(
            indicator,
            released,
            row,
            words.headline_sentence(
                row.data if row else None, released.label, indicator.measure, area
            ),
            words.required_phrase(row.data) if row else "",
            [
                Behind(child, _figure(child))
                for child in sorted((c for c in children if c.is_warning), key=_severity)
            ],
        )
        before = previous_release(released, indicator.frequency, indicator.merged_jan_feb)
        if row is not None:
            line.moves = _moves(reports, before, indicator, row, children, area)
            changes += [f"{indicator.name}：{move}" for move in line.moves]
        lines.append(line)
    return Headline(
        unit,
        period,
        area,
        child_area,
        lines,
        reports.cache,
        reports.own_row,
        changes[:MAX_CHANGES],
    )


def _moves(
    reports: _Reports,
    before: Period | None,
    indicator: Indicator,
    row: Row,
    children: list[Row],
    area: str,
) -> list[str]:
    """Rank and status moves since the previous release: the unit's own first, then the
    children whose light changed, worsening first."""
    moves = []
    if rank := words.rank_move(row.data.get("rank_change"), area):
        moves.append(rank)
    if before is None:
        return moves
    old = reports.at(before)
    previous = reports.unit_row(old, indicator)
    if previous is not None and (move := words.status_move(previous.status, row.status)):
        moves.append(move)
    earlier = {r.unit.code: r.status for r in reports.children(old, indicator)}
    child_moves = [
        (words.is_worse(earlier.get(c.unit.code), c.status), c.unit.display_name, move)
        for c in children
        if (move := words.status_move(earlier.get(c.unit.code), c.status))
    ]
    child_moves.sort(key=lambda item: not item[0])
    moves += [f"{name} {move}" for _, name, move in child_moves]
    return moves


def red_tasks(tasks: QuerySet, today: date) -> list:
    """The open tasks past their deadline, the longest overdue first. For an open task
    (opened or in progress) `tasks.services.colour` is red exactly when the deadline has
    passed, so the database answers without working days being counted task by task."""
    from baozheng.tasks.models import OPEN_STATUSES

    overdue = tasks.filter(status__in=OPEN_STATUSES, deadline__lt=today)
    return list(overdue.select_related("lead_unit").order_by("deadline", "pk")[:TOP_ITEMS])


def lagging_projects(projects: QuerySet) -> list:
    """Projects with a red warning at the reporting month, then yellow."""
    from baozheng.projects.facts import load_facts, reporting_month
    from baozheng.projects.figures import lagging

    return lagging(load_facts(projects, reporting_month()))[:TOP_ITEMS]
