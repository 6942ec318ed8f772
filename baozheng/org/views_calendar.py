"""工作日历 page: each year's holiday state, the entered days, and the administrator's
confirmation that a year the packaged calendar does not know is complete. It lives in
`org` because the calendar app stands below the permissions it needs."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from baozheng.lib.bounds import ENTERED_YEARS, overlong, parse_year
from baozheng.org.permissions import require
from baozheng.org.roles import Cap
from baozheng.workcal import calendar
from baozheng.workcal.models import CalendarDay, CalendarYear


def _years(today) -> list[int]:
    """Last year to next year, plus every year with entries or a confirmation."""
    years = set(range(today.year - 1, today.year + 2))
    years |= {d.year for d in CalendarDay.objects.dates("date", "year")}
    years |= set(CalendarYear.objects.values_list("year", flat=True))
    return sorted(years)


def _row(year: int) -> dict:
    confirmation = CalendarYear.objects.filter(year=year).select_related("confirmed_by").first()
    if calendar.package_covers(year):
        basis = "chinesecalendar 内置的国务院办公厅通知"
    elif confirmation:
        basis = f"管理员确认：{confirmation.notice}"
    else:
        basis = "周末 + 已录入的节假日/调休"
    return {
        "year": year,
        "state": calendar.year_state(year),
        "basis": basis,
        "confirmation": confirmation,
        "days": list(CalendarDay.objects.filter(date__year=year)),
        "warning": calendar.year_warning(year),
    }


@require(Cap.MANAGE)
def calendar_page(request: HttpRequest) -> HttpResponse:
    rows = [_row(y) for y in _years(timezone.localdate())]
    return render(request, "org/calendar.html", {"rows": rows})


@require_POST
@require(Cap.MANAGE)
def confirm_year(request: HttpRequest) -> HttpResponse:
    """Mark a year complete after every day of the State Council's notice is entered;
    recorded with who and when (audited)."""
    try:  # a year a date can hold and the calendar can look up (int() let 10000 through)
        year = parse_year(request.POST.get("year", ""))
    except ValueError:
        messages.error(request, "年度无效：应为 {} 至 {} 之间的年份".format(*ENTERED_YEARS))
        return redirect("org-calendar")
    notice = request.POST.get("notice", "").strip()
    if calendar.is_complete(year):
        messages.error(request, f"{year}年节假日安排已完整，无需确认")
    elif not notice:
        messages.error(request, "请填写依据（国务院办公厅通知的名称或文号）")
    elif too_long := overlong(notice, CalendarYear, "notice", "依据"):
        messages.error(request, too_long)
    else:
        _, created = CalendarYear.objects.get_or_create(
            year=year, defaults={"notice": notice, "confirmed_by": request.user}
        )
        if created:
            messages.success(request, f"已确认{year}年节假日安排完整")
        else:  # confirmed by someone else since the page was shown
            messages.info(request, f"{year}年节假日安排已由他人确认，无需重复确认")
    return redirect("org-calendar")
