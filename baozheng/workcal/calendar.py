"""Is this a working day, and what is N working days after a date?

Sources in order: the administrator's entries (`CalendarDay`), then the `chinesecalendar`
package (China's statutory holidays and make-up working days, as published by the State
Council each year), then weekends only — with a visible warning, because a deadline
counted on weekends only can fall on a holiday.
"""

from __future__ import annotations

import time
from datetime import date, timedelta

import chinese_calendar

from baozheng.workcal.models import CalendarDay

_CACHE_SECONDS = 60
_cache: dict[int, tuple[float, dict[date, bool]]] = {}


def _entries(year: int) -> dict[date, bool]:
    """The administrator's entries of one year, cached briefly (they change a few times a year)."""
    hit = _cache.get(year)
    if hit and time.monotonic() - hit[0] < _CACHE_SECONDS:
        return hit[1]
    days = dict(CalendarDay.objects.filter(date__year=year).values_list("date", "is_workday"))
    _cache[year] = (time.monotonic(), days)
    return days


def clear_cache() -> None:
    _cache.clear()


def _package_covers(year: int) -> bool:
    try:
        chinese_calendar.is_workday(date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


def source(year: int) -> str:
    """'admin', 'package' or 'weekends': where this year's working days come from."""
    if _entries(year):
        return "admin"
    if _package_covers(year):
        return "package"
    return "weekends"


def is_workday(day: date) -> bool:
    entries = _entries(day.year)
    if day in entries:
        return entries[day]
    if not entries and _package_covers(day.year):
        return chinese_calendar.is_workday(day)
    return day.weekday() < 5


def add_workdays(start: date, n: int) -> date:
    """The date N working days after `start` (start itself not counted); N=0 gives the
    first working day on or after start."""
    if n < 0:
        raise ValueError("工作日数不能为负")
    day = start
    if n == 0:
        while not is_workday(day):
            day += timedelta(days=1)
        return day
    counted = 0
    while counted < n:
        day += timedelta(days=1)
        if is_workday(day):
            counted += 1
    return day


def workdays_between(start: date, end: date) -> int:
    """Working days in (start, end]; negative when end is before start."""
    if end < start:
        return -workdays_between(end, start)
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        count += is_workday(day)
    return count


def coverage_warning(today: date | None = None) -> str | None:
    """A warning when this year (or, from November on, next year) has no holiday data."""
    today = today or date.today()
    years = [today.year] + ([today.year + 1] if today.month >= 11 else [])
    missing = [y for y in years if source(y) == "weekends"]
    if not missing:
        return None
    listed = "、".join(f"{y}年" for y in missing)
    return (
        f"工作日历缺少{listed}的法定节假日与调休安排，期限暂按“周一至周五为工作日”计算。"
        "请市级管理员在“管理后台 › 节假日/调休”中录入。"
    )
