"""Key-project reporting months: the office opens and closes them; project pages default
to the last closed month, so an early report for the open month switches nobody."""

from __future__ import annotations

from datetime import date

from django.urls import reverse

from baozheng.projects.facts import reporting_month
from baozheng.projects.models import ProgressReport
from baozheng.projects.rules import Month
from baozheng.reporting.models import PeriodState, ProjectMonth
from baozheng.reporting.project_months import close_project_month, open_project_month
from baozheng.testing import BaozhengTestCase
from tests.projects.factory import make_project


class ProjectMonthTests(BaozhengTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.project = make_project(cls.wancheng_unit, "WC-001", ytd_by_month={11: "100"})
        for month in (11, 12):
            ProjectMonth.objects.create(year=2023, month=month, state=PeriodState.CLOSED)
        ProjectMonth.objects.create(year=2024, month=1, state=PeriodState.OPEN)

    def report(self, period: str):
        self.login(self.wancheng)
        return self.client.post(
            reverse("projects-progress", args=[self.project.pk]),
            {"period": period, "invested_month": "50", "narrative": "设备安装"},
        )

    def test_an_early_report_for_the_open_month_changes_nobodys_default(self):
        response = self.report("2024-01")
        self.assertEqual(response.status_code, 302)
        self.assertTrue(ProgressReport.objects.filter(project=self.project, year=2024).exists())
        self.assertEqual(reporting_month(), Month(2023, 12))
        self.login(self.dispatch)
        page = self.client.get(reverse("projects-list"))
        self.assertEqual(page.context["month"], Month(2023, 12))

    def test_a_report_for_a_closed_month_is_refused_and_nothing_is_saved(self):
        response = self.report("2023-12")
        self.assertContains(response, "2023年12月项目进展填报已关闭")
        self.assertFalse(ProgressReport.objects.filter(project=self.project, month=12).exists())

    def test_the_progress_form_opens_on_the_open_month(self):
        self.login(self.wancheng)
        page = self.client.get(reverse("projects-progress", args=[self.project.pk]))
        self.assertEqual(page.context["form"].initial["period"], "2024-01")

    def test_closing_the_month_moves_the_default_to_it(self):
        close_project_month(self.dispatch, 2024, 1)
        self.assertEqual(reporting_month(date(2024, 2, 5)), Month(2024, 1))

    def test_only_the_office_opens_or_closes_project_months(self):
        for user in (self.wancheng, self.leader, self.dept):
            self.login(user)
            for action in ("project_open", "project_close"):
                response = self.client.post(
                    reverse("reporting-period-action"), {"period": "2024-02", "action": action}
                )
                self.assertEqual(response.status_code, 403)
        self.assertFalse(ProjectMonth.objects.filter(year=2024, month=2).exists())
        self.login(self.dispatch)
        self.client.post(
            reverse("reporting-period-action"), {"period": "2024-02", "action": "project_open"}
        )
        self.assertEqual(ProjectMonth.objects.get(year=2024, month=2).state, PeriodState.OPEN)

    def test_a_month_cannot_be_opened_twice(self):
        from baozheng.reporting.periods import PeriodError

        with self.assertRaisesMessage(
            PeriodError, "2024年1月项目进展已开放（填报中），不能重新开放"
        ):
            open_project_month(self.dispatch, 2024, 1)
