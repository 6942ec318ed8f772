"""Leaders' instructions: recorded by dispatch, joining a task or raising one; the lead
unit reports back and the feedback shows with the instruction."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.urls import reverse

from baozheng.tasks.models import Instruction, SourceKind, Task
from baozheng.tasks.services import today
from baozheng.testing import BaozhengTestCase
from tests.tasks.exported import EXPORT_BUTTON, cell_with, sheets
from tests.tasks.factory import make_task


class InstructionTests(BaozhengTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.task = make_task(cls.dispatch, cls.wancheng_unit, title="宛城项目用电报装")

    def instruct(self, **changes):
        data = {"leader": "市长", "given_on": "2023-03-05", "content": "要限期解决，不得拖延"}
        data.update(changes)
        return self.client.post(reverse("tasks-instruct", args=[self.task.pk]), data)

    def test_an_instruction_joins_the_task_and_its_feedback_shows_with_it(self):
        self.login(self.dispatch)
        self.assertRedirects(self.instruct(), reverse("tasks-detail", args=[self.task.pk]))
        instruction = Instruction.objects.get()
        self.assertEqual(instruction.task, self.task)
        self.login(self.wancheng)
        response = self.client.post(
            reverse("tasks-instruction-feedback", args=[instruction.pk]),
            {"feedback": "已协调供电公司，3月20日送电"},
        )
        self.assertRedirects(response, reverse("tasks-detail", args=[self.task.pk]))
        page = self.client.get(reverse("tasks-detail", args=[self.task.pk]))
        self.assertContains(page, "要限期解决，不得拖延")
        self.assertContains(page, "已协调供电公司，3月20日送电")
        instruction.refresh_from_db()
        self.assertEqual(
            (instruction.fed_back_by, instruction.fed_back_on), (self.wancheng, today())
        )

    def test_an_instruction_on_a_project_raises_a_new_task(self):
        self.login(self.dispatch)
        response = self.client.post(
            reverse("tasks-instruction-new"),
            {
                "target_kind": "project",
                "target_label": "光电产业园项目",
                "leader": "市委书记",
                "given_on": (today() - timedelta(days=1)).isoformat(),
                "content": "加快推进",
                "title": "落实书记批示，加快光电产业园建设",
                "lead_unit": self.wancheng_unit.pk,
                "deadline_workdays": "10",
                "priority": "urgent",
            },
        )
        task = Task.objects.get(source_kind=SourceKind.INSTRUCTION)
        self.assertRedirects(response, reverse("tasks-detail", args=[task.pk]))
        self.assertEqual(task.instructions.get().target_label, "光电产业园项目")
        page = self.client.get(reverse("tasks-instructions"))
        self.assertContains(page, "加快推进")
        self.assertContains(page, EXPORT_BUTTON, html=True)

    def test_an_instruction_dated_tomorrow_is_refused_and_nothing_is_created(self):
        self.login(self.dispatch)
        response = self.client.post(
            reverse("tasks-instruction-new"),
            {
                "target_kind": "request",
                "target_label": "某企业诉求",
                "leader": "市长",
                "given_on": (today() + timedelta(days=1)).isoformat(),
                "content": "x",
                "title": "y",
                "lead_unit": self.wancheng_unit.pk,
                "deadline_workdays": "5",
                "priority": "normal",
            },
        )
        self.assertContains(response, "批示日期不能晚于今天", status_code=400)
        self.assertFalse(Instruction.objects.exists())
        self.assertEqual(Task.objects.count(), 1)
        self.instruct(given_on=(today() + timedelta(days=1)).isoformat())
        self.assertFalse(Instruction.objects.exists())

    def test_only_dispatch_records_and_only_the_lead_unit_reports_back(self):
        for user in (self.wancheng, self.leader):
            self.login(user)
            self.assertEqual(self.instruct().status_code, 403)
            self.assertEqual(self.client.get(reverse("tasks-instruction-new")).status_code, 403)
        self.assertFalse(Instruction.objects.exists())
        instruction = Instruction.objects.create(
            target_kind="task",
            target_label="x",
            leader="市长",
            given_on=date(2023, 3, 5),
            content="抓紧",
            task=self.task,
        )
        url = reverse("tasks-instruction-feedback", args=[instruction.pk])
        self.login(self.wolong)
        self.assertEqual(self.client.post(url, {"feedback": "冒充"}).status_code, 403)
        self.login(self.leader)
        self.assertEqual(self.client.post(url, {"feedback": "冒充"}).status_code, 403)
        self.assertContains(self.client.get(reverse("tasks-instructions")), "抓紧")
        self.login(self.wolong)
        self.assertNotContains(self.client.get(reverse("tasks-instructions")), "抓紧")
        instruction.refresh_from_db()
        self.assertEqual(instruction.feedback, "")

    def test_the_list_exports_xlsx_whole_within_scope_and_not_to_a_judge(self):
        content = '=HYPERLINK("x")' + "限期解决，不得拖延" * 10  # whole, and inert
        Instruction.objects.create(
            target_kind="task",
            target_label=self.task.title,
            leader="市长",
            given_on=date(2023, 3, 5),
            content=content,
            task=self.task,
            feedback="已协调供电公司",
            fed_back_on=date(2023, 3, 8),
            fed_back_by=self.wancheng,
        )
        Instruction.objects.create(
            target_kind="project",
            target_label="卧龙园区道路",
            leader="市长",
            given_on=date(2023, 3, 6),
            content="抓紧",
            task=make_task(self.dispatch, self.wolong_unit, title="卧龙园区道路"),
        )
        self.login(self.dispatch)
        response = self.client.get(reverse("tasks-instructions"), {"export": "xlsx"})
        rows = sheets(self, response)["领导批示"]
        self.assertEqual(
            rows[2],
            [
                "批示日期",
                "批示领导",
                "批示对象",
                "批示内容",
                "督办事项编号",
                "督办事项",
                "事项状态",
                "牵头单位",
                "反馈日期",
                "办理情况反馈",
                "反馈人",
            ],
        )
        self.assertEqual([r[5] for r in rows[3:]], ["卧龙园区道路", "宛城项目用电报装"])
        self.assertEqual(rows[3][2], "重点项目：卧龙园区道路")
        self.assertEqual(rows[3][8:], [None, "未反馈", None])
        self.assertTrue(cell_with(response, content).quotePrefix)
        self.login(self.wancheng)
        response = self.client.get(reverse("tasks-instructions"), {"export": "xlsx"})
        self.assertEqual(
            sheets(self, response)["领导批示"][3:],
            [
                [
                    datetime(2023, 3, 5),
                    "市长",
                    "督办事项：宛城项目用电报装",
                    content,
                    self.task.code,
                    "宛城项目用电报装",
                    self.task.get_status_display(),
                    self.wancheng_unit.name,
                    datetime(2023, 3, 8),
                    "已协调供电公司",
                    str(self.wancheng),
                ]
            ],
        )
        self.login(self.judge)
        response = self.client.get(reverse("tasks-instructions"), {"export": "xlsx"})
        self.assertEqual(response.status_code, 403)
