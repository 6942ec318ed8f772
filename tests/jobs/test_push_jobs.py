"""A release's push runs as one job per release; a channel that fails is retried with
backoff by the same job, which gives up in Chinese after its last attempt."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace
from unittest import mock

from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from baozheng.analysis.periods import Period
from baozheng.headline import jobs as push_jobs
from baozheng.headline.models import ChannelKind, PushChannel, PushDelivery
from baozheng.jobs.models import Job, JobState
from baozheng.stats.signals import period_released
from baozheng.tasks import notify
from tests.headline.base import HeadlineTestCase
from tests.jobs.helpers import recorded_progress, run_queued_jobs


class PushJobTests(HeadlineTestCase):
    def setUp(self) -> None:
        for name in ("市政府领导群", "调度办群"):
            PushChannel.objects.create(
                name=name,
                kind=ChannelKind.WECOM,
                address=f"http://127.0.0.1:9/{name}",
                unit=self.city,
            )

    def release(self, version: int = 1) -> None:
        stand_in = SimpleNamespace(version=version, released_by=self.dispatch)
        with self.captureOnCommitCallbacks(execute=True):
            period_released.send(
                sender=None, release=stand_in, period=Period(2023, 9), parent=self.city
            )

    def test_one_job_per_release_sends_once_per_channel(self) -> None:
        self.release()
        self.release()  # the same release heard twice while its job waits: joined
        job = Job.objects.get(kind="push")
        self.assertEqual(job.user, self.dispatch)
        with (
            mock.patch.object(notify, "post_webhook") as posted,
            recorded_progress() as calls,
        ):
            run_queued_jobs()
        self.assertEqual(posted.call_count, 2)
        self.assertEqual(calls, [("done", 0, 2), ("done", 1, 2), ("done", 2, 2)])
        job.refresh_from_db()
        self.assertEqual(job.state, JobState.DONE)
        self.assertEqual(PushDelivery.objects.filter(sent_at__isnull=False).count(), 2)
        self.login(self.dispatch)
        page = self.client.get(reverse("job", args=[job.pk]))
        self.assertContains(page, "已推送 2 个渠道")
        self.assertContains(page, "已推送：市政府领导群")

    def test_a_failing_channel_is_retried_with_backoff_then_reported(self) -> None:
        self.release()
        job = Job.objects.get(kind="push")
        failing = mock.patch.object(
            notify, "post_webhook", side_effect=notify.DeliveryError("群机器人无响应")
        )
        with failing:
            run_queued_jobs()
        job.refresh_from_db()
        self.assertEqual((job.state, job.attempts), (JobState.QUEUED, 1))
        queued = DBTaskResult.objects.filter(status="READY").get()
        delay = queued.run_after - timezone.now()
        self.assertTrue(timedelta(seconds=50) < delay <= timedelta(seconds=60), delay)
        self.assertEqual(push_jobs.backoff(2), 120)
        self.login(self.dispatch)
        self.assertContains(self.client.get(reverse("job", args=[job.pk])), "1 分钟后重试")
        for attempt in range(2, push_jobs.MAX_ATTEMPTS + 1):
            DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())
            with failing:
                run_queued_jobs()
            job.refresh_from_db()
            self.assertEqual(job.attempts, attempt)
        self.assertEqual(job.state, JobState.FAILED)
        page = self.client.get(reverse("job", args=[job.pk]))
        self.assertContains(page, "推送失败 2 个渠道（已尝试 5 次）")
        self.assertContains(page, "群机器人无响应")
        self.assertContains(page, "重试")
        with mock.patch.object(notify, "post_webhook"):
            retried = self.client.post(reverse("job-retry", args=[job.pk]))
            run_queued_jobs()
        self.assertEqual(retried.status_code, 302)
        self.assertEqual(PushDelivery.objects.filter(sent_at__isnull=False).count(), 2)

    def test_a_push_job_page_is_refused_to_others(self) -> None:
        self.release()
        job = Job.objects.get(kind="push")
        self.login(self.leader)
        self.assertEqual(self.client.get(reverse("job", args=[job.pk])).status_code, 403)
