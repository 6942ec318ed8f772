"""Data entry, review, revision, locking and progress through the web pages, with the
refusals: a clerk enters only their county, a leader neither enters nor approves, a clerk
does not approve, a department approves only its own indicators."""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse

from baozheng.stats.models import Indicator, Observation, Status
from tests.monitor.base import MonitorTestCase

ENTRY = reverse("monitor-entry")


class WorkflowPageTests(MonitorTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.retail = Indicator.objects.get(code="B01")
        cls.gdp = Indicator.objects.get(code="A01")

    def entry_url(self, unit: str = "411302", period: str = "2023-10") -> str:
        return f"{ENTRY}?unit={unit}&period={period}"

    def test_a_clerks_grid_opens_on_the_period_being_collected(self):
        self.login(self.wancheng)
        response = self.client.get(ENTRY)
        self.assertEqual(response.context["unit"], self.wancheng_unit)
        self.assertEqual(response.context["period"].code, "2023-10")
        self.assertContains(response, "社会消费品零售总额")
        self.assertNotContains(response, "地区生产总值")  # quarterly: not released at 1-10月

    def test_a_clerk_saves_a_draft_and_submits_it(self):
        self.login(self.wancheng)
        response = self.client.post(
            self.entry_url(),
            {
                f"value-{self.retail.pk}": "180.5",
                f"growth-{self.retail.pk}": "7.2",
                "action": "save",
            },
        )
        self.assertEqual(response.status_code, 302)
        obs = Observation.objects.get(
            indicator=self.retail, unit=self.wancheng_unit, year=2023, month=10
        )
        self.assertEqual((obs.status, obs.pending_value), (Status.DRAFT, Decimal("180.5")))
        self.assertIsNone(obs.value)  # a draft never reaches a computation
        self.client.post(
            self.entry_url(),
            {
                f"value-{self.retail.pk}": "180.5",
                f"growth-{self.retail.pk}": "7.2",
                "action": "submit",
            },
        )
        obs.refresh_from_db()
        self.assertEqual(obs.status, Status.SUBMITTED)

    def test_a_figure_that_is_not_a_number_saves_nothing(self):
        self.login(self.wancheng)
        response = self.client.post(
            self.entry_url(),
            {f"value-{self.retail.pk}": "12o", f"growth-{self.gdp.pk}": "5", "action": "save"},
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "不是数字")
        self.assertFalse(
            Observation.objects.filter(unit=self.wancheng_unit, year=2023, month=10).exists()
        )

    def test_a_growth_jump_is_saved_with_a_warning(self):
        self.login(self.wancheng)
        response = self.client.post(
            self.entry_url(), {f"growth-{self.retail.pk}": "60", "action": "save"}, follow=True
        )
        self.assertContains(response, "请核实")
        self.assertTrue(
            Observation.objects.filter(
                unit=self.wancheng_unit, indicator=self.retail, year=2023, month=10
            ).exists()
        )

    def test_a_clerk_may_not_enter_another_countys_figures(self):
        self.login(self.wancheng)
        self.assertEqual(self.client.get(self.entry_url(unit="411303")).status_code, 403)
        response = self.client.post(
            self.entry_url(unit="411303"), {f"value-{self.retail.pk}": "1", "action": "save"}
        )
        self.assertEqual(response.status_code, 403)
        self.assertFalse(
            Observation.objects.filter(unit=self.wolong_unit, year=2023, month=10).exists()
        )

    def test_a_leader_may_neither_enter_nor_approve(self):
        self.login(self.leader)
        self.assertEqual(self.client.get(ENTRY).status_code, 403)
        self.assertEqual(self.client.get(reverse("monitor-review")).status_code, 403)
        pending = Observation.objects.get(
            unit__code="411330", indicator=self.retail, year=2023, month=9
        )
        response = self.client.post(
            reverse("monitor-review-action"), {"obs": [pending.pk], "action": "approve"}
        )
        self.assertEqual(response.status_code, 403)
        pending.refresh_from_db()
        self.assertEqual(pending.status, Status.SUBMITTED)

    def test_a_clerk_may_not_approve(self):
        self.login(self.wancheng)
        self.assertEqual(self.client.get(reverse("monitor-review")).status_code, 403)
        pending = Observation.objects.get(
            unit__code="411330", indicator=self.retail, year=2023, month=9
        )
        self.client.post(
            reverse("monitor-review-action"), {"obs": [pending.pk], "action": "approve"}
        )
        pending.refresh_from_db()
        self.assertEqual(pending.status, Status.SUBMITTED)

    def test_the_department_sees_and_approves_only_its_own_indicators(self):
        self.login(self.dept)
        response = self.client.get(reverse("monitor-review"))
        names = {item["obs"].indicator.code for item in response.context["items"]}
        self.assertEqual(names, {"B01"})  # 一般公共预算收入 (财政局) waits for another department
        retail = response.context["items"][0]["obs"]
        self.client.post(
            reverse("monitor-review-action"), {"obs": [retail.pk], "action": "approve"}
        )
        retail.refresh_from_db()
        self.assertEqual(retail.status, Status.APPROVED)
        self.assertIsNotNone(retail.value)
        budget = Observation.objects.get(
            unit__code="411330", indicator__code="B06", year=2023, month=9
        )
        self.client.post(
            reverse("monitor-review-action"), {"obs": [budget.pk], "action": "approve"}
        )
        budget.refresh_from_db()
        self.assertEqual(budget.status, Status.SUBMITTED)

    def test_returning_needs_a_reason_which_is_kept_on_the_figure(self):
        self.login(self.dispatch)
        pending = Observation.objects.get(
            unit__code="411330", indicator=self.retail, year=2023, month=9
        )
        self.client.post(
            reverse("monitor-review-action"), {"obs": [pending.pk], "action": "return"}
        )
        pending.refresh_from_db()
        self.assertEqual(pending.status, Status.SUBMITTED)
        self.client.post(
            reverse("monitor-review-action"),
            {"obs": [pending.pk], "action": "return", "reason": "与统计局口径不一致"},
        )
        pending.refresh_from_db()
        self.assertEqual((pending.status, pending.note), (Status.RETURNED, "与统计局口径不一致"))

    def test_a_return_reason_over_the_limit_is_refused_once_and_returns_nothing(self):
        self.login(self.dispatch)
        pending = Observation.objects.get(
            unit__code="411330", indicator=self.retail, year=2023, month=9
        )
        self.assertContains(self.client.get(reverse("monitor-review")), 'maxlength="300"')
        action = reverse("monitor-review-action")
        response = self.client.post(
            action, {"obs": [pending.pk], "action": "return", "reason": "退" * 301}, follow=True
        )
        self.assertEqual(
            [str(m) for m in response.context["messages"]],
            ["退回理由超过 300 字（301 字），请删减后重新提交"],
        )
        pending.refresh_from_db()
        self.assertEqual((pending.status, pending.note), (Status.SUBMITTED, ""))
        self.client.post(action, {"obs": [pending.pk], "action": "return", "reason": "退" * 300})
        pending.refresh_from_db()
        self.assertEqual((pending.status, pending.note), (Status.RETURNED, "退" * 300))

    def test_a_revision_reason_over_the_limit_is_refused_and_kept_in_the_form(self):
        obs = Observation.objects.get(
            unit=self.wancheng_unit, indicator=self.retail, year=2023, month=8
        )
        url = reverse("monitor-observation", args=[obs.pk])
        self.login(self.dept)
        self.assertContains(self.client.get(url), 'maxlength="300"')
        response = self.client.post(url, {"value": "999", "growth": "", "reason": "修" * 301})
        self.assertContains(response, "修订理由超过 300 字（301 字）")
        self.assertContains(response, f'value="{"修" * 301}"')
        obs.refresh_from_db()
        self.assertNotEqual(obs.value, Decimal("999"))
        self.client.post(url, {"value": "999", "growth": "", "reason": "修" * 300})
        obs.refresh_from_db()
        self.assertEqual((obs.value, obs.note), (Decimal("999"), "修" * 300))

    def test_approved_figures_change_only_through_a_revision_with_a_reason(self):
        obs = Observation.objects.get(
            unit=self.wancheng_unit, indicator=self.retail, year=2023, month=8
        )
        url = reverse("monitor-observation", args=[obs.pk])
        self.login(self.wancheng)
        response = self.client.get(url)
        self.assertFalse(response.context["may_revise"])
        self.assertEqual(self.client.post(url, {"value": "1", "reason": "x"}).status_code, 403)
        self.login(self.dept)
        self.client.post(url, {"value": "999", "growth": "", "reason": ""})
        obs.refresh_from_db()
        self.assertNotEqual(obs.value, Decimal("999"))
        self.client.post(url, {"value": "999", "growth": "", "reason": "统计局更正"})
        obs.refresh_from_db()
        self.assertEqual(obs.value, Decimal("999"))
        self.assertContains(self.client.get(url), "统计局更正")

    def test_a_clerk_cannot_see_another_countys_data_record(self):
        obs = Observation.objects.get(
            unit=self.wolong_unit, indicator=self.retail, year=2023, month=8
        )
        self.login(self.wancheng)
        self.assertEqual(
            self.client.get(reverse("monitor-observation", args=[obs.pk])).status_code, 403
        )

    def test_locking_a_period_counts_what_is_still_pending(self):
        self.login(self.dispatch)
        response = self.client.post(reverse("monitor-lock"), {"period": "2023-09"}, follow=True)
        self.assertContains(response, "2023年1-9月已锁定")
        in_city = Observation.objects.filter(
            year=2023, month=9, unit__path__startswith=self.city.path
        )
        self.assertFalse(in_city.filter(status=Status.APPROVED).exists())
        self.assertContains(response, "仍有 4 项待审核或待填报")  # the demo's pending figures

    def test_the_progress_page_lists_who_has_not_submitted_by_the_deadline(self):
        self.login(self.dispatch)
        response = self.client.get(reverse("monitor-progress"), {"period": "2023-09"})
        rows = {row.unit.code: row for row in response.context["rows"]}
        self.assertNotIn("411300", rows)  # the city's figures are derived or published, not entered
        self.assertEqual([m.indicator.code for m in rows["411330"].missing], [])  # submitted counts
        self.assertEqual([m.indicator.code for m in rows["411327"].missing], ["A02"])  # a draft
        # the demo form is due on the 3rd working day: after the 国庆 holiday, 2023-10-09
        self.assertEqual(rows["411327"].missing[0].deadline.isoformat(), "2023-10-09")
        self.assertContains(response, "逾期")

    def test_a_clerk_sees_only_their_county_in_the_progress(self):
        self.login(self.wancheng)
        rows = self.client.get(reverse("monitor-progress")).context["rows"]
        self.assertEqual([row.unit for row in rows], [self.wancheng_unit])

    def test_the_home_page_tells_a_clerk_and_a_department_what_to_do(self):
        self.login(self.wancheng)
        self.assertContains(self.client.get("/"), "2023年1-10月数据待填报")
        self.login(self.dept)
        self.assertContains(self.client.get("/"), "待审核 1 项")

    def test_an_approval_shows_on_the_dashboard_at_once(self):
        self.login(self.dispatch)
        overview = reverse("monitor-overview")

        def budget_status() -> str:
            lines = self.client.get(overview, {"period": "2023-09"}).context["lines"]
            return next(line["row"].status for line in lines if line["indicator"].code == "B06")

        self.assertEqual(budget_status(), "no_data")  # the city's figure waits for 桐柏县
        pending = Observation.objects.get(
            unit__code="411330", indicator__code="B06", year=2023, month=9
        )
        self.client.post(
            reverse("monitor-review-action"), {"obs": [pending.pk], "action": "approve"}
        )
        self.assertNotEqual(budget_status(), "no_data")


class ConcurrentSaveTests(MonitorTestCase):
    def test_saving_a_grid_first_locks_its_unit(self):
        """Two requests saving and submitting one unit's lines deadlocked on PostgreSQL at
        month-end; saves of one unit now take the unit's row lock first, one at a time."""
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        if not connection.features.has_select_for_update:
            self.skipTest("SQLite takes the whole database's write lock anyway")
        retail = Indicator.objects.get(code="B01")
        self.login(self.wancheng)
        with CaptureQueriesContext(connection) as queries:
            response = self.client.post(
                f"{ENTRY}?unit=411302&period=2023-10",
                {f"value-{retail.pk}": "180.5", f"growth-{retail.pk}": "7.2", "action": "save"},
            )
        self.assertEqual(response.status_code, 302)
        sql = [q["sql"] for q in queries.captured_queries]
        unit_lock = next(i for i, s in enumerate(sql) if "org_unit" in s and "FOR UPDATE" in s)
        first_write = next(
            i for i, s in enumerate(sql) if "stats_observation" in s and "FOR UPDATE" in s
        )
        self.assertLess(unit_lock, first_write)
