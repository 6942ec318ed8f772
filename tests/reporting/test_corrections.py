"""Correction requests follow the form's approval chain (demo: 市主管部门审核 → 调度办审核):
each step passes the request on or rejects it with a reason, only the last step applies
the figures (and stores the new release version), every decision is audited, a stale
page changes nothing, and nobody decides on their own request."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from importlib import import_module

from auditlog.models import LogEntry
from django.apps import apps as django_apps
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from baozheng.analysis.periods import Period
from baozheng.reporting.corrections import decide, request_correction, withdraw
from baozheng.reporting.models import CorrectionDecision, CorrectionRequest, Release
from baozheng.reporting.views_corrections import DECIDED_SHOWN
from baozheng.stats import workflow
from baozheng.stats.models import Observation
from tests.interleave import after_query
from tests.reporting.base import ReportingTestCase

SEPT = Period(2023, 9)


class CorrectionTestCase(ReportingTestCase):
    """Wancheng's clerk has asked to correct retail sales of January-September."""

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


class CorrectionChainTests(CorrectionTestCase):
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
        withdraw(self.wancheng, self.correction)  # one pending request per figure
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
        withdraw(self.wancheng, self.correction)  # one pending request per figure
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
        withdraw(self.wancheng, self.correction)  # one pending request per figure
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


class OnePendingRequestPerFigureTests(CorrectionTestCase):
    """A second request for a figure while one waits was stored, and the approvers applied
    both in whichever order they reached them, the older figures possibly last."""

    def pending(self) -> list[tuple[int, str]]:
        return list(CorrectionRequest.objects.filter(state="pending").values_list("pk", "reason"))

    def test_a_second_request_for_a_waiting_figure_is_refused_and_names_the_first(self):
        asked = timezone.localtime(self.correction.requested_at)
        with self.assertRaisesMessage(
            workflow.WorkflowError,
            f"宛城区社会消费品零售总额2023年1-9月已有一条待审批的更正申请"
            f"（宛城区填报员 张伟，{asked:%Y-%m-%d %H:%M}提交），请待其审批完成或由申请人撤回后再提交",
        ):
            self.ask(self.wancheng)
        self.assertEqual(self.pending(), [(self.correction.pk, "漏报一家新入统企业")])

    def test_the_page_says_why_and_keeps_what_was_typed(self):
        self.login(self.wancheng)
        data = {
            "indicator": self.retail.pk,
            "unit": self.wancheng_unit.pk,
            "period": "2023-09",
            "value": "612",
            "reason": "第二次更正",
        }
        response = self.client.post(reverse("reporting-corrections"), data)
        self.assertContains(response, "已有一条待审批的更正申请")
        self.assertContains(response, 'value="612"')
        self.assertEqual(CorrectionRequest.objects.count(), 1)

    def test_the_requester_withdraws_and_may_ask_again_and_the_withdrawal_is_audited(self):
        self.login(self.wancheng)
        page = self.client.get(reverse("reporting-corrections"))
        url = reverse("reporting-correction-withdraw", args=[self.correction.pk])
        self.assertContains(page, f'action="{url}"')
        response = self.client.post(url, follow=True)
        self.assertContains(response, "已撤回更正申请，可重新提交")
        self.assertContains(response, "已撤回")
        self.correction.refresh_from_db()
        self.assertEqual(
            (self.correction.state, self.correction.decided_by), ("withdrawn", self.wancheng)
        )
        entry = LogEntry.objects.get_for_object(self.correction).latest("pk")
        self.assertEqual(entry.changes_dict["state"], ["pending", "withdrawn"])
        again = self.ask(self.wancheng)
        self.assertEqual(self.pending(), [(again.pk, "漏报一家新入统企业")])

    def test_only_the_requester_withdraws_and_only_while_it_waits(self):
        url = reverse("reporting-correction-withdraw", args=[self.correction.pk])
        for user in (self.wolong, self.dept, self.dispatch, self.leader):
            self.login(user)
            with self.subTest(user=user.username):
                self.assertEqual(self.client.post(url).status_code, 403)
        self.client.logout()
        self.assertIn("login", self.client.post(url)["Location"])
        self.correction.refresh_from_db()
        self.assertEqual(self.correction.state, "pending")
        decide(self.dept, self.correction, accept=False, note="数据无依据")
        with self.assertRaisesMessage(
            workflow.WorkflowError, "该更正申请已驳回，不能撤回，本次操作未做任何更改"
        ):
            withdraw(self.wancheng, self.correction)
        self.correction.refresh_from_db()
        self.assertEqual(self.correction.state, "rejected")

    def test_an_approvers_decision_made_meanwhile_stands_over_a_withdrawal(self):
        # the requester's page still shows 撤回; the first step rejects it before the click lands
        self.login(self.wancheng)
        url = reverse("reporting-correction-withdraw", args=[self.correction.pk])
        decide(self.dept, self.correction, accept=False, note="数据无依据")
        response = self.client.post(url, follow=True)
        self.assertContains(response, "该更正申请已驳回，不能撤回")
        self.correction.refresh_from_db()
        self.assertEqual(
            (self.correction.state, self.correction.decision_note), ("rejected", "数据无依据")
        )

    def test_a_request_stored_meanwhile_by_a_colleague_is_named_not_a_server_error(self):
        self.correction.delete()

        def colleague_asks() -> None:
            self.ask(self.dispatch)

        with after_query('FROM "reporting_correctionrequest"', colleague_asks):
            with self.assertRaisesMessage(workflow.WorkflowError, "（调度办 李明，"):
                self.ask(self.wancheng)
        self.assertEqual([r for _, r in self.pending()], ["漏报一家新入统企业"])
        self.assertEqual(CorrectionRequest.objects.get().requested_by, self.dispatch)

    def test_the_upgrade_keeps_the_latest_of_several_waiting_requests_for_a_figure(self):
        """Stored before the constraint: the migration's data step leaves the latest
        request waiting and marks the earlier ones withdrawn, saying why."""
        with connection.cursor() as cursor:  # as before the migration; rolled back after
            cursor.execute("DROP INDEX one_pending_correction_per_figure")
        second = CorrectionRequest.objects.create(
            indicator=self.retail,
            unit=self.wancheng_unit,
            year=2023,
            month=9,
            value=Decimal("510"),
            reason="再次更正",
            requested_by=self.wancheng,
        )
        other_figure = request_correction(
            self.wolong, self.retail, self.wolong_unit, SEPT, Decimal("9"), None, "补报"
        )
        step = import_module("baozheng.reporting.migrations.0007_one_pending_correction_per_figure")
        step.withdraw_all_but_the_latest_pending(django_apps, None)
        states = dict(CorrectionRequest.objects.values_list("pk", "state"))
        self.assertEqual(
            states,
            {self.correction.pk: "withdrawn", second.pk: "pending", other_figure.pk: "pending"},
        )
        self.correction.refresh_from_db()
        self.assertEqual(self.correction.decision_note, "同一数据有较新的更正申请，升级时撤回")

    def test_a_waiting_request_is_listed_behind_any_number_of_decided_ones(self):
        """The page listed the latest 200 requests; one still waiting behind 200 newer
        decided ones was out of every approver's sight."""
        later = timezone.now() + timedelta(days=1)
        decided = [
            CorrectionRequest(
                indicator=self.retail,
                unit=self.wolong_unit,
                year=2023,
                month=9,
                value=Decimal(n),
                reason=f"已处理{n}",
                state="rejected",
                requested_by=self.wolong,
            )
            for n in range(DECIDED_SHOWN + 1)
        ]
        CorrectionRequest.objects.bulk_create(decided)
        CorrectionRequest.objects.exclude(pk=self.correction.pk).update(requested_at=later)
        self.login(self.dept)
        response = self.client.get(reverse("reporting-corrections"))
        self.assertContains(response, "漏报一家新入统企业")
        self.assertContains(response, "审核通过")
        self.assertContains(response, f"已处理的申请只列出最近 {DECIDED_SHOWN} 项")
        self.assertContains(response, '<td class="small">已处理', count=DECIDED_SHOWN)
