"""A sheet's merged ranges (title, grouped headers, sub-headings, notes) are made without
openpyxl's per-cell restyling of a fresh range, and the file is the one its merge makes."""

from __future__ import annotations

import io
import zipfile
from unittest import mock

from django.test import SimpleTestCase
from openpyxl.worksheet.merge import MergedCellRange
from openpyxl.worksheet.worksheet import Worksheet

from baozheng.lib import office


def grouped_workbook() -> bytes:
    wb = office.new_workbook()
    office.grouped_table_sheet(
        wb,
        "标题",
        [("地区", ["地区"]), ("累计", ["本期", "增速"]), ("位次", ["位次"])],
        [["全市", 12, 1.0, 1], ["甲县", 3, 2.0, 2], ["高新区", 1, 3.0, 1]],
        subtitle="单位：个",
        subheadings={2: "功能区"},
        notes=["注：测试。", "注二。"],
    )
    return office.workbook_bytes(wb)


def sheet_xml(blob: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(blob)) as z:
        return {n: z.read(n) for n in z.namelist() if n != "docProps/core.xml"}


class WorkbookMergeTests(SimpleTestCase):
    def test_fresh_ranges_are_merged_without_restyling_each_cell(self):
        with mock.patch.object(MergedCellRange, "format", side_effect=AssertionError):
            blob = grouped_workbook()
        self.assertIn(b'<mergeCell ref="A1:D1"/>', sheet_xml(blob)["xl/worksheets/sheet1.xml"])

    def test_the_file_is_the_one_openpyxls_merge_makes(self):
        ours = sheet_xml(grouped_workbook())

        def merge_cells(ws, first_row, first_column, last_row, last_column):
            Worksheet.merge_cells(
                ws,
                start_row=first_row,
                start_column=first_column,
                end_row=last_row,
                end_column=last_column,
            )

        with mock.patch.object(office, "_merge", merge_cells):
            theirs = sheet_xml(grouped_workbook())
        self.assertEqual(ours, theirs)

    def test_a_range_with_a_written_cell_goes_through_openpyxls_merge(self):
        wb = office.new_workbook()
        ws = wb.create_sheet("表")
        ws.cell(1, 3, "已写")
        with mock.patch.object(MergedCellRange, "format", autospec=True) as restyled:
            office._merge(ws, 1, 1, 1, 4)
        self.assertEqual(restyled.call_count, 1)
        self.assertIn("A1:D1", ws.merged_cells)
