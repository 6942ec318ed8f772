from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from baozheng.jobs.models import Job
from baozheng.stats.models import ImportBatch, Observation, Status
from baozheng.testing import BaozhengTestCase
from tests.jobs.helpers import run_queued_jobs
from tests.stats import factory


class BulletinApiTests(BaozhengTestCase):
    URL = "/api/v1/stats/bulletin"

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        factory.indicators()

    def test_a_clerk_gets_the_bulletin_of_their_own_county(self) -> None:
        self.login(self.wancheng)
        response = self.client.get(self.URL, {"period": "2023年1-3月", "parent": "411302"})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            (response.json()["parent"], response.json()["period"]), ("411302", "2023-03")
        )

    def test_a_unit_outside_the_users_scope_is_refused(self) -> None:
        self.login(self.wancheng)
        response = self.client.get(self.URL, {"period": "2023-06", "parent": "411300"})
        self.assertEqual(response.status_code, 403)

    def test_a_judge_without_the_view_capability_is_refused(self) -> None:
        self.login(self.judge)
        self.assertEqual(
            self.client.get(self.URL, {"period": "2023-06", "parent": "411325"}).status_code, 403
        )

    def test_anonymous_callers_and_bad_periods_are_refused(self) -> None:
        self.assertEqual(self.client.get(self.URL, {"period": "2023-06"}).status_code, 401)
        self.login(self.admin)
        self.assertEqual(self.client.get(self.URL, {"period": "2023-13"}).status_code, 400)
        self.assertEqual(
            self.client.get(self.URL, {"period": "2023-06", "parent": "999"}).status_code, 404
        )


class ImportPageTests(BaozhengTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        factory.indicators()

    def post(self, text: str, **fields):
        """Upload, let a job worker run the queued import, open the job's page."""
        upload = SimpleUploadedFile("data.csv", factory.csv(text), content_type="text/csv")
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(
                reverse("stats-import"), {"kind": "observations", "file": upload, **fields}
            )
        if response.status_code != 302:
            return response
        run_queued_jobs()
        return self.client.get(response["Location"])

    def test_the_page_is_in_the_menu_of_a_clerk_and_refused_to_a_leader(self) -> None:
        self.login(self.wancheng)
        response = self.client.get(reverse("stats-import"))
        self.assertContains(response, "数据导入")
        self.assertContains(response, 'href="/stats/import/"')
        self.login(self.leader)
        self.assertEqual(self.client.get(reverse("stats-import")).status_code, 403)
        self.client.logout()
        self.assertEqual(self.client.get(reverse("stats-import")).status_code, 302)

    def test_a_dry_run_shows_the_report_and_saves_nothing(self) -> None:
        self.login(self.wancheng)
        response = self.post(
            "indicator,unit,period,value\nRETAIL,宛城区,2023-06,12.5", dry_run="on"
        )
        self.assertContains(response, "试导入（未保存）：共 1 行，新增 1")
        self.assertFalse(Observation.objects.exists())
        self.assertEqual(ImportBatch.objects.get().channel, "web")

    def test_a_clerks_upload_is_submitted_and_row_errors_are_listed(self) -> None:
        self.login(self.wancheng)
        self.post("indicator,unit,period,value\nRETAIL,宛城区,2023-06,12.5")
        self.assertEqual(Observation.objects.get().status, Status.SUBMITTED)
        response = self.post(
            "indicator,unit,period,value\nRETAIL,卧龙区,2023-06,1\nRETAIL,411303,2023-06,1"
        )
        self.assertContains(response, "导入失败")
        self.assertContains(response, "不在您的数据范围内")

    def test_a_reason_over_its_column_is_refused_by_the_form_and_nothing_is_queued(self) -> None:
        self.login(self.dispatch)
        self.assertContains(self.client.get(reverse("stats-import")), 'maxlength="300"')
        text = "indicator,unit,period,value\nRETAIL,宛城区,2023-06,12.5"
        response = self.post(text, reason="改" * 301)
        self.assertContains(response, "修改理由超过 300 字（301 字），请删减后重新提交")
        upload = SimpleUploadedFile("t.csv", b"indicator,unit,year,floor\n")
        response = self.client.post(
            reverse("stats-import"), {"kind": "targets", "file": upload, "reason": "调" * 201}
        )
        self.assertContains(response, "修改理由超过 200 字（201 字），请删减后重新提交")
        self.assertFalse(ImportBatch.objects.exists() or Job.objects.exists())
        self.post(text, reason="改" * 300)
        self.assertEqual(ImportBatch.objects.get().reason, "改" * 300)

    def test_a_clerk_may_not_upload_targets_and_a_broken_file_is_explained(self) -> None:
        self.login(self.wancheng)
        upload = SimpleUploadedFile("t.csv", b"indicator,unit,year,floor,stretch\n")
        response = self.client.post(reverse("stats-import"), {"kind": "targets", "file": upload})
        self.assertEqual(response.status_code, 403)
        response = self.post("foo,bar\n1,2")
        self.assertContains(response, "无法读取文件")
