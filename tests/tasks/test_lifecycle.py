from django.core.exceptions import PermissionDenied

from baozheng.org.models import Unit
from baozheng.tasks.models import ProgressKind, SourceKind, Status
from baozheng.tasks.services import LifecycleError, add_progress, open_task, transition
from baozheng.testing import BaozhengTestCase
from tests.tasks.factory import make_task


class LifecycleTests(BaozhengTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.shangwu_unit = Unit.objects.get(code="411300SWJ")

    def test_a_task_goes_from_opened_to_closed_with_evidence_and_verifier(self):
        task = make_task(self.dispatch, self.wancheng_unit)
        self.assertEqual(task.status, Status.OPENED)
        add_progress(task, self.wancheng, "已召开专题会研究", percent_done=40)
        task.refresh_from_db()
        self.assertEqual((task.status, task.percent_done), (Status.IN_PROGRESS, 40))
        transition(task, Status.REPORTED, self.wancheng, note="已完成用电报装并送电")
        transition(task, Status.VERIFYING, self.dispatch)
        task = transition(task, Status.CLOSED, self.dispatch, note="现场核实无误")
        self.assertEqual(task.status, Status.CLOSED)
        self.assertEqual(task.closure_evidence, "已完成用电报装并送电")
        self.assertEqual(task.verified_by, self.dispatch)
        self.assertIsNotNone(task.closed_at)
        steps = list(
            task.progress.filter(kind=ProgressKind.TRANSITION).values_list("to_status", flat=True)
        )
        self.assertEqual(steps, ["opened", "in_progress", "reported", "verifying", "closed"])

    def test_the_dispatch_office_returns_a_report_for_rework_with_a_reason(self):
        task = make_task(self.dispatch, self.wancheng_unit)
        transition(task, Status.IN_PROGRESS, self.wancheng)
        transition(task, Status.REPORTED, self.wancheng, note="已办结")
        with self.assertRaisesMessage(LifecycleError, "请填写退回整改的原因"):
            transition(task, Status.IN_PROGRESS, self.dispatch)
        task = transition(task, Status.IN_PROGRESS, self.dispatch, note="佐证材料不全")
        self.assertEqual(
            (task.status, task.returned_reason, task.return_count),
            (Status.IN_PROGRESS, "佐证材料不全", 1),
        )
        self.assertIsNone(task.reported_on)

    def test_it_refuses_to_skip_verification(self):
        task = make_task(self.dispatch, self.wancheng_unit)
        transition(task, Status.IN_PROGRESS, self.wancheng)
        transition(task, Status.REPORTED, self.wancheng, note="已办结")
        with self.assertRaisesMessage(LifecycleError, "不能将督办事项从“已反馈”改为“办结销号”"):
            transition(task, Status.CLOSED, self.dispatch)

    def test_it_refuses_to_reopen_a_closed_task(self):
        task = make_task(self.dispatch, self.wancheng_unit)
        for to, user, note in [
            (Status.IN_PROGRESS, self.wancheng, ""),
            (Status.REPORTED, self.wancheng, "好"),
            (Status.VERIFYING, self.dispatch, ""),
            (Status.CLOSED, self.dispatch, ""),
        ]:
            task = transition(task, to, user, note=note)
        with self.assertRaisesMessage(LifecycleError, "事项已办结销号"):
            transition(task, Status.IN_PROGRESS, self.dispatch, note="再办")

    def test_a_report_needs_its_evidence(self):
        task = make_task(self.dispatch, self.wancheng_unit)
        transition(task, Status.IN_PROGRESS, self.wancheng)
        with self.assertRaisesMessage(LifecycleError, "请填写办理结果"):
            transition(task, Status.REPORTED, self.wancheng)

    def test_the_lead_unit_may_not_verify_its_own_task(self):
        task = make_task(self.dispatch, self.wancheng_unit)
        transition(task, Status.IN_PROGRESS, self.wancheng)
        transition(task, Status.REPORTED, self.wancheng, note="已办结")
        with self.assertRaises(PermissionDenied):
            transition(task, Status.VERIFYING, self.wancheng)

    def test_another_county_may_not_act_on_the_task(self):
        task = make_task(self.dispatch, self.wancheng_unit)
        with self.assertRaises(PermissionDenied):
            transition(task, Status.IN_PROGRESS, self.wolong)
        with self.assertRaises(PermissionDenied):
            add_progress(task, self.wolong, "越权填报")

    def test_a_leader_may_not_move_a_task(self):
        task = make_task(self.dispatch, self.wancheng_unit)
        with self.assertRaises(PermissionDenied):
            transition(task, Status.IN_PROGRESS, self.leader)

    def test_a_helping_unit_adds_notes_but_not_the_percentage(self):
        task = make_task(self.dispatch, self.shangwu_unit, helpers=[self.wancheng_unit])
        note = add_progress(task, self.wancheng, "已提供企业清单")
        self.assertEqual(note.unit, self.wancheng_unit)
        task.refresh_from_db()
        self.assertEqual(task.status, Status.OPENED)
        with self.assertRaisesMessage(LifecycleError, "完成进度由牵头单位填报"):
            add_progress(task, self.wancheng, "过半", percent_done=50)

    def test_open_task_needs_exactly_one_kind_of_deadline(self):
        with self.assertRaisesMessage(LifecycleError, "二者选一"):
            open_task(
                source_kind=SourceKind.MANUAL,
                title="x",
                lead_unit=self.wancheng_unit,
                created_by=self.dispatch,
            )

    def test_open_task_leaves_the_lead_unit_out_of_the_helpers(self):
        task = make_task(
            self.dispatch, self.wancheng_unit, helpers=[self.wancheng_unit, self.wolong_unit]
        )
        self.assertEqual(list(task.helpers.all()), [self.wolong_unit])
