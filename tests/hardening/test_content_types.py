"""F7/F12 by content: every upload path judges a file by its bytes (lib/filetypes.py), so
a file renamed to an accepted extension is refused in Chinese."""

from __future__ import annotations

import io
import zipfile

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import SimpleTestCase
from docx import Document
from openpyxl import Workbook

from baozheng.assessment.forms import AdjustmentForm, ManualFigureForm
from baozheng.lib.filetypes import ATTACHMENT, check_named
from baozheng.projects.uploads import check_photo
from baozheng.stats.letters import check_document
from baozheng.tasks.forms import AccountabilityForm, ProgressForm, StepForm

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n"
HTML = b"<!doctype html><script>alert(document.cookie)</script>"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + bytes(64)
PNG = b"\x89PNG\r\n\x1a\n" + bytes(32)


def office(kind: str) -> bytes:
    buffer = io.BytesIO()
    if kind == "docx":
        Document().save(buffer)
    else:
        Workbook().save(buffer)
    return buffer.getvalue()


def plain_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "not a document")
    return buffer.getvalue()


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


class ContentCheckTests(SimpleTestCase):
    def refused(self, name: str, data: bytes) -> str:
        with self.assertRaises(forms.ValidationError) as caught:
            check_named(upload(name, data), ATTACHMENT)
        return caught.exception.messages[0]

    def test_f12_a_pdf_renamed_jpg_is_refused_and_the_message_says_what_it_is(self):
        self.assertEqual(
            self.refused("现场.jpg", PDF),
            "“现场.jpg”的内容与扩展名不符：扩展名为 jpg，实际是 PDF 文件",
        )

    def test_f12_an_html_page_renamed_pdf_is_refused(self):
        self.assertIn("扩展名为 pdf", self.refused("通知.pdf", HTML))

    def test_f12_a_program_renamed_docx_is_refused(self):
        self.assertIn("内容不是可识别的文件类型", self.refused("汇报.docx", EXE))

    def test_f12_office_open_xml_must_be_a_zip_declaring_its_own_main_part(self):
        self.assertIn("扩展名为 docx", self.refused("汇报.docx", plain_zip()))
        self.assertIn("实际是 Excel 文件", self.refused("汇报.docx", office("xlsx")))
        self.assertEqual(check_named(upload("汇报.docx", office("docx")), ATTACHMENT).label, "Word")
        self.assertEqual(
            check_named(upload("台账.xlsx", office("xlsx")), ATTACHMENT).label, "Excel"
        )

    def test_f12_genuine_files_of_each_common_kind_pass(self):
        for name, data in (
            ("说明.pdf", PDF),
            ("现场.png", PNG),
            ("名单.csv", "单位,人数\n宛城区,3\n".encode("gb18030")),
            ("材料.zip", plain_zip()),
        ):
            check_named(upload(name, data), ATTACHMENT)

    def test_f12_every_attachment_form_runs_the_content_check(self):
        fields = [
            ProgressForm.base_fields["attachment"],
            StepForm.base_fields["attachment"],
            ManualFigureForm.base_fields["evidence_file"],
            AdjustmentForm.base_fields["evidence_file"],
            AccountabilityForm.base_fields["document"],
        ]
        for field in fields:
            with self.subTest(field=field.label), self.assertRaisesRegex(ValidationError, "不符"):
                field.clean(upload("材料.pdf", HTML))

    def test_f12_photos_and_letters_are_judged_by_content_through_the_same_table(self):
        with self.assertRaisesRegex(ValidationError, "不是 JPEG、PNG 或 WebP 图片"):
            check_photo(upload("现场.jpg", PDF))
        self.assertEqual(check_photo(upload("现场.jpg", PNG))[0], "image/png")
        with self.assertRaisesRegex(ValidationError, "不是 PDF、JPEG 或 PNG 文件"):
            check_document(upload("责任书.pdf", EXE))
        self.assertEqual(check_document(upload("责任书.png", PDF))[0], "application/pdf")
