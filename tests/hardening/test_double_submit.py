"""F17: a create form posted twice creates once; a duplicated import column is refused."""

from __future__ import annotations

import uuid

from django.urls import reverse

from baozheng.lib.tabular import Column, ImportFileError, read_rows
from baozheng.tasks.models import Task, TaskProgress
from baozheng.testing import BaozhengTestCase
from tests.tasks.factory import make_task


class DoubleSubmitTests(BaozhengTestCase):
    def new_task(self, key: str):
        return self.client.post(
            reverse("tasks-new"),
            {
                "form_key": key,
                "title": "协调解决用地指标",
                "detail": "",
                "lead_unit": self.wancheng_unit.pk,
                "deadline": "2099-06-30",
                "priority": "normal",
            },
        )

    def test_f17_the_same_new_task_form_posted_twice_creates_one_task(self):
        self.login(self.dispatch)
        key = uuid.uuid4().hex
        first = self.new_task(key)
        self.assertEqual(
            first.status_code, 302, getattr(first, "context", None) and first.context["form"].errors
        )
        second = self.new_task(key)
        self.assertEqual(Task.objects.filter(title="协调解决用地指标").count(), 1)
        self.assertEqual(second["Location"], first["Location"])
        self.new_task(uuid.uuid4().hex)  # a new page load is a new task
        self.assertEqual(Task.objects.filter(title="协调解决用地指标").count(), 2)

    def test_f17_a_progress_note_posted_twice_is_recorded_once(self):
        task = make_task(self.dispatch, self.wancheng_unit)
        self.login(self.wancheng)
        key = uuid.uuid4().hex
        url = reverse("tasks-progress", args=[task.pk])
        for _ in range(2):
            self.client.post(url, {"form_key": key, "note": "已对接"})
        self.assertEqual(TaskProgress.objects.filter(task=task, note="已对接").count(), 1)
        page = self.client.get(reverse("tasks-detail", args=[task.pk]))
        self.assertRegex(page.content.decode(), r'name="form_key" value="[0-9a-f]{32}"')

    def test_f17_another_users_key_is_not_theirs_to_replay(self):
        task = make_task(self.dispatch, self.wancheng_unit)
        key = uuid.uuid4().hex
        self.login(self.wancheng)
        self.client.post(reverse("tasks-progress", args=[task.pk]), {"form_key": key, "note": "甲"})
        self.login(self.dispatch)
        response = self.client.post(
            reverse("tasks-progress", args=[task.pk]), {"form_key": key, "note": "乙"}
        )
        self.assertEqual(response.status_code, 302)
        self.assertFalse(TaskProgress.objects.filter(note="乙").exists())

    def test_f17_a_duplicated_column_header_is_refused_by_name(self):
        columns = [Column("value", ("value", "累计值"))]
        with self.assertRaisesRegex(ImportFileError, "“累计值”列重复（第 A、C 列）"):
            read_rows("累计值,说明,累计值\n1,,2\n".encode(), "d.csv", columns)
        rows = read_rows("value,说明\n1,\n".encode(), "d.csv", columns)
        self.assertEqual(rows[0].get("value"), "1")
