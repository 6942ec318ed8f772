"""Multi-level approval along the form's chain (市主管部门审核 → 调度办审核), and
concurrent actions on one figure (reliability F3, F16): a second action on a figure
that changed since its page was loaded gets a conflict message and changes nothing."""

from __future__ import annotations

from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from baozheng.reporting import approval
from baozheng.reporting.models import StepApproval
from baozheng.stats import workflow
from baozheng.stats.models import Observation, Status
from tests.reporting.base import ReportingTestCase


class ApprovalChainTests(ReportingTestCase):
    def submitted(self) -> Observation:
        sept = Observation.objects.get(
            indicator=self.retail, unit=self.wancheng_unit, year=2023, month=9
        )
        obs = workflow.save_draft(
            self.wancheng, self.retail, self.wancheng_unit, 2023, 10, sept.value + 20, None
        )
        return workflow.submit(self.wancheng, obs)

    def test_the_figure_counts_only_after_the_last_step(self):
        obs = self.submitted()
        obs = workflow.approve(self.dept, obs)
        self.assertEqual((obs.status, obs.value), (Status.SUBMITTED, None))
        self.assertEqual(StepApproval.objects.get().step.name, "市主管部门审核")
        self.assertIn("第1步“市主管部门审核”审核通过", obs.revisions.last().reason)
        obs = workflow.approve(self.dispatch, obs)
        self.assertEqual(obs.status, Status.APPROVED)
        self.assertIsNotNone(obs.value)

    def test_a_step_is_refused_to_the_wrong_role(self):
        obs = self.submitted()
        with self.assertRaisesMessage(workflow.WorkflowError, "应由部门人员审核"):
            workflow.approve(self.dispatch, obs)
        obs = workflow.approve(self.dept, obs)
        with self.assertRaisesMessage(workflow.WorkflowError, "应由调度办审核"):
            workflow.approve(self.dept, obs)
        obs.refresh_from_db()
        self.assertEqual(obs.status, Status.SUBMITTED)

    def test_each_approver_sees_only_figures_at_their_step(self):
        obs = self.submitted()

        def listed(user) -> dict:
            self.login(user)
            items = self.client.get(reverse("monitor-review")).context["items"]
            return {i["obs"].pk: i for i in items}

        self.assertNotIn(obs.pk, listed(self.dispatch))
        mine = listed(self.dept)
        self.assertIn(obs.pk, mine)
        response = self.client.post(
            reverse("monitor-review-action"),
            {"obs": [obs.pk], "action": "approve", f"rev-{obs.pk}": mine[obs.pk]["revision"]},
            follow=True,
        )
        self.assertContains(response, "已通过本级审核 1 项，转下一步审核")
        self.assertNotIn(obs.pk, listed(self.dept))
        self.assertIn(obs.pk, listed(self.dispatch))

    def test_whose_step_it_is_is_read_in_the_same_queries_for_one_figure_or_many(self):
        """The review page and the home page's hint ask about up to 500 figures at once."""
        first = self.submitted()
        wolong = Observation.objects.get(
            indicator=self.retail, unit=self.wolong_unit, year=2023, month=10
        )
        second = workflow.approve(self.dept, wolong)  # submitted on time, now at step 2

        def asked(user, figures: list[Observation]) -> tuple[list[int], int]:
            figures = list(
                Observation.objects.filter(pk__in=[o.pk for o in figures])
                .select_related("indicator__department", "unit")
                .order_by("pk")
            )
            with CaptureQueriesContext(connection) as queries:
                found = approval.actionable(user, figures)
            return [o.pk for o in found], len(queries)

        self.assertEqual(asked(self.dept, [first])[0], [first.pk])
        self.assertEqual(asked(self.dept, [first, second])[0], [first.pk])
        self.assertEqual(asked(self.dispatch, [first, second])[0], [second.pk])
        self.assertEqual(asked(self.dept, [first, second])[1], asked(self.dept, [first])[1])

    def test_a_return_at_the_second_step_restarts_the_chain(self):
        obs = workflow.approve(self.dept, self.submitted())
        obs = workflow.return_for_correction(self.dispatch, obs, "与统计局口径不一致")
        self.assertEqual(obs.status, Status.RETURNED)
        obs = workflow.submit(self.wancheng, obs)
        with self.assertRaisesMessage(workflow.WorkflowError, "应由部门人员审核"):
            workflow.approve(self.dispatch, obs)


class ConcurrencyTests(ReportingTestCase):
    def setUp(self) -> None:
        sept = Observation.objects.get(
            indicator=self.retail, unit=self.wancheng_unit, year=2023, month=9
        )
        obs = workflow.save_draft(
            self.wancheng, self.retail, self.wancheng_unit, 2023, 10, sept.value + 20, None
        )
        self.obs = workflow.submit(self.wancheng, obs)

    def test_a_return_on_a_page_loaded_before_an_approval_changes_nothing(self):
        seen = workflow.latest_revision_id(self.obs)
        workflow.approve(self.dept, self.obs, seen)
        with self.assertRaisesMessage(workflow.ConflictError, "本次操作未做任何更改"):
            workflow.return_for_correction(self.admin, self.obs, "退回", seen)
        self.obs.refresh_from_db()
        self.assertEqual(self.obs.status, Status.SUBMITTED)
        self.assertEqual(self.obs.revisions.filter(status=Status.RETURNED).count(), 0)

    def test_a_stale_object_cannot_undo_an_approval(self):
        """F3: the copy the view loaded says submitted; the stored figure is approved."""
        stale = Observation.objects.get(pk=self.obs.pk)
        workflow.approve(self.dept, self.obs)
        done = workflow.approve(self.dispatch, self.obs)
        self.assertEqual(done.status, Status.APPROVED)
        with self.assertRaisesMessage(workflow.WorkflowError, "只有已提交的数据可以退回"):
            workflow.return_for_correction(self.admin, stale, "退回")
        stale.refresh_from_db()
        self.assertEqual((stale.status, stale.has_approved), (Status.APPROVED, True))
        self.assertIsNotNone(stale.value)

    def test_two_approvers_posting_the_same_page_get_one_approval_and_one_conflict(self):
        items_rev = workflow.latest_revision_id(self.obs)
        data = {"obs": [self.obs.pk], "action": "approve", f"rev-{self.obs.pk}": items_rev}
        self.login(self.dept)
        self.client.post(reverse("monitor-review-action"), data)
        self.login(self.admin)
        response = self.client.post(reverse("monitor-review-action"), data, follow=True)
        self.assertContains(response, "该数据在您打开页面后已被他人处理或修改")
        self.assertEqual(StepApproval.objects.count(), 1)

    def test_a_revision_on_a_stale_page_is_refused(self):
        """F16: two corrections of one approved figure; the second one is told."""
        workflow.approve(self.dept, self.obs)
        obs = workflow.approve(self.dispatch, self.obs)
        seen = workflow.latest_revision_id(obs)
        url = reverse("monitor-observation", args=[obs.pk])
        self.login(self.dispatch)
        form = {"value": "111.1", "reason": "核对", f"rev-{obs.pk}": seen}
        self.client.post(url, form)
        self.login(self.admin)
        response = self.client.post(url, {**form, "value": "222.2"}, follow=True)
        self.assertContains(response, "该数据在您打开页面后已被他人处理或修改")
        obs.refresh_from_db()
        self.assertEqual(obs.value, Decimal("111.1"))
