"""Key projects work like statistics periods: the office opens a reporting month for
progress reports and closes it; project pages (list, warnings, bulletin, 我的分包项目)
default to the last closed month, so one early report never switches anyone's month.
Before the office opens any month, the projects app keeps its own rule."""

from __future__ import annotations

from django.db import transaction

from baozheng.org.models import User
from baozheng.reporting.models import PeriodState, ProjectMonth
from baozheng.reporting.periods import _require_controller


def in_use() -> bool:
    return ProjectMonth.objects.exists()


def last_closed() -> tuple[int, int] | None:
    return (
        ProjectMonth.objects.filter(state=PeriodState.CLOSED)
        .order_by("-year", "-month")
        .values_list("year", "month")
        .first()
    )


def open_month() -> tuple[int, int] | None:
    return (
        ProjectMonth.objects.filter(state=PeriodState.OPEN)
        .order_by("-year", "-month")
        .values_list("year", "month")
        .first()
    )


def refusal(year: int, month: int) -> str:
    """Why a progress report for this month cannot be saved now, or ""."""
    if not in_use():
        return ""
    state = (
        ProjectMonth.objects.filter(year=year, month=month).values_list("state", flat=True).first()
    )
    if state == PeriodState.OPEN:
        return ""
    if state is None:
        return f"{year}年{month}月项目进展尚未开放填报"
    return f"{year}年{month}月项目进展填报已关闭，如需更正请联系调度办"


@transaction.atomic
def open_project_month(user: User, year: int, month: int) -> ProjectMonth:
    _require_controller(user)
    return ProjectMonth.open_month(user, year, month)


@transaction.atomic
def close_project_month(user: User, year: int, month: int) -> ProjectMonth:
    _require_controller(user)
    return ProjectMonth.close_month(user, year, month)
