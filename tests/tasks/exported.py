"""Reading a list page's xlsx export in tests: each sheet as rows of values, and the cell
that holds a given text (to check how it was written)."""

from __future__ import annotations

from io import BytesIO

from openpyxl import load_workbook
from openpyxl.cell.cell import Cell

from baozheng.lib.gongwen import date_text
from baozheng.tasks.services import today

# The link every list page with an export shows, in the same place as the others.
EXPORT_BUTTON = '<button type="submit" name="export" value="xlsx">导出 Excel</button>'


def sheets(test, response) -> dict[str, list[list[object]]]:
    """The export's sheets by name, each as its rows of values, after checking what every
    list export shares: a download, the title over the header and the export date."""
    test.assertEqual(response.status_code, 200)
    test.assertIn("attachment", response["Content-Disposition"])
    wb = load_workbook(BytesIO(response.content))
    found = {ws.title: [list(row) for row in ws.iter_rows(values_only=True)] for ws in wb}
    for rows in found.values():
        test.assertTrue(rows[0][0])
        test.assertEqual(rows[1][0], f"导出日期：{date_text(today())}")
    return found


def cell_with(response, text: str) -> Cell:
    wb = load_workbook(BytesIO(response.content))
    return next(c for ws in wb for row in ws.iter_rows() for c in row if c.value == text)
