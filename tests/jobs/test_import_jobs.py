"""Uploads run as background jobs: the upload returns at once, the job's page shows rows
read, checked and written while it runs and the report when it is done, and only the
person who started it may see it."""

from __future__ import annotations

from unittest import mock

from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from baozheng.jobs import progress as job_progress
from baozheng.jobs.models import Job, JobState
from baozheng.jobs.tasks import upload_dir
from baozheng.lib.progress import reporting
from baozheng.stats.imports import run_import
from baozheng.stats.imports.observations import ObservationImporter
from baozheng.stats.models import Observation
from baozheng.testing import BaozhengTestCase
from tests.jobs.helpers import run_queued_jobs
from tests.stats import factory

ROWS = "indicator,unit,period,value\n" + "\n".join(
    f"RETAIL,宛城区,2023-{month:02d},{month}.5" for month in range(3, 13)
)


class ImportJobTests(BaozhengTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        factory.indicators()

    def upload(self, text: str = ROWS, **fields):
        upload = SimpleUploadedFile("data.csv", factory.csv(text), content_type="text/csv")
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.post(
                reverse("stats-import"), {"kind": "observations", "file": upload, **fields}
            )

    def test_the_upload_returns_at_once_and_the_job_page_shows_the_result(self) -> None:
        self.login(self.wancheng)
        response = self.upload()
        job = Job.objects.get()
        self.assertRedirects(response, reverse("job", args=[job.pk]))
        self.assertEqual(job.state, JobState.QUEUED)
        self.assertFalse(Observation.objects.exists())  # nothing imported in the request
        page = self.client.get(reverse("job", args=[job.pk]))
        self.assertContains(page, "排队中")
        self.assertContains(page, 'hx-trigger="every 1s"')  # the page polls its progress
        run_queued_jobs()
        job.refresh_from_db()
        self.assertEqual(job.state, JobState.DONE)
        self.assertEqual((job.total, job.read, job.checked, job.written), (10, 10, 10, 10))
        page = self.client.get(reverse("job", args=[job.pk]))
        self.assertContains(page, "导入完成：共 10 行，新增 10")
        self.assertContains(page, "已写入")
        self.assertNotContains(page, "hx-trigger")  # finished: no more polling
        self.assertEqual(Observation.objects.count(), 10)
        self.assertFalse(upload_dir(job.pk).exists())  # the upload is removed afterwards

    def test_a_running_job_shows_its_live_progress(self) -> None:
        self.login(self.wancheng)
        self.upload()
        job = Job.objects.get()
        cache.set(job_progress.key(job.pk), {"read": 10, "checked": 4, "written": 0, "total": 10})
        page = self.client.get(reverse("job-progress", args=[job.pk]))
        self.assertContains(page, "4 / 10 行（40%）")
        self.assertContains(page, 'value="40"')

    def test_only_the_starter_and_admins_see_a_job(self) -> None:
        self.login(self.wancheng)
        self.upload()
        job = Job.objects.get()
        self.login(self.wolong)
        self.assertEqual(self.client.get(reverse("job", args=[job.pk])).status_code, 403)
        self.assertEqual(self.client.get(reverse("job-progress", args=[job.pk])).status_code, 403)
        self.login(self.admin)
        self.assertEqual(self.client.get(reverse("job", args=[job.pk])).status_code, 200)
        self.client.logout()
        self.assertEqual(self.client.get(reverse("job", args=[job.pk])).status_code, 302)

    def test_a_job_that_breaks_is_reported_and_changes_nothing(self) -> None:
        self.login(self.wancheng)
        self.upload()
        job = Job.objects.get()
        with mock.patch("baozheng.jobs.tasks.run_import", side_effect=RuntimeError("boom")):
            run_queued_jobs()
        job.refresh_from_db()
        self.assertEqual(job.state, JobState.FAILED)
        page = self.client.get(reverse("job", args=[job.pk]))
        self.assertContains(page, "导入出错，未做任何修改")
        self.assertFalse(Observation.objects.exists())

    def test_an_import_reports_rows_read_checked_and_written(self) -> None:
        seen: list[tuple[str, int, int | None]] = []
        with reporting(lambda stage, done, total: seen.append((stage, done, total))):
            report = run_import("observations", factory.csv(ROWS), "data.csv", None)
        self.assertTrue(report.ok)
        self.assertIn(("read", 10, 10), seen)
        self.assertIn(("checked", 10, 10), seen)
        self.assertIn(("written", 10, 10), seen)
        self.assertEqual(seen[-1], ("written", 10, 10))


class StreamedUploadTests(BaozhengTestCase):
    """An upload in many chunks: the job's page can show each stage advance during the run,
    not only at its end, and then shows the result."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        factory.indicators()

    def test_a_long_upload_reports_its_progress_in_several_steps_to_the_end(self) -> None:
        lines = [
            f"RETAIL,宛城区,{year}-{month:02d},{month}.5"
            for year in range(2020, 2024)
            for month in range(2, 13)
        ]
        self.login(self.wancheng)
        upload = SimpleUploadedFile(
            "data.csv", factory.csv("indicator,unit,period,value\n" + "\n".join(lines))
        )
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(
                reverse("stats-import"), {"kind": "observations", "file": upload}
            )
        job = Job.objects.get()
        self.assertRedirects(response, reverse("job", args=[job.pk]))
        published: list[dict] = []
        real_set = cache.set

        def keep(key, value, *args):
            if key == job_progress.key(job.pk):
                published.append(dict(value))
            return real_set(key, value, *args)

        with (
            mock.patch.object(ObservationImporter, "chunk_rows", 10),
            mock.patch.object(job_progress, "MIN_INTERVAL", 0),
            mock.patch.object(job_progress.cache, "set", side_effect=keep),
        ):
            run_queued_jobs()
        for stage in ("read", "checked", "written"):
            steps = sorted({figures[stage] for figures in published})
            with self.subTest(stage=stage):
                self.assertGreaterEqual(len([s for s in steps if 0 < s < len(lines)]), 3)
                self.assertEqual(steps[-1], len(lines))
        job.refresh_from_db()
        self.assertEqual((job.state, job.written), (JobState.DONE, len(lines)))
        page = self.client.get(reverse("job", args=[job.pk]))
        self.assertContains(page, f"导入完成：共 {len(lines)} 行，新增 {len(lines)}")
        self.assertContains(page, f"{len(lines)} / {len(lines)} 行（100%）")
