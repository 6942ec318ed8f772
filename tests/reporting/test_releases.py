"""Releases are immutable snapshots; a correction makes a new version listing its
differences; the bulletin page, the command line and the API show them."""

from __future__ import annotations

import json
from decimal import Decimal
from io import StringIO

from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from baozheng.analysis.periods import Period
from baozheng.reporting.corrections import decide, request_correction
from baozheng.reporting.models import CorrectionRequest, Release
from baozheng.reporting.periods import PeriodError
from baozheng.reporting.releases import release_period
from baozheng.stats import workflow
from baozheng.stats.models import Observation
from baozheng.stats.signals import period_released
from tests.reporting.base import RELEASED, ReportingTestCase

SEPT = Period(2023, 9)


class ReleaseTests(ReportingTestCase):
    def correct_wancheng_retail(self, value: str = "500") -> list[Release]:
        sept = Observation.objects.get(
            indicator=self.retail, unit=self.wancheng_unit, year=2023, month=9
        )
        correction = request_correction(
            self.wancheng,
            self.retail,
            self.wancheng_unit,
            SEPT,
            Decimal(value),
            sept.growth,
            "统计局反馈口径调整",
        )
        decide(self.dept, correction, accept=True)  # the form's first step passes it on
        return decide(self.dispatch, correction, accept=True)

    def test_the_demo_stores_version_1_of_the_current_period(self):
        release = Release.objects.get(year=2023, month=9)
        self.assertEqual((release.version, release.parent, release.differences), (1, self.city, []))
        self.assertTrue(bytes(release.docx).startswith(b"PK"))
        self.assertTrue(bytes(release.xlsx).startswith(b"PK"))
        self.assertEqual(release.data["period"], RELEASED)

    def test_a_release_cannot_be_changed_or_deleted(self):
        release = Release.objects.get(year=2023, month=9)
        release.note = "改"
        with self.assertRaises(ValidationError):
            release.save()
        with self.assertRaises(ValidationError):
            release.delete()

    def test_releasing_again_without_a_change_is_refused(self):
        with self.assertRaisesMessage(PeriodError, "与第1版相同，无需更正发布"):
            release_period(self.dispatch, SEPT, self.city)

    def test_an_accepted_correction_makes_version_2_with_its_one_difference(self):
        old = Observation.objects.get(
            indicator=self.retail, unit=self.wancheng_unit, year=2023, month=9
        )
        received = []
        period_released.connect(lambda **kw: received.append(kw), weak=False, dispatch_uid="t")
        try:
            with self.captureOnCommitCallbacks(execute=True):
                stored = self.correct_wancheng_retail()
        finally:
            period_released.disconnect(dispatch_uid="t")
        self.assertEqual([r.version for r in stored], [2])
        v2 = stored[0]
        self.assertEqual(len(v2.differences), 1)
        diff = v2.differences[0]
        self.assertEqual(
            (diff["indicator"], diff["unit"], diff["field"]), ("B01", "411302", "value")
        )
        self.assertAlmostEqual(diff["old"], float(old.value))
        self.assertEqual(diff["new"], 500.0)
        self.assertEqual(received[0]["release"], v2)
        self.assertEqual((received[0]["period"], received[0]["parent"]), (SEPT, self.city))
        v1 = Release.objects.get(year=2023, month=9, version=1)
        row = next(r for r in v1.data["rows"] if (r["indicator"], r["unit"]) == ("B01", "411302"))
        self.assertAlmostEqual(row["value"], float(old.value))

    def test_the_bulletin_page_shows_the_version_and_links_the_earlier_one(self):
        self.correct_wancheng_retail()
        self.login(self.leader)
        page = self.client.get(reverse("monitor-bulletin"))
        self.assertContains(page, "显示第2版")
        self.assertContains(page, "version=1")
        old = self.client.get(reverse("monitor-bulletin"), {"version": "1"})
        self.assertContains(old, "显示第1版")
        self.assertEqual(
            self.client.get(reverse("monitor-bulletin"), {"version": "x"}).status_code, 404
        )
        detail = self.client.get(reverse("reporting-release", args=[RELEASED, "411300", 2]))
        self.assertContains(detail, "更正内容")
        self.assertContains(detail, "宛城区")
        self.assertContains(detail, "500.0")
        download = self.client.get(
            reverse("reporting-release-download", args=[RELEASED, "411300", 1, "docx"])
        )
        self.assertEqual(download.status_code, 200)

    def test_a_clerk_cannot_open_another_units_release_nor_accept_a_correction(self):
        self.login(self.wancheng)
        response = self.client.get(reverse("reporting-release", args=[RELEASED, "411300", 1]))
        self.assertEqual(response.status_code, 403)
        correction = request_correction(
            self.wancheng, self.retail, self.wancheng_unit, SEPT, Decimal("1"), None, "理由"
        )
        response = self.client.post(
            reverse("reporting-correction-decide", args=[correction.pk]), {"action": "accept"}
        )
        self.assertEqual(response.status_code, 403)
        self.login(self.wolong)
        response = self.client.post(
            reverse("reporting-corrections"),
            {
                "indicator": self.retail.pk,
                "unit": self.wancheng_unit.pk,
                "period": RELEASED,
                "value": "1",
                "reason": "越权",
            },
        )
        self.assertEqual(CorrectionRequest.objects.count(), 1)
        correction.refresh_from_db()
        self.assertEqual(correction.state, "pending")

    def test_a_correction_for_an_open_period_is_refused(self):
        with self.assertRaisesMessage(workflow.WorkflowError, "未关闭，请直接在数据填报中填写"):
            request_correction(
                self.wancheng,
                self.retail,
                self.wancheng_unit,
                Period(2023, 10),
                Decimal("1"),
                None,
                "x",
            )

    def test_a_decided_correction_cannot_be_decided_again(self):
        correction = request_correction(
            self.wancheng, self.retail, self.wancheng_unit, SEPT, Decimal("1"), None, "x"
        )
        with self.assertRaisesMessage(workflow.WorkflowError, "驳回更正申请须说明理由"):
            decide(self.dept, correction, accept=False)
        decide(self.dept, correction, accept=False, note="口径无误")
        with self.assertRaisesMessage(
            workflow.WorkflowError, "该更正申请已驳回，本次操作未做任何更改"
        ):
            decide(self.dept, correction, accept=True)


class ReleaseCommandAndApiTests(ReportingTestCase):
    def test_the_command_releases_a_period_and_refuses_bad_input(self):
        out = StringIO()
        call_command("release", "--period", "2023-08", stdout=out)
        self.assertIn("已发布南阳市2023年1-8月通报第1版", out.getvalue())
        with self.assertRaisesMessage(CommandError, "无法识别期间"):
            call_command("release", "--period", "2023-13")
        with self.assertRaisesMessage(CommandError, "找不到单位"):
            call_command("release", "--period", "2023-08", "--parent", "999")
        with self.assertRaisesMessage(CommandError, "无需更正发布"):
            call_command("release", "--period", "2023-08")

    def test_a_release_note_over_its_column_is_refused_and_one_at_the_limit_is_kept(self):
        with self.assertRaisesMessage(CommandError, "发布说明超过 300 字（301 字）"):
            call_command("release", "--period", "2023-08", "--note", "发" * 301)
        self.assertFalse(Release.objects.filter(year=2023, month=8).exists())
        call_command("release", "--period", "2023-08", "--note", "发" * 300, stdout=StringIO())
        self.assertEqual(Release.objects.get(year=2023, month=8).note, "发" * 300)

    def test_the_api_lists_released_periods_and_serves_a_version(self):
        self.login(self.leader)
        listing = self.client.get("/api/v1/reporting/releases").json()
        self.assertEqual(listing["latest"], RELEASED)
        sept = next(p for p in listing["periods"] if p["period"] == RELEASED)
        self.assertEqual([v["version"] for v in sept["versions"]], [1])
        body = self.client.get(f"/api/v1/reporting/releases/{RELEASED}/1").json()
        self.assertEqual((body["version"], body["bulletin"]["period"]), (1, RELEASED))
        self.assertEqual(
            self.client.get(f"/api/v1/reporting/releases/{RELEASED}/9").status_code, 404
        )

    def test_the_bulletin_api_refuses_an_unreleased_period_outside_the_staff(self):
        self.login(self.leader)
        response = self.client.get("/api/v1/stats/bulletin", {"period": "2023-10"})
        self.assertEqual(response.status_code, 403)
        self.assertIn("尚未发布", response.json()["message"])
        self.assertEqual(
            self.client.get("/api/v1/stats/bulletin", {"period": RELEASED}).status_code, 200
        )
        self.login(self.dispatch)
        self.assertEqual(
            self.client.get("/api/v1/stats/bulletin", {"period": "2023-10"}).status_code, 200
        )

    def test_the_api_refuses_other_scopes_and_anonymous_callers(self):
        self.assertEqual(self.client.get("/api/v1/reporting/releases").status_code, 401)
        self.login(self.wancheng)
        response = self.client.get("/api/v1/reporting/releases", {"parent": "411300"})
        self.assertEqual(response.status_code, 403)
        response = self.client.get(f"/api/v1/reporting/releases/{RELEASED}/1", {"parent": "411300"})
        self.assertEqual(response.status_code, 403)
        self.assertEqual(json.loads(response.content)["message"], "单位“南阳市”不在您的数据范围内")
