"""F7 and F12: attachments are served by a scope-checked view, as downloads, and uploads
have a type and size limit."""

from __future__ import annotations

import tempfile
from unittest import mock
from urllib.parse import quote

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from baozheng.tasks.models import TaskProgress
from baozheng.testing import BaozhengTestCase
from tests.tasks.factory import make_task

MEDIA = tempfile.mkdtemp(prefix="bz-i13-media-")


@override_settings(MEDIA_ROOT=MEDIA, DEBUG=False)
class AttachmentTests(BaozhengTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.task = make_task(cls.dispatch, cls.wancheng_unit)

    def upload(self, name: str, data: bytes = b"%PDF-1.4 evidence"):
        return self.client.post(
            reverse("tasks-progress", args=[self.task.pk]),
            {"note": "已协调供电公司", "attachment": SimpleUploadedFile(name, data)},
            follow=True,
        )

    def test_f7_an_uploaded_attachment_downloads_for_the_task_scope_and_not_outside(self):
        self.login(self.wancheng)
        self.upload("说明.pdf")
        entry = TaskProgress.objects.get(task=self.task, attachment__endswith=".pdf")
        url = reverse("tasks-progress-file", args=[self.task.pk, entry.pk])
        page = self.client.get(reverse("tasks-detail", args=[self.task.pk]))
        self.assertContains(page, f'href="{url}"')
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(b"".join(response.streaming_content), b"%PDF-1.4 evidence")
        self.assertTrue(response["Content-Disposition"].startswith("attachment"))
        self.assertEqual(response["X-Content-Type-Options"], "nosniff")
        self.login(self.wolong)
        self.assertEqual(self.client.get(url).status_code, 403)
        self.client.logout()
        self.assertEqual(self.client.get(url).status_code, 302)

    @override_settings(X_ACCEL_PREFIX="/protected-uploads/")
    def test_f7_behind_nginx_the_view_hands_over_with_x_accel_redirect(self):
        self.login(self.wancheng)
        self.upload("说明.pdf")
        entry = TaskProgress.objects.get(task=self.task, attachment__endswith=".pdf")
        response = self.client.get(reverse("tasks-progress-file", args=[self.task.pk, entry.pk]))
        self.assertEqual(
            response["X-Accel-Redirect"], "/protected-uploads/" + quote(entry.attachment.name)
        )

    def test_f12_an_html_file_is_refused_with_a_chinese_message(self):
        self.login(self.wancheng)
        response = self.upload("PWNED.html", b"<script>alert(1)</script>")
        self.assertContains(response, "不支持的附件类型“.html”")
        self.assertFalse(TaskProgress.objects.filter(attachment__endswith=".html").exists())

    def test_f12_a_file_over_the_size_limit_is_refused(self):
        self.login(self.wancheng)
        with mock.patch("baozheng.lib.uploads.ATTACHMENT_MAX_BYTES", 1024):
            response = self.upload("大文件.pdf", b"x" * 2048)
        self.assertContains(response, "附件过大：最多 0 MB")
        self.assertFalse(TaskProgress.objects.exclude(attachment="").exists())
