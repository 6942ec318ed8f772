"""The office controls the period: entry only while open, the default period everyone
outside the statistics staff sees is the latest released one, and nothing a clerk does
moves it; staff may look at an unreleased period, marked 未发布."""

from __future__ import annotations

from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from baozheng.analysis.periods import Period
from baozheng.reporting.models import PeriodState, ReportingPeriod
from baozheng.reporting.periods import PeriodError, close_period, open_period
from baozheng.stats import workflow
from baozheng.stats.models import Observation, Status
from baozheng.stats.released import released_periods
from tests.reporting.base import OPEN, RELEASED, ReportingTestCase


class PeriodControlTests(ReportingTestCase):
    def test_the_latest_released_period_is_the_demos_current_one(self):
        self.assertEqual(released_periods().latest, Period(2023, 9))

    def test_a_closed_period_refuses_drafts_and_names_the_correction_request(self):
        close_period(self.dispatch, Period(2023, 10))
        with self.assertRaisesMessage(
            workflow.WorkflowError, "已关闭，迟报或更正数据请提交更正申请"
        ):
            workflow.save_draft(
                self.wancheng, self.retail, self.wancheng_unit, 2023, 10, Decimal("1"), None
            )
        self.assertFalse(
            Observation.objects.filter(unit=self.wancheng_unit, year=2023, month=10).exists()
        )

    def test_a_period_never_opened_refuses_entry(self):
        with self.assertRaisesMessage(workflow.WorkflowError, "2023年1-11月尚未开放填报"):
            workflow.save_draft(
                self.wancheng, self.retail, self.wancheng_unit, 2023, 11, Decimal("1"), None
            )

    def test_a_period_cannot_be_opened_twice_nor_a_closed_one_closed(self):
        with self.assertRaisesMessage(PeriodError, "2023年1-10月已开放（填报中），不能重新开放"):
            open_period(self.dispatch, Period(2023, 10))
        with self.assertRaisesMessage(PeriodError, "2023年1-9月已发布，不能重新开放"):
            open_period(self.dispatch, Period(2023, 9))
        with self.assertRaisesMessage(PeriodError, "不在填报中"):
            close_period(self.dispatch, Period(2023, 9))

    def test_dispatch_opens_and_closes_periods_on_the_page(self):
        self.login(self.dispatch)
        self.client.post(
            reverse("reporting-period-action"), {"period": "2023-11", "action": "open"}
        )
        self.assertEqual(ReportingPeriod.objects.get(year=2023, month=11).state, PeriodState.OPEN)
        self.client.post(reverse("reporting-period-action"), {"period": OPEN, "action": "close"})
        self.assertEqual(ReportingPeriod.objects.get(year=2023, month=10).state, "closed")
        page = self.client.get(reverse("reporting-periods"))
        self.assertContains(page, "2023年1-11月")
        self.assertContains(page, "南阳市第1版")

    def test_the_page_has_a_plain_title_and_one_project_months_section(self):
        self.login(self.dispatch)
        html = self.client.get(reverse("reporting-periods")).content.decode()
        self.assertIn("<title>报告期 · ", html)
        self.assertEqual(html.count("重点项目填报月份"), 1)
        head = html.split("</head>", 1)[0]
        self.assertNotIn("<form", head)

    def test_only_the_office_controls_periods(self):
        for user in (self.wancheng, self.leader, self.dept):
            self.login(user)
            for action in ("open", "close", "release"):
                response = self.client.post(
                    reverse("reporting-period-action"), {"period": OPEN, "action": action}
                )
                self.assertEqual(response.status_code, 403)
        self.assertEqual(ReportingPeriod.objects.get(year=2023, month=10).state, PeriodState.OPEN)
        self.assertFalse(ReportingPeriod.objects.filter(year=2023, month=11).exists())


class DefaultPeriodTests(ReportingTestCase):
    def approve_early_figure(self) -> None:
        """宛城区's 1-10月 retail sales, entered, submitted and approved at every step."""
        sept = Observation.objects.get(
            indicator=self.retail, unit=self.wancheng_unit, year=2023, month=9
        )
        obs = workflow.save_draft(
            self.wancheng, self.retail, self.wancheng_unit, 2023, 10, sept.value + 20, None
        )
        obs = workflow.submit(self.wancheng, obs)
        obs = workflow.approve(self.dept, obs)
        obs = workflow.approve(self.dispatch, obs)
        self.assertEqual(obs.status, Status.APPROVED)

    def test_an_approved_early_figure_moves_nobodys_default(self):
        self.approve_early_figure()
        for user in (self.leader, self.dispatch, self.wancheng):
            self.login(user)
            overview = self.client.get(reverse("monitor-overview"))
            self.assertEqual(overview.context["period"].code, RELEASED)
        self.login(self.wancheng)
        unit = self.client.get(reverse("monitor-unit", args=["411302"]))
        self.assertEqual(unit.context["period"].code, RELEASED)

    def test_staff_see_an_unreleased_period_marked_and_others_are_refused(self):
        self.approve_early_figure()
        self.login(self.dispatch)
        response = self.client.get(reverse("monitor-overview"), {"period": OPEN})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "未发布")
        self.assertIn(Period(2023, 10), response.context["periods"])
        for user in (self.leader, self.wancheng):
            self.login(user)
            for name in ("monitor-overview", "monitor-bulletin", "monitor-warnings"):
                response = self.client.get(reverse(name), {"period": OPEN})
                self.assertEqual(response.status_code, 403, name)
            response = self.client.get(reverse("monitor-overview"))
            self.assertNotIn(Period(2023, 10), response.context["periods"])
        self.login(self.leader)
        response = self.client.get(reverse("monitor-unit", args=["411302"]), {"period": OPEN})
        self.assertEqual(response.status_code, 403)

    def test_the_county_page_counts_the_countys_own_rows(self):
        self.login(self.dispatch)
        response = self.client.get(reverse("monitor-unit", args=["411303"]))
        rows = response.context["rows"]
        counts = response.context["counts"]
        self.assertEqual(sum(counts.values()), len(rows))
        self.assertEqual(counts["off_track"], sum(r.status == "off_track" for r in rows))
        self.assertTrue(all(r.unit.code == "411303" for r in rows))

    def test_a_monitoring_page_reads_the_released_periods_once(self):
        """Default period, the 未发布 mark, the refusal and the picker all ask the one
        answer the page read (they were four to seven queries of every page)."""
        self.login(self.dispatch)
        pages = [
            (reverse("monitor-overview"), {"period": OPEN}),
            (reverse("monitor-warnings"), {}),
            (reverse("monitor-unit", args=["411302"]), {"period": OPEN}),
            (reverse("monitor-indicator", args=["B01"]), {}),
            (reverse("monitor-bulletin"), {"period": OPEN}),
        ]
        for url, query in pages:
            with CaptureQueriesContext(connection) as queries:
                response = self.client.get(url, query)
            self.assertEqual(response.status_code, 200, url)
            released = [
                q["sql"]
                for q in queries.captured_queries
                if "reporting_reportingperiod" in q["sql"] and "'released'" in q["sql"]
            ]
            self.assertEqual(len(released), 1, (url, released))
