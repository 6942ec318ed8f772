from datetime import date
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from baozheng.org.models import Unit
from baozheng.projects.forms import ThresholdsForm
from baozheng.projects.models import (
    Photo,
    ProgressReport,
    Project,
    SupportCategory,
    SupportRequest,
    SupportRoute,
    WarningSettings,
)
from baozheng.tasks.models import SourceKind
from baozheng.testing import BaozhengTestCase
from tests.interleave import after
from tests.jobs.helpers import download_through_job
from tests.projects.factory import make_project

# A valid thresholds form: yellow before red at every rule.
THRESHOLDS = {
    "investment_yellow_points": "5",
    "investment_red_points": "20",
    "start_yellow_months": "1",
    "start_red_months": "3",
    "statistics_yellow_months": "1",
    "statistics_red_months": "2",
}
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


class ProjectPagesTests(BaozhengTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        started = {
            "signed": (None, date(2022, 5, 1)),
            "landed": (None, date(2022, 6, 1)),
            "started": (date(2022, 9, 1), date(2022, 9, 1)),
        }
        cls.lagging = make_project(
            cls.wancheng_unit,
            "WC-001",
            stages=started,
            leader=cls.leader,
            ytd_by_month={1: "20", 2: "50", 3: "80", 4: "90", 5: "100"},
            entered_statistics_on=date(2022, 10, 1),
        )
        cls.wolong_project = make_project(cls.wolong_unit, "WL-001", ytd_by_month={5: "500"})

    def test_a_clerk_sees_only_own_county_projects(self):
        self.login(self.wancheng)
        response = self.client.get(reverse("projects-list"))
        self.assertContains(response, "WC-001")
        self.assertNotContains(response, "WL-001")

    def test_a_clerk_is_refused_another_county_project_page_and_edit(self):
        self.login(self.wancheng)
        self.assertEqual(
            self.client.get(reverse("projects-detail", args=[self.wolong_project.pk])).status_code,
            403,
        )
        self.assertEqual(
            self.client.get(
                reverse("projects-progress", args=[self.wolong_project.pk])
            ).status_code,
            403,
        )
        response = self.client.post(
            reverse("projects-progress", args=[self.wolong_project.pk]),
            {"period": "2023-06", "invested_month": "1"},
        )
        self.assertEqual(response.status_code, 403)
        self.assertEqual(
            self.client.get(reverse("projects-county", args=["411303"])).status_code, 403
        )

    def test_a_leader_sees_their_projects_only_and_cannot_edit(self):
        self.login(self.leader)
        self.assertEqual(
            self.client.get(reverse("projects-detail", args=[self.lagging.pk])).status_code, 200
        )
        self.assertEqual(
            self.client.get(reverse("projects-detail", args=[self.wolong_project.pk])).status_code,
            403,
        )
        self.assertEqual(
            self.client.get(reverse("projects-progress", args=[self.lagging.pk])).status_code, 403
        )
        mine = self.client.get(reverse("projects-mine"))
        self.assertContains(mine, "WC-001")
        self.assertNotContains(mine, "WL-001")

    def test_the_dispatch_office_sees_every_project(self):
        self.login(self.dispatch)
        response = self.client.get(reverse("projects-list"))
        self.assertContains(response, "WC-001")
        self.assertContains(response, "WL-001")

    def test_anonymous_visitors_and_judges_are_kept_out(self):
        self.assertEqual(self.client.get(reverse("projects-list")).status_code, 302)
        self.login(self.judge)
        self.assertEqual(self.client.get(reverse("projects-list")).status_code, 403)
        self.assertEqual(self.client.get(reverse("projects-bulletin")).status_code, 403)

    def test_a_period_beyond_the_years_a_period_may_name_is_not_a_server_error(self):
        """December 9999 was accepted; its month end was computed through January 10000,
        which no date holds, and every project page answered 500. The last year a period
        may name is shown; one beyond it is read as no choice (the reporting month)."""
        self.login(self.dispatch)
        pages = [
            reverse("projects-list"),
            reverse("projects-detail", args=[self.lagging.pk]),
            reverse("projects-county", args=["411302"]),
        ]
        for page in pages:
            with self.subTest(page=page):
                self.assertContains(self.client.get(page, {"period": "2200-12"}), "2200年")
                response = self.client.get(page, {"period": "9999-12"})
                self.assertEqual(response.status_code, 200)
                self.assertNotContains(response, "9999年")

    def test_the_project_page_shows_its_warning_timeline_and_chart_data(self):
        self.login(self.wancheng)
        response = self.client.get(reverse("projects-detail", args=[self.lagging.pk]))
        self.assertContains(response, "投资完成滞后于时序进度")
        self.assertContains(response, "红灯")
        self.assertContains(response, 'id="chart-data"')
        self.assertContains(response, "plotly.min.js")

    def test_entering_a_month_that_catches_up_clears_the_investment_warning(self):
        self.login(self.wancheng)
        response = self.client.post(
            reverse("projects-progress", args=[self.lagging.pk]),
            {"period": "2023-06", "invested_month": "600", "narrative": "主体封顶"},
        )
        self.assertRedirects(response, reverse("projects-detail", args=[self.lagging.pk]))
        report = ProgressReport.objects.get(project=self.lagging, year=2023, month=6)
        self.assertEqual(report.invested_ytd, Decimal("700"))
        page = self.client.get(reverse("projects-detail", args=[self.lagging.pk]))
        self.assertNotContains(page, "投资完成滞后于时序进度")

    def test_a_cumulative_below_last_month_needs_a_correction_reason(self):
        self.login(self.wancheng)
        data = {"period": "2023-06", "invested_month": "0", "invested_ytd": "90"}
        response = self.client.post(reverse("projects-progress", args=[self.lagging.pk]), data)
        self.assertContains(response, "低于上月累计")
        self.assertFalse(ProgressReport.objects.filter(project=self.lagging, month=6).exists())
        data["correction_reason"] = "核减重复统计的设备款"
        response = self.client.post(reverse("projects-progress", args=[self.lagging.pk]), data)
        self.assertEqual(response.status_code, 302)

    def test_a_photo_is_checked_by_its_content(self):
        self.login(self.wancheng)
        fake = SimpleUploadedFile(
            "site.jpg", b"<html>not an image</html>", content_type="image/jpeg"
        )
        response = self.client.post(
            reverse("projects-progress", args=[self.lagging.pk]),
            {"period": "2023-06", "invested_month": "10", "photos": [fake]},
        )
        self.assertContains(response, "不是 JPEG、PNG 或 WebP 图片")
        self.assertFalse(Photo.objects.exists())
        real = SimpleUploadedFile("site.jpg", PNG, content_type="image/jpeg")
        with self.settings(MEDIA_ROOT=self._tmp()):
            self.client.post(
                reverse("projects-progress", args=[self.lagging.pk]),
                {"period": "2023-06", "invested_month": "10", "photos": [real]},
            )
            photo = Photo.objects.get()
            self.assertEqual(photo.content_type, "image/png")
            self.assertTrue(photo.image.name.endswith(".png"))
            self.assertEqual(
                self.client.get(reverse("projects-photo", args=[photo.pk])).status_code, 200
            )
            self.login(self.wolong)
            self.assertEqual(
                self.client.get(reverse("projects-photo", args=[photo.pk])).status_code, 403
            )

    def test_an_oversized_photo_is_refused(self):
        self.login(self.wancheng)
        big = SimpleUploadedFile(
            "big.png", PNG + b"\x00" * (5 * 1024 * 1024), content_type="image/png"
        )
        response = self.client.post(
            reverse("projects-progress", args=[self.lagging.pk]),
            {"period": "2023-06", "invested_month": "10", "photos": [big]},
        )
        self.assertContains(response, "超过 5 MB")

    def test_a_skipped_stage_is_refused_on_the_page_unless_explained(self):
        self.login(self.wancheng)
        data = {
            "signed_actual": "2022-05-01",
            "landed_actual": "2022-06-01",
            "started_actual": "2022-09-01",
            "at_capacity_actual": "2023-03-01",
        }
        response = self.client.post(reverse("projects-stages", args=[self.lagging.pk]), data)
        self.assertContains(response, "尚未投产不能直接达效")
        data["at_capacity_reason"] = "技改项目，原生产线达产"
        response = self.client.post(reverse("projects-stages", args=[self.lagging.pk]), data)
        self.assertEqual(response.status_code, 302)

    def test_a_statistics_date_needs_a_start(self):
        self.login(self.wolong)
        response = self.client.post(
            reverse("projects-stages", args=[self.wolong_project.pk]),
            {"entered_statistics_on": "2023-01-01"},
        )
        self.assertContains(response, "尚未开工的项目不能填写入统日期")

    def test_a_support_request_becomes_a_tracked_task(self):
        power = Unit.objects.get(code="411300GDG")
        SupportRoute.objects.create(category=SupportCategory.POWER, unit=power)
        self.login(self.wancheng)
        response = self.client.post(
            reverse("projects-support", args=[self.lagging.pk]),
            {"category": "power", "description": "专线报装慢"},
        )
        self.assertEqual(response.status_code, 302)
        request = SupportRequest.objects.get()
        self.assertEqual(request.task.source_kind, SourceKind.PROJECT)
        self.assertEqual(request.task.source_id, self.lagging.pk)
        self.assertEqual(request.task.lead_unit, power)  # the route for 用电: the power company
        self.assertIn(self.wancheng_unit, request.task.helpers.all())
        page = self.client.get(reverse("projects-detail", args=[self.lagging.pk]))
        self.assertContains(page, request.task.code)

    def test_only_managers_change_warning_thresholds(self):
        self.login(self.dispatch)
        data = THRESHOLDS
        self.assertEqual(self.client.post(reverse("projects-thresholds"), data).status_code, 403)
        self.login(self.admin)
        self.client.post(reverse("projects-thresholds"), data)
        self.assertEqual(WarningSettings.current().investment_red_points, Decimal("20"))

    def test_the_warnings_page_lists_lagging_projects_in_scope(self):
        self.login(self.wancheng)
        response = self.client.get(reverse("projects-warnings"), {"period": "2023-05"})
        self.assertContains(response, "WC-001")
        self.assertNotContains(response, "WL-001")
        export = self.client.get(
            reverse("projects-warnings"), {"period": "2023-05", "format": "xlsx"}
        )
        self.assertEqual(
            export["Content-Type"].split(";")[0],
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )

    def test_the_bulletin_downloads_in_every_format(self):
        self.login(self.dispatch)
        data = self.client.get(
            reverse("projects-bulletin"), {"period": "2023-05", "format": "json"}
        ).json()
        self.assertEqual(data["period"], "2023-05")
        self.assertEqual([p["code"] for p in data["lagging"]], ["WC-001"])
        self.assertIsInstance(data["counties"][0]["completion"], float)
        for fmt in ("xlsx", "docx"):
            response = download_through_job(
                self.client, reverse("projects-bulletin"), {"period": "2023-05", "format": fmt}
            )
            self.assertEqual(response.status_code, 200)
            self.assertIn(f".{fmt}", response["Content-Disposition"])

    def test_the_clerk_home_page_hints_at_missing_reports(self):
        make_project(self.wolong_unit, "WL-002")
        self.login(self.wolong)
        response = self.client.get(reverse("home"))
        self.assertContains(response, "尚有重点项目未填报月度进展")

    def _tmp(self) -> str:
        import tempfile

        path = tempfile.mkdtemp(prefix="bz-photos-")
        self.addCleanup(__import__("shutil").rmtree, path, True)
        return path


class ProjectsCountyTests(BaozhengTestCase):
    def test_the_county_page_shows_figures_and_the_two_year_rule(self):
        make_project(
            self.wancheng_unit,
            "BIG",
            total="100000",
            stages={"signed": (None, date(2023, 1, 5))},
            ytd_by_month={1: "100"},
        )
        self.login(self.wancheng)
        response = self.client.get(
            reverse("projects-county", args=["411302"]), {"period": "2023-01"}
        )
        self.assertContains(response, "已达标")
        self.assertEqual(Project.objects.count(), 1)


class ThresholdsRaceTests(BaozhengTestCase):
    def test_thresholds_first_saved_meanwhile_by_another_manager_are_not_doubled(self):
        self.login(self.admin)
        data = THRESHOLDS
        other = lambda: WarningSettings.objects.create(pk=1, investment_red_points=30)  # noqa: E731
        with after(ThresholdsForm, "is_valid", other):
            response = self.client.post(reverse("projects-thresholds"), data, follow=True)
        # One row, the later save applied to it as it would be a second later (on two
        # connections the later may instead be told to refresh: never a second row).
        self.assertContains(response, "已更新预警阈值")
        self.assertEqual(WarningSettings.objects.get().investment_red_points, Decimal("20"))
