"""Bulletin documents not in the per-version cache are built by a job: the download
starts (or joins) it, its page shows the steps, then links to the file, which the same
download link now serves at once."""

from __future__ import annotations

from unittest import mock

from django.urls import reverse

from baozheng.documents import pdf
from baozheng.jobs.models import Job, JobState
from baozheng.monitor import exports
from tests.jobs.helpers import recorded_progress, run_queued_jobs
from tests.monitor.base import PERIOD, MonitorTestCase

QUERY = {"period": PERIOD, "parent": "411300"}


class DocumentJobTests(MonitorTestCase):
    def setUp(self) -> None:
        self.use_own_reports_folder()

    def url(self, fmt: str) -> str:
        return reverse("monitor-bulletin-download", args=[fmt])

    def test_a_download_not_yet_built_starts_a_job_and_then_serves_the_file(self) -> None:
        self.login(self.leader)
        with mock.patch.object(exports, "bulletin", wraps=exports.bulletin) as computed:
            response = self.client.get(self.url("xlsx"), QUERY)
            job = Job.objects.get()
            self.assertRedirects(response, reverse("job", args=[job.pk]))
            self.assertEqual(computed.call_count, 0)  # nothing built in the request
        self.assertEqual(
            (job.kind, job.state, job.user), ("document", JobState.QUEUED, self.leader)
        )
        page = self.client.get(reverse("job", args=[job.pk]))
        self.assertContains(page, "排队中")
        self.assertContains(page, "文档生成")
        self.assertContains(page, 'hx-trigger="every 1s"')
        with recorded_progress() as calls:
            run_queued_jobs()
        self.assertEqual(calls, [("done", 0, 2), ("done", 1, 2), ("done", 2, 2)])
        job.refresh_from_db()
        self.assertEqual((job.state, job.done, job.total), (JobState.DONE, 2, 2))
        page = self.client.get(reverse("job", args=[job.pk]))
        self.assertContains(page, "通报已生成（Excel")
        self.assertContains(page, "2 / 2 步（100%）")
        link = page.context["result"]["links"][0][1]
        self.assertTrue(link.startswith(self.url("xlsx")), link)
        with mock.patch.object(exports, "bulletin") as computed:
            served = self.client.get(link)
            self.assertEqual(computed.call_count, 0)  # from the cache, at once
        self.assertEqual(served.status_code, 200)
        self.assertEqual(served.content[:2], b"PK")
        self.assertEqual(Job.objects.count(), 1)

    def test_concurrent_requests_for_one_document_join_one_job(self) -> None:
        self.login(self.leader)
        first = self.client.get(self.url("docx"), QUERY)
        self.login(self.dispatch)
        second = self.client.get(self.url("docx"), QUERY)
        job = Job.objects.get()
        self.assertEqual(first["Location"], second["Location"])
        self.assertEqual(list(job.joined.all()), [self.dispatch])
        self.assertEqual(self.client.get(reverse("job", args=[job.pk])).status_code, 200)
        other = self.client.get(self.url("docx"), QUERY | {"issuer": "另一机关"})
        self.assertNotEqual(other["Location"], first["Location"])  # another document
        self.assertEqual(Job.objects.count(), 2)

    def test_a_job_page_is_refused_to_others_and_shown_to_admins(self) -> None:
        self.login(self.leader)
        self.client.get(self.url("xlsx"), QUERY)
        job = Job.objects.get()
        self.login(self.wancheng)
        for name in ("job", "job-progress"):
            self.assertEqual(self.client.get(reverse(name, args=[job.pk])).status_code, 403)
        self.assertEqual(self.client.post(reverse("job-retry", args=[job.pk])).status_code, 403)
        self.login(self.admin)
        self.assertEqual(self.client.get(reverse("job", args=[job.pk])).status_code, 200)

    def test_a_failed_build_says_why_in_chinese_and_can_be_retried(self) -> None:
        self.login(self.leader)
        with mock.patch.object(pdf, "soffice", return_value="/usr/bin/soffice"):
            self.client.get(self.url("pdf"), QUERY)
        job = Job.objects.get()
        with mock.patch.object(pdf, "soffice", return_value=None):
            run_queued_jobs()
        job.refresh_from_db()
        self.assertEqual(job.state, JobState.FAILED)
        page = self.client.get(reverse("job", args=[job.pk]))
        self.assertContains(page, "本机未安装 LibreOffice")
        self.assertContains(page, "重试")
        with mock.patch.object(exports.pdf, "docx_to_pdf", return_value=b"%PDF-1.7"):
            again = self.client.post(reverse("job-retry", args=[job.pk]))
            retried = Job.objects.exclude(pk=job.pk).get()
            self.assertRedirects(again, reverse("job", args=[retried.pk]))
            run_queued_jobs()
        retried.refresh_from_db()
        self.assertEqual(retried.state, JobState.DONE)
        with mock.patch.object(pdf, "soffice", return_value="/usr/bin/soffice"):
            served = self.client.get(self.url("pdf"), QUERY)
        self.assertEqual(served.content, b"%PDF-1.7")

    def test_a_finished_job_cannot_be_retried(self) -> None:
        self.login(self.leader)
        self.client.get(self.url("xlsx"), QUERY)
        run_queued_jobs()
        job = Job.objects.get()
        self.assertEqual(self.client.post(reverse("job-retry", args=[job.pk])).status_code, 403)

    def test_json_is_still_written_in_the_request(self) -> None:
        self.login(self.leader)
        response = self.client.get(self.url("json"), QUERY)
        self.assertEqual(response.status_code, 200)
        self.assertFalse(Job.objects.exists())
