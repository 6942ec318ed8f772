"""Key-project bulletin documents not in the per-version cache are built by a job, as the
statistics bulletin's are: its page shows the steps and links back to the download; its
builds share the per-process limit of the statistics documents."""

from __future__ import annotations

import threading
import time
from unittest import mock

from django.test import override_settings
from django.urls import reverse

from baozheng.documents import filecache, pdf
from baozheng.jobs.models import Job, JobState
from baozheng.projects import exports
from baozheng.projects.rules import Month
from baozheng.testing import BaozhengTestCase
from tests.jobs.helpers import recorded_progress, run_queued_jobs
from tests.projects.factory import make_project

QUERY = {"period": "2023-05", "format": "xlsx"}


class ProjectDocumentJobTests(BaozhengTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        make_project(cls.wancheng_unit, "WC-001", ytd_by_month={5: "100"})

    def setUp(self) -> None:
        self.use_own_reports_folder()
        self.url = reverse("projects-bulletin")

    def test_the_job_page_shows_the_steps_then_links_to_the_file(self) -> None:
        self.login(self.wancheng)
        job_url = self.client.get(self.url, QUERY)["Location"]
        page = self.client.get(job_url)
        self.assertContains(page, "排队中")
        self.assertContains(page, "生成2023年1-5月重点项目月通报（Excel）")
        self.assertContains(page, f'href="{self.url}?period=2023-05"')  # 返回
        with recorded_progress() as calls:
            run_queued_jobs()
        self.assertEqual(calls, [("done", 0, 2), ("done", 1, 2), ("done", 2, 2)])
        job = Job.objects.get()
        self.assertEqual((job.state, job.done, job.total), (JobState.DONE, 2, 2))
        page = self.client.get(job_url)
        self.assertContains(page, "通报已生成（Excel")
        link = page.context["result"]["links"][0][1]
        self.assertEqual(link, f"{self.url}?period=2023-05&format=xlsx")
        served = self.client.get(link)
        self.assertEqual((served.status_code, served.content[:2]), (200, b"PK"))

    def test_a_job_page_is_refused_to_others(self) -> None:
        self.login(self.wancheng)
        job_url = self.client.get(self.url, QUERY)["Location"]
        self.login(self.wolong)
        self.assertEqual(self.client.get(job_url).status_code, 403)

    def test_a_failed_pdf_says_why_and_can_be_retried(self) -> None:
        self.login(self.wancheng)
        with mock.patch.object(pdf, "soffice", return_value="/usr/bin/soffice"):
            self.client.get(self.url, {**QUERY, "format": "pdf"})
        job = Job.objects.get()
        with mock.patch.object(pdf, "soffice", return_value=None):
            run_queued_jobs()
        job.refresh_from_db()
        self.assertEqual(job.state, JobState.FAILED)
        self.assertContains(
            self.client.get(reverse("job", args=[job.pk])), "本机未安装 LibreOffice"
        )
        with mock.patch.object(pdf, "docx_to_pdf", return_value=b"%PDF-1.7"):
            self.client.post(reverse("job-retry", args=[job.pk]))
            run_queued_jobs()
        with mock.patch.object(pdf, "soffice", return_value="/usr/bin/soffice"):
            served = self.client.get(self.url, {**QUERY, "format": "pdf"})
        self.assertEqual(served.content, b"%PDF-1.7")

    @override_settings(EXPORT_BUILDS=1)
    def test_a_project_document_waits_for_a_free_build_slot_of_the_process(self) -> None:
        """The slots are the statistics documents' own (`filecache.build_slots`): one taken
        by a statistics build holds the project build back until it is released."""
        results = []
        scope = exports.Scope((), ())
        with (
            mock.patch.object(exports, "build", return_value={}),
            mock.patch.object(exports, "to_xlsx", return_value=b"document"),
            mock.patch.object(exports, "current", return_value=f"test-{time.time_ns()}"),
            mock.patch.object(exports, "_stem", return_value="slot-test"),  # no query off-thread
        ):
            slots = filecache.build_slots()
            slots.acquire()
            worker = threading.Thread(
                target=lambda: results.append(
                    exports.bulletin_file(Month(2023, 5), scope, "xlsx", None)
                )
            )
            worker.start()
            worker.join(0.3)
            self.assertEqual(results, [])  # waiting for the slot
            slots.release()
            worker.join()
        self.assertEqual(results[0].read_bytes(), b"document")
