from datetime import date

import pytest

from baozheng.org.models import User
from baozheng.workcal import calendar
from baozheng.workcal.models import CalendarDay, CalendarYear


@pytest.mark.django_db
def test_a_year_chinesecalendar_knows_is_complete_without_any_entry():
    assert calendar.package_covers(2026)
    assert calendar.year_state(2026) == "完整"
    assert calendar.year_warning(2026) is None
    assert calendar.coverage_warning(today=date(2026, 6, 1)) is None


@pytest.mark.django_db
def test_a_year_chinesecalendar_does_not_know_warns_until_it_is_confirmed():
    admin = User.objects.create(username="a", role="admin")
    CalendarDay.objects.create(date=date(2035, 1, 1), is_workday=False, name="元旦")
    assert "截止日期可能不准" in calendar.year_warning(2035)
    CalendarYear.objects.create(year=2035, notice="国务院办公厅通知", confirmed_by=admin)
    assert calendar.year_state(2035) == "完整"
    assert calendar.year_warning(2035) is None


@pytest.mark.django_db
def test_an_entry_in_a_known_year_overrides_only_its_own_day():
    CalendarDay.objects.create(date=date(2026, 6, 1), is_workday=False, name="临时放假")
    assert not calendar.is_workday(date(2026, 6, 1))
    assert not calendar.is_workday(date(2026, 10, 1))  # 国庆, still from the package
    assert calendar.year_state(2026) == "完整"
