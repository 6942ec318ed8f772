"""Validation rules: an error refuses the submission naming the rule and the figures, a
warning needs an explanation that the approver sees; the period report lists them."""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse

from baozheng.analysis.periods import Period
from baozheng.reporting import rules
from baozheng.reporting.models import ValidationRule
from baozheng.stats import workflow
from baozheng.stats.imports import run_import
from baozheng.stats.models import Observation, Status
from tests.reporting.base import OPEN, ReportingTestCase


class RuleTests(ReportingTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        obs = Observation.objects.get
        cls.sept = obs(indicator=cls.retail, unit=cls.wancheng_unit, year=2023, month=9).value
        cls.last = obs(indicator=cls.retail, unit=cls.wancheng_unit, year=2022, month=10).value

    def test_a_single_month_below_zero_is_an_error_naming_the_rule_and_figures(self):
        found = rules.check(self.retail, self.wancheng_unit, Period(2023, 10), self.sept - 1, None)
        self.assertEqual([v.rule.code for v in found], ["R01"])
        self.assertTrue(found[0].is_error)
        self.assertIn("单月值不得为负", found[0].text)
        self.assertIn(f"低于上期 {self.sept.normalize():f}", found[0].text)

    def test_three_times_last_year_and_inconsistent_growth_are_warnings(self):
        found = rules.check(
            self.retail, self.wancheng_unit, Period(2023, 10), self.last * 4, Decimal("5")
        )
        self.assertEqual({v.rule.code for v in found}, {"R02", "R03"})
        self.assertFalse(any(v.is_error for v in found))

    def test_a_county_above_the_city_breaks_the_parent_rule(self):
        found = rules.check(
            self.retail, self.wancheng_unit, Period(2023, 9), Decimal("10") ** 6, None
        )
        self.assertIn("R04", {v.rule.code for v in found})

    def test_counties_summing_above_the_city_break_the_children_rule(self):
        found = rules.check(self.retail, self.city, Period(2023, 9), Decimal("1"), None)
        self.assertIn("R05", {v.rule.code for v in found})

    def test_an_inactive_rule_is_not_applied(self):
        ValidationRule.objects.filter(code="R01").update(active=False)
        found = rules.check(self.retail, self.wancheng_unit, Period(2023, 10), self.sept - 1, None)
        self.assertEqual(found, [])

    def test_the_grid_refuses_an_error_with_the_rule_named_and_saves_nothing(self):
        self.login(self.wancheng)
        response = self.entry({self.retail: (str(self.sept - 1), "")}, action="submit")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "单月值不得为负")
        self.assertContains(response, "（不能提交）")
        self.assertFalse(
            Observation.objects.filter(unit=self.wancheng_unit, year=2023, month=10).exists()
        )

    def test_a_warning_needs_an_explanation_which_the_approver_sees(self):
        self.login(self.wancheng)
        value = str(self.last * 4)
        response = self.entry({self.retail: (value, "")}, action="submit")
        self.assertContains(response, "请在“说明”中写明原因后提交")
        self.assertFalse(
            Observation.objects.filter(unit=self.wancheng_unit, year=2023, month=10).exists()
        )
        data = {
            "action": "submit",
            f"value-{self.retail.pk}": value,
            f"growth-{self.retail.pk}": "",
            f"explain-{self.retail.pk}": "新开大型商超集中开业",
        }
        response = self.client.post(f"/monitor/entry/?unit=411302&period={OPEN}", data)
        self.assertEqual(response.status_code, 302)
        obs = Observation.objects.get(
            indicator=self.retail, unit=self.wancheng_unit, year=2023, month=10
        )
        self.assertEqual(obs.status, Status.SUBMITTED)
        self.login(self.dept)
        review = self.client.get(reverse("monitor-review"))
        self.assertContains(review, "填报说明：")
        self.assertContains(review, "新开大型商超集中开业")
        workflow.approve(self.dept, obs)  # the first step; the second approver reads it too
        self.login(self.dispatch)
        review = self.client.get(reverse("monitor-review"))
        self.assertContains(review, "新开大型商超集中开业")

    def test_an_explanation_over_its_limit_is_refused_and_one_at_it_is_kept_whole(self):
        """Two warnings (R02, R03): their texts are shortened to fit the revision reason,
        the clerk's 200 characters never."""
        value, growth = self.last * 4, Decimal("5")
        obs = workflow.save_draft(
            self.wancheng, self.retail, self.wancheng_unit, 2023, 10, value, growth
        )
        with self.assertRaisesMessage(workflow.WorkflowError, "说明超过 200 字（201 字）"):
            workflow.submit(self.wancheng, obs, "说" * 201)
        obs.refresh_from_db()
        self.assertEqual(obs.status, Status.DRAFT)
        obs = workflow.submit(self.wancheng, obs, "说" * 200)
        reason = obs.revisions.order_by("-id")[0].reason
        self.assertTrue(reason.startswith("【") and reason.endswith("。说明：" + "说" * 200))
        self.assertLessEqual(len(reason), 300)

    def test_the_grid_and_the_import_refuse_an_explanation_over_the_limit(self):
        self.login(self.wancheng)
        self.assertContains(
            self.client.get(f"/monitor/entry/?unit=411302&period={OPEN}"), 'maxlength="200"'
        )
        data = {
            "action": "submit",
            f"value-{self.retail.pk}": str(self.last * 4),
            f"growth-{self.retail.pk}": "",
            f"explain-{self.retail.pk}": "说" * 201,
        }
        response = self.client.post(f"/monitor/entry/?unit=411302&period={OPEN}", data)
        self.assertContains(response, "说明超过 200 字（201 字），请删减后重新提交")
        self.assertContains(response, "说" * 201)  # given back in the grid
        self.assertFalse(
            Observation.objects.filter(unit=self.wancheng_unit, year=2023, month=10).exists()
        )
        text = f"indicator,unit,period,value,explanation\nB01,411302,{OPEN},{self.last * 4},{'说' * 201}"
        report = run_import("observations", text.encode(), "d.csv", self.wancheng, channel="web")
        self.assertIn(
            "第 2 行“说明”列：说明超过 200 字（201 字），请删减后重新提交",
            [str(e) for e in report.errors],
        )
        self.assertFalse(
            Observation.objects.filter(unit=self.wancheng_unit, year=2023, month=10).exists()
        )
        report = run_import(
            "observations",
            text.replace("说" * 201, "说" * 200).encode(),
            "d.csv",
            self.wancheng,
            channel="web",
        )
        self.assertTrue(report.ok, report.errors)
        obs = Observation.objects.get(
            unit=self.wancheng_unit, year=2023, month=10, indicator=self.retail
        )
        self.assertTrue(obs.revisions.get().reason.endswith("。说明：" + "说" * 200))

    def test_the_workflow_refuses_a_submission_breaking_an_error_rule(self):
        obs = workflow.save_draft(
            self.wancheng, self.retail, self.wancheng_unit, 2023, 10, self.sept - 1, None
        )
        with self.assertRaisesMessage(
            workflow.WorkflowError, "未通过校验，不能提交：【单月值不得为负"
        ):
            workflow.submit(self.wancheng, obs)
        obs.refresh_from_db()
        self.assertEqual(obs.status, Status.DRAFT)

    def test_the_validation_report_lists_every_violation_for_staff_only(self):
        obs = workflow.save_draft(
            self.wancheng, self.retail, self.wancheng_unit, 2023, 10, self.sept - 1, None
        )
        self.assertEqual(obs.status, Status.DRAFT)
        self.login(self.dispatch)
        response = self.client.get(reverse("reporting-validation"), {"period": OPEN})
        self.assertContains(response, "单月值不得为负")
        self.assertEqual(response.context["errors"], 1)
        for user in (self.wancheng, self.leader):
            self.login(user)
            response = self.client.get(reverse("reporting-validation"), {"period": OPEN})
            self.assertEqual(response.status_code, 403)
