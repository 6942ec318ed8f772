"""The 公文 layout read back from the docx XML: paper, margins, fonts, line pitch, page
number field, 版头, 署名 and date, landscape 附件, fitted tables, draft watermark."""

import io
from datetime import date

from django.test import SimpleTestCase
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm

from baozheng.lib import doctable, office
from baozheng.lib.gongwen import Letterhead, date_text

HEAD = Letterhead(
    issuer="某市经济运行调度指挥部办公室",
    number="某调〔2023〕6号",
    recipients="各县市区人民政府，各功能区管委会",
    copies="市委办公室",
    printer="某市经济运行调度指挥部办公室",
    signed=date(2023, 7, 10),
)
WIDE = [f"第{i}列指标（万元）" for i in range(17)]


def build(draft: str = "", head: Letterhead = HEAD) -> Document:
    doc = office.official_document("关于2023年上半年全市经济运行情况的通报", head=head, draft=draft)
    doc.add_heading("一、总体情况", level=1)
    doc.add_paragraph("上半年，全市地区生产总值同比增长8.5%。")
    office.add_table(doc, ["地区", "增速"], [["甲县", 8.2]])
    office.add_table(doc, WIDE, [[212123.45] * 17] * 3, annex="分地区情况")
    return Document(io.BytesIO(office.document_bytes(doc)))


def mm(length) -> float:
    return round(length / Mm(1), 1)


def assert_gongwen(test, doc: Document) -> None:
    """The 公文 layout of any Word export: A4 with the GB/T 9704 margins, the office fonts
    at their sizes and the "— n —" page field (used by each document type's own test)."""
    first = doc.sections[0]
    test.assertEqual((mm(first.page_width), mm(first.page_height)), (210.0, 297.0))
    margins = (first.top_margin, first.bottom_margin, first.left_margin, first.right_margin)
    test.assertEqual([mm(m) for m in margins], [37.0, 35.0, 28.0, 26.0])
    title = doc.styles["Title"].element.rPr
    test.assertEqual((title.rFonts.get(qn("w:eastAsia")), title.sz.val.pt), ("方正小标宋简体", 22))
    normal = doc.styles["Normal"]
    test.assertEqual(normal.element.rPr.rFonts.get(qn("w:eastAsia")), "仿宋_GB2312")
    test.assertEqual(normal.font.size.pt, 16)
    footer = first.footer.paragraphs[0]
    test.assertIn("PAGE", footer._p.xml)
    test.assertTrue(footer.text.startswith("— ") and footer.text.endswith(" —"))


class LayoutTests(SimpleTestCase):
    def test_the_body_pages_are_a4_with_the_gbt_9704_margins(self):
        first = build().sections[0]
        self.assertEqual((mm(first.page_width), mm(first.page_height)), (210.0, 297.0))
        margins = (first.top_margin, first.bottom_margin, first.left_margin, first.right_margin)
        self.assertEqual([mm(m) for m in margins], [37.0, 35.0, 28.0, 26.0])

    def test_the_annex_is_a_landscape_section_after_the_signature(self):
        doc = build()
        sizes = [(mm(s.page_width), mm(s.page_height)) for s in doc.sections]
        # body, the 附件 turned to landscape, the 版记 on a last portrait page
        self.assertEqual(sizes, [(210.0, 297.0), (297.0, 210.0), (210.0, 297.0)])
        text = [p.text for p in doc.paragraphs]
        self.assertLess(text.index("附件：分地区情况"), text.index("2023年7月10日"))
        self.assertLess(text.index("2023年7月10日"), text.index("附件"))

    def test_title_and_body_fonts_are_the_office_fonts_at_22_and_16_points(self):
        doc = build()
        title = doc.styles["Title"].element.rPr
        self.assertEqual(title.rFonts.get(qn("w:eastAsia")), "方正小标宋简体")
        self.assertEqual(title.sz.val.pt, 22)
        normal = doc.styles["Normal"]
        self.assertEqual(normal.element.rPr.rFonts.get(qn("w:eastAsia")), "仿宋_GB2312")
        self.assertEqual(normal.font.size.pt, 16)
        self.assertAlmostEqual(normal.paragraph_format.line_spacing.pt, 28.95)
        self.assertEqual(normal.paragraph_format.first_line_indent.pt, 32)
        heading = doc.styles["Heading 1"].element.rPr
        self.assertEqual(heading.rFonts.get(qn("w:eastAsia")), "黑体")
        self.assertEqual(doc.styles["Heading 1"].font.color.rgb, (0, 0, 0))
        self.assertEqual(
            doc.styles["Heading 2"].element.rPr.rFonts.get(qn("w:eastAsia")), "楷体_GB2312"
        )

    def test_the_font_table_names_a_fallback_for_each_office_font(self):
        doc = build()
        from docx.opc.constants import RELATIONSHIP_TYPE as RT

        blob = doc.part.part_related_by(RT.FONT_TABLE).blob.decode()
        self.assertIn('w:name="仿宋_GB2312"><w:altName w:val="仿宋"/>', blob)
        self.assertIn('w:name="方正小标宋简体"><w:altName w:val="华文中宋"/>', blob)

    def test_the_footer_has_a_dashed_page_field_right_on_odd_and_left_on_even_pages(self):
        doc = build()
        section = doc.sections[0]
        odd = section.footer.paragraphs[0]
        self.assertIn("PAGE", odd._p.xml)
        self.assertTrue(odd.text.startswith("— ") and odd.text.endswith(" —"))
        self.assertEqual(odd.alignment, 2)
        self.assertEqual(section.even_page_footer.paragraphs[0].alignment, 0)
        self.assertTrue(doc.settings.odd_and_even_pages_header_footer)

    def test_the_masthead_is_red_with_the_number_and_a_red_rule(self):
        doc = build()
        flag, number = doc.paragraphs[0], doc.paragraphs[1]
        self.assertEqual(flag.text, "某市经济运行调度指挥部办公室文件")
        self.assertEqual(str(flag.runs[0].font.color.rgb), "FF0000")
        self.assertEqual(number.text, "某调〔2023〕6号")
        self.assertIn('w:color="FF0000"', number._p.xml)
        text = [p.text for p in doc.paragraphs]
        self.assertIn("各县市区人民政府，各功能区管委会：", text)
        self.assertIn("抄送：市委办公室。", text)

    def test_without_an_issuer_there_is_no_masthead_and_no_signature(self):
        doc = build(head=Letterhead(signed=date(2023, 7, 10)))
        self.assertEqual(doc.paragraphs[0].text, "关于2023年上半年全市经济运行情况的通报")
        self.assertNotIn("某市经济运行调度指挥部办公室", [p.text for p in doc.paragraphs])

    def test_a_draft_says_so_under_the_title_and_in_a_watermark(self):
        doc = build(draft="征求意见稿")
        self.assertIn("（征求意见稿）", [p.text for p in doc.paragraphs])
        self.assertIn('string="征求意见稿"', doc.sections[0].header._element.xml)
        self.assertNotIn("textpath", build().sections[0].header._element.xml)

    def test_the_dates_have_no_zero_padding(self):
        self.assertEqual(date_text(date(2023, 7, 5)), "2023年7月5日")
        self.assertEqual(date_text(date(2023, 7, 10), chinese=True), "二〇二三年七月十日")
        self.assertEqual(date_text(date(2023, 12, 25), chinese=True), "二〇二三年十二月二十五日")

    def test_table_rows_repeat_the_header_and_never_split_and_numbers_sit_right(self):
        table = build().tables[1]
        first = table.rows[0]._tr
        self.assertIsNotNone(first.trPr.find(qn("w:tblHeader")))
        for row in table.rows:
            self.assertIsNotNone(row._tr.trPr.find(qn("w:cantSplit")))
        self.assertEqual(table.rows[1].cells[0].paragraphs[0].alignment, 2)

    def test_table_cells_carry_the_table_style_weight_size_shading_and_line_breaks(self):
        doc = office.official_document("表", head=Letterhead())
        doctable.write(
            doc,
            ["地区", "增速"],
            [["全市", "8.5"], ["甲县\n（含开发区）\x00", "—"]],
            150,
            fills=[(1, 1, "FFC7CE")],
            bold_rows=[0],
        )
        doc = Document(io.BytesIO(office.document_bytes(doc)))
        table = doc.tables[0]
        header, city, county = ([c.paragraphs[0] for c in row.cells] for row in table.rows)
        self.assertEqual({p.style.name for p in [*header, *city, *county]}, {"表格文字"})
        self.assertEqual(
            [p.runs[0].bold for p in (header[0], city[0], county[0])], [True] * 2 + [False]
        )
        self.assertEqual({p.runs[0].font.size.pt for p in [*header, *city]}, {12})
        self.assertEqual(
            [p.alignment for p in (header[0], city[0], city[1], county[1])], [1, None, 2, 1]
        )
        self.assertEqual(county[0].text, "甲县\n（含开发区）")  # the break kept, NUL dropped
        fill = table.rows[2].cells[1]._tc.tcPr.find(qn("w:shd"))
        self.assertEqual(fill.get(qn("w:fill")), "FFC7CE")
        self.assertIsNone(table.rows[1].cells[1]._tc.tcPr.find(qn("w:shd")))
        widths = [c.width.pt for c in table.rows[0].cells]
        grid = [int(c.get(qn("w:w"))) / 20 for c in table._tbl.tblGrid.findall(qn("w:gridCol"))]
        self.assertEqual([round(w) for w in widths], [round(g) for g in grid])

    def test_a_wide_body_table_gets_landscape_pages_of_its_own(self):
        doc = office.official_document("表", head=Letterhead())
        office.add_table(doc, WIDE, [[1.0] * 17])
        doc.add_paragraph("表后正文。")
        doc = Document(io.BytesIO(office.document_bytes(doc)))
        orientations = [s.page_width > s.page_height for s in doc.sections]
        self.assertEqual(orientations, [False, True, False])

    def test_no_column_is_narrower_than_its_widest_number(self):
        table = build().tables[1]
        grid = [int(c.get(qn("w:w"))) / 20 for c in table._tbl.tblGrid.findall(qn("w:gridCol"))]
        size = table.rows[1].cells[0].paragraphs[0].runs[0].font.size.pt
        margins = table._tbl.tblPr.find(qn("w:tblCellMar"))
        padding = doctable.CELL_PADDING_PT if margins is None else doctable.NARROW_PADDING_PT
        for width, cell in zip(grid, table.rows[1].cells, strict=True):
            need = doctable.ems(cell.text) * size + padding
            self.assertGreaterEqual(width + 0.01, need, cell.text)

    def test_the_signature_is_centred_over_the_date_four_characters_from_the_right(self):
        doc = build()
        texts = [p.text for p in doc.paragraphs]
        when = doc.paragraphs[texts.index("2023年7月10日")]
        self.assertEqual(when.alignment, 2)
        self.assertEqual(when.paragraph_format.right_indent.pt, 64)


def test_long_titles_break_into_balanced_lines_after_a_whole_word():
    from baozheng.lib.gongwen import balanced

    assert balanced("关于2023年1-6月南阳市主要经济指标运行情况的通报") == (
        "关于2023年1-6月南阳市\n主要经济指标运行情况的通报"
    )
    assert balanced("关于2023年第二季度主要经济指标位次考评结果的通报") == (
        "关于2023年第二季度\n主要经济指标位次考评结果的通报"
    )
    assert balanced("短标题") == "短标题"


class NumbersKeptWholeTests(SimpleTestCase):
    """Each number of the body text is a run of its own, tagged en-US, bound to its unit by
    word joiners (LibreOffice breaks Chinese text between any two characters otherwise)."""

    def runs(self, text: str) -> list[tuple[str, str | None]]:
        doc = office.official_document("关于2023年上半年的通报", head=HEAD)
        doc.add_paragraph(text)
        body = Document(io.BytesIO(office.document_bytes(doc)))
        paragraph = next(p for p in body.paragraphs if "全市" in p.text)
        result = []
        for run in paragraph.runs:
            lang = run._r.rPr.find(qn("w:lang")) if run._r.rPr is not None else None
            result.append((run.text, lang.get(qn("w:eastAsia")) if lang is not None else None))
        return result

    def test_a_number_and_its_unit_are_one_latin_run_joined_by_word_joiners(self):
        joiner = "\u2060"
        runs = self.runs("全市零售额1,234.5亿元，同比增长-3.2%，高于全省4.8个百分点。")
        self.assertEqual(
            runs,
            [
                ("全市零售额", None),
                (f"1,234.5{joiner}亿{joiner}元", "en-US"),
                ("，同比增长", None),
                (f"-{joiner}3.2%", "en-US"),
                ("，高于全省", None),
                (f"4.8{joiner}个{joiner}百{joiner}分{joiner}点", "en-US"),
                ("。", None),
            ],
        )

    def test_text_without_numbers_and_the_title_and_signature_are_left_alone(self):
        self.assertEqual(self.runs("全市经济运行总体平稳。"), [("全市经济运行总体平稳。", None)])
        doc = build()
        texts = [p.text for p in doc.paragraphs]
        self.assertIn("2023年7月10日", texts)
        self.assertIn("关于2023年上半年全市经济运行情况的通报", texts)
