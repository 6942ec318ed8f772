"""The statistics bulletin and the project bulletin converted by LibreOffice: every page A4
(portrait body, landscape 附件), and no table number broken over two lines."""

import io
import tempfile
from pathlib import Path

import pdfplumber
import pytest
from docx import Document

from baozheng.documents import demo as documents_demo
from baozheng.documents.pdf import docx_to_pdf
from baozheng.lib.doctable import is_number
from baozheng.projects import bulletin as projects_bulletin
from baozheng.projects import demo as projects_demo
from baozheng.projects.models import Project
from baozheng.projects.rules import Month
from baozheng.stats.bulletin import bulletin
from baozheng.stats.bulletin_export import bulletin_docx
from baozheng.testing import DEMO_AS_OF, BaozhengTestCase
from tests.stats.test_bulletin import load_fixture

A4 = {(595, 842), (842, 595)}


def numbers_in_tables(docx: bytes) -> set[str]:
    doc = Document(io.BytesIO(docx))
    return {
        cell.text
        for table in doc.tables
        for row in table.rows[1:]
        for cell in row.cells
        if is_number(cell.text) and cell.text != "—" and len(cell.text) > 1
    }


def whole_words(pdf: bytes) -> tuple[set[tuple[int, int]], set[str]]:
    sizes, words = set(), set()
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        for page in document.pages:
            sizes.add((round(page.width), round(page.height)))
            words |= {w["text"] for w in page.extract_words(x_tolerance=1, keep_blank_chars=False)}
    return sizes, words


@pytest.mark.slow
class PdfLayoutTests(BaozhengTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        load_fixture(cls.admin)
        projects_demo.load(lambda text: None, as_of=DEMO_AS_OF)
        documents_demo.load(lambda text: None)  # 版头, 主送, 署名 as the demo city sets them

    def check(self, docx: bytes, name: str) -> None:
        pdf = docx_to_pdf(docx)
        Path(tempfile.gettempdir(), f"bz-{name}.pdf").write_bytes(pdf)
        sizes, words = whole_words(pdf)
        self.assertLessEqual(sizes, A4, name)
        self.assertIn((842, 595), sizes, f"{name}: its tables are on landscape pages")
        numbers = numbers_in_tables(docx)
        self.assertTrue(numbers)
        broken = sorted(n for n in numbers if n not in words)
        self.assertEqual(broken, [], f"{name}: numbers split over lines")

    def test_the_statistics_bulletin(self) -> None:
        self.check(bulletin_docx(bulletin("2023-06", self.city)), "statistics-bulletin")

    def test_the_project_bulletin(self) -> None:
        data = projects_bulletin.build(
            Project.objects.all(), projects_bulletin.ranked_counties(), Month(2023, 6)
        )
        self.check(projects_bulletin.to_docx(data), "project-bulletin")
