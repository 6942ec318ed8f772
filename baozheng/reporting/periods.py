"""The office controls the period: statistics staff open it for entry, close it (late
figures only through a correction request) and release it (发布).

Period control starts with the first period the office opens: before that every period
accepts entry, as in an installation that has not adopted the reporting calendar yet.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction

from baozheng.analysis.periods import Period
from baozheng.org.models import User
from baozheng.org.roles import Role
from baozheng.reporting.models import PeriodError as PeriodError  # the steps' refusal
from baozheng.reporting.models import PeriodState, ReportingPeriod

# Statistics staff see unreleased periods (marked 未发布); the office controls periods.
STATISTICS_STAFF = (Role.ADMIN, Role.DISPATCH, Role.DEPARTMENT)
PERIOD_CONTROLLERS = (Role.ADMIN, Role.DISPATCH)


def is_statistics_staff(user) -> bool:
    return getattr(user, "is_authenticated", False) and user.role in STATISTICS_STAFF


def may_control_periods(user) -> bool:
    return getattr(user, "is_authenticated", False) and user.role in PERIOD_CONTROLLERS


def state_of(period: Period) -> str | None:
    return (
        ReportingPeriod.objects.filter(year=period.year, month=period.month)
        .values_list("state", flat=True)
        .first()
    )


def entry_refusal(year: int, month: int) -> str:
    """Why figures for this period cannot be entered or submitted now, or ""."""
    if not ReportingPeriod.objects.exists():
        return ""
    state = state_of(Period(year, month))
    label = Period(year, month).label
    if state == PeriodState.OPEN:
        return ""
    if state is None:
        return f"{label}尚未开放填报"
    return f"{label}{PeriodState(state).label}，迟报或更正数据请提交更正申请"


def open_periods() -> list[Period]:
    return [
        Period(y, m)
        for y, m in ReportingPeriod.objects.filter(state=PeriodState.OPEN).values_list(
            "year", "month"
        )
    ]


def _require_controller(user: User) -> None:
    if not may_control_periods(user):
        raise PermissionDenied("只有统计工作人员（调度办、管理员）可以开放、关闭或发布报告期")


@transaction.atomic
def open_period(user: User, period: Period) -> ReportingPeriod:
    _require_controller(user)
    return ReportingPeriod.open_month(user, period.year, period.month)


@transaction.atomic
def close_period(user: User, period: Period) -> ReportingPeriod:
    _require_controller(user)
    return ReportingPeriod.close_month(user, period.year, period.month)
