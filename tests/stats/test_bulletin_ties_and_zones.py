"""Tied ranks read 并列 in the statistics bulletin (sentences, Word cells, Excel cells), and
the functional zones come under their own heading in Word and Excel alike."""

import io

from docx import Document
from openpyxl import load_workbook

from baozheng.stats.bulletin import bulletin
from baozheng.stats.bulletin_export import bulletin_docx, bulletin_xlsx
from baozheng.stats.imports import run_import
from baozheng.testing import BaozhengTestCase, docx_text
from tests.stats import factory

# 镇平县 1st, 内乡县 2nd, 卧龙区 and 西峡县 tied 3rd, 宛城区 5th; 高新区 and 城乡一体化示范区
# tied 1st among the zones; 南阳市 tied 1st with 许昌市 among the province's cities.
OBSERVATIONS = factory.csv("""
indicator,unit,period,value,growth
RETAIL,410000,2023-06,9000,7.5
RETAIL,411000,2023-06,900,8.0
RETAIL,411100,2023-06,800,7.0
RETAIL,411300,2023-06,1000,8.0
RETAIL,411324,2023-06,100,11.0
RETAIL,411325,2023-06,100,10.0
RETAIL,411303,2023-06,100,9.0
RETAIL,411323,2023-06,100,9.04
RETAIL,411302,2023-06,100,5.0
RETAIL,411371,2023-06,50,8.0
RETAIL,411372,2023-06,50,8.0
RETAIL,411300GZ,2023-06,50,3.0
""")
TIED = '"并列"0'


class TiesAndZonesTests(BaozhengTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        factory.indicators()
        assert run_import("observations", OBSERVATIONS, "o.csv").ok
        cls.june = bulletin("2023-06", cls.city)

    def docx(self) -> Document:
        return Document(io.BytesIO(bulletin_docx(self.june)))

    def test_the_summary_says_tied_for_the_city_and_names_the_first_three_counties(self) -> None:
        text = docx_text(bulletin_docx(self.june))
        self.assertIn("居全省并列第1位", text)
        self.assertIn("分县市区看，镇平县、内乡县分列第一、二位，卧龙区、西峡县并列第三。", text)
        self.assertNotIn("前三名", text)

    def test_word_rank_cells_say_tied_and_the_zones_have_their_own_table(self) -> None:
        document = self.docx()
        tables = {
            table.rows[1].cells[0].text: table
            for table in document.tables
            if table.rows[0].cells[0].text == "地区"
        }
        counties, zones = tables["南阳市"], tables["高新区"]
        column = [c.text for c in counties.rows[0].cells].index("位次")
        ranks = {row.cells[0].text: row.cells[column].text for row in counties.rows[1:]}
        self.assertEqual(
            (ranks["镇平县"], ranks["内乡县"], ranks["卧龙区"], ranks["西峡县"], ranks["宛城区"]),
            ("1", "2", "并列3", "并列3", "5"),
        )
        self.assertNotIn("高新区", ranks)
        tied = next(row.cells[column] for row in counties.rows[1:] if row.cells[0].text == "卧龙区")
        self.assertEqual(tied.paragraphs[0].alignment, 2)  # right, as every number
        zone_ranks = {row.cells[0].text: row.cells[column].text for row in zones.rows[1:]}
        self.assertEqual(zone_ranks["城乡一体化示范区"], "并列1")
        self.assertEqual(zone_ranks["官庄工区"], "3")
        headings = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
        self.assertIn("社会消费品零售总额（功能区）", headings)
        self.assertLess(
            headings.index("社会消费品零售总额"), headings.index("社会消费品零售总额（功能区）")
        )

    def test_the_workbook_puts_the_city_first_then_counties_then_a_zone_heading(self) -> None:
        book = load_workbook(io.BytesIO(bulletin_xlsx(self.june)))
        ws = book["社会消费品零售总额"]
        names = [ws.cell(r, 1).value for r in range(5, ws.max_row + 1)]
        self.assertEqual(names[0], "南阳市")
        self.assertTrue(ws["A5"].font.b)
        heading = names.index("功能区")
        counties, zones = names[1:heading], names[heading + 1 : heading + 5]
        self.assertEqual(len(counties), 13)
        self.assertEqual(set(zones), {"高新区", "城乡一体化示范区", "官庄工区", "鸭河工区"})
        row = 5 + heading
        self.assertTrue(ws.cell(row, 1).font.b)
        self.assertIn(f"A{row}:R{row}", {str(r) for r in ws.merged_cells.ranges})
        self.assertIsNone(ws.cell(row, 10).value)
        # the print setup is the same as every sheet's
        self.assertEqual(ws.print_title_rows, "$3:$4")
        self.assertEqual((ws.page_setup.fitToWidth, ws.page_setup.orientation), (1, "landscape"))
        self.assertEqual(ws.freeze_panes, "B5")

    def test_workbook_rank_cells_are_numbers_printed_tied(self) -> None:
        book = load_workbook(io.BytesIO(bulletin_xlsx(self.june)))
        ws = book["社会消费品零售总额"]
        rank = {ws.cell(r, 1).value: ws.cell(r, 10) for r in range(6, ws.max_row + 1)}
        self.assertEqual((rank["卧龙区"].value, rank["卧龙区"].number_format), (3, TIED))
        self.assertEqual((rank["西峡县"].value, rank["西峡县"].number_format), (3, TIED))
        self.assertEqual((rank["镇平县"].value, rank["镇平县"].number_format), (1, "0"))
        self.assertEqual(rank["高新区"].number_format, TIED)
        self.assertEqual(rank["官庄工区"].number_format, "0")
        overview = book["总表"]
        retail = next(
            r
            for r in range(5, overview.max_row + 1)
            if overview.cell(r, 1).value == "社会消费品零售总额"
        )
        self.assertEqual(
            (overview.cell(retail, 6).value, overview.cell(retail, 6).number_format), (1, TIED)
        )

    def test_the_pages_print_a_tied_rank_as_the_documents_do(self) -> None:
        self.login(self.admin)
        page = self.client.get("/monitor/indicator/RETAIL/", {"period": "2023-06"})
        self.assertContains(page, "<td>并列3</td>", count=2)
        self.assertContains(page, "<td>2</td>")
        wolong = self.client.get("/monitor/unit/411303/", {"period": "2023-06"})
        self.assertContains(wolong, "并列3/")
        city = self.client.get("/monitor/", {"period": "2023-06"})
        self.assertContains(city, "并列1/")
