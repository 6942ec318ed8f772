"""The statistics bulletin and the project bulletin converted by LibreOffice: every page A4
(portrait body, landscape 附件), no table number broken over two lines, and no number in the
body text broken at a line end (nor parted from its unit), while the PDF's text still copies
and searches as the plain sentence; and the statistics workbook and Word bulletin, without a
letterhead, open in LibreOffice at all. Every document is converted in one LibreOffice start
(`pdf.to_pdf`), for starting it takes longer than converting any of them."""

import io
import re
import tempfile
from pathlib import Path

import pytest
from docx import Document

from baozheng.documents import demo as documents_demo
from baozheng.documents.pdf import to_pdf
from baozheng.lib.doctable import is_number
from baozheng.lib.gongwen import NUMBER_TOKEN, WORD_JOINER, Letterhead, _bound
from baozheng.lib.office import document_bytes, official_document
from baozheng.projects import bulletin as projects_bulletin
from baozheng.projects import demo as projects_demo
from baozheng.projects.models import Project
from baozheng.projects.rules import Month
from baozheng.stats.bulletin import bulletin
from baozheng.stats.bulletin_export import bulletin_docx, bulletin_xlsx
from baozheng.testing import DEMO_AS_OF, BaozhengTestCase, docx_text
from tests.stats.test_bulletin import load_fixture

A4 = {(595, 842), (842, 595)}
PAGE_NUMBER = re.compile(r"^—\d+—$")


def text_lines(pdf: bytes) -> list[str]:
    """The PDF's text lines as a reader copies them, without the spaces the extraction puts
    between Chinese and Latin characters, and without the page numbers."""
    with opened(pdf) as document:
        return _lines(document.pages)


def opened(pdf: bytes):
    """The PDF opened by pdfplumber, imported here: every test process collects this module,
    one runs its class (0.04 s of each other's start)."""
    import pdfplumber

    return pdfplumber.open(io.BytesIO(pdf))


def _lines(pages) -> list[str]:
    lines = []
    for page in pages:
        lines += [line.replace(" ", "") for line in (page.extract_text() or "").splitlines()]
    return [line for line in lines if not PAGE_NUMBER.match(line)]


def broken(tokens: list[str], lines: list[str]) -> list[str]:
    """Tokens that occur in the text but not whole on one line as often: broken somewhere."""
    joined = "".join(lines)
    return sorted({t for t in tokens if sum(line.count(t) for line in lines) < joined.count(t)})


def body_tokens(docx: bytes) -> list[str]:
    """Each number of the body text with the unit it is printed with (12.5亿元, 103家)."""
    text = docx_text(docx)
    return [
        _bound(text, m.start(), m.end())[0].replace(WORD_JOINER, "")
        for m in NUMBER_TOKEN.finditer(text)
    ]


def numbers_in_tables(docx: bytes) -> set[str]:
    doc = Document(io.BytesIO(docx))
    return {
        cell.text
        for table in doc.tables
        for row in table.rows[1:]
        for cell in row.cells
        if is_number(cell.text) and cell.text != "—" and len(cell.text) > 1
    }


def read(pdf: bytes) -> tuple[set[tuple[int, int]], set[str], list[str]]:
    """The page sizes, the words set apart by space and the text lines, from one reading of
    the PDF (pdfplumber lays each page out once for both extractions)."""
    sizes, words = set(), set()
    with opened(pdf) as document:
        for page in document.pages:
            sizes.add((round(page.width), round(page.height)))
            words |= {w["text"] for w in page.extract_words(x_tolerance=1, keep_blank_chars=False)}
        return sizes, words, _lines(document.pages)


TOKENS = [
    "12.5亿元",
    "1,234.5万元",
    "13.3%",
    "22.4个百分点",
    "103家",
    "2,000个",
    "-3.2%",
    "1023.3亿元",
]


def long_body() -> list[str]:
    """Sentences that put every number at every position of the 28-character line: a run of
    one to 27 characters before each, two numbers per sentence, all the tokens in turn."""
    sentences = []
    for lead in range(28):
        for i in range(3):
            a, b = TOKENS[(i + lead) % len(TOKENS)], TOKENS[(i + 2 * lead + 3) % len(TOKENS)]
            sentences.append(
                "全" * lead + f"市社会消费品零售总额{a}，同比增长{b}，高于全省4.8个百分点，"
                "居全省第1位，完成年度目标的51.5%（时序进度47.2%）。"
            )
    return sentences


def long_body_document() -> bytes:
    doc = official_document("关于数字断行的测试", head=Letterhead())
    for sentence in long_body():
        doc.add_paragraph(sentence)
    return document_bytes(doc)


@pytest.mark.slow
class PdfLayoutTests(BaozhengTestCase):
    """One class, so that its one conversion serves every test on one worker (pytest-xdist
    hands out a class whole)."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        load_fixture(cls.admin)
        june = bulletin("2023-06", cls.city)
        plain = {"bulletin.xlsx": bulletin_xlsx(june), "bulletin.docx": bulletin_docx(june)}
        projects_demo.load(lambda text: None, as_of=DEMO_AS_OF)
        documents_demo.load(lambda text: None)  # 版头, 主送, 署名 as the demo city sets them
        data = projects_bulletin.build(
            Project.objects.all(), projects_bulletin.ranked_counties(), Month(2023, 6)
        )
        cls.docx = {
            "statistics-bulletin": bulletin_docx(bulletin("2023-06", cls.city)),
            "project-bulletin": projects_bulletin.to_docx(data),
            "body-numbers": long_body_document(),
        }
        pdfs = to_pdf({**plain, **{f"{name}.docx": docx for name, docx in cls.docx.items()}})
        cls.plain = {name: pdfs[name] for name in plain}
        cls.pdf = {name: pdfs[f"{name}.docx"] for name in cls.docx}
        for name, pdf in cls.pdf.items():
            Path(tempfile.gettempdir(), f"bz-{name}.pdf").write_bytes(pdf)

    def check(self, name: str) -> None:
        docx = self.docx[name]
        sizes, words, lines = read(self.pdf[name])
        self.assertLessEqual(sizes, A4, name)
        self.assertIn((842, 595), sizes, f"{name}: its tables are on landscape pages")
        numbers = numbers_in_tables(docx)
        self.assertTrue(numbers)
        split = sorted(n for n in numbers if n not in words)
        self.assertEqual(split, [], f"{name}: numbers split over lines")
        tokens = body_tokens(docx)
        self.assertTrue(tokens)
        self.assertEqual(broken(tokens, lines), [], f"{name}: body numbers broken")

    def test_the_statistics_bulletin(self) -> None:
        self.check("statistics-bulletin")

    def test_the_project_bulletin(self) -> None:
        self.check("project-bulletin")

    def test_no_number_in_body_text_is_broken_at_a_line_end_and_the_text_copies_plainly(
        self,
    ) -> None:
        sentences = long_body()
        lines = text_lines(self.pdf["body-numbers"])
        tokens = [*TOKENS, "4.8个百分点", "1位", "51.5%", "47.2%"]
        assert all(t in "".join(lines) for t in tokens)
        assert broken(tokens, lines) == []
        joined = "".join(lines)
        assert WORD_JOINER not in joined  # invisible, and not copied out
        assert all(sentence in joined for sentence in sentences)  # copies and searches as typed

    def test_the_xlsx_and_docx_bulletins_convert_to_pdf(self) -> None:
        """The exports without a letterhead open in LibreOffice: the conversion succeeds."""
        for name, pdf in self.plain.items():
            self.assertTrue(len(pdf) > 1000, name)
        # One stem, two documents: each came back as its own PDF.
        self.assertNotEqual(self.plain["bulletin.xlsx"], self.plain["bulletin.docx"])
