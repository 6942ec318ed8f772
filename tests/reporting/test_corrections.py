"""Correction requests follow the form's approval chain (demo: 市主管部门审核 → 调度办审核):
each step passes the request on or rejects it with a reason, only the last step applies
the figures (and stores the new release version), every decision is audited, a stale
page changes nothing, and nobody decides on their own request."""

from __future__ import annotations

from decimal import Decimal

from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from baozheng.analysis.periods import Period
from baozheng.reporting.corrections import decide, request_correction
from baozheng.reporting.models import CorrectionDecision, CorrectionRequest, Release
from baozheng.stats import workflow
from baozheng.stats.models import Observation
from tests.reporting.base import ReportingTestCase

SEPT = Period(2023, 9)


class CorrectionChainTests(ReportingTestCase):
    def setUp(self) -> None:
        self.sept = Observation.objects.get(
            indicator=self.retail, unit=self.wancheng_unit, year=2023, month=9
        )
        self.correction = self.ask(self.wancheng)

    def ask(self, user) -> CorrectionRequest:
        return request_correction(
            user,
            self.retail,
            self.wancheng_unit,
            SEPT,
            Decimal("500"),
            self.sept.growth,
            "漏报一家新入统企业",
        )

    def value(self) -> Decimal:
        self.sept.refresh_from_db()
        return self.sept.value

    def test_the_first_step_passes_it_on_and_only_the_last_applies_it(self):
        before = self.value()
        self.assertEqual(decide(self.dept, self.correction, accept=True), [])
        self.correction.refresh_from_db()
        self.assertEqual((self.correction.state, self.correction.stage), ("pending", 1))
        self.assertEqual(self.value(), before)
        self.assertFalse(Release.objects.filter(year=2023, month=9, version=2).exists())
        released = decide(self.dispatch, self.correction, accept=True)
        self.assertEqual([r.version for r in released], [2])
        self.correction.refresh_from_db()
        self.assertEqual((self.correction.state, self.correction.stage), ("accepted", 2))
        self.assertEqual(self.value(), Decimal("500"))
        actions = list(self.correction.decisions.values_list("step_name", "action"))
        self.assertEqual(
            actions,
            [("第1步“市主管部门审核”", "passed"), ("第2步“调度办审核”", "applied")],
        )

    def test_a_step_is_refused_to_the_role_of_another_step(self):
        with self.assertRaises(PermissionDenied):
            decide(self.dispatch, self.correction, accept=True)
        decide(self.dept, self.correction, accept=True)
        with self.assertRaises(PermissionDenied):
            decide(self.dept, self.correction, accept=True)
        self.correction.refresh_from_db()
        self.assertEqual(self.correction.stage, 1)

    def test_the_second_step_may_reject_with_a_reason_and_nothing_is_applied(self):
        before = self.value()
        decide(self.dept, self.correction, accept=True)
        with self.assertRaisesMessage(workflow.WorkflowError, "驳回更正申请须说明理由"):
            decide(self.dispatch, self.correction, accept=False)
        decide(self.dispatch, self.correction, accept=False, note="与统计局口径不一致")
        self.correction.refresh_from_db()
        self.assertEqual(self.correction.state, "rejected")
        self.assertEqual(self.correction.decision_note, "与统计局口径不一致")
        self.assertEqual(self.value(), before)
        self.assertEqual(self.correction.decisions.last().action, "rejected")

    def test_a_stale_decision_is_a_conflict_and_changes_nothing(self):
        decide(self.dept, self.correction, accept=True, seen_stage=0)
        with self.assertRaisesMessage(workflow.ConflictError, "在您打开页面后已被他人处理"):
            decide(self.admin, self.correction, accept=False, note="退回", seen_stage=0)
        self.correction.refresh_from_db()
        self.assertEqual((self.correction.state, self.correction.stage), ("pending", 1))
        self.assertEqual(self.correction.decisions.count(), 1)

    def test_the_requester_cannot_decide_their_own_request(self):
        own = self.ask(self.dispatch)
        decide(self.dept, own, accept=True)
        with self.assertRaisesMessage(PermissionDenied, "不能审批本人提交的更正申请"):
            decide(self.dispatch, own, accept=True)
        self.login(self.dispatch)
        response = self.client.post(
            reverse("reporting-correction-decide", args=[own.pk]), {"action": "accept"}
        )
        self.assertEqual(response.status_code, 403)
        own.refresh_from_db()
        self.assertEqual((own.state, own.stage), ("pending", 1))
        decide(self.admin, own, accept=True)
        own.refresh_from_db()
        self.assertEqual(own.state, "accepted")

    def test_every_decision_is_audited(self):
        decide(self.dept, self.correction, accept=True)
        decision = CorrectionDecision.objects.get()
        self.assertTrue(LogEntry.objects.get_for_object(decision).exists())
        change = LogEntry.objects.get_for_object(self.correction).latest("timestamp")
        self.assertIn("stage", change.changes_dict)

    def test_the_page_shows_the_step_and_a_stale_page_gets_the_conflict_message(self):
        self.login(self.dept)
        page = self.client.get(reverse("reporting-corrections"))
        self.assertContains(page, "待第1步“市主管部门审核”")
        self.assertContains(page, "审核通过")
        url = reverse("reporting-correction-decide", args=[self.correction.pk])
        response = self.client.post(url, {"action": "accept", "stage": "0"}, follow=True)
        self.assertContains(response, "已通过第1步“市主管部门审核”，转下一步审核")
        response = self.client.post(url, {"action": "accept", "stage": "0"}, follow=True)
        self.assertContains(response, "在您打开页面后已被他人处理")  # not a 403: just stale
        self.login(self.admin)
        response = self.client.post(url, {"action": "accept", "stage": "0"}, follow=True)
        self.assertContains(response, "在您打开页面后已被他人处理")
        self.correction.refresh_from_db()
        self.assertEqual(self.correction.stage, 1)
        self.login(self.dispatch)
        page = self.client.get(reverse("reporting-corrections"))
        self.assertContains(page, "待第2步“调度办审核”")
        self.assertContains(page, "采纳")
        response = self.client.post(url, {"action": "accept", "stage": "1"}, follow=True)
        self.assertContains(response, "已采纳更正申请，更正已生效；已发布南阳市通报第2版")

    def test_refusals_clerk_leader_and_anonymous(self):
        url = reverse("reporting-correction-decide", args=[self.correction.pk])
        for user in (self.wolong, self.leader):
            self.login(user)
            self.assertEqual(self.client.post(url, {"action": "accept"}).status_code, 403)
        self.client.logout()
        response = self.client.post(url, {"action": "accept"})
        self.assertEqual(response.status_code, 302)
        self.assertIn("login", response["Location"])
        self.correction.refresh_from_db()
        self.assertEqual((self.correction.state, self.correction.stage), ("pending", 0))

    def test_a_reason_over_its_column_is_refused_and_one_at_the_limit_is_kept_whole(self):
        with self.assertRaisesMessage(workflow.WorkflowError, "更正理由超过 300 字（301 字）"):
            request_correction(
                self.wancheng, self.retail, self.wancheng_unit, SEPT, Decimal("1"), None, "更" * 301
            )
        self.assertEqual(CorrectionRequest.objects.count(), 1)
        kept = request_correction(
            self.wancheng, self.retail, self.wancheng_unit, SEPT, Decimal("1"), None, "更" * 300
        )
        self.assertEqual(CorrectionRequest.objects.get(pk=kept.pk).reason, "更" * 300)

    def test_the_request_form_refuses_a_reason_over_the_limit_in_chinese(self):
        self.login(self.wancheng)
        url = reverse("reporting-corrections")
        self.assertContains(self.client.get(url), 'name="reason" maxlength="300"')
        data = {
            "indicator": self.retail.pk,
            "unit": self.wancheng_unit.pk,
            "period": "2023-09",
            "value": "1",
            "reason": "更" * 301,
        }
        response = self.client.post(url, data)
        self.assertContains(response, "更正理由超过 300 字（301 字），请删减后重新提交")
        self.assertContains(response, "更" * 301)  # the form again with what was typed
        self.assertEqual(CorrectionRequest.objects.count(), 1)
        self.client.post(url, data | {"reason": "更" * 300})
        self.assertEqual(CorrectionRequest.objects.latest("pk").reason, "更" * 300)

    def test_a_decision_note_over_its_column_decides_nothing(self):
        with self.assertRaisesMessage(workflow.WorkflowError, "审批意见超过 300 字（301 字）"):
            decide(self.dept, self.correction, accept=False, note="驳" * 301)
        self.correction.refresh_from_db()
        self.assertEqual((self.correction.state, self.correction.decisions.count()), ("pending", 0))
        self.login(self.dept)
        url = reverse("reporting-correction-decide", args=[self.correction.pk])
        self.assertContains(self.client.get(reverse("reporting-corrections")), 'maxlength="300"')
        response = self.client.post(
            url, {"action": "reject", "stage": "0", "note": "驳" * 301}, follow=True
        )
        self.assertContains(response, "审批意见超过 300 字（301 字），请删减后重新提交")
        self.correction.refresh_from_db()
        self.assertEqual(self.correction.state, "pending")
        self.client.post(url, {"action": "reject", "stage": "0", "note": "驳" * 300})
        self.correction.refresh_from_db()
        self.assertEqual(
            (self.correction.state, self.correction.decision_note), ("rejected", "驳" * 300)
        )
        self.assertEqual(self.correction.decisions.get().note, "驳" * 300)
