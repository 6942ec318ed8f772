"""Releasing stores the rows at once and builds the snapshot's documents in a job; the
bulletin page says 生成中 until then, and a built snapshot is never rebuilt. The command
line still builds them at once."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command
from django.urls import reverse

from baozheng.jobs.models import Job, JobState
from baozheng.reporting.models import Release
from baozheng.reporting.releases import build_documents
from tests.jobs.helpers import recorded_progress, run_queued_jobs
from tests.reporting.base import OPEN, ReportingTestCase


class ReleaseJobTests(ReportingTestCase):
    def release_open_period(self):
        self.login(self.dispatch)
        return self.client.post(
            reverse("reporting-period-action"),
            {"period": OPEN, "action": "release", "parent": "411300"},
        )

    def test_a_release_stores_its_rows_at_once_and_its_documents_in_a_job(self) -> None:
        self.release_open_period()
        release = Release.objects.get(year=2023, month=10)
        self.assertTrue(release.data["rows"])
        self.assertEqual((release.built, bytes(release.xlsx)), (False, b""))
        job = Job.objects.get(kind="release")
        self.assertEqual((job.user, job.state), (self.dispatch, JobState.QUEUED))
        self.login(self.leader)
        page = self.client.get(reverse("monitor-bulletin"), {"period": OPEN})
        self.assertContains(page, "原件生成中")
        waiting = self.client.get(
            reverse("monitor-bulletin-download", args=["docx"]), {"period": OPEN}
        )
        self.assertContains(waiting, "正在后台生成", status_code=202)
        pending = reverse("reporting-release-download", args=[OPEN, "411300", 1, "xlsx"])
        self.assertEqual(self.client.get(pending).status_code, 202)
        with recorded_progress() as calls:
            run_queued_jobs()
        self.assertEqual(calls, [("done", 0, 2), ("done", 1, 2), ("done", 2, 2)])
        release.refresh_from_db()
        self.assertTrue(release.built)
        self.assertTrue(bytes(release.docx).startswith(b"PK"))
        self.assertEqual(self.client.get(pending).content[:2], b"PK")
        self.assertNotContains(
            self.client.get(reverse("monitor-bulletin"), {"period": OPEN}), "原件生成中"
        )
        self.login(self.dispatch)
        result = self.client.get(reverse("job", args=[job.pk]))
        self.assertContains(result, "Excel 与 Word 原件已生成")
        self.assertContains(result, "下载 Word 原件")

    def test_a_built_snapshot_is_never_rebuilt(self) -> None:
        self.release_open_period()
        run_queued_jobs()
        release = Release.objects.get(year=2023, month=10)
        before = bytes(release.xlsx)
        self.assertFalse(build_documents(release))
        release.refresh_from_db()
        self.assertEqual(bytes(release.xlsx), before)

    def test_the_snapshot_job_page_is_refused_to_others(self) -> None:
        self.release_open_period()
        job = Job.objects.get(kind="release")
        for user in (self.leader, self.wancheng):
            self.login(user)
            self.assertEqual(self.client.get(reverse("job", args=[job.pk])).status_code, 403)
        self.login(self.admin)
        self.assertEqual(self.client.get(reverse("job", args=[job.pk])).status_code, 200)

    def test_the_command_line_builds_the_documents_at_once(self) -> None:
        call_command("release", "--period", OPEN, "--parent", "411300", stdout=StringIO())
        release = Release.objects.get(year=2023, month=10)
        self.assertTrue(release.built)
        self.assertFalse(Job.objects.filter(kind="release").exists())
