"""Task pages: who sees which task, who may take which step, and the exports."""

from datetime import timedelta
from io import BytesIO

from django.urls import reverse
from openpyxl import load_workbook

from baozheng.org.models import Unit
from baozheng.tasks.models import Status, SupervisionGroup, Task
from baozheng.tasks.services import today, transition
from baozheng.testing import BaozhengTestCase
from tests.lib.test_workbook_print import assert_prints
from tests.tasks.factory import make_task


class TaskPageTests(BaozhengTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        start = today()
        cls.task = make_task(
            cls.dispatch,
            cls.wancheng_unit,
            title="宛城区项目开工",
            opened_on=start,
            deadline=today() + timedelta(days=30),
        )
        cls.other = make_task(
            cls.dispatch,
            cls.wolong_unit,
            title="卧龙区入库项目",
            opened_on=start,
            deadline=today() + timedelta(days=30),
        )
        cls.shangwu_unit = Unit.objects.get(code="411300SWJ")

    def detail(self, task: Task):
        return self.client.get(reverse("tasks-detail", args=[task.pk]))

    def step(self, task: Task, to: str, note: str = ""):
        return self.client.post(
            reverse("tasks-step", args=[task.pk]), {"to_status": to, "note": note}, follow=True
        )

    def test_anonymous_visitors_are_sent_to_log_in(self):
        self.assertRedirects(self.client.get(reverse("tasks-board")), "/login/?next=/tasks/board/")

    def test_a_county_sees_its_own_task_and_not_the_neighbours(self):
        self.login(self.wancheng)
        board = self.client.get(reverse("tasks-board"))
        self.assertContains(board, "宛城区项目开工")
        self.assertNotContains(board, "卧龙区入库项目")
        self.assertEqual(self.detail(self.task).status_code, 200)
        self.assertEqual(self.detail(self.other).status_code, 403)

    def test_a_county_may_not_act_on_the_neighbours_task(self):
        self.login(self.wolong)
        response = self.client.post(
            reverse("tasks-step", args=[self.task.pk]), {"to_status": "in_progress"}
        )
        self.assertEqual(response.status_code, 403)
        response = self.client.post(
            reverse("tasks-progress", args=[self.task.pk]), {"note": "越权"}
        )
        self.assertEqual(response.status_code, 403)
        self.assertEqual(Task.objects.get(pk=self.task.pk).status, Status.OPENED)

    def test_a_helping_department_sees_the_task_it_helps_with(self):
        helped = make_task(
            self.dispatch, self.wolong_unit, title="外贸稳订单", helpers=[self.shangwu_unit]
        )
        self.login(self.dept)
        self.assertEqual(self.detail(helped).status_code, 200)
        self.assertEqual(self.detail(self.other).status_code, 403)

    def test_a_supervision_group_member_sees_the_counties_it_covers(self):
        group = SupervisionGroup.objects.create(name="第二督导服务组")
        group.counties.add(self.wolong_unit)
        group.members.add(self.dept)
        self.login(self.dept)
        self.assertEqual(self.detail(self.other).status_code, 200)
        self.assertContains(
            self.client.get(reverse("tasks-group", args=[group.pk])), "卧龙区入库项目"
        )

    def test_a_leader_reads_everything_but_may_not_move_a_task(self):
        self.login(self.leader)
        board = self.client.get(reverse("tasks-board"))
        self.assertContains(board, "宛城区项目开工")
        self.assertContains(board, "卧龙区入库项目")
        self.assertNotContains(self.detail(self.task), "签收办理")
        response = self.client.post(
            reverse("tasks-step", args=[self.task.pk]), {"to_status": "in_progress"}
        )
        self.assertEqual(response.status_code, 403)

    def test_a_judge_has_no_task_pages(self):
        self.login(self.judge)
        self.assertEqual(self.client.get(reverse("tasks-mine")).status_code, 403)

    def test_the_lead_unit_reports_and_the_dispatch_office_closes_through_the_pages(self):
        self.login(self.wancheng)
        self.assertContains(self.detail(self.task), "签收办理")
        response = self.client.post(
            reverse("tasks-progress", args=[self.task.pk]),
            {"note": "已开工建设", "percent_done": "50"},
            follow=True,
        )
        self.assertContains(response, "办理进展已填报")
        response = self.step(self.task, "reported", "项目已开工")
        self.assertContains(response, "已反馈办结，当前状态：已反馈")
        self.login(self.dispatch)
        self.assertContains(self.step(self.task, "verifying"), "已开始核实，当前状态：核实")
        response = self.step(self.task, "closed", "核实无误")
        self.assertContains(response, "已核实通过，办结销号，当前状态：办结销号")
        task = Task.objects.get(pk=self.task.pk)
        self.assertEqual((task.status, task.verified_by), (Status.CLOSED, self.dispatch))

    def test_an_invalid_step_through_the_page_is_refused_with_its_reason(self):
        self.login(self.dispatch)
        response = self.step(self.task, "closed")
        self.assertContains(response, "不能将督办事项从“立项”改为“办结销号”")
        self.assertEqual(Task.objects.get(pk=self.task.pk).status, Status.OPENED)

    def test_the_lead_unit_may_not_verify_through_the_page(self):
        transition(self.task, Status.IN_PROGRESS, self.wancheng)
        transition(self.task, Status.REPORTED, self.wancheng, note="已办结")
        self.login(self.wancheng)
        self.assertEqual(
            self.client.post(
                reverse("tasks-step", args=[self.task.pk]), {"to_status": "verifying"}
            ).status_code,
            403,
        )
        self.task.refresh_from_db()
        self.assertEqual(self.task.status, Status.REPORTED)

    def test_the_board_filters_by_light_and_exports_xlsx_within_scope(self):
        self.login(self.dispatch)
        response = self.client.get(reverse("tasks-board"), {"light": "green", "export": "xlsx"})
        sheet = load_workbook(BytesIO(response.content)).active
        assert_prints(self, sheet, "$3:$3")
        titles = [sheet.cell(r, 2).value for r in range(4, sheet.max_row + 1)]
        self.assertEqual(sorted(titles), ["卧龙区入库项目", "宛城区项目开工"])
        self.login(self.wancheng)
        response = self.client.get(reverse("tasks-mine"), {"export": "xlsx"})
        sheet = load_workbook(BytesIO(response.content)).active
        self.assertEqual(
            [sheet.cell(r, 2).value for r in range(4, sheet.max_row + 1)], ["宛城区项目开工"]
        )

    def test_only_the_dispatch_office_raises_a_task_by_hand(self):
        self.login(self.wancheng)
        self.assertEqual(self.client.get(reverse("tasks-new")).status_code, 403)
        self.login(self.dispatch)
        response = self.client.post(
            reverse("tasks-new"),
            {
                "title": "落实稳岗补贴",
                "lead_unit": self.wolong_unit.pk,
                "deadline_workdays": "5",
                "priority": "high",
            },
        )
        task = Task.objects.get(title="落实稳岗补贴")
        self.assertRedirects(response, reverse("tasks-detail", args=[task.pk]))

    def test_the_home_page_hints_at_tasks_due_soon(self):
        make_task(
            self.dispatch,
            self.wancheng_unit,
            title="临期事项",
            opened_on=today() - timedelta(days=30),
            deadline=today() + timedelta(days=1),
        )
        Task.objects.filter(title="临期事项").update(percent_done=95)
        self.login(self.wancheng)
        self.assertContains(self.client.get(reverse("home")), "项督办事项即将到期")
