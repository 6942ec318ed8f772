"""Is this a working day, and what is N working days after a date?

Sources in order: the administrator's entries (`CalendarDay`), then the `chinesecalendar`
package (China's statutory holidays and make-up working days, as published by the State
Council each year), then weekends only.

Each year has a state (docs/rules.md §2): 完整 when the package knows it or the
administrator has confirmed it complete (`CalendarYear`), otherwise 未完整 — with a
visible warning wherever that year's deadlines are shown, because a deadline counted on
weekends can fall on a holiday. Entering one holiday never completes a year.
"""

from __future__ import annotations

import time
from calendar import isleap
from datetime import date, timedelta
from functools import cache, lru_cache

import chinese_calendar
from django.utils import timezone

from baozheng.workcal.models import CalendarDay, CalendarYear

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
    _running.clear()


# What the installed package says never changes while the process runs, and each of its
# answers scans its whole table of holidays for the years it covers (a tenth of a
# second per ten thousand days the demo's deadlines count): asked once per year and day.
@cache
def _package_covers(year: int) -> bool:
    try:
        chinese_calendar.is_workday(date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


@lru_cache(maxsize=4096)
def _package_workday(day: date) -> bool:
    return chinese_calendar.is_workday(day)


def package_covers(year: int) -> bool:
    """Whether the installed chinesecalendar knows this year's State Council notice."""
    return _package_covers(year)


def is_complete(year: int) -> bool:
    return _package_covers(year) or CalendarYear.objects.filter(year=year).exists()


def year_state(year: int) -> str:
    """'完整' or '未完整', as the calendar page and the warnings say it."""
    return "完整" if is_complete(year) else "未完整"


def is_workday(day: date) -> bool:
    entries = _entries(day.year)
    if day in entries:
        return entries[day]
    if _package_covers(day.year):
        return _package_workday(day)
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


# Per year: the administrator's entries the counts were made with, and the working days
# from 1 January through each day of the year.
_running: dict[int, tuple[dict[date, bool], list[int]]] = {}


def _running_counts(year: int) -> list[int]:
    """Working days from 1 January through each day of `year` (index: day of the year
    from 0), made again when the year's entries are read again (`_entries`)."""
    entries = _entries(year)
    kept = _running.get(year)
    if kept is not None and kept[0] is entries:
        return kept[1]
    counts, total, first = [], 0, date(year, 1, 1).toordinal()
    for ordinal in range(first, first + (366 if isleap(year) else 365)):
        total += is_workday(date.fromordinal(ordinal))
        counts.append(total)
    _running[year] = (entries, counts)
    return counts


def workdays_between(start: date, end: date) -> int:
    """Working days in (start, end]; negative when end is before start. From each year's
    running count, not day by day: a task's colour asks it three times, and a list of two
    thousand tasks spent a third of a second walking their days."""
    if end < start:
        return -workdays_between(end, start)
    whole_years = sum(_running_counts(year)[-1] for year in range(start.year, end.year))
    return whole_years + _through(end) - _through(start)


def _through(day: date) -> int:
    """Working days from 1 January of `day`'s year through `day`."""
    return _running_counts(day.year)[day.timetuple().tm_yday - 1]


def year_warning(year: int) -> str | None:
    """The warning for one year whose holidays are not complete, else None."""
    if is_complete(year):
        return None
    entered = len(_entries(year))
    so_far = f"（已录入 {entered} 天，尚未确认完整）" if entered else ""
    return (
        f"{year}年节假日安排尚未录入完整{so_far}：国务院办公厅通知发布前按周末计算，"
        "截止日期可能不准。请市级管理员在“工作日历”页录入全部节假日与调休后确认完整。"
    )


def warnings_for(years) -> list[str]:
    """The warnings of the given years (deduplicated, in order), for pages that show
    deadlines falling in several years."""
    return [w for y in sorted(set(years)) if (w := year_warning(y))]


def watched_years(today: date | None = None) -> list[int]:
    """This year and, from November on, next year (deadlines of December's figures fall
    in January). Today is Beijing's (the project's time zone), not the server clock's."""
    today = today or timezone.localdate()
    return [today.year] + ([today.year + 1] if today.month >= 11 else [])


def coverage_warning(today: date | None = None) -> str | None:
    return " ".join(warnings_for(watched_years(today))) or None
