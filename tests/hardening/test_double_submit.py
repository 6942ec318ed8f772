"""F17: a create form posted twice creates once; a duplicated import column is refused."""

from __future__ import annotations

import io
import uuid
from datetime import timedelta

from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from baozheng.api.models import ApiToken
from baozheng.headline.models import DisplayLink
from baozheng.jobs import scheduler
from baozheng.jobs.models import Job
from baozheng.lib import once
from baozheng.lib.tabular import Column, ImportFileError, read_rows
from baozheng.org.models import FormSubmission
from baozheng.tasks.models import Meeting, Task, TaskProgress
from baozheng.testing import BaozhengTestCase
from tests.jobs.helpers import run_queued_jobs
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


class EveryCreateFormTests(BaozhengTestCase):
    """A double submit creates one object on each kind of create form, and the second
    POST is sent to the first one's result."""

    def twice(self, url: str, data: dict):
        data = {**data, "form_key": uuid.uuid4().hex}
        first = self.client.post(url, data)
        second = self.client.post(url, data)
        return first, second

    def test_f17_a_meeting_posted_twice_is_registered_once(self):
        self.login(self.dispatch)
        first, second = self.twice(
            reverse("tasks-meeting-new"),
            {"kind": "special", "title": "稳增长专题会", "held_on": "2023-03-01", "chair": "市长"},
        )
        self.assertEqual(Meeting.objects.filter(title="稳增长专题会").count(), 1)
        self.assertEqual(second.status_code, 302)
        self.assertEqual(second["Location"], first["Location"])

    def test_f17_a_screen_link_posted_twice_is_created_once(self):
        self.login(self.dispatch)
        self.twice(reverse("headline-displays"), {"name": "指挥中心二号屏", "unit": "411300"})
        self.assertEqual(DisplayLink.objects.filter(name="指挥中心二号屏").count(), 1)

    def test_f17_a_token_shown_on_its_page_is_issued_once_and_the_repeat_goes_to_it(self):
        self.login(self.admin)
        first, second = self.twice(
            reverse("api-tokens"),
            {
                "name": "省统计联网直报",
                "role": "leader",
                "units": [self.city.pk],
                "owner_unit": self.city.pk,
            },
        )
        self.assertEqual(first.status_code, 200)
        token = ApiToken.objects.get(name="省统计联网直报")
        self.assertEqual(second["Location"], reverse("api-token", args=[token.pk]))

    def test_f17_a_form_with_errors_releases_its_key_for_the_corrected_post(self):
        self.login(self.dispatch)
        key = uuid.uuid4().hex
        url = reverse("tasks-meeting-new")
        wrong = self.client.post(url, {"form_key": key, "kind": "special", "title": ""})
        self.assertEqual(wrong.status_code, 200)
        right = {"kind": "special", "title": "改正后", "held_on": "2023-03-01", "chair": "市长"}
        self.client.post(url, {"form_key": key, **right})
        self.assertEqual(Meeting.objects.filter(title="改正后").count(), 1)

    def test_f17_one_page_key_posted_to_two_create_forms_creates_both(self):
        self.login(self.dispatch)
        key = uuid.uuid4().hex
        self.client.post(
            reverse("headline-displays"), {"form_key": key, "name": "一号屏", "unit": "411300"}
        )
        self.client.post(
            reverse("tasks-meeting-new"),
            {
                "form_key": key,
                "kind": "special",
                "title": "同页会议",
                "held_on": "2023-03-01",
                "chair": "市长",
            },
        )
        self.assertTrue(DisplayLink.objects.filter(name="一号屏").exists())
        self.assertTrue(Meeting.objects.filter(title="同页会议").exists())


class PruneTests(BaozhengTestCase):
    def test_f17_keys_older_than_the_setting_are_deleted_by_the_scheduled_job(self):
        now = timezone.now()
        for days in (1, 6, 8, 30):
            row = FormSubmission.objects.create(key=uuid.uuid4().hex, user=self.dispatch)
            FormSubmission.objects.filter(pk=row.pk).update(created_at=now - timedelta(days=days))
        scheduler.tick()  # the first tick enqueues every periodic job, the clean-up too
        run_queued_jobs()
        job = Job.objects.get(kind="prune")
        self.assertIn("表单提交记录 2 条", job.result["summary"])
        self.assertEqual(FormSubmission.objects.count(), 2)
        with override_settings(ONCE_KEEP_DAYS=3):
            self.assertEqual(once.prune(), 1)
        call_command("remind", "--dry-run", stdout=io.StringIO())
        self.assertEqual(FormSubmission.objects.count(), 1)
