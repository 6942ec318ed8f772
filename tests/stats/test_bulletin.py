"""The bulletin through the Django path: imported data → bulletin_json → JSON, xlsx, docx.
The engine's own tests cover the arithmetic; these check the wiring, the contract and that
every reason code can reach a user."""

import io
import json
import math
from decimal import Decimal

from django.core.management import call_command
from docx import Document
from openpyxl import load_workbook

from baozheng.analysis.reasons import REASON_CODES
from baozheng.org.models import Unit
from baozheng.stats import workflow
from baozheng.stats.bulletin import bulletin
from baozheng.stats.bulletin_export import bulletin_docx, bulletin_xlsx
from baozheng.stats.imports import run_import
from baozheng.testing import BaozhengTestCase
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
        retail = book[next(n for n in book.sheetnames if n.startswith("RETAIL"))]
        self.assertIn("社会消费品零售总额", retail["A1"].value)
        self.assertIn("A3:A4", {str(r) for r in retail.merged_cells.ranges})

    def test_the_docx_reads_like_a_bulletin(self) -> None:
        document = Document(io.BytesIO(bulletin_docx(self.june)))
        text = "\n".join(p.text for p in document.paragraphs)
        self.assertIn("南阳市主要经济指标运行情况通报", text)
        self.assertIn("1-6月，全市地区生产总值同比增长8.5%", text)
        self.assertIn("红灯", text)
        self.assertGreaterEqual(len(document.tables), 3)

    def test_the_command_prints_the_json_contract(self) -> None:
        out = io.StringIO()
        call_command("bulletin", "--period", "2023-12", "--parent", "411300", stdout=out)
        self.assertEqual(json.loads(out.getvalue()), json.loads(json.dumps(self.december.data)))
