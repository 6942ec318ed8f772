"""Every workbook prints: A4 landscape, one page wide, header rows repeated, centred,
page-number footer, frozen panes; integers whole."""

import io
from datetime import date, datetime

from django.test import SimpleTestCase
from openpyxl import load_workbook

from baozheng.lib import office


def assert_prints(test, ws, title_rows: str) -> None:
    test.assertEqual(str(ws.page_setup.paperSize), "9")  # A4
    test.assertEqual(ws.page_setup.orientation, "landscape")
    test.assertEqual((ws.page_setup.fitToWidth, ws.page_setup.fitToHeight), (1, 0))
    test.assertTrue(ws.sheet_properties.pageSetUpPr.fitToPage)
    test.assertEqual(ws.print_title_rows, title_rows)
    test.assertTrue(ws.print_options.horizontalCentered)
    test.assertIn("&P", ws.oddFooter.center.text)
    test.assertIsNotNone(ws.freeze_panes)


class WorkbookPrintTests(SimpleTestCase):
    def test_a_table_sheet_prints_and_writes_counts_as_integers(self):
        wb = office.new_workbook()
        office.table_sheet(wb, "标题", ["地区", "家数", "增速"], [["甲县", 103, 8.25]], "单位：家")
        ws = load_workbook(io.BytesIO(office.workbook_bytes(wb))).active
        assert_prints(self, ws, "$3:$3")
        self.assertEqual(ws["B4"].number_format, "0")
        self.assertEqual(ws["C4"].number_format, "0.0")

    def test_a_grouped_sheet_repeats_both_header_rows_and_bolds_the_parent_row(self):
        wb = office.new_workbook()
        office.grouped_table_sheet(
            wb,
            "标题",
            [("地区", ["地区"]), ("累计", ["本期", "增速"])],
            [["全市", 12, 1.0], ["甲县", 3, 2.0]],
            subtitle="单位：个",
            bold_rows=[0],
            notes=["注：测试。"],
        )
        ws = load_workbook(io.BytesIO(office.workbook_bytes(wb))).active
        assert_prints(self, ws, "$3:$4")
        self.assertTrue(ws["A5"].font.b)
        self.assertFalse(ws["A6"].font.b)
        self.assertEqual(ws["B5"].number_format, "0")
        self.assertEqual(ws["A7"].value, "注：测试。")

    def test_a_sub_heading_row_spans_the_table_and_pushes_the_rows_and_notes_down(self):
        wb = office.new_workbook()
        office.grouped_table_sheet(
            wb,
            "标题",
            [("地区", ["地区"]), ("位次", ["位次"]), ("累计", ["本期"])],
            [["全市", 1, 1.0], ["甲县", 2, 2.0], ["高新区", 1, 3.0]],
            subtitle="单位：个",
            status_column=2,
            status_of=["exceeds", "on_track", "off_track"],
            bold_rows=[0],
            notes=["注：测试。"],
            subheadings={2: "功能区"},
            cell_formats={(2, 1): '"并列"0'},
        )
        ws = load_workbook(io.BytesIO(office.workbook_bytes(wb))).active
        assert_prints(self, ws, "$3:$4")
        self.assertEqual(
            [ws.cell(r, 1).value for r in range(5, 10)],
            ["全市", "甲县", "功能区", "高新区", "注：测试。"],
        )
        self.assertIn("A7:C7", {str(r) for r in ws.merged_cells.ranges})
        self.assertTrue(ws["A7"].font.b)
        self.assertEqual((ws["B8"].value, ws["B8"].number_format), (1, '"并列"0'))
        self.assertEqual(ws["B6"].number_format, "0")
        self.assertEqual(ws["C8"].fill.fgColor.rgb[-6:], office.STATUS_FILLS["off_track"])
        self.assertEqual(ws.freeze_panes, "B5")

    def test_dates_are_written_as_dates_not_as_serial_numbers(self):
        wb = office.new_workbook()
        day, moment = date(2023, 3, 5), datetime(2023, 3, 5, 9, 30)
        office.table_sheet(wb, "标题", ["日期", "时间"], [[day, moment]])
        ws = load_workbook(io.BytesIO(office.workbook_bytes(wb))).active
        self.assertEqual(
            (ws["A3"].value, ws["A3"].number_format), (datetime(2023, 3, 5), "yyyy-mm-dd")
        )
        self.assertEqual((ws["B3"].value, ws["B3"].number_format), (moment, "yyyy-mm-dd hh:mm"))


def test_the_page_colours_are_the_vocabularys_colours():
    from pathlib import Path

    from baozheng.lib.vocabulary import STATUSES

    css = Path("baozheng/static/baozheng/app.css").read_text().lower()
    for code, variable in (
        ("exceeds", "--exceeds"),
        ("on_track", "--on-track"),
        ("at_risk", "--at-risk"),
        ("off_track", "--off-track"),
        ("no_data", "--no-data"),
    ):
        assert f"{variable}: #{STATUSES[code].colour.lower()}" in css, code
