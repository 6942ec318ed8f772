"""The key-project bulletin's documents: built by a background job once per change of
their inputs and per reader's scope, then served from their file; the page and JSON stay in
the request. The data version moves on the bulletin's inputs and on nothing else."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from unittest import mock

from django.urls import reverse
from openpyxl import load_workbook

from baozheng.documents import pdf
from baozheng.jobs.models import Job
from baozheng.projects import exports, services
from baozheng.projects.models import Stage, WarningSettings
from baozheng.projects.rules import Month
from baozheng.projects.versioning import current
from baozheng.stats import workflow
from baozheng.stats.models import Indicator
from baozheng.testing import BaozhengTestCase
from tests.jobs.helpers import download_through_job, run_queued_jobs
from tests.projects.factory import make_project

QUERY = {"period": "2023-05", "format": "xlsx"}


class BulletinDownloadTests(BaozhengTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.wc = make_project(cls.wancheng_unit, "WC-001", ytd_by_month={5: "100"})
        cls.wl = make_project(cls.wolong_unit, "WL-001", ytd_by_month={5: "50"})  # lagging too

    def setUp(self) -> None:
        self.use_own_reports_folder()
        self.url = reverse("projects-bulletin")

    def builds(self):
        """Counts the bulletins computed for a document (the request must compute none)."""
        return mock.patch.object(exports, "build", wraps=exports.build)

    def sheet_text(self, response) -> str:
        book = load_workbook(io.BytesIO(response.content))
        return " ".join(
            str(cell) for ws in book for row in ws.iter_rows(values_only=True) for cell in row
        )

    def test_a_first_download_starts_a_job_that_a_second_request_joins(self) -> None:
        self.login(self.dispatch)
        with self.builds() as computed:
            first = self.client.get(self.url, QUERY)
            job = Job.objects.get()
            self.assertRedirects(first, reverse("job", args=[job.pk]))
            self.login(self.admin)  # the same projects and counties: the same document
            second = self.client.get(self.url, QUERY)
            self.assertEqual(second["Location"], first["Location"])
            self.assertEqual(computed.call_count, 0)  # nothing built in a request
        self.assertEqual((job.kind, job.user), ("project-document", self.dispatch))
        self.assertEqual(list(job.joined.all()), [self.admin])
        self.assertEqual(Job.objects.count(), 1)

    def test_after_the_job_the_file_is_served_without_building(self) -> None:
        self.login(self.dispatch)
        self.client.get(self.url, QUERY)
        with self.builds() as computed:
            run_queued_jobs()
            self.assertEqual(computed.call_count, 1)
        with self.builds() as computed:
            for user in (self.dispatch, self.admin):
                self.login(user)
                served = self.client.get(self.url, QUERY)
                self.assertEqual(served.status_code, 200)
                self.assertIn("WL-001", self.sheet_text(served))
            self.assertEqual(computed.call_count, 0)
        self.assertEqual(Job.objects.count(), 1)

    def test_a_progress_report_moves_the_version_and_the_next_download_builds_anew(self):
        self.login(self.wancheng)
        download_through_job(self.client, self.url, QUERY)
        before = current()
        services.save_progress(
            self.wc, Month(2023, 5), Decimal("50"), Decimal("150"), "", "", [], self.wancheng
        )
        self.assertNotEqual(current(), before)
        with self.builds() as computed:
            again = self.client.get(self.url, QUERY)
            self.assertEqual(again.status_code, 302)  # a new job: the file is out of date
            run_queued_jobs()
            self.assertEqual(computed.call_count, 1)
        self.assertEqual(Job.objects.count(), 2)

    def test_another_home_unit_in_the_settings_gets_its_own_file(self) -> None:
        self.login(self.dispatch)
        download_through_job(self.client, self.url, QUERY)
        with self.settings(HOME_UNIT="411302"), self.builds() as computed:
            again = self.client.get(self.url, QUERY)
            self.assertEqual(again.status_code, 302)  # not the file titled for the city
            run_queued_jobs()
            self.assertEqual(computed.call_count, 1)
            served = self.client.get(self.url, QUERY)
            self.assertIn("宛城区重点项目建设月通报", self.sheet_text(served))

    def test_every_input_of_the_bulletin_moves_the_version(self) -> None:
        def moves(write) -> None:
            before = current()
            write()
            self.assertNotEqual(current(), before)

        stage = Stage.objects.create(project=self.wc, kind="signed", actual_on=date(2023, 2, 1))
        moves(lambda: Stage.objects.filter(pk=stage.pk).first().save())
        moves(lambda: WarningSettings.objects.create(investment_red_points=Decimal("30")))
        moves(lambda: self.wancheng_unit.save())
        moves(lambda: self.wl.delete())
        self.wc.leader, self.wc.leader_name = self.leader, ""  # prints the account's name
        moves(self.wc.save)
        self.leader.full_name = "新名字"
        moves(self.leader.save)
        moves(self.leader.delete)  # its projects lose their leader

    def test_unrelated_writes_leave_the_version_and_the_file_alone(self) -> None:
        self.login(self.dispatch)
        download_through_job(self.client, self.url, QUERY)
        before = current()
        self.wancheng.full_name = "改名"
        self.wancheng.save()
        self.client.force_login(self.dispatch)  # a login saves last_login
        indicator = Indicator.objects.create(
            code="5G", name="新建5G基站", measure="个", kind="count"
        )
        workflow.save_draft(
            self.wancheng, indicator, self.wancheng_unit, 2023, 10, Decimal("12"), None
        )
        self.assertEqual(current(), before)
        with self.builds() as computed:
            served = self.client.get(self.url, QUERY)
            self.assertEqual((served.status_code, computed.call_count), (200, 0))

    def test_a_county_clerk_never_gets_the_file_built_for_the_city(self) -> None:
        self.login(self.admin)
        city = download_through_job(self.client, self.url, QUERY)
        self.assertIn("WL-001", self.sheet_text(city))
        self.login(self.wancheng)
        response = self.client.get(self.url, QUERY)
        self.assertEqual(response.status_code, 302)  # not the city's file: its own job
        job = Job.objects.get(user=self.wancheng)
        self.assertEqual(list(job.joined.all()), [])
        run_queued_jobs()
        text = self.sheet_text(self.client.get(self.url, QUERY))
        self.assertIn("WC-001", text)
        self.assertNotIn("WL-001", text)
        self.assertNotIn(self.wolong_unit.name, text)

    def test_a_leader_sees_only_their_own_projects_in_the_file(self) -> None:
        self.wc.leader = self.leader
        self.wc.save()
        self.login(self.leader)
        text = self.sheet_text(download_through_job(self.client, self.url, QUERY))
        self.assertNotIn("WL-001", text)
        self.assertNotEqual(
            exports.scope_of(self.leader).fingerprint, exports.scope_of(self.wancheng).fingerprint
        )

    def test_anonymous_visitors_and_roles_without_view_are_refused(self) -> None:
        for fmt in ("xlsx", "docx", "pdf"):
            response = self.client.get(self.url, {**QUERY, "format": fmt})
            self.assertEqual(response.status_code, 302)
            self.assertIn(reverse("login"), response["Location"])
        self.login(self.judge)
        for fmt in ("xlsx", "docx", "pdf"):
            self.assertEqual(self.client.get(self.url, {**QUERY, "format": fmt}).status_code, 403)
        self.assertFalse(Job.objects.exists())

    def test_the_page_and_json_stay_in_the_request(self) -> None:
        self.login(self.wancheng)
        data = self.client.get(self.url, {**QUERY, "format": "json"}).json()
        self.assertEqual([c["code"] for c in data["counties"]], ["411302"])
        self.assertEqual(self.client.get(self.url, {"period": "2023-05"}).status_code, 200)
        self.assertFalse(Job.objects.exists())

    def test_a_letterhead_override_is_another_document_and_a_bad_one_is_refused(self) -> None:
        self.login(self.dispatch)
        plain = self.client.get(self.url, {**QUERY, "format": "docx"})
        issued = self.client.get(self.url, {**QUERY, "format": "docx", "issuer": "某某办公室"})
        self.assertNotEqual(plain["Location"], issued["Location"])
        bad = self.client.get(self.url, {**QUERY, "format": "docx", "signed": "昨天"})
        self.assertEqual(bad.status_code, 400)
        with mock.patch.object(pdf, "soffice", return_value=None):
            missing = self.client.get(self.url, {**QUERY, "format": "pdf"})
        self.assertEqual(missing.status_code, 503)
        self.assertEqual(Job.objects.count(), 2)
