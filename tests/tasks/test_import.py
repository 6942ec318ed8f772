"""Task import: all-or-nothing, dry run, idempotent, row errors in Chinese, dispatch only."""

from __future__ import annotations

import io
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook

from baozheng.tasks.importer import import_tasks
from baozheng.tasks.models import Meeting, MeetingKind, SourceKind, Task
from baozheng.tasks.services import today
from baozheng.testing import BaozhengTestCase

HEADER = "督办事项,具体要求,牵头单位,配合单位,办结时限,紧急程度,来源说明"


def csv_bytes(*lines: str) -> bytes:
    return ("\n".join([HEADER, *lines]) + "\n").encode("utf-8")


class ImportTests(BaozhengTestCase):
    def setUp(self):
        self.due = (today() + timedelta(days=30)).isoformat()

    def good(self) -> bytes:
        return csv_bytes(
            f"加快光电产业园开工,5月底前开工,宛城区,卧龙区、411300,{self.due},紧急,市委常委会",
            f"解决用工缺口,,411303,,{self.due},,",
        )

    def test_a_good_file_raises_a_task_per_row_and_a_second_import_adds_nothing(self):
        report = import_tasks(self.good(), "清单.csv", self.dispatch, today())
        self.assertTrue(report.ok, report.errors)
        self.assertEqual(report.created, 2)
        task = Task.objects.get(title="加快光电产业园开工")
        self.assertEqual(
            (task.lead_unit, task.priority, task.source_kind, task.source_label),
            (self.wancheng_unit, "urgent", SourceKind.IMPORT, "市委常委会"),
        )
        self.assertEqual(set(task.helpers.all()), {self.wolong_unit, self.city})
        again = import_tasks(self.good(), "清单.csv", self.dispatch, today())
        self.assertEqual((again.created, again.unchanged), (0, 2))
        self.assertEqual(Task.objects.count(), 2)

    def test_a_dry_run_reports_and_saves_nothing(self):
        report = import_tasks(self.good(), "清单.csv", self.dispatch, today(), dry_run=True)
        self.assertEqual(report.created, 2)
        self.assertIn("试导入（未保存）", report.summary())
        self.assertFalse(Task.objects.exists())

    def test_a_dry_run_plans_without_writing_and_rolling_back(self):
        with CaptureQueriesContext(connection) as queries:
            import_tasks(self.good(), "清单.csv", self.dispatch, today(), dry_run=True)
        writes = [q["sql"] for q in queries if q["sql"].lstrip().startswith("INSERT")]
        self.assertEqual(writes, [])

    def test_any_wrong_row_stops_the_whole_file_with_chinese_row_errors(self):
        data = csv_bytes(
            f"好的一行,,宛城区,,{self.due},,",
            f",,宛城区,,{self.due},,",
            f"单位不存在,,新野县开发区,,{self.due},,",
            "日期错误,,宛城区,,下月底,,",
            f"紧急程度错误,,宛城区,,{self.due},特急,",
            f"好的一行,,宛城区,,{self.due},,",
            f"来源过长,,宛城区,,{self.due},,{'会' * 201}",
            f"{'督' * 301},,宛城区,,{self.due},,",
        )
        report = import_tasks(data, "清单.csv", self.dispatch, today())
        messages = [str(e) for e in report.errors]
        self.assertIn("第 3 行“督办事项”列：不能为空", messages)
        self.assertTrue(any(m.startswith("第 4 行“牵头单位”列：找不到单位") for m in messages))
        self.assertIn("第 5 行“办结时限”列：“下月底”不是 YYYY-MM-DD 形式的日期", messages)
        self.assertIn("第 6 行“紧急程度”列：“特急”应为 一般、重要 或 紧急", messages)
        self.assertIn("第 7 行“督办事项”列：与第 2 行重复", messages)
        self.assertIn("第 8 行“来源说明”列：超过 200 字（201 字）", messages)  # not cut
        self.assertIn("第 9 行“督办事项”列：超过 300 字（301 字）", messages)
        self.assertIn("未做任何修改", report.summary())
        self.assertFalse(Task.objects.exists())

    def test_an_xlsx_imports_as_a_meetings_decisions(self):
        meeting = Meeting.objects.create(
            kind=MeetingKind.MONTHLY, title="3月调度会", held_on=today(), chair="市长"
        )
        wb = Workbook()
        wb.active.append(HEADER.split(","))
        wb.active.append(["推进项目签约", "", "宛城区", "", self.due, "重要", ""])
        buffer = io.BytesIO()
        wb.save(buffer)
        self.login(self.dispatch)
        response = self.client.post(
            reverse("tasks-import"),
            {
                "file": SimpleUploadedFile("议定事项.xlsx", buffer.getvalue()),
                "meeting": meeting.pk,
            },
        )
        self.assertContains(response, "导入完成：共 1 行，新增 1")
        task = Task.objects.get()
        self.assertEqual((task.source_kind, task.source_id), (SourceKind.MEETING, meeting.pk))

    def test_the_page_shows_errors_and_refuses_others(self):
        self.login(self.dispatch)
        response = self.client.post(
            reverse("tasks-import"),
            {"file": SimpleUploadedFile("a.csv", csv_bytes("x,,宛城区,,2023-02-30,,"))},
        )
        self.assertContains(response, "第 2 行“办结时限”列", status_code=400)
        response = self.client.post(
            reverse("tasks-import"), {"file": SimpleUploadedFile("a.csv", b"foo,bar\n1,2\n")}
        )
        self.assertContains(response, "缺少必需的列", status_code=400)
        for user in (self.wancheng, self.leader):
            self.login(user)
            response = self.client.post(
                reverse("tasks-import"), {"file": SimpleUploadedFile("a.csv", self.good())}
            )
            self.assertEqual(response.status_code, 403)
        self.assertFalse(Task.objects.exists())
