"""The periods page (报告期): statistics staff open, close and release periods; everyone
sees which period is open for entry and which are released, with their versions. Also
the validation report of one period (校验报告)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from baozheng.analysis.periods import Period
from baozheng.monitor.context import default_parent
from baozheng.monitor.progress import collection_period, reporting_units
from baozheng.org.models import Unit
from baozheng.org.permissions import check, require, scope_q
from baozheng.org.roles import Cap
from baozheng.reporting import rules
from baozheng.reporting.models import PeriodState, ProjectMonth, Release, ReportingPeriod
from baozheng.reporting.periods import (
    PeriodError,
    close_period,
    is_statistics_staff,
    may_control_periods,
    open_period,
)
from baozheng.reporting.project_months import close_project_month, open_project_month
from baozheng.reporting.releases import release_period
from baozheng.workcal.calendar import warnings_for, watched_years


def _period(text: str | None) -> Period:
    try:
        return Period.parse(text or "")
    except ValueError as error:
        raise Http404(str(error)) from error


def _calendar_warnings(rows: list[ReportingPeriod]) -> list[str]:
    """Warnings for the years in which the open periods' deadlines fall (the month after
    the period) and for this year (and next, from November)."""
    years = [r.year + (r.month == 12) for r in rows if r.state == PeriodState.OPEN]
    return warnings_for(years + watched_years())


@require(Cap.VIEW)
def periods_page(request: HttpRequest) -> HttpResponse:
    rows = list(ReportingPeriod.objects.all()[:36])
    releases = Release.objects.filter(scope_q(request.user, "parent")).select_related("parent")
    by_period: dict[tuple[int, int], list[Release]] = {}
    for release in releases.defer("data", "xlsx", "docx").order_by("parent__path", "-version"):
        by_period.setdefault((release.year, release.month), []).append(release)
    for row in rows:
        row.period = Period(row.year, row.month)
        row.release_list = by_period.get((row.year, row.month), [])
    return render(
        request,
        "reporting/periods.html",
        {
            "calendar_warnings": _calendar_warnings(rows),
            "rows": rows,
            "may_control": may_control_periods(request.user),
            "is_staff": is_statistics_staff(request.user),
            "suggested": collection_period(reporting_units(request.user)),
            "home": default_parent(request.user),
            "project_months": ProjectMonth.objects.all()[:24],
        },
    )


@require(Cap.VIEW)
@require_POST
def period_action(request: HttpRequest) -> HttpResponse:
    if not may_control_periods(request.user):
        raise PermissionDenied("只有统计工作人员（调度办、管理员）可以开放、关闭或发布报告期")
    period = _period(request.POST.get("period"))
    action = request.POST.get("action")
    try:
        if action == "open":
            open_period(request.user, period)
            messages.success(request, f"已开放{period.label}数据填报")
        elif action == "close":
            close_period(request.user, period)
            messages.success(request, f"已关闭{period.label}，迟报数据须提交更正申请")
        elif action == "project_open":
            open_project_month(request.user, period.year, period.month)
            messages.success(request, f"已开放{period.year}年{period.month}月项目进展填报")
        elif action == "project_close":
            close_project_month(request.user, period.year, period.month)
            messages.success(
                request, f"已关闭{period.year}年{period.month}月项目进展填报，项目页面默认显示该月"
            )
        elif action == "release":
            code = request.POST.get("parent", "")
            parent = Unit.objects.filter(code=code).first() if code else Unit.objects.home()
            if parent is None:
                raise Http404("未找到该单位")
            check(request.user, Cap.VIEW, parent)
            release = release_period(request.user, period, parent, request.POST.get("note", ""))
            messages.success(
                request, f"已发布{parent.name}{period.label}通报（第{release.version}版）"
            )
        else:
            messages.error(request, "未知的操作")
    except PeriodError as error:
        messages.error(request, str(error))
    return redirect(reverse("reporting-periods"))


@require(Cap.VIEW)
def validation_report(request: HttpRequest) -> HttpResponse:
    """Every rule violation among a period's figures in the user's scope."""
    if not is_statistics_staff(request.user):
        raise PermissionDenied("校验报告仅供统计工作人员查看")
    text = request.GET.get("period")
    period = _period(text) if text else collection_period(reporting_units(request.user))
    units = list(Unit.objects.filter(scope_q(request.user)))
    found = rules.period_report(period, units)
    return render(
        request,
        "reporting/validation.html",
        {
            "period": period,
            "violations": found,
            "errors": sum(v.is_error for v in found),
        },
    )
