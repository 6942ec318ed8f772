"""Demo reporting system on top of the demo statistics: who reports what (two forms),
the default validation rules, and the office's calendar — every period up to the
statistics' current one released (the current one with a stored snapshot), the next
one open for entry.

Forms follow the demo figures: counties report the indicators they have, functional
zones those marked for zones. The city's own figures are published by its statistics
bureau and imported (or derived from its counties), so the city owes no form; schools
and 中心校 owe nothing either. Idempotent.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from baozheng.analysis.periods import Period
from baozheng.org.models import Unit, UnitKind, User
from baozheng.org.roles import Role
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
                "deadline_kind": DeadlineKind.DAY,
                "deadline_value": 10,
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
    """A plausible release time: the day after the demo form's deadline, 10:00."""
    form = ReportForm(deadline_kind=DeadlineKind.DAY, deadline_value=15)
    return timezone.make_aware(datetime.combine(form_deadline(form, period), time(10)))


def create_periods() -> Period:
    """Every period of the demo statistics released, the current one with a snapshot;
    the next one open for entry, with three counties' figures submitted and the others late. Returns the open period."""
    year, month = stats_demo.CURRENT
    current = Period(year, month)
    for y in (year - 1, year):
        for m in range(1, 13):
            if (y, m) > (year, month):
                break
            if (y, m) == (year, month):
                continue
            when = _released_at(Period(y, m))
            ReportingPeriod.objects.get_or_create(
                year=y,
                month=m,
                defaults={
                    "state": PeriodState.RELEASED,
                    "opened_at": when,
                    "closed_at": when,
                    "released_at": when,
                },
            )
    if not Release.objects.filter(year=year, month=month).exists():
        release_period(None, current, Unit.objects.home(), "演示数据", documents_now=True)
    following = Period(year, month + 1) if month < 12 else Period(year + 1, 1)
    ReportingPeriod.objects.get_or_create(
        year=following.year,
        month=following.month,
        defaults={"state": PeriodState.OPEN, "opened_at": timezone.now()},
    )
    return following


# Counties that have already submitted the open period (the others are late).
EARLY_COUNTIES = ("411303", "411328", "411381")


def submit_early_counties(opened: Period) -> int:
    """A few counties' figures for the open period, submitted and waiting at the chain's
    first step: each a little above its previous release, growth carried over."""
    from baozheng.reporting.obligations import obligations

    units = list(Unit.objects.filter(code__in=EARLY_COUNTIES))
    owed = obligations(units, opened)
    if Observation.objects.filter(year=opened.year, month=opened.month).exists():
        return 0
    previous = {
        (o.indicator_id, o.unit_id): o
        for o in Observation.objects.filter(
            unit__in=units, year=opened.year, month__lt=opened.month, has_approved=True
        ).order_by("month")
    }
    now, created = timezone.now(), 0
    clerk = User.objects.filter(username="wolong").first()
    for indicator_id, unit_id in sorted(owed):
        before = previous.get((indicator_id, unit_id))
        if before is None:
            continue
        value = None
        if before.value is not None:
            step = Decimal(opened.month) / Decimal(opened.month - 1) if opened.month > 1 else 1
            value = (before.value * step).quantize(before.value)
        obs = Observation.objects.create(
            indicator_id=indicator_id,
            unit_id=unit_id,
            year=opened.year,
            month=opened.month,
            status=Status.SUBMITTED,
            pending_value=value,
            pending_growth=before.growth,
            source="演示数据",
        )
        ObservationRevision.objects.create(
            observation=obs,
            value=value,
            growth=before.growth,
            status=Status.SUBMITTED,
            source="演示数据",
            created_at=now,
            created_by=clerk if unit_id == getattr(clerk, "unit_id", None) else None,
        )
        created += 1
    return created


def create_project_months() -> int:
    """The demo projects' year closed month by month, January of the next year open."""
    from baozheng.projects import demo as projects_demo

    year = projects_demo.YEAR
    for month in range(1, 13):
        when = _released_at(Period(year, month))
        ProjectMonth.objects.get_or_create(
            year=year,
            month=month,
            defaults={"state": PeriodState.CLOSED, "opened_at": when, "closed_at": when},
        )
    ProjectMonth.objects.get_or_create(
        year=year + 1,
        month=1,
        defaults={"state": PeriodState.OPEN, "opened_at": timezone.now()},
    )
    return year


@transaction.atomic
def load(out: Callable[[str], None]) -> None:
    forms = create_forms()
    create_chains()
    rules = create_rules()
    opened = create_periods()
    submitted = submit_early_counties(opened)
    project_year = create_project_months()
    out(
        f"报表制度演示数据：{forms} 张报表（逐级审核：市主管部门 → 调度办），{rules} 条校验规则；"
        f"{stats_demo.CURRENT[0]}年1-{stats_demo.CURRENT[1]}月已发布，{opened.label}开放填报"
        f"（卧龙区、唐河县、邓州市已提交 {submitted} 项，其余县区逾期）；"
        f"重点项目进展已关闭至{project_year}年12月，{project_year + 1}年1月开放填报"
    )
