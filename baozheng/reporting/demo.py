"""Demo reporting system on top of the demo statistics: who reports what (two forms),
the default validation rules, and the office's calendar on the demo's timeline
(`baozheng.org.timeline`) — every period up to the released one released (that one with
a stored snapshot), the open one open for entry with three counties submitted and the
others late once the form's deadline (3 working days after the period) has passed.

Forms follow the demo figures: counties report the indicators they have, functional
zones those marked for zones. The city's own figures are published by its statistics
bureau and imported (or derived from its counties), so the city owes no form; schools
and 中心校 owe nothing either. Idempotent.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from baozheng.analysis.periods import Period
from baozheng.lib import saved
from baozheng.org.demo import one_load
from baozheng.org.models import Unit, UnitKind, User
from baozheng.org.roles import Role
from baozheng.org.timeline import Timeline
from baozheng.org.timeline import of as timeline_of
from baozheng.reporting.models import (
    DeadlineKind,
    FormAssignment,
    FormStep,
    PeriodState,
    ProjectMonth,
    Release,
    ReportForm,
    ReportingPeriod,
    RuleKind,
    Severity,
    ValidationRule,
)
from baozheng.reporting.obligations import form_deadline
from baozheng.reporting.releases import release_period
from baozheng.stats import demo as stats_demo
from baozheng.stats.models import Indicator, Observation, ObservationRevision, Status

COUNTY_KINDS = ",".join(sorted([UnitKind.DISTRICT, UnitKind.COUNTY, UnitKind.COUNTY_CITY]))

RULES = [
    (
        "R01",
        "单月值不得为负（本期累计值不低于上期）",
        RuleKind.MONTH_NONNEGATIVE,
        None,
        Severity.ERROR,
    ),
    ("R02", "累计值不超过上年同期的3倍", RuleKind.MAX_RATIO_LAST_YEAR, "3", Severity.WARNING),
    (
        "R03",
        "同比增速与累计值、上年同期值相符（0.1个百分点内）",
        RuleKind.GROWTH_CONSISTENT,
        "0.1",
        Severity.WARNING,
    ),
    ("R04", "县（市、区）累计值不超过全市", RuleKind.NOT_ABOVE_PARENT, None, Severity.ERROR),
    (
        "R05",
        "各县（市、区）累计值之和不超过全市（可加指标）",
        RuleKind.CHILDREN_NOT_ABOVE,
        None,
        Severity.WARNING,
    ),
]


# County figures are due on the 3rd working day after the month (the demo's forms).
DEADLINE_WORKDAYS = 3


def create_forms() -> int:
    """The two demo forms and their assignments; returns the number of forms."""
    city = Unit.objects.get(code=stats_demo.CITY)
    by_code = {i.code: i for i in Indicator.objects.filter(is_demo=True)}
    specs = [s for s in stats_demo.SPECS if s.code in by_code]
    forms = [
        (
            "B101",
            "县（市、区）主要经济指标月报",
            [s.code for s in specs if s.counties],
            COUNTY_KINDS,
        ),
        ("B102", "功能区主要经济指标月报", [s.code for s in specs if s.zones], UnitKind.ZONE.value),
    ]
    for order, (code, name, indicators, kinds) in enumerate(forms, start=1):
        form, _ = ReportForm.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "deadline_kind": DeadlineKind.WORKDAYS,
                "deadline_value": DEADLINE_WORKDAYS,
                "order": order,
                "is_demo": True,
            },
        )
        form.indicators.set([by_code[c] for c in indicators])
        FormAssignment.objects.get_or_create(form=form, unit=city, kinds=kinds)
    return len(forms)


CHAIN = [("市主管部门审核", Role.DEPARTMENT), ("调度办审核", Role.DISPATCH)]


def create_chains() -> None:
    """县区填报 → 市主管部门审核 → 调度办审核 on every demo form."""
    for form in ReportForm.objects.filter(is_demo=True):
        for order, (name, role) in enumerate(CHAIN, start=1):
            FormStep.objects.update_or_create(
                form=form, order=order, defaults={"name": name, "role": role}
            )


def create_rules() -> int:
    for code, name, kind, parameter, severity in RULES:
        ValidationRule.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "kind": kind,
                "parameter": Decimal(parameter) if parameter else None,
                "severity": severity,
                "is_demo": True,
            },
        )
    return len(RULES)


def _released_at(period: Period) -> datetime:
    """A plausible release time: the 15th of the month after the period (or the next
    working day), 10:00."""
    form = ReportForm(deadline_kind=DeadlineKind.DAY, deadline_value=15)
    return timezone.make_aware(datetime.combine(form_deadline(form, period), time(10)))


def _opened_at(period: Period) -> datetime:
    """The office opens a period on the first working day after it ends, 9:00."""
    form = ReportForm(deadline_kind=DeadlineKind.WORKDAYS, deadline_value=1)
    return timezone.make_aware(datetime.combine(form_deadline(form, period), time(9)))


def create_periods(line: Timeline) -> Period:
    """Every period of the demo statistics released up to the timeline's released one
    (that one with a snapshot); the timeline's open period open for entry. Returns it."""
    current = line.released
    stored = set(ReportingPeriod.objects.values_list("year", "month"))
    new = []  # written together, each as its own save would (`lib.saved.create`)
    for y in (current.year - 1, current.year):
        for m in range(1, 13):
            if (y, m) >= (current.year, current.month):
                break
            if (y, m) in stored:
                continue
            when = _released_at(Period(y, m))
            new.append(
                ReportingPeriod(
                    year=y,
                    month=m,
                    state=PeriodState.RELEASED,
                    opened_at=_opened_at(Period(y, m)),
                    closed_at=when,
                    released_at=when,
                )
            )
    saved.create(ReportingPeriod, new)
    if not Release.objects.filter(year=current.year, month=current.month).exists():
        release = release_period(None, current, Unit.objects.home(), "演示数据", documents_now=True)
        when = _released_at(current)
        Release.objects.filter(pk=release.pk).update(released_at=when)
        ReportingPeriod.objects.filter(year=current.year, month=current.month).update(
            opened_at=_opened_at(current), closed_at=when, released_at=when
        )
    ReportingPeriod.objects.get_or_create(
        year=line.open.year,
        month=line.open.month,
        defaults={"state": PeriodState.OPEN, "opened_at": _opened_at(line.open)},
    )
    return line.open


# Counties that have already submitted the open period (the others are late).
EARLY_COUNTIES = ("411303", "411328", "411381")


def _early_figures(
    obs_before: Observation | None, last_year: Observation | None, month: int
) -> tuple[Decimal | None, Decimal | None] | None:
    """(value, growth) of an early county's figure: a little above its previous release
    with the growth carried over; in a new year, last year's same period grown by it."""
    if obs_before is not None:
        value = None
        if obs_before.value is not None:
            step = Decimal(month) / Decimal(obs_before.month)
            value = (obs_before.value * step).quantize(obs_before.value)
        return value, obs_before.growth
    if last_year is None:
        return None
    growth = last_year.growth
    value = None
    if last_year.value is not None and growth is not None:
        value = (last_year.value * (1 + growth / 100)).quantize(last_year.value)
    return value, growth


def submit_early_counties(opened: Period, at: datetime) -> int:
    """A few counties' figures for the open period, submitted at `at` and waiting at the
    chain's first step."""
    from baozheng.reporting.obligations import obligations

    units = list(Unit.objects.filter(code__in=EARLY_COUNTIES))
    by_pk = {unit.pk: unit for unit in units}
    owed = obligations(units, opened)
    if Observation.objects.filter(year=opened.year, month=opened.month).exists():
        return 0
    approved = Observation.objects.filter(unit__in=units, has_approved=True)
    previous = {
        (o.indicator_id, o.unit_id): o
        for o in approved.filter(year=opened.year, month__lt=opened.month).order_by("month")
    }
    last_year = {
        (o.indicator_id, o.unit_id): o
        for o in approved.filter(year=opened.year - 1, month=opened.month)
    }
    clerk = User.objects.filter(username="wolong").first()
    figures = []
    for key in sorted(owed):
        found = _early_figures(previous.get(key), last_year.get(key), opened.month)
        if found is not None:
            figures.append((key, *found))
    # Written together, each as its own save would (`lib.saved.create`): their audit
    # entries in the same order, their revisions after them.
    observations = [
        Observation(
            indicator_id=indicator_id,
            unit=by_pk[unit_id],  # held: its audit entry's unit without a query each
            year=opened.year,
            month=opened.month,
            status=Status.SUBMITTED,
            pending_value=value,
            pending_growth=growth,
            source="演示数据",
        )
        for (indicator_id, unit_id), value, growth in figures
    ]
    saved.create(Observation, observations)
    saved.create(
        ObservationRevision,
        [
            ObservationRevision(
                observation=obs,
                value=obs.pending_value,
                growth=obs.pending_growth,
                status=Status.SUBMITTED,
                source="演示数据",
                created_at=at,
                created_by=clerk if obs.unit_id == getattr(clerk, "unit_id", None) else None,
            )
            for obs in observations
        ],
    )
    return len(observations)


def create_project_months(line: Timeline) -> None:
    """The demo projects' months closed through the released period, the open period's
    month open for progress reports."""
    released = line.released
    for month in range(1, released.month + 1):
        when = _released_at(Period(released.year, month))
        ProjectMonth.objects.get_or_create(
            year=released.year,
            month=month,
            defaults={"state": PeriodState.CLOSED, "opened_at": when, "closed_at": when},
        )
    ProjectMonth.objects.get_or_create(
        year=line.open.year,
        month=line.open.month,
        defaults={"state": PeriodState.OPEN, "opened_at": _opened_at(line.open)},
    )


def open_period_status(line: Timeline) -> str:
    """Who has submitted the open period and whether the others are late on the anchor."""
    form = ReportForm.objects.filter(code="B101").first() or ReportForm(
        deadline_kind=DeadlineKind.WORKDAYS, deadline_value=DEADLINE_WORKDAYS
    )
    deadline = form_deadline(form, line.open)
    others = "其余县区已逾期" if line.anchor > deadline else "其余县区尚未到截止日"
    return f"截止 {deadline:%Y-%m-%d}，卧龙区、唐河县、邓州市已提交，{others}"


@one_load()
def load(out: Callable[[str], None], as_of: date | None = None) -> None:
    line = timeline_of(as_of)
    forms = create_forms()
    create_chains()
    rules = create_rules()
    opened = create_periods(line)
    anchor = timezone.make_aware(datetime.combine(line.anchor, time(9)))
    submitted = submit_early_counties(opened, min(_opened_at(opened) + timedelta(days=1), anchor))
    create_project_months(line)
    out(
        f"报表制度演示数据：{forms} 张报表（期后第{DEADLINE_WORKDAYS}个工作日截止，"
        f"逐级审核：市主管部门 → 调度办），{rules} 条校验规则；"
        f"{line.released.label}已发布，{opened.label}开放填报（{open_period_status(line)}，"
        f"已提交 {submitted} 项）；重点项目进展已关闭至{line.released.year}年"
        f"{line.released.month}月，{line.open.year}年{line.open.month}月开放填报"
    )
