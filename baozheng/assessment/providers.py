"""Providers that read figures from the other parts of the product.

Every app is always installed, so all of them are registered at start-up (`register_all`,
called from the app's `ready()`); each calls that app's public function — the assessment never recomputes a growth, a completion, a start rate or a
satisfaction rate itself:

- `indicator`          → `baozheng.stats.bulletin.bulletin_json(period, parent)` rows
                         (growth, completion_pct, value, or the status as a level 3/2/1/0);
- `project_figure`     → `baozheng.projects.bulletin.build(projects, counties, month)` county rows;
- `task_on_time`       → `baozheng.tasks.services.closed_on_time(task)` for each task a unit led
                         and closed in the year up to the period's end (the rate is their share);
- `task_notice`        → `baozheng.tasks.notice.unit_figures(codes, start, end)` (督查通报 counts);
- `accountability`     → `baozheng.tasks.accountability.unit_counts(codes, start, end, kind)`;
- `enterprise_request` → `baozheng.tasks.figures.figures_by(requests, by)` rates;
- `contest_rollup`     → `baozheng.contest.figures.contest_rollup(contest, "county")`.

One computation may ask the same owner several times (several items on one bulletin);
`sources.shared_read` keeps one answer per computation.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from baozheng.assessment.periods import AssessmentPeriod
from baozheng.assessment.sources import Source, decimal_or_none, register, shared_read
from baozheng.org.models import Unit

Figures = dict[str, Decimal | None]

# The status of a target as a number, so that tier and linear methods can score it:
# full points at 3 (超额), a share at 2 (达标) …  None for no_data / no_target.
STATUS_LEVELS = {
    "exceeds": Decimal(3),
    "on_track": Decimal(2),
    "at_risk": Decimal(1),
    "off_track": Decimal(0),
}
# A rate (城镇调查失业率) has no growth: score it by its value or its change in points.
INDICATOR_METRICS = ("growth", "completion_pct", "value", "change_pp", "status_level")
PROJECT_FIGURES = (
    "start_rate",
    "completion",
    "gap",
    "signed_this_year",
    "landed_this_year",
    "started_this_year",
    "producing_this_year",
    "projects",
    "over_1_yi",
    "over_10_yi",
)
REQUEST_FIGURES = ("on_time_rate", "first_feedback_rate", "satisfaction_rate", "resolution_rate")
NOTICE_FIGURES = ("due", "on_time", "late", "overdue", "red", "reopened")
CONTEST_FIGURES = ("participation_rate", "mean_score", "prizes_per_hundred")


def period_end(period: AssessmentPeriod) -> date:
    return date(period.year, period.month, calendar.monthrange(period.year, period.month)[1])


def _parents(unit_codes: Sequence[str]) -> list[Unit]:
    return list(Unit.objects.filter(children__code__in=unit_codes).distinct())


def _indicator(
    unit_codes: Sequence[str], period: AssessmentPeriod, params: Mapping[str, Any]
) -> Figures:
    from baozheng.stats.bulletin import bulletin_json

    metric = params.get("metric", "growth")
    wanted = set(unit_codes)
    found: Figures = {}
    for parent in _parents(unit_codes):
        data = shared_read(
            ("stats", period.key, parent.code), lambda p=parent: bulletin_json(period.key, p)
        )
        for row in data["rows"]:
            if row["indicator"] != params["indicator"] or row["unit"] not in wanted:
                continue
            if metric == "status_level":
                found[row["unit"]] = STATUS_LEVELS.get(row.get("status") or "")
            else:
                found[row["unit"]] = decimal_or_none(row.get(metric))
    return found


def _project_figure(
    unit_codes: Sequence[str], period: AssessmentPeriod, params: Mapping[str, Any]
) -> Figures:
    from baozheng.projects.bulletin import build
    from baozheng.projects.models import Project
    from baozheng.projects.rules import Month

    category = params.get("category", "")
    projects = Project.objects.filter(category=category) if category else Project.objects.all()
    counties = list(Unit.objects.filter(code__in=unit_codes).order_by("code"))
    data = shared_read(
        ("projects", period.key, category, tuple(sorted(unit_codes))),
        lambda: build(projects, counties, Month(period.year, period.month)),
    )
    return {row["code"]: decimal_or_none(row.get(params["figure"])) for row in data["counties"]}


def _task_on_time(
    unit_codes: Sequence[str], period: AssessmentPeriod, params: Mapping[str, Any]
) -> Figures:
    from baozheng.tasks.models import Status, Task
    from baozheng.tasks.services import closed_on_time

    tasks = Task.objects.filter(
        lead_unit__code__in=unit_codes,
        status=Status.CLOSED,
        reported_on__year=period.year,
        reported_on__lte=period_end(period),
    )
    counts: dict[str, list[int]] = {}
    for task in tasks.select_related("lead_unit"):
        on_time = closed_on_time(task)
        if on_time is None:
            continue
        tally = counts.setdefault(task.lead_unit.code, [0, 0])
        tally[0] += on_time
        tally[1] += 1
    return {code: Decimal(100) * hit / total for code, (hit, total) in counts.items()}


def _task_notice(
    unit_codes: Sequence[str], period: AssessmentPeriod, params: Mapping[str, Any]
) -> Figures:
    from baozheng.tasks.notice import unit_figures

    start = date(period.year, 1, 1)
    found = unit_figures(unit_codes, start, period_end(period))
    return {code: Decimal(row[params["figure"]]) for code, row in found.items()}


def _accountability(
    unit_codes: Sequence[str], period: AssessmentPeriod, params: Mapping[str, Any]
) -> Figures:
    from baozheng.tasks.accountability import unit_counts

    start = date(period.year, 1, 1)
    found = unit_counts(unit_codes, start, period_end(period), params.get("kind", ""))
    return {code: Decimal(n) for code, n in found.items()}


def _enterprise_request(
    unit_codes: Sequence[str], period: AssessmentPeriod, params: Mapping[str, Any]
) -> Figures:
    from baozheng.tasks.figures import figures_by
    from baozheng.tasks.models import ServiceRequest

    units = list(Unit.objects.filter(code__in=unit_codes))
    by = "department" if units and all(u.kind == "department" for u in units) else "county"
    requests = ServiceRequest.objects.filter(
        received_on__year=period.year, received_on__lte=period_end(period)
    )
    rows = shared_read(("requests", period.key, by), lambda: figures_by(requests, by))
    by_name = {row.name: row for row in rows}  # the owner groups by display name
    return {
        u.code: decimal_or_none(getattr(by_name[u.display_name], params["figure"]))
        for u in units
        if u.display_name in by_name
    }


def _contest_rollup(
    unit_codes: Sequence[str], period: AssessmentPeriod, params: Mapping[str, Any]
) -> Figures:
    from baozheng.contest.figures import contest_rollup
    from baozheng.contest.models import Contest

    contests = Contest.objects.filter(starts__lte=period_end(period))
    contest = (
        contests.filter(code=params["contest"])
        if params.get("contest")
        else contests.order_by("-starts")
    ).first()
    if contest is None:
        return {}
    rows = shared_read(("contest", contest.pk), lambda: contest_rollup(contest, "county"))
    wanted = set(unit_codes)
    return {
        row.unit: decimal_or_none(getattr(row, params["figure"]))
        for row in rows
        if row.unit in wanted
    }


def register_all() -> list[str]:
    """Register every provider; return their keys."""
    sources = [
        Source(
            "indicator",
            "统计指标",
            "stats",
            _indicator,
            ("indicator",),
            '{"indicator":"A01","metric":"growth"}；metric 可选 growth（增速）、completion_pct（目标完成率）、'
            "value（累计值；比率类指标为当期比率）、change_pp（比率类指标比上年同期变化，百分点）、"
            "status_level（亮灯等级：超额3、达标2、预警1、落后0）",
            {"metric": INDICATOR_METRICS},
        ),
        Source(
            "project_figure",
            "重点项目",
            "projects",
            _project_figure,
            ("figure",),
            '{"figure":"start_rate","category":"batch"}；figure 可选 start_rate（签约项目开工率）、completion（投资完成率）、'
            "gap（完成率减时序进度）、signed_this_year、landed_this_year、started_this_year、producing_this_year 等；"
            "category 可选 batch（三个一批）、provincial、city，缺省为全部",
            {"figure": PROJECT_FIGURES, "category": ("", "batch", "provincial", "city")},
        ),
        Source(
            "task_on_time",
            "督办事项按期办结率",
            "tasks",
            _task_on_time,
            (),
            "{}：本年截至期末牵头办结的督办事项中按期办结的比例（%）",
        ),
        Source(
            "task_notice",
            "督查通报",
            "tasks",
            _task_notice,
            ("figure",),
            '{"figure":"overdue"}；本年截至期末的督查通报数（项/次）；figure 可选 due（到期事项）、'
            "on_time（按期反馈）、late（超期反馈）、overdue（期末超期未办结）、red（红灯升级）、reopened（退回重办）",
            {"figure": NOTICE_FIGURES},
        ),
        Source(
            "accountability",
            "追责记录",
            "tasks",
            _accountability,
            (),
            '{"kind":"talk"}；本年截至期末被追责的次数；kind 可选 talk（约谈）、criticism（通报批评）、'
            "accountability（问责），缺省为全部",
            {"kind": ("", "talk", "criticism", "accountability")},
        ),
        Source(
            "enterprise_request",
            "企业诉求",
            "tasks",
            _enterprise_request,
            ("figure",),
            '{"figure":"satisfaction_rate"}；figure 可选 satisfaction_rate（满意率）、on_time_rate（按期办结率）、'
            "first_feedback_rate（首次反馈及时率）、resolution_rate（解决率）",
            {"figure": REQUEST_FIGURES},
        ),
        Source(
            "contest_rollup",
            "教师教学大比武",
            "contest",
            _contest_rollup,
            ("figure",),
            '{"figure":"prizes_per_hundred","contest":"编码（可省略，取期末前最近一届）"}；figure 可选 '
            "participation_rate（参赛率）、mean_score（平均分）、prizes_per_hundred（每百名教师获奖数）",
            {"figure": CONTEST_FIGURES},
        ),
    ]
    for source in sources:
        register(source)
    return [source.key for source in sources]
