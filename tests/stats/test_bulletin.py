"""The bulletin through the Django path: imported data → bulletin_json → JSON, xlsx, docx.
The engine's own tests cover the arithmetic; these check the wiring, the contract and that
every reason code can reach a user."""

import io
import json
import math
import tempfile
from decimal import Decimal
from pathlib import Path

from django.core.management import CommandError, call_command
from docx import Document
from openpyxl import load_workbook

from baozheng.analysis.reasons import REASON_CODES
from baozheng.org.models import Unit
from baozheng.stats import workflow
from baozheng.stats.bulletin import bulletin
from baozheng.stats.bulletin_export import bulletin_docx, bulletin_xlsx
from baozheng.stats.imports import run_import
from baozheng.testing import BaozhengTestCase, docx_text
from tests.stats import factory

OBSERVATIONS = factory.csv("""
indicator,unit,period,value,growth
RETAIL,411302,2023-06,110,
RETAIL,411302,2023-05,90,
RETAIL,411302,2022-06,100,
RETAIL,411302,2022-05,82,
RETAIL,411302,2022-12,200,
RETAIL,411302,2023-12,230,
RETAIL,411303,2023-06,50,
RETAIL,411303,2022-06,0,
RETAIL,411321,2023-06,10,
RETAIL,411321,2022-06,-5,
RETAIL,411322,2023-06,30,
RETAIL,411328,2023-06,40,7.5
RETAIL,411328,2022-06,36,
FIVEG,411302,2023-06,150,
FIVEG,411302,2022-06,60,
FIVEG,411302,2022-12,120,
FIVEG,411303,2023-06,30,
FIVEG,411303,2022-06,50,
FIVEG,411303,2022-12,50,
GDP,411300,2023-06,,8.5
JOBLESS,411300,2023-06,5.3,
JOBLESS,411300,2022-06,5.5,
""")
TARGETS = factory.csv("""
indicator,unit,year,basis,floor,stretch
RETAIL,411302,2023,growth,8,9
FIVEG,411302,2023,level,100,120
FIVEG,411303,2023,level,100,120
GDP,411300,2023,growth,8,9
JOBLESS,411300,2023,level,5.5,5.2
""")
# The contract's additions: one tier, a phase target, a rank target beside a value target.
MORE_TARGETS = factory.csv("""
指标,地区,年度,期间,类型,保,争,抢
TRADE,411302,2023,,增速,5,,
RETAIL,411302,2023,2023年1-6月,增速,9.5,11,
RETAIL,411302,2023,,位次,3,2,1
GDP,411300,2023,2023-03,增速,8.5,9,
""")
REQUIRED_KEYS = {
    "indicator",
    "unit",
    "value",
    "value_last_year",
    "growth",
    "growth_source",
    "month_value",
    "month_growth",
    "vs_parent_pp",
    "pull_pp",
    "contribution_pct",
    "completion_pct",
    "expected_pct",
    "required_growth_floor",
    "required_growth_stretch",
    "required_approximate",
    "expected_source",
    "rank",
    "rank_of",
    "rank_change",
    "peer_group",
    "target_basis",
    "target_floor",
    "target_stretch",
    "target_top",
    "status",
    "reasons",
}


def load_fixture(admin) -> None:
    """Imported figures and targets that produce every reason code, plus one submitted
    (not yet approved) figure for 桐柏县."""
    indicators = factory.indicators()
    assert run_import("observations", OBSERVATIONS, "o.csv").ok
    assert run_import("targets", TARGETS, "t.csv").ok
    assert run_import("targets", MORE_TARGETS, "t2.csv").ok
    tongbai = Unit.objects.get(code="411330")
    workflow.submit(
        admin,
        workflow.save_draft(admin, indicators["RETAIL"], tongbai, 2023, 6, Decimal("99"), None),
    )


class BulletinTests(BaozhengTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        load_fixture(cls.admin)
        cls.june = bulletin("2023-06", cls.city)
        cls.december = bulletin("2023年1-12月", "411300")

    def row(self, indicator: str, unit: str, which=None) -> dict:
        rows = (which or self.june).data["rows"]
        return next(r for r in rows if r["indicator"] == indicator and r["unit"] == unit)

    def test_the_envelope_names_the_period_both_ways_and_the_parent_by_code(self) -> None:
        data = self.june.data
        self.assertEqual(
            (data["period"], data["period_label"], data["parent"]),
            ("2023-06", "2023年1-6月", "411300"),
        )
        self.assertEqual(self.december.data["period"], "2023-12")

    def test_every_row_has_the_contract_keys_and_numbers_are_json_numbers(self) -> None:
        for row in self.june.data["rows"]:
            self.assertLessEqual(REQUIRED_KEYS, set(row))
            for key, value in row.items():
                if key in (
                    "indicator",
                    "unit",
                    "status",
                    "growth_source",
                    "expected_source",
                    "peer_group",
                    "target_basis",
                    "target_period",
                    "rank_status",
                    "reasons",
                ):
                    continue
                self.assertTrue(value is None or isinstance(value, (int, float)), (key, value))
                if isinstance(value, float):
                    self.assertTrue(math.isfinite(value))
            self.assertTrue(all(isinstance(v, str) for v in row["reasons"].values()))
        json.dumps(self.june.data, allow_nan=False)

    def test_rows_are_ordered_by_indicator_then_parent_first(self) -> None:
        rows = self.june.data["rows"]
        codes = [r["indicator"] for r in rows]
        self.assertEqual(codes, sorted(codes))
        self.assertEqual(sorted(set(codes)), ["FIVEG", "GDP", "JOBLESS", "RETAIL", "TRADE"])
        for code in set(codes):
            block = [r for r in rows if r["indicator"] == code]
            self.assertEqual(block[0]["unit"], "411300")
            self.assertEqual(len(block), 1 + 13 + 4)

    def test_a_yearly_indicator_appears_only_in_the_december_bulletin(self) -> None:
        self.assertIn("SRDI", {r["indicator"] for r in self.december.data["rows"]})

    def test_computed_and_published_growth_are_told_apart(self) -> None:
        wancheng = self.row("RETAIL", "411302")
        self.assertAlmostEqual(wancheng["growth"], 10.0)
        self.assertEqual(
            (wancheng["growth_source"], wancheng["value"], wancheng["month_value"]),
            ("computed", 110.0, 20.0),
        )
        self.assertEqual(
            (self.row("RETAIL", "411328")["growth"], self.row("RETAIL", "411328")["growth_source"]),
            (7.5, "published"),
        )

    def test_submitted_figures_count_as_no_data(self) -> None:
        self.assertEqual(self.row("RETAIL", "411330")["status"], "no_data")
        self.assertEqual(self.row("RETAIL", "411330")["reasons"]["value"], "no_data")

    def test_every_reason_code_reaches_the_bulletin(self) -> None:
        seen = {
            code
            for b in (self.june, self.december)
            for r in b.data["rows"]
            for code in r["reasons"].values()
        }
        self.assertEqual(seen, set(REASON_CODES))

    def test_the_specific_undefined_cases_carry_their_reason(self) -> None:
        self.assertEqual(self.row("RETAIL", "411303")["reasons"]["growth"], "zero_base")
        self.assertEqual(self.row("RETAIL", "411321")["reasons"]["growth"], "negative_base")
        self.assertEqual(self.row("RETAIL", "411322")["reasons"]["growth"], "no_last_year")
        self.assertEqual(self.row("RETAIL", "411300")["reasons"]["growth"], "incomplete_children")
        self.assertEqual(
            self.row("FIVEG", "411302")["reasons"]["required_growth_floor"], "target_reached"
        )
        self.assertEqual(
            self.row("FIVEG", "411303")["reasons"]["required_growth_floor"], "no_remaining_base"
        )
        self.assertEqual(
            self.row("RETAIL", "411302", self.december)["reasons"]["required_growth_floor"],
            "year_over",
        )
        self.assertEqual(self.row("GDP", "411300")["reasons"]["vs_parent_pp"], "no_parent_growth")

    def test_the_xlsx_has_a_summary_sheet_and_one_sheet_per_indicator(self) -> None:
        book = load_workbook(io.BytesIO(bulletin_xlsx(self.june)))
        self.assertEqual(book.sheetnames[0], "总表")
        self.assertEqual(len(book.sheetnames), 1 + 5)
        retail = book[next(n for n in book.sheetnames if n == "社会消费品零售总额")]
        self.assertIn("社会消费品零售总额", retail["A1"].value)
        self.assertIn("A3:A4", {str(r) for r in retail.merged_cells.ranges})

    def test_every_sheet_of_the_xlsx_prints_on_a4_landscape_one_page_wide(self) -> None:
        book = load_workbook(io.BytesIO(bulletin_xlsx(self.june)))
        for ws in book.worksheets:
            self.assertEqual(ws.page_setup.orientation, "landscape", ws.title)
            self.assertEqual(str(ws.page_setup.paperSize), "9", ws.title)
            self.assertEqual(ws.page_setup.fitToWidth, 1, ws.title)
            self.assertEqual(ws.print_title_rows, "$3:$4", ws.title)
            self.assertIn("&P", ws.oddFooter.center.text)
            if ws.title != "总表":  # the parent row first and bold
                self.assertTrue(ws["A5"].font.b, ws.title)
        stations = book[next(n for n in book.sheetnames if n == "新建5G基站")]
        values = [row for row in stations.iter_rows(min_row=5, max_col=2) if row[1].value]
        self.assertTrue(values)
        for _, cell in values:  # a count is whole: 18, not 18.0
            self.assertIsInstance(cell.value, int)
            self.assertEqual(cell.number_format, "0")

    def test_a_rates_growth_column_holds_its_change_in_points_in_the_xlsx(self) -> None:
        book = load_workbook(io.BytesIO(bulletin_xlsx(self.june)))
        jobless = book["城镇调查失业率"]
        self.assertEqual(jobless["B5"].value, 5.3)
        self.assertEqual(jobless["D5"].value, -0.2)  # 比上年同期(百分点), never a growth rate

    def test_the_docx_tables_are_landscape_annexes_with_the_parent_row_first(self) -> None:
        document = Document(io.BytesIO(bulletin_docx(self.june)))
        landscape = [s for s in document.sections if s.page_width > s.page_height]
        self.assertTrue(landscape)
        first = document.tables[0]
        self.assertEqual(first.rows[1].cells[0].text, "南阳市")
        self.assertTrue(first.rows[1].cells[0].paragraphs[0].runs[0].bold)
        headers = [c.text for c in first.rows[0].cells]
        self.assertIn("状态", headers)
        for table in document.tables:  # no column that is "—" in every row
            for col in range(len(table.columns)):
                values = {row.cells[col].text for row in table.rows[1:]}
                self.assertNotEqual(values, {"—"}, table.rows[0].cells[col].text)

    def test_the_docx_reads_like_a_bulletin(self) -> None:
        data = bulletin_docx(self.june)
        document = Document(io.BytesIO(data))
        text = docx_text(data)
        self.assertIn("关于2023年1-6月南阳市\n主要经济指标运行情况的通报", text)
        self.assertIn("上半年，全市地区生产总值同比增长8.5%", text)
        self.assertIn("红灯", text)
        self.assertIn("附件：2023年1-6月分地区主要经济指标", text)
        self.assertGreaterEqual(len(document.tables), 2)

    def test_the_command_takes_the_issuer_number_date_and_draft_mark(self) -> None:
        with tempfile.TemporaryDirectory() as folder:
            target = Path(folder) / "b.docx"
            call_command(
                "bulletin",
                "--period",
                "2023-06",
                "--parent",
                "411300",
                "--format",
                "docx",
                "--out",
                str(target),
                "--issuer",
                "命令行办公室",
                "--number",
                "第6期",
                "--signed",
                "2023-07-05",
                "--draft",
                "未发布",
                stdout=io.StringIO(),
            )
            document = Document(str(target))
        text = [p.text for p in document.paragraphs]
        self.assertIn("命令行办公室文件", text)
        self.assertIn("第6期", text)
        self.assertIn("2023年7月5日", text)
        self.assertIn("（未发布）", text)
        self.assertIn('string="未发布"', document.sections[0].header._element.xml)
        with self.assertRaisesMessage(CommandError, "成文日期"):
            call_command(
                "bulletin",
                "--period",
                "2023-06",
                "--format",
                "docx",
                "--out",
                "x.docx",
                "--signed",
                "7月5日",
            )

    def test_the_command_prints_the_json_contract(self) -> None:
        out = io.StringIO()
        call_command("bulletin", "--period", "2023-12", "--parent", "411300", stdout=out)
        self.assertEqual(json.loads(out.getvalue()), json.loads(json.dumps(self.december.data)))


class TargetsAsPractisedInTheBulletinTests(BaozhengTestCase):
    """docs/rules.md §3.11–§3.13: the new keys on rows read through the database."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        load_fixture(cls.admin)
        cls.june = bulletin("2023-06", cls.city)

    def row(self, indicator: str, unit: str) -> dict:
        return next(
            r for r in self.june.data["rows"] if r["indicator"] == indicator and r["unit"] == unit
        )

    def test_a_rate_has_a_change_in_points_and_no_growth(self) -> None:
        jobless = self.row("JOBLESS", "411300")
        self.assertEqual((jobless["change_pp"], jobless["growth"]), (-0.2, None))
        self.assertEqual(jobless["reasons"]["growth"], "rate_indicator")
        self.assertEqual(jobless["status"], "on_track")  # 5.3 ≤ 5.5, not ≤ 5.2
        self.assertEqual(self.row("RETAIL", "411302")["reasons"]["change_pp"], "not_rate")

    def test_the_phase_target_is_in_force_at_its_period_and_says_so(self) -> None:
        wancheng = self.row("RETAIL", "411302")
        self.assertEqual(
            (wancheng["target_period"], wancheng["target_floor"], wancheng["status"]),
            ("2023-06", 9.5, "on_track"),
        )
        self.assertEqual(self.row("FIVEG", "411302")["target_period"], "2023")

    def test_a_one_tier_target_has_no_stretch(self) -> None:
        trade = self.row("TRADE", "411302")
        self.assertEqual((trade["target_floor"], trade["target_stretch"]), (5.0, None))
        self.assertEqual(trade["reasons"]["target_stretch"], "no_target")

    def test_a_rank_target_sits_beside_the_value_target(self) -> None:
        wancheng = self.row("RETAIL", "411302")
        self.assertEqual(
            [wancheng[k] for k in ("target_rank_floor", "target_rank_stretch", "target_rank_top")],
            [3, 2, 1],
        )
        self.assertIn(wancheng["rank_status"], ("exceeds", "on_track", "at_risk", "off_track"))
        self.assertEqual(wancheng["rank"] <= 2, wancheng["rank_status"] == "exceeds")
        self.assertIsNone(self.row("RETAIL", "411303")["rank_status"])

    def test_the_word_bulletin_says_a_rate_moved_in_points(self) -> None:
        text = docx_text(bulletin_docx(self.june))
        self.assertIn("城镇调查失业率为5.3%，比上年同期下降0.2个百分点", text)
        self.assertNotIn("城镇调查失业率为5.3%，同比", text)

    def test_the_excel_sheet_of_a_rate_has_a_points_column(self) -> None:
        book = load_workbook(io.BytesIO(bulletin_xlsx(self.june)))
        sheet = book[next(n for n in book.sheetnames if n == "城镇调查失业率")]
        headers = {c.value for row in sheet.iter_rows(min_row=3, max_row=4) for c in row}
        self.assertIn("比上年同期(百分点)", headers)
        self.assertNotIn("同比增长(%)", headers)

    def test_the_excel_sheet_names_a_phase_target_in_force(self) -> None:
        march = bulletin("2023-03", self.city)
        book = load_workbook(io.BytesIO(bulletin_xlsx(march)))
        sheet = book[next(n for n in book.sheetnames if n == "地区生产总值")]
        headers = {c.value for row in sheet.iter_rows(min_row=3, max_row=4) for c in row}
        self.assertIn("一季度目标", headers)
