"""When a standing meeting is due: the periods of the three cadences and the working-day
calendar.

- 周研判: one meeting per week (Monday to Sunday);
- 旬会商: one per 旬 — 上旬 the 1st to the 10th, 中旬 the 11th to the 20th, 下旬 the 21st
  to the month's last day (28 to 31 days, so 下旬 runs 8 to 11 days);
- 月调度: one per calendar month.

A meeting is scheduled on the first working day of its period (holidays and 调休 working
weekends from `baozheng.workcal`). A period that has ended without a held meeting of the
series is a missed meeting. The functions here take dates and return dates; the database
is only read through the working-day calendar.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from baozheng.workcal.calendar import is_workday

WEEKLY = "weekly_review"
TEN_DAY = "ten_day"
MONTHLY = "monthly"
CADENCED = (WEEKLY, TEN_DAY, MONTHLY)
XUN_NAMES = ("上旬", "中旬", "下旬")


@dataclass(frozen=True, order=True)
class Span:
    """One period of a cadence, first and last day included."""

    start: date
    end: date
    label: str


def span_of(kind: str, day: date) -> Span:
    """The week, 旬 or month that contains `day`."""
    if kind == WEEKLY:
        start = day - timedelta(days=day.weekday())
        end = start + timedelta(days=6)
        year, week, _ = start.isocalendar()
        return Span(start, end, f"{year}年第{week}周")
    if kind == TEN_DAY:
        index = min((day.day - 1) // 10, 2)
        start = day.replace(day=1 + 10 * index)
        last = calendar.monthrange(day.year, day.month)[1]
        end = day.replace(day=last if index == 2 else 10 * (index + 1))
        return Span(start, end, f"{day.year}年{day.month}月{XUN_NAMES[index]}")
    if kind == MONTHLY:
        last = calendar.monthrange(day.year, day.month)[1]
        return Span(day.replace(day=1), day.replace(day=last), f"{day.year}年{day.month}月")
    raise ValueError(f"“{kind}”不是按期召开的会议类型")


def next_span(kind: str, span: Span) -> Span:
    return span_of(kind, span.end + timedelta(days=1))


def first_workday(span: Span) -> date | None:
    """The first working day of the period, None when the whole period is holiday
    (a week of the Spring Festival or National Day)."""
    day = span.start
    while day <= span.end:
        if is_workday(day):
            return day
        day += timedelta(days=1)
    return None


def next_meeting_date(kind: str, last_held: date | None, today: date) -> date:
    """The day the series should meet next: the first working day, not before today, of
    the first period after the last meeting (or of the current period when none has been
    held in it). Periods that are all holiday are skipped."""
    span = span_of(kind, today)
    if last_held is not None and span_of(kind, last_held) >= span:
        span = next_span(kind, span_of(kind, last_held))
    while True:
        day = first_workday(Span(max(span.start, today), span.end, span.label))
        if day is not None:
            return day
        span = next_span(kind, span)


def missed_spans(kind: str, since: date, held: Iterable[date], today: date) -> list[Span]:
    """Periods from the one containing `since` up to the last one that ended before today
    that have a working day and no held meeting."""
    held_spans = {span_of(kind, d) for d in held}
    missed = []
    span = span_of(kind, since)
    while span.end < today:
        if span not in held_spans and first_workday(span) is not None:
            missed.append(span)
        span = next_span(kind, span)
    return missed
