"""Regression tests for the reliability findings about imports and numbers (F1, F2, F5, F9,
F13, F14), each named after the finding it keeps fixed."""

from __future__ import annotations

import io
from decimal import Decimal
from unittest import mock

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from baozheng.contest.importer import import_contestants
from baozheng.lib import bounds, spreadsheet_worker, tabular
from baozheng.lib.tabular import ImportFileError, read_table
from baozheng.org.models import Unit
from baozheng.projects.importer import import_projects
from baozheng.projects.models import Project
from baozheng.stats.imports import run_import
from baozheng.stats.models import Observation
from baozheng.testing import BaozhengTestCase
from tests.contest.factory import SmallContest
from tests.jobs.helpers import run_queued_jobs
from tests.projects.test_import import HEADER as PROJECT_HEADER
from tests.projects.test_registry_pages import VALID as PROJECT_FORM
from tests.stats import factory


def sparse_xlsx() -> bytes:
    """4.9 KB on disk; its used range is 1,048,576 × 16,384 cells (F1)."""
    wb = openpyxl.Workbook()
    wb.active.append(["indicator", "unit", "period", "value"])
    wb.active["XFD1048576"] = 1
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


class ReaderBoundsTests(BaozhengTestCase):
    def test_f1_a_sparse_spreadsheet_is_refused_with_the_limits_named_and_the_process_lives(self):
        with self.assertRaises(ImportFileError) as caught:
            read_table(sparse_xlsx(), "sparse.xlsx")
        self.assertIn("1,000 列", str(caught.exception))
        self.assertIn("20,000,000 个单元格", str(caught.exception))
        self.assertEqual(read_table(b"a,b\n1,2\n", "ok.csv"), [["a", "b"], ["1", "2"]])

    def test_f1_every_cli_import_kind_refuses_the_sparse_file(self):
        factory.indicators()
        for kind in ("units", "indicators", "observations", "targets"):
            with self.subTest(kind=kind), self.assertRaises(ImportFileError):
                run_import(kind, sparse_xlsx(), "sparse.xlsx")
        with self.assertRaises(ImportFileError):
            import_projects(sparse_xlsx(), "sparse.xlsx")
        with self.assertRaises(ImportFileError):
            import_contestants(
                SmallContest(head=self.contest_staff).contest, sparse_xlsx(), "s.xlsx"
            )

    def test_f1_a_spreadsheet_over_the_row_column_or_cell_limit_is_refused_by_name(self):
        self.assertIn("行数", bounds_message(spreadsheet_worker.MAX_ROWS + 1, 1))
        self.assertIn("列数", bounds_message(2, spreadsheet_worker.MAX_COLUMNS + 1))
        self.assertIn("单元格数", bounds_message(40_000, 600))
        self.assertIsNone(spreadsheet_worker.shape_error(329_121, 5))

    def test_f1_a_csv_wider_than_the_column_limit_is_refused(self):
        with self.assertRaisesRegex(ImportFileError, "最多 1,000 列"):
            read_table((",".join(["a"] * 1001) + "\n").encode(), "wide.csv")

    def test_f1_a_real_spreadsheet_is_read_through_the_guarded_child(self):
        wb = openpyxl.Workbook()
        wb.active.append(["编码", "数值"])
        wb.active.append(["A1", 2.5])
        out = io.BytesIO()
        wb.save(out)
        self.assertEqual(read_table(out.getvalue(), "a.xlsx"), [["编码", "数值"], ["A1", "2.5"]])

    def test_f5_a_csv_cell_longer_than_the_cell_limit_is_refused_in_chinese(self):
        data = ("code,name\nX," + "y" * 131_073 + "\n").encode()
        with self.assertRaisesRegex(ImportFileError, "32,767 个字符"):
            read_table(data, "long.csv")

    def test_f5_utf16_without_a_bom_gets_a_chinese_message(self):
        data = "indicator,unit,period,value\nRETAIL,411302,2023-06,1\n".encode("utf-16-be")
        with self.assertRaisesRegex(ImportFileError, "[\u4e00-\u9fff]"):
            read_table(data, "u.csv")

    def test_f5_numbers_that_overflow_are_refused_as_out_of_range(self):
        for text in ("1e999999999", "1e309", "9" * 40):
            with self.subTest(text=text), self.assertRaisesRegex(ValueError, "超出范围"):
                tabular.parse_decimal(text)


def bounds_message(height: int, width: int) -> str:
    return spreadsheet_worker.shape_error(height, width) or ""


class ImportRowTests(BaozhengTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.ind = factory.indicators()

    def test_f5_an_observation_of_1e999999999_is_a_row_error(self):
        data = b"indicator,unit,period,value\nRETAIL,411302,2023-06,1e999999999\n"
        report = run_import("observations", data, "o.csv")
        self.assertEqual([(e.row, e.column) for e in report.errors], [(2, "累计值")])
        self.assertFalse(Observation.objects.exists())

    def test_f5_a_target_of_1e999999999_is_a_row_error(self):
        data = "指标,地区,年度,保,争\n新建5G基站,卧龙区,2023,1e999999999,2\n".encode()
        self.assertFalse(run_import("targets", data, "t.csv").ok)

    def test_f5_superscript_digits_in_an_indicator_are_a_row_error(self):
        for text in ("²", "9" * 5000):
            data = f"编码,名称,报送截止日,排序\nX1,甲,{text},1\nX2,乙,1,{text}\n".encode()
            report = run_import("indicators", data, "i.csv")
            self.assertEqual([e.row for e in report.errors], [2, 3])
            self.assertIn("应为 1 至 28 之间的整数", str(report.errors[0]))

    def test_f14_a_name_longer_than_its_column_is_a_row_error_on_every_database(self):
        data = f"编码,名称,上级编码,类型\n411302009,{'名' * 101},411302,乡镇\n".encode()
        report = run_import("units", data, "u.csv")
        self.assertEqual([e.column for e in report.errors], ["名称"])
        self.assertIn("超过 100 字", str(report.errors[0]))
        self.assertFalse(Unit.objects.filter(code="411302009").exists())

    def test_f14_an_overlong_contestant_name_is_a_row_error(self):
        contest = SmallContest(head=self.contest_staff).contest
        data = f"参赛编号,姓名,学校,比赛阶段,学段,学科,推选方式\n101,{'赵' * 41},瓦店一小,市级决赛,小学,语文,推荐\n"
        report = import_contestants(contest, data.encode(), "c.csv")
        self.assertIn("超过 40 字", "".join(map(str, report.errors)))

    def test_f13_a_conflicting_concurrent_import_gets_a_chinese_message_and_changes_nothing(self):
        run_import("observations", b"indicator,unit,period,value\nRETAIL,411302,2023-06,1\n", "a")
        data = b"indicator,unit,period,value\nRETAIL,411302,2023-06,2\nRETAIL,411303,2023-06,3\n"
        # the other import commits between our read of the existing rows and our write
        with (
            mock.patch("baozheng.stats.imports.observations._existing", return_value={}),
            self.assertRaisesRegex(ImportFileError, "另一个导入"),
        ):
            run_import("observations", data, "b.csv")
        self.assertEqual(
            list(Observation.objects.values_list("unit__code", "value")),
            [("411302", Decimal("1.0"))],
        )


class ProjectAmountTests(BaozhengTestCase):
    def test_f2_the_form_refuses_an_amount_that_does_not_fit_the_column(self):
        self.login(self.wancheng)
        response = self.client.post(
            reverse("projects-create"), {**PROJECT_FORM, "total_investment": "100000000000000"}
        )
        self.assertContains(response, "数值超出范围：绝对值最大为 999,999,999,999.99")
        self.assertFalse(Project.objects.filter(code="NY-101").exists())
        self.assertEqual(self.client.get(reverse("home")).status_code, 200)

    def test_f2_the_import_refuses_the_same_amount_and_absurd_years(self):
        row = "NY-9,甲项目,宛城区,,新能源,是,{amount},{year},,三个一批,,,,,,,,,,,\n"
        for amount, year in (("99999999999999.99", "2023"), ("1e308", "2023"), ("1", "9" * 40)):
            with self.subTest(amount=amount, year=year):
                report = import_projects(
                    (PROJECT_HEADER + row.format(amount=amount, year=year)).encode(), "p.csv"
                )
                self.assertFalse(report.ok)
                self.assertRegex(str(report.errors[0]), "[\u4e00-\u9fff]")
        self.assertFalse(Project.objects.exists())

    def test_f2_the_bound_is_read_from_the_model_column(self):
        field = Project._meta.get_field("total_investment")
        self.assertEqual(bounds.decimal_limit(field), Decimal(10) ** 12)
        self.assertEqual(bounds.check_decimal(Decimal("1.005"), field), Decimal("1.01"))


class QueryParameterTests(BaozhengTestCase):
    def test_f9_digits_that_are_not_an_int_in_a_query_are_ignored_not_a_500(self):
        self.login(self.dispatch)
        for value in ("²", "9" * 23, "9" * 5000):
            with self.subTest(value=value[:10]):
                response = self.client.get(reverse("tasks-board"), {"unit": value})
                self.assertEqual(response.status_code, 200)

    def test_f9_a_target_posted_with_a_superscript_unit_is_refused_in_the_form(self):
        self.login(self.dispatch)
        response = self.client.post(reverse("assessment-targets"), {"unit": "²", "year": "²"})
        self.assertEqual(response.status_code, 400)  # the form's own errors, not a 500
        self.assertContains(response, "errorlist", status_code=400)


class UploadPageTests(BaozhengTestCase):
    def test_f1_f5_broken_files_on_the_upload_page_get_a_chinese_message_not_a_500(self):
        factory.indicators()
        self.login(self.admin)
        files = {
            "sparse.xlsx": ("observations", sparse_xlsx()),
            "utf16.csv": ("observations", "indicator,unit\n".encode("utf-16-be")),
            "long.csv": ("units", ("编码,名称\nX," + "y" * 131_073).encode()),
            "big.csv": (
                "observations",
                b"indicator,unit,period,value\nRETAIL,411302,2023-06,1e999999999",
            ),
            "sup.csv": ("indicators", "编码,名称,排序\nX1,甲,²".encode()),
        }
        for name, (kind, data) in files.items():
            with self.subTest(name=name):
                with self.captureOnCommitCallbacks(execute=True):
                    response = self.client.post(
                        reverse("stats-import"),
                        {"kind": kind, "file": SimpleUploadedFile(name, data), "dry_run": "on"},
                    )
                if response.status_code == 302:  # queued as a background job: run it, read it
                    run_queued_jobs()
                    response = self.client.get(response["Location"])
                self.assertEqual(response.status_code, 200)
                self.assertRegex(response.content.decode(), "超出|超过|无法|不是|应为")
