from datetime import date

import pytest

from baozheng.workcal import calendar
from baozheng.workcal.models import CalendarDay


@pytest.mark.django_db
def test_spring_festival_is_a_holiday_and_its_saturday_a_working_day():
    assert not calendar.is_workday(date(2023, 1, 23))  # 春节
    assert calendar.is_workday(date(2023, 1, 28))  # Saturday, 调休上班


@pytest.mark.django_db
def test_working_days_skip_the_holiday_and_count_the_make_up_day():
    # Friday 2023-01-20 + 1 working day: the whole holiday 1-21..1-27 is skipped,
    # and Saturday 1-28 is a make-up working day.
    assert calendar.add_workdays(date(2023, 1, 20), 1) == date(2023, 1, 28)
    assert calendar.add_workdays(date(2023, 1, 20), 2) == date(2023, 1, 29)
    assert calendar.workdays_between(date(2023, 1, 20), date(2023, 1, 29)) == 2


@pytest.mark.django_db
def test_zero_working_days_means_the_next_working_day_on_or_after():
    assert calendar.add_workdays(date(2023, 10, 1), 0) == date(2023, 10, 7)  # 国庆调休 Saturday


@pytest.mark.django_db
def test_an_uncovered_year_falls_back_to_weekends_with_a_warning():
    assert calendar.year_state(2035) == "未完整"
    assert calendar.is_workday(date(2035, 1, 1))  # a Monday; no holiday data
    warning = calendar.coverage_warning(today=date(2035, 3, 1))
    assert "2035年节假日安排尚未录入完整" in warning and "按周末计算" in warning


@pytest.mark.django_db
def test_an_entered_day_counts_but_does_not_complete_the_year():
    CalendarDay.objects.create(date=date(2035, 1, 1), is_workday=False, name="元旦")
    assert not calendar.is_workday(date(2035, 1, 1))
    assert calendar.year_state(2035) == "未完整"
    assert "已录入 1 天" in calendar.coverage_warning(today=date(2035, 3, 1))


@pytest.mark.django_db
def test_in_november_the_warning_looks_at_next_year():
    assert "2035年" not in calendar.coverage_warning(today=date(2034, 6, 1))
    warning = calendar.coverage_warning(today=date(2034, 11, 28))
    assert "2035年" in warning and "2034年" in warning


@pytest.mark.django_db
def test_negative_working_days_are_refused():
    with pytest.raises(ValueError):
        calendar.add_workdays(date(2023, 1, 1), -1)
