"""Validation rules on import: the figures an import writes are checked as a submission
is — an error rule refuses the whole file, a warning rule needs the 说明 column, which
the approver then reads beside the figure; a dry run lists the same violations."""

from __future__ import annotations

from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from baozheng.lib.tabular import ImportReport
from baozheng.org.models import Unit
from baozheng.stats.imports import run_import
from baozheng.stats.imports.validation import Written, check_rules
from baozheng.stats.models import ImportBatch, Observation, ObservationRevision, Status
from tests.jobs.helpers import run_queued_jobs
from tests.reporting.base import OPEN, RELEASED, ReportingTestCase

HEADER = "指标,地区,期间,累计值,同比增长(%),说明\n"


class ImportRuleTests(ReportingTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        obs = Observation.objects.get
        cls.sept = obs(indicator=cls.retail, unit=cls.wancheng_unit, year=2023, month=9).value
        cls.last = obs(indicator=cls.retail, unit=cls.wancheng_unit, year=2022, month=10).value
        cls.wolong_sept = obs(indicator=cls.retail, unit=cls.wolong_unit, year=2023, month=9).value

    def cli(self, text: str, **kwargs):
        return run_import("observations", (HEADER + text).encode(), "data.csv", None, **kwargs)

    def october(self):
        return Observation.objects.filter(
            indicator=self.retail,
            unit__in=[self.wancheng_unit, self.wolong_unit],
            year=2023,
            month=10,
        )

    def state(self) -> list:
        """The October figures of both counties and their revision count."""
        rows = self.october().order_by("unit_id")
        revisions = ObservationRevision.objects.filter(observation__in=self.october()).count()
        return [*rows.values_list("unit_id", "status", "value", "pending_value"), revisions]

    def test_an_error_rule_refuses_the_whole_import_naming_rule_unit_indicator_and_figures(self):
        before = self.state()
        report = self.cli(
            f"B01,411303,2023-10,{self.wolong_sept + 5},,\nB01,411302,2023-10,{self.sept - 1},,\n"
        )
        self.assertEqual([(e.row, e.column) for e in report.errors], [(3, "校验规则")])
        message = report.errors[0].message
        for part in (
            "单月值不得为负",
            "宛城区",
            "社会消费品零售总额",
            f"{self.sept.normalize():f}",
        ):
            self.assertIn(part, message)
        self.assertEqual(self.state(), before)

    def test_a_row_breaking_a_warning_rule_without_an_explanation_is_refused(self):
        before = self.state()
        report = self.cli(f"B01,411302,2023-10,{self.last * 4},,\n")
        self.assertEqual([(e.row, e.column) for e in report.errors], [(2, "说明")])
        self.assertIn("累计值不超过上年同期的3倍", report.errors[0].message)
        self.assertIn("须在“说明”列写明原因", report.errors[0].message)
        self.assertEqual(self.state(), before)

    def test_an_explained_warning_is_kept_where_the_entry_grid_keeps_it(self):
        report = self.cli(f"B01,411302,2023-10,{self.last * 4},,新开大型商超集中开业\n")
        self.assertTrue(report.ok, report.errors)
        revision = ObservationRevision.objects.get(
            observation__in=self.october().filter(unit=self.wancheng_unit)
        )
        self.assertIn("【累计值不超过上年同期的3倍】", revision.reason)
        self.assertTrue(revision.reason.endswith("说明：新开大型商超集中开业"))

    def test_a_locked_figures_reason_and_its_explained_warning_are_both_kept_whole(self):
        """The revision holds the batch's reason and the rules' explanation side by side,
        each at its longest: neither is cut to make room for the other."""
        sept = Observation.objects.filter(
            indicator=self.retail, unit=self.wancheng_unit, year=2023, month=9
        )
        sept.update(status=Status.LOCKED)
        last_sept = Observation.objects.get(
            indicator=self.retail, unit=self.wancheng_unit, year=2022, month=9
        ).value
        reason, why = "修" * 300, "因" * 200
        report = self.cli(f"B01,411302,2023-09,{last_sept * 4},,{why}\n", reason=reason)
        self.assertTrue(report.ok, report.errors)
        revision = ObservationRevision.objects.filter(observation__in=sept).latest("pk")
        self.assertTrue(revision.reason.startswith(reason + "；"))
        self.assertIn("【累计值不超过上年同期的3倍】", revision.reason)
        self.assertTrue(revision.reason.endswith(f"说明：{why}"))
        self.assertEqual(sept.get().value, last_sept * 4)

    def test_a_clerks_explained_upload_is_shown_to_the_approver(self):
        self.login(self.wancheng)
        text = HEADER + f"B01,宛城区,2023-10,{self.last * 4},,新开大型商超集中开业\n"
        upload = SimpleUploadedFile("data.csv", text.encode(), content_type="text/csv")
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(
                reverse("stats-import"), {"kind": "observations", "file": upload}
            )
        self.assertEqual(response.status_code, 302)
        run_queued_jobs()
        self.assertEqual(self.october().get(unit=self.wancheng_unit).status, Status.SUBMITTED)
        self.login(self.dept)
        review = self.client.get(reverse("monitor-review"), {"period": "2023-10"})
        self.assertContains(review, "填报说明：")
        self.assertContains(review, "新开大型商超集中开业")

    def test_a_dry_run_lists_the_same_violations_and_writes_nothing(self):
        before = self.state()
        report = self.cli(
            f"B01,411302,2023-10,{self.sept - 1},,\nB01,411303,2023-10,{self.wolong_sept * 40},,\n",
            dry_run=True,
        )
        self.assertEqual([(e.row, e.column) for e in report.errors], [(2, "校验规则"), (3, "说明")])
        self.assertEqual(self.state(), before)
        self.assertTrue(ImportBatch.objects.latest("pk").dry_run)

    def test_an_unchanged_row_is_not_checked_again(self):
        Observation.objects.filter(
            indicator=self.retail, unit=self.wancheng_unit, year=2023, month=9
        ).update(value=Decimal("1"))
        report = self.cli("B01,411302,2023-09,1,,\n")
        self.assertTrue(report.ok, report.errors)
        self.assertEqual(report.unchanged, 1)

    def test_the_rules_read_their_figures_per_indicator_and_period_not_per_row(self):
        counties = list(Unit.objects.filter(peer_group__partitions=True, parent=self.city))
        self.assertGreater(len(counties), 10)

        def queries(units: list[Unit]) -> int:
            rows: list[Written] = [
                (n, self.retail, u, (self.retail.pk, u.pk, 2023, 10), Decimal(1), None, "")
                for n, u in enumerate(units, start=2)
            ]
            report = ImportReport("observations")
            with CaptureQueriesContext(connection) as captured:
                check_rules(rows, report)
            self.assertTrue(report.errors)  # R01 for the counties with a September figure
            return len(captured)

        self.assertEqual(queries(counties[:2]), queries(counties))


class ImportPeriodStateTests(ReportingTestCase):
    """An upload follows the period like the entry grid: a clerk's figures go only into
    the open period; the command line (the office's operator) still loads history."""

    def upload(self, user, period: str) -> ImportReport:
        text = f"{HEADER}B01,411302,{period},170.0,,\n"
        return run_import("observations", text.encode(), "data.csv", user, channel="web")

    def test_a_clerk_cannot_upload_into_a_released_period(self):
        report = self.upload(self.wancheng, RELEASED)
        self.assertTrue(report.errors)
        self.assertIn("迟报或更正数据请提交更正申请", report.errors[0].message)

    def test_a_clerk_uploads_into_the_open_period_and_the_command_line_into_history(self):
        self.assertFalse(self.upload(self.wancheng, OPEN).errors)
        text = f"{HEADER}B01,411302,2023-08,,5.0,按统计局反馈核对更正\n"
        self.assertFalse(run_import("observations", text.encode(), "data.csv", None).errors)
