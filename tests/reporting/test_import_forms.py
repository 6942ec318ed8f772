"""`baozheng import forms FILE`: all or nothing, dry-runnable, idempotent."""

from __future__ import annotations

import tempfile
from io import StringIO
from pathlib import Path

from django.core.management import CommandError, call_command

from baozheng.reporting.models import ReportForm
from tests.reporting.base import ReportingTestCase

GOOD = """表号,表名,频度,截止方式,截止日,指标,单位,单位类型
E01,学校统计月报,月,期末后工作日,5,B01;B02,411302,学校;中心校
E01,,,,,,411303,学校
"""
BAD = """表号,表名,频度,截止方式,截止日,指标,单位,单位类型
E02,新表,月,次月固定日,10,B01,411302,
E03,坏表,月,次月固定日,40,ZZZ,999,学堂
"""


class ImportFormsTests(ReportingTestCase):
    def run_import(self, text: str, *extra: str) -> str:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "forms.csv"
            path.write_text(text, encoding="utf-8")
            out = StringIO()
            call_command("import", "forms", str(path), *extra, stdout=out, stderr=StringIO())
            return out.getvalue()

    def test_a_dry_run_reports_and_saves_nothing(self):
        self.assertIn("试导入（未保存）：共 2 行，新增 1", self.run_import(GOOD, "--dry-run"))
        self.assertFalse(ReportForm.objects.filter(code="E01").exists())

    def test_an_import_creates_the_form_and_a_second_run_changes_nothing(self):
        self.assertIn("新增 1", self.run_import(GOOD))
        form = ReportForm.objects.get(code="E01")
        self.assertEqual((form.deadline_kind, form.deadline_value), ("workdays", 5))
        self.assertEqual(
            sorted((a.unit.code, a.kinds) for a in form.assignments.all()),
            [("411302", "central_school,school"), ("411303", "school")],
        )
        self.assertIn("新增 0，更新 0，未变 1", self.run_import(GOOD))

    def test_one_bad_row_changes_nothing_and_every_error_is_named(self):
        with self.assertRaises(CommandError) as raised:
            self.run_import(BAD)
        self.assertIn("未做任何修改", str(raised.exception))
        self.assertFalse(ReportForm.objects.filter(code__in=["E02", "E03"]).exists())

    def test_a_name_or_code_over_its_column_is_refused_not_cut(self):
        from baozheng.reporting.importer import import_forms

        header = "表号,表名,频度,截止方式,截止日,指标,单位,单位类型\n"
        text = (
            header
            + f"E09,{'表' * 101},月,期末后工作日,5,B01,411302,\n{'E' * 33},新表,月,期末后工作日,5,B01,411302,\n"
        )
        messages = [str(e) for e in import_forms(text.encode(), "forms.csv").errors]
        self.assertIn("第 2 行“表名”列：超过 100 字（101 字）", messages)
        self.assertIn("第 3 行“表号”列：超过 32 字（33 字）", messages)
        self.assertFalse(ReportForm.objects.filter(code__in=["E09", "E" * 33]).exists())
        self.run_import(header + f"E09,{'表' * 100},月,期末后工作日,5,B01,411302,\n")
        self.assertEqual(ReportForm.objects.get(code="E09").name, "表" * 100)

    def test_the_errors_are_in_chinese(self):
        from baozheng.reporting.importer import import_forms

        report = import_forms(BAD.encode(), "forms.csv")
        messages = [str(e) for e in report.errors]
        self.assertTrue(any("截止日" in m and "1 至 28" in m for m in messages), messages)
        self.assertFalse(report.ok)

    def test_the_errors_come_in_row_order_whether_of_a_row_or_of_its_form(self):
        from baozheng.reporting.importer import import_forms

        text = """表号,表名,频度,截止方式,截止日,指标,单位,单位类型
E04,,,,,,411302,学校
E05,坏表,月,次月固定日,10,B01,999,学校
"""
        report = import_forms(text.encode(), "forms.csv")
        self.assertEqual(
            [str(e) for e in report.errors],
            [
                "第 2 行“表名”列：新报表“E04”须填写表名和指标",
                "第 3 行“单位”列：未知的单位编码“999”",
            ],
        )
