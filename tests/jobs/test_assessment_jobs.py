"""An assessment run is computed by a job: the compute button returns at once to the
job's page, which counts the items scored and then links to the draft run."""

from __future__ import annotations

from unittest import mock

from django.urls import reverse

from baozheng.assessment import methods, services
from baozheng.assessment.models import Run
from baozheng.jobs.models import Job, JobState
from baozheng.testing import BaozhengTestCase
from tests.assessment.factory import growth_and_service_scheme
from tests.jobs.helpers import recorded_progress, run_queued_jobs


class AssessmentJobTests(BaozhengTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.scheme = growth_and_service_scheme()

    def compute(self, period: str = "2023-06"):
        url = reverse("assessment-compute", args=[self.scheme.pk])
        return self.client.post(url, {"period": period})

    def test_the_run_is_computed_by_a_job_with_a_step_per_item(self) -> None:
        self.login(self.dispatch)
        response = self.compute()
        job = Job.objects.get()
        self.assertRedirects(response, reverse("job", args=[job.pk]))
        self.assertFalse(Run.objects.exists())  # nothing computed in the request
        self.assertContains(self.client.get(reverse("job", args=[job.pk])), "考评计算")
        with recorded_progress() as calls:
            run_queued_jobs()
        self.assertEqual(calls, [("done", 0, 3), ("done", 1, 3), ("done", 2, 3), ("done", 3, 3)])
        run = Run.objects.get()
        self.assertEqual((run.computed_by, run.version), (self.dispatch, 1))
        job.refresh_from_db()
        self.assertEqual((job.state, job.done, job.total), (JobState.DONE, 3, 3))
        page = self.client.get(reverse("job", args=[job.pk]))
        self.assertContains(page, "（草稿，")
        self.assertContains(page, reverse("assessment-run", args=[run.pk]))

    def test_a_scheme_error_fails_the_job_in_chinese_and_a_retry_computes(self) -> None:
        self.login(self.dispatch)
        self.compute()
        job = Job.objects.get()
        broken = mock.patch.object(
            services, "compute", side_effect=methods.SchemeError("缺少必填参数")
        )
        with broken:
            run_queued_jobs()
        job.refresh_from_db()
        self.assertEqual((job.state, job.error), (JobState.FAILED, "计算失败：缺少必填参数"))
        self.assertContains(self.client.get(reverse("job", args=[job.pk])), "重试")
        self.client.post(reverse("job-retry", args=[job.pk]))
        run_queued_jobs()
        self.assertEqual(Run.objects.count(), 1)

    def test_a_wrong_period_is_refused_in_the_request(self) -> None:
        self.login(self.dispatch)
        response = self.compute("2023-05")
        self.assertRedirects(response, reverse("assessment-index"))
        self.assertFalse(Job.objects.exists())

    def test_the_job_page_is_refused_to_others_and_computing_to_readers(self) -> None:
        self.login(self.dispatch)
        self.compute()
        job = Job.objects.get()
        self.login(self.leader)
        self.assertEqual(self.client.get(reverse("job", args=[job.pk])).status_code, 403)
        self.assertEqual(self.compute().status_code, 403)
        self.assertEqual(Job.objects.count(), 1)
