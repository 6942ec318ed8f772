"""`workdays_between` from each year's running count, checked against the definition: the
working days in (start, end], counted day by day with `is_workday`."""

from __future__ import annotations

import random
from datetime import date, timedelta
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from baozheng.workcal import calendar
from baozheng.workcal.models import CalendarDay


def day_by_day(start: date, end: date) -> int:
    if end < start:
        return -day_by_day(end, start)
    return sum(
        calendar.is_workday(start + timedelta(days=n)) for n in range(1, (end - start).days + 1)
    )


@pytest.fixture
def entered_days(db):
    """Holidays and make-up working days entered by the administrator in years the package
    knows (2023, 2024) and does not (2027, 2028)."""
    rng = random.Random(9704)
    days = {date(2023, 1, 1) + timedelta(days=rng.randrange(6 * 366)) for _ in range(60)}
    CalendarDay.objects.bulk_create(
        CalendarDay(date=day, is_workday=rng.random() < 0.5, name="测试")
        for day in days
        if day.year in (2023, 2024, 2027, 2028)
    )
    calendar.clear_cache()


DAYS = st.dates(min_value=date(2022, 6, 1), max_value=date(2028, 12, 31))


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(start=DAYS, end=DAYS)
def test_the_running_count_equals_counting_day_by_day(entered_days, start, end):
    assert calendar.workdays_between(start, end) == day_by_day(start, end)


@pytest.mark.django_db
def test_each_day_of_a_year_is_asked_once_however_many_spans_are_counted():
    with mock.patch.object(calendar, "is_workday", wraps=calendar.is_workday) as asked:
        for offset in range(200):
            calendar.workdays_between(date(2023, 3, 1), date(2023, 3, 1) + timedelta(days=offset))
    assert asked.call_count == 365


@pytest.mark.django_db
def test_an_entry_counts_once_the_years_entries_are_read_again():
    span = (date(2023, 3, 3), date(2023, 3, 10))  # Friday to Friday: 5 working days
    assert calendar.workdays_between(*span) == 5
    CalendarDay.objects.create(date=date(2023, 3, 8), is_workday=False, name="临时调整")
    assert calendar.workdays_between(*span) == 5  # the entries are kept for a minute
    later = calendar.time.monotonic() + calendar._CACHE_SECONDS + 1
    with mock.patch.object(calendar.time, "monotonic", return_value=later):
        assert calendar.workdays_between(*span) == 4


@pytest.mark.django_db
def test_the_last_day_of_the_calendar_can_be_counted_to():
    assert calendar.workdays_between(date(9999, 12, 30), date(9999, 12, 31)) == 1
