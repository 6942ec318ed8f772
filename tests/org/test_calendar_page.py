from datetime import date
from unittest.mock import patch

from auditlog.models import LogEntry

from baozheng.reporting.models import PeriodState, ReportingPeriod
from baozheng.workcal import calendar
from baozheng.workcal.models import CalendarDay, CalendarYear
from tests.interleave import after
from tests.stats.world import StatsDemoTestCase


class CalendarPageTests(StatsDemoTestCase):
    def setUp(self) -> None:
        calendar.clear_cache()
        CalendarDay.objects.create(date=date(2035, 1, 1), is_workday=False, name="元旦")

    def confirm(self, year: int | str = 2035, notice: str = "国办发明电〔2034〕7号"):
        return self.client.post("/calendar/confirm/", {"year": year, "notice": notice})

    def test_the_page_shows_each_years_state_and_the_warning_of_an_incomplete_one(self):
        self.login(self.admin)
        page = self.client.get("/calendar/")
        self.assertContains(page, "2035年节假日安排尚未录入完整（已录入 1 天，尚未确认完整）")
        self.assertContains(page, "chinesecalendar 内置的国务院办公厅通知")
        self.assertContains(page, "确认2035年已录入完整")

    def test_the_administrator_confirms_a_year_and_the_confirmation_is_audited(self):
        self.login(self.admin)
        self.confirm()
        row = CalendarYear.objects.get(year=2035)
        self.assertEqual(row.confirmed_by, self.admin)
        self.assertIsNone(calendar.year_warning(2035))
        self.assertTrue(
            LogEntry.objects.get_for_model(CalendarYear).filter(object_pk=str(row.pk)).exists()
        )
        self.assertNotContains(self.client.get("/calendar/"), "确认2035年已录入完整")

    def test_a_confirmation_needs_its_notice_and_a_complete_year_needs_none(self):
        self.login(self.admin)
        self.confirm(notice="")
        self.confirm(year=2026)
        self.assertFalse(CalendarYear.objects.exists())

    def test_a_year_no_date_or_calendar_holds_is_refused_not_a_server_error(self):
        self.login(self.admin)
        for year in ("10000", "99999999999999999999", "0", "-1", "２０３５", "x", "1999"):
            with self.subTest(year=year):
                response = self.confirm(year=year)
                self.assertEqual(response.status_code, 302)
                page = self.client.get("/calendar/")
                self.assertContains(page, "年度无效：应为 2000 至 2100 之间的年份")
        self.assertFalse(CalendarYear.objects.exists())
        self.confirm(year=2100)
        self.assertEqual(CalendarYear.objects.get().year, 2100)

    def test_a_notice_over_its_column_is_refused_not_cut(self):
        self.login(self.admin)
        self.assertContains(self.client.get("/calendar/"), 'maxlength="120"')
        response = self.client.post(
            "/calendar/confirm/", {"year": 2035, "notice": "通" * 121}, follow=True
        )
        self.assertContains(response, "依据超过 120 字（121 字），请删减后重新提交")
        self.assertFalse(CalendarYear.objects.exists())
        self.confirm(notice="通" * 120)
        self.assertEqual(CalendarYear.objects.get().notice, "通" * 120)

    def test_only_the_administrator_confirms(self):
        for user in (self.dispatch, self.wancheng, self.leader):
            self.login(user)
            self.assertEqual(self.confirm().status_code, 403)
            self.assertEqual(self.client.get("/calendar/").status_code, 403)
        self.assertFalse(CalendarYear.objects.exists())
        self.client.logout()
        self.assertEqual(self.confirm().status_code, 302)
        self.assertFalse(CalendarYear.objects.exists())

    def test_the_periods_page_warns_for_the_year_of_an_open_periods_deadline(self):
        ReportingPeriod.objects.create(year=2034, month=12, state=PeriodState.OPEN)
        self.login(self.dispatch)
        self.assertContains(self.client.get("/reporting/"), "2035年节假日安排尚未录入完整")
        self.login(self.admin)
        self.confirm()
        self.login(self.dispatch)
        self.assertNotContains(self.client.get("/reporting/"), "2035年节假日安排尚未")

    def test_the_home_page_warns_for_the_watched_years_until_confirmed(self):
        self.login(self.admin)
        with patch("baozheng.workcal.calendar.watched_years", return_value=[2034, 2035]):
            page = self.client.get("/")
            self.assertContains(page, "2035年节假日安排尚未录入完整")
            self.assertContains(page, "2034年节假日安排尚未录入完整")
            self.confirm()
            self.assertNotContains(self.client.get("/"), "2035年节假日安排尚未")

    def test_the_dispatch_headline_warns_and_the_administrators_home_links_the_calendar(self):
        with patch("baozheng.workcal.calendar.watched_years", return_value=[2035]):
            self.login(self.dispatch)
            self.assertContains(self.client.get("/headline/"), "2035年节假日安排尚未录入完整")
            self.assertNotContains(self.client.get("/"), "前往工作日历")
            self.login(self.leader)
            self.assertNotContains(self.client.get("/headline/"), "2035年节假日安排尚未录入完整")
            self.login(self.admin)
            self.assertContains(self.client.get("/"), 'href="/calendar/">前往工作日历')


class CalendarConfirmRaceTests(StatsDemoTestCase):
    def test_a_year_confirmed_meanwhile_by_another_administrator_is_said_so(self):
        calendar.clear_cache()
        self.login(self.admin)
        other = lambda: CalendarYear.objects.create(  # noqa: E731
            year=2035, notice="他人确认", confirmed_by=self.dispatch
        )
        with after(calendar, "is_complete", other):
            response = self.client.post(
                "/calendar/confirm/", {"year": 2035, "notice": "国办发明电〔2034〕7号"}, follow=True
            )
        self.assertContains(response, "2035年节假日安排已由他人确认，无需重复确认")
        self.assertEqual(CalendarYear.objects.get(year=2035).notice, "他人确认")
