from decimal import Decimal

from django.core.exceptions import PermissionDenied

from baozheng.stats import workflow
from baozheng.stats.models import Observation, Status
from baozheng.stats.workflow import WorkflowError
from baozheng.testing import BaozhengTestCase
from tests.stats import factory


class WorkflowTests(BaozhengTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.ind = factory.indicators()

    def draft(self, value: str = "100") -> Observation:
        return workflow.save_draft(
            self.wancheng,
            self.ind["RETAIL"],
            self.wancheng_unit,
            2023,
            6,
            Decimal(value),
            Decimal("8.0"),
        )

    def test_a_clerk_drafts_and_submits_and_nothing_is_approved_yet(self) -> None:
        obs = workflow.submit(self.wancheng, self.draft())
        self.assertEqual(
            (obs.status, obs.value, obs.pending_value), (Status.SUBMITTED, None, Decimal("100"))
        )
        self.assertEqual(
            list(obs.revisions.values_list("status", flat=True)), [Status.DRAFT, Status.SUBMITTED]
        )

    def test_the_indicators_department_approves_and_the_figures_become_the_read_ones(self) -> None:
        obs = workflow.approve(self.dept, workflow.submit(self.wancheng, self.draft()))
        self.assertEqual(
            (obs.status, obs.value, obs.growth, obs.pending_value),
            (Status.APPROVED, Decimal("100"), Decimal("8.0"), None),
        )
        self.assertTrue(obs.has_approved)

    def test_department_staff_cannot_approve_another_departments_indicator(self) -> None:
        obs = workflow.save_draft(
            self.wancheng, self.ind["FIVEG"], self.wancheng_unit, 2023, 6, Decimal("5"), None
        )
        workflow.submit(self.wancheng, obs)
        with self.assertRaises(PermissionDenied):
            workflow.approve(self.dept, obs)
        self.assertEqual(workflow.approve(self.dispatch, obs).status, Status.APPROVED)

    def test_a_clerk_cannot_approve_nor_enter_another_county(self) -> None:
        obs = workflow.submit(self.wancheng, self.draft())
        with self.assertRaises(PermissionDenied):
            workflow.approve(self.wancheng, obs)
        with self.assertRaises(PermissionDenied):
            workflow.save_draft(
                self.wolong, self.ind["RETAIL"], self.wancheng_unit, 2023, 6, Decimal("1"), None
            )
        with self.assertRaises(PermissionDenied):
            workflow.save_draft(
                self.leader, self.ind["RETAIL"], self.wancheng_unit, 2023, 6, Decimal("1"), None
            )

    def test_returning_needs_a_reason_and_lets_the_clerk_correct_and_resubmit(self) -> None:
        obs = workflow.submit(self.wancheng, self.draft())
        with self.assertRaisesMessage(WorkflowError, "退回须说明理由"):
            workflow.return_for_correction(self.dept, obs, " ")
        obs = workflow.return_for_correction(self.dept, obs, "增速波动过大，请核实")
        self.assertEqual((obs.status, obs.note), (Status.RETURNED, "增速波动过大，请核实"))
        obs = workflow.save_draft(
            self.wancheng, self.ind["RETAIL"], self.wancheng_unit, 2023, 6, Decimal("99"), None
        )
        self.assertEqual(workflow.submit(self.wancheng, obs).pending_value, Decimal("99"))

    def test_invalid_transitions_are_refused_in_chinese(self) -> None:
        obs = self.draft()
        with self.assertRaisesMessage(WorkflowError, "只有已提交的数据可以审核通过"):
            workflow.approve(self.dept, obs)
        workflow.submit(self.wancheng, obs)
        with self.assertRaisesMessage(WorkflowError, "已提交审核"):
            self.draft("101")
        with self.assertRaisesMessage(WorkflowError, "只有草稿或已退回的数据可以提交"):
            workflow.submit(self.wancheng, obs)
        with self.assertRaisesMessage(WorkflowError, "增速类指标"):
            workflow.save_draft(
                self.admin, self.ind["GDP"], self.city, 2023, 6, Decimal("1"), Decimal("8")
            )

    def test_a_draft_over_approved_figures_leaves_the_approved_ones_in_force(self) -> None:
        workflow.approve(self.dept, workflow.submit(self.wancheng, self.draft()))
        obs = self.draft("120")
        self.assertEqual(
            (obs.status, obs.value, obs.pending_value),
            (Status.DRAFT, Decimal("100"), Decimal("120")),
        )

    def test_locking_a_period_freezes_approved_figures_and_counts_pending_ones(self) -> None:
        workflow.approve(self.dept, workflow.submit(self.wancheng, self.draft()))
        workflow.save_draft(
            self.wolong, self.ind["RETAIL"], self.wolong_unit, 2023, 6, Decimal("5"), None
        )
        with self.assertRaises(PermissionDenied):
            workflow.lock_period(self.wancheng, 2023, 6)
        result = workflow.lock_period(self.dispatch, 2023, 6, unit=self.city)
        self.assertEqual((result.locked, result.still_pending), (1, 1))
        with self.assertRaisesMessage(WorkflowError, "已锁定"):
            self.draft("130")

    def test_revising_locked_figures_needs_an_approver_and_a_reason(self) -> None:
        obs = workflow.approve(self.dept, workflow.submit(self.wancheng, self.draft()))
        workflow.lock_period(self.admin, 2023, 6)
        obs.refresh_from_db()
        with self.assertRaisesMessage(WorkflowError, "须说明理由"):
            workflow.revise(self.dept, obs, Decimal("101"), Decimal("8.0"), "")
        with self.assertRaises(PermissionDenied):
            workflow.revise(self.wancheng, obs, Decimal("101"), Decimal("8.0"), "更正")
        obs = workflow.revise(self.dept, obs, Decimal("101"), Decimal("8.0"), "统计局反馈更正")
        self.assertEqual((obs.status, obs.value), (Status.LOCKED, Decimal("101")))
        last = obs.revisions.order_by("-id").first()
        self.assertEqual(
            (last.reason, last.value, last.created_by),
            ("统计局反馈更正", Decimal("101"), self.dept),
        )
        self.assertEqual(obs.revisions.count(), 5)  # draft, submitted, approved, locked, revised

    def test_a_reason_longer_than_its_column_is_refused_and_one_that_fits_is_kept_whole(
        self,
    ) -> None:
        obs = workflow.submit(self.wancheng, self.draft())
        with self.assertRaisesMessage(WorkflowError, "退回理由超过 300 字（301 字）"):
            workflow.return_for_correction(self.dept, obs, "退" * 301)
        obs.refresh_from_db()
        self.assertEqual((obs.status, obs.note, obs.revisions.count()), (Status.SUBMITTED, "", 2))
        obs = workflow.return_for_correction(self.dept, obs, "退" * 300)
        self.assertEqual((obs.status, obs.note), (Status.RETURNED, "退" * 300))

    def test_a_revision_reason_longer_than_its_column_changes_nothing(self) -> None:
        obs = workflow.approve(self.dept, workflow.submit(self.wancheng, self.draft()))
        with self.assertRaisesMessage(WorkflowError, "修订理由超过 300 字（301 字）"):
            workflow.revise(self.dept, obs, Decimal("101"), None, "修" * 301)
        obs.refresh_from_db()
        self.assertEqual((obs.value, obs.revisions.count()), (Decimal("100"), 3))
        obs = workflow.revise(self.dept, obs, Decimal("101"), None, "修" * 300)
        self.assertEqual(
            (obs.value, obs.revisions.order_by("-id")[0].reason), (Decimal("101"), "修" * 300)
        )
