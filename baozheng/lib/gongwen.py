"""The 公文 layout of GB/T 9704-2012 for every Word document the product writes.

One place decides paper, margins, fonts, line pitch, page numbers and the parts of an
official document (版头, 主送, 附件说明, 署名, 成文日期, 版记), so a new export picks them up
by calling `office.official_document`. Fonts are declared by the names Chinese offices
have installed (方正小标宋简体, 仿宋_GB2312, 黑体, 楷体_GB2312); the font table gives each a
generic CJK family and an alternative name, and the text is tagged zh-CN, so a machine
without them (LibreOffice with Noto CJK) still draws Simplified Chinese glyphs.

The closing parts and the landscape 附件 are written by `finish`, which
`office.document_bytes` calls: callers build the body in order and never place the
signature themselves."""

from __future__ import annotations

import copy
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt, RGBColor
from lxml import etree

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONTS = ("黑体", "楷体_GB2312", BODY_FONT)
NUMBER_FONT = "宋体"  # page numbers: 4号半角宋体
TABLE_FONT = "宋体"
# What each declared font may be replaced by, best first; the first is written as the
# font table's altName, the family lets any renderer fall back to a CJK serif or sans.
FALLBACKS = {
    TITLE_FONT: ("华文中宋", "宋体", "Noto Serif CJK SC"),
    BODY_FONT: ("仿宋", "FangSong", "Noto Serif CJK SC"),
    "楷体_GB2312": ("楷体", "KaiTi", "Noto Serif CJK SC"),
    "黑体": ("SimHei", "Noto Sans CJK SC"),
    "宋体": ("SimSun", "Noto Serif CJK SC"),
}
FAMILIES = {"黑体": "swiss"}
RED = "FF0000"
VML_NS = 'xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office"'
TITLE_PT, BODY_PT, NUMBER_PT = 22, 16, 14
LINE_PITCH_TWIPS = 579  # 28.95 pt: 22 lines in the 225 mm type area
A4 = (Mm(210), Mm(297))
PORTRAIT_MARGINS = {"top": 37, "bottom": 35, "left": 28, "right": 26}  # mm
LANDSCAPE_MARGINS = {"top": 28, "bottom": 26, "left": 37, "right": 35}  # mm, turned
PORTRAIT_TEXT_MM = 210 - 28 - 26  # 156
LANDSCAPE_TEXT_MM = 297 - 37 - 35  # 225


@dataclass
class Letterhead:
    """Who sends the document and to whom; set per document type by admin
    (`baozheng.documents`), overridable on the command line and the download form.
    `style` is "文件" (红头文件: 发文机关标志 + 发文字号) or "简报" (masthead + 期号)."""

    issuer: str = ""
    masthead: str = ""
    number: str = ""
    recipients: str = ""
    copies: str = ""
    printer: str = ""
    signed: date | None = None
    chinese_date: bool = False
    style: str = "文件"


@dataclass
class Annex:
    title: str
    headers: list[str]
    rows: list[list[object]]
    options: dict = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    groups: list[tuple[str, list[list[object]], dict]] = field(default_factory=list)


@dataclass
class Layout:
    head: Letterhead
    annexes: list[Annex] = field(default_factory=list)
    draft: str = ""
    finished: bool = False


CN_DIGITS = "〇一二三四五六七八九"


def date_text(day: date, chinese: bool = False) -> str:
    """成文日期 without zero padding (月、日不编虚位): 2023年7月10日, or 二〇二三年七月十日."""
    if not chinese:
        return f"{day.year}年{day.month}月{day.day}日"

    def small(n: int) -> str:
        tens, ones = divmod(n, 10)
        if tens == 0:
            return CN_DIGITS[ones]
        return ("" if tens == 1 else CN_DIGITS[tens]) + "十" + (CN_DIGITS[ones] if ones else "")

    year = "".join(CN_DIGITS[int(c)] for c in str(day.year))
    return f"{year}年{small(day.month)}月{small(day.day)}日"


TITLE_LINE_EMS = 19  # 22 pt characters in the 156 mm type area, less a little air
GOOD_BREAKS = "于年度市县区的和与）"


def balanced(title: str, width: float = TITLE_LINE_EMS) -> str:
    """The title broken into lines of about equal length (GB/T 9704: 回行时要做到词意完整、
    排列对称), after a word-ending character, never inside a number: "\n" between lines."""
    size = [0.5 if ch.isascii() else 1.0 for ch in title]
    total = sum(size)
    lines = int(-(-total // width))
    if lines <= 1:
        return title
    target = total / lines
    breaks, run, last = [], 0.0, 0
    positions = []
    for i, ch in enumerate(title[:-1]):
        run += size[i]
        positions.append((i + 1, run, ch))
    for n in range(1, lines):
        goal = target * n
        fits = [
            (abs(at - goal) - (3 if ch in GOOD_BREAKS or title[i] == "（" else 0), i)
            for i, at, ch in positions
            if i > last and not (title[i - 1].isascii() and title[i].isascii())
        ]
        if not fits:
            break
        last = min(fits)[1]
        breaks.append(last)
    parts, start = [], 0
    for cut in breaks:
        parts.append(title[start:cut])
        start = cut
    parts.append(title[start:])
    return "\n".join(parts)


# ---------------------------------------------------------------- fonts and styles


def set_fonts(rpr_owner, east_asia: str, ascii_font: str = "Times New Roman") -> None:
    """Name the East Asian and Latin fonts on a run or style, dropping theme fonts."""
    rpr = rpr_owner.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    fonts.set(qn("w:ascii"), ascii_font)
    fonts.set(qn("w:hAnsi"), ascii_font)
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:cs"), ascii_font)


# Style ids of the template's styles that the documents name (a style's id is its name
# without spaces).
TITLE_STYLE_ID = "Title"
HEADING1_STYLE_ID = "Heading1"
HEADING2_STYLE_ID = "Heading2"
TABLE_GRID_STYLE_ID = "TableGrid"


def styled(paragraph, style_id: str):
    """`paragraph` in the style with this id, set on its XML. Naming a style through
    python-docx (`add_paragraph(style=...)`, `paragraph.style`) looks up the document's
    default style by scanning every style each time: two thirds of a bulletin's build."""
    paragraph._p.style = style_id
    return paragraph


def _style(doc, name: str, east_asia: str, size: int, bold: bool = False, indent: bool = True):
    style = doc.styles[name]
    set_fonts(style.element, east_asia)
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.italic = False
    rpr = style.element.get_or_add_rPr()
    for color in rpr.findall(qn("w:color")):
        rpr.remove(color)
    style.font.color.rgb = RGBColor(0, 0, 0)
    fmt = style.paragraph_format
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    fmt.line_spacing = Pt(LINE_PITCH_TWIPS / 20)
    fmt.first_line_indent = Pt(size * 2) if indent else Pt(0)
    fmt.keep_with_next = name.startswith("Heading")
    ppr = style.element.get_or_add_pPr()
    for border in ppr.findall(qn("w:pBdr")):
        ppr.remove(border)
    return style


def _declare_fonts(doc) -> None:
    """Font table entries with charset GB2312, a generic family and an alternative."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    part = doc.part.part_related_by(RT.FONT_TABLE)
    root = parse_xml(part.blob)
    for name, alternatives in FALLBACKS.items():
        font = parse_xml(
            f'<w:font {nsdecls("w")} w:name="{name}"><w:altName w:val="{alternatives[0]}"/>'
            f'<w:charset w:val="86"/><w:family w:val="{FAMILIES.get(name, "roman")}"/>'
            '<w:pitch w:val="variable"/></w:font>'
        )
        root.append(font)
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _language(doc) -> None:
    """zh-CN everywhere, so renderers pick Simplified glyphs (not Japanese variants)."""
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "zh-CN")
    lang.set(qn("w:eastAsia"), "zh-CN")
    lang.set(qn("w:bidi"), "ar-SA")


def _page(section, landscape: bool = False) -> None:
    width, height = A4
    margins = LANDSCAPE_MARGINS if landscape else PORTRAIT_MARGINS
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (height, width) if landscape else (width, height)
    section.top_margin = Mm(margins["top"])
    section.bottom_margin = Mm(margins["bottom"])
    section.left_margin = Mm(margins["left"])
    section.right_margin = Mm(margins["right"])
    section.footer_distance = Mm(margins["bottom"] - 14)
    section.header_distance = Mm(15)
    sect = section._sectPr
    grid = sect.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sect.append(grid)
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(LINE_PITCH_TWIPS))


def _page_number(paragraph, align) -> None:
    """ "— 1 —" with a PAGE field, 4号半角宋体."""
    paragraph.alignment = align
    paragraph.paragraph_format.first_line_indent = Pt(0)
    indent = Pt(NUMBER_PT)
    if align == WD_ALIGN_PARAGRAPH.RIGHT:
        paragraph.paragraph_format.right_indent = indent
    else:
        paragraph.paragraph_format.left_indent = indent

    def run(text: str = ""):
        r = paragraph.add_run(text)
        set_fonts(r._r, NUMBER_FONT, NUMBER_FONT)
        r.font.size = Pt(NUMBER_PT)
        return r

    run("— ")
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1")):
        r = run()
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            r._r.append(char)
        elif text.strip() == "PAGE":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            r._r.append(instr)
        else:
            r.text = text
    end = run()
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), "end")
    end._r.append(char)
    run(" —")


def _watermark(header, text: str) -> None:
    """A diagonal grey text watermark in the header, Word's own form (VML text path)."""
    paragraph = header.paragraphs[0]
    pict = parse_xml(
        f"<w:pict {nsdecls('w')} {VML_NS}>"
        '<v:shape id="PowerPlusWaterMarkObject" o:spid="_x0000_s2049" type="#_x0000_t136" '
        'style="position:absolute;margin-left:0;margin-top:0;width:440pt;height:110pt;'
        "rotation:315;z-index:-251655168;mso-position-horizontal:center;"
        "mso-position-horizontal-relative:margin;mso-position-vertical:center;"
        'mso-position-vertical-relative:margin" o:allowincell="f" fillcolor="#c0c0c0" '
        'stroked="f"><v:fill opacity=".5"/>'
        f'<v:textpath style="font-family:&quot;{BODY_FONT}&quot;;font-size:1pt" string="{text}"/>'
        "</v:shape></w:pict>"
    )
    paragraph.add_run()._r.append(pict)


# ---------------------------------------------------------------- the document


def new_document(title: str, subtitle: str, head: Letterhead, draft: str = ""):
    """A4, GB/T 9704 margins and fonts, page numbers, 版头, title and 主送."""
    doc = Document()
    _declare_fonts(doc)
    _language(doc)
    _style(doc, "Normal", BODY_FONT, BODY_PT)
    for level, font in enumerate(HEADING_FONTS, start=1):
        _style(doc, f"Heading {level}", font, BODY_PT, bold=level == 3)
    _style(doc, "Title", TITLE_FONT, TITLE_PT, indent=False)
    props = doc.core_properties
    props.author = head.issuer
    props.title = title
    props.comments = ""
    props.language = "zh-CN"
    stamp = datetime.combine(head.signed or date.today(), datetime.min.time())
    props.created = props.modified = stamp
    props.last_modified_by = head.issuer
    doc.settings.odd_and_even_pages_header_footer = True
    section = doc.sections[0]
    _page(section)
    footer = section.footer.paragraphs[0]
    _page_number(footer, WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number(section.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT)
    if draft:
        _watermark(section.header, draft)
        _watermark(section.even_page_header, draft)
    _masthead(doc, head)
    heading = styled(doc.add_paragraph(), TITLE_STYLE_ID)
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    heading.paragraph_format.space_before = Pt(LINE_PITCH_TWIPS / 20)
    heading.add_run(balanced(title))
    if draft:
        mark = doc.add_paragraph()
        mark.alignment = WD_ALIGN_PARAGRAPH.CENTER
        mark.paragraph_format.first_line_indent = Pt(0)
        set_fonts(mark.add_run(f"（{draft}）")._r, "楷体_GB2312")
    if subtitle:
        sub = doc.add_paragraph()
        sub.alignment = WD_ALIGN_PARAGRAPH.CENTER
        sub.paragraph_format.first_line_indent = Pt(0)
        set_fonts(sub.add_run(subtitle)._r, "楷体_GB2312")
    doc.add_paragraph().paragraph_format.first_line_indent = Pt(0)
    if head.recipients:
        to = doc.add_paragraph(head.recipients.rstrip("：:") + "：")
        to.paragraph_format.first_line_indent = Pt(0)
    doc._gongwen = Layout(head=head, draft=draft)
    return doc


def _red_rule(paragraph) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    borders = parse_xml(
        f'<w:pBdr {nsdecls("w")}><w:bottom w:val="single" w:sz="18" w:space="4" '
        f'w:color="{RED}"/></w:pBdr>'
    )
    ppr.append(borders)


def _masthead(doc, head: Letterhead) -> None:
    """版头: the red 发文机关标志 (or a 简报 masthead), 发文字号 or 期号, the red rule."""
    if not (head.masthead or head.issuer):
        return
    flag = head.masthead or (head.issuer + ("文件" if head.style == "文件" else ""))
    top = doc.add_paragraph()
    top.alignment = WD_ALIGN_PARAGRAPH.CENTER
    top.paragraph_format.first_line_indent = Pt(0)
    top.paragraph_format.line_spacing = None
    top.paragraph_format.space_after = Pt(12)
    run = top.add_run(flag)
    set_fonts(run._r, TITLE_FONT)
    run.font.size = Pt(36 if len(flag) <= 12 else 26)
    run.font.color.rgb = RGBColor.from_string(RED)
    if head.style == "简报":
        issue = doc.add_paragraph(head.number)
        issue.alignment = WD_ALIGN_PARAGRAPH.CENTER
        issue.paragraph_format.first_line_indent = Pt(0)
        line = doc.add_paragraph()
        line.paragraph_format.first_line_indent = Pt(0)
        tabs = line.paragraph_format.tab_stops
        tabs.add_tab_stop(Mm(PORTRAIT_TEXT_MM), alignment=2)  # right
        line.add_run(f"{head.issuer}\t{date_text(head.signed or date.today(), head.chinese_date)}")
        _red_rule(line)
    else:
        number = doc.add_paragraph(head.number)
        number.alignment = WD_ALIGN_PARAGRAPH.CENTER
        number.paragraph_format.first_line_indent = Pt(0)
        _red_rule(number)


def layout_of(doc) -> Layout | None:
    return getattr(doc, "_gongwen", None)


def finish(doc, write_annex) -> None:
    """After the body: 附件说明, 署名 and 成文日期, each 附件 on landscape pages, 版记."""
    layout = layout_of(doc)
    if layout is None or layout.finished:
        return
    layout.finished = True
    head = layout.head
    if layout.annexes:
        doc.add_paragraph()
        for index, annex in enumerate(layout.annexes, start=1):
            numbered = f"{index}. " if len(layout.annexes) > 1 else ""
            para = doc.add_paragraph(("附件：" if index == 1 else "") + numbered + annex.title)
            para.paragraph_format.first_line_indent = Pt(0)
            para.paragraph_format.left_indent = Pt(BODY_PT * (2 if index == 1 else 5))
    _signature(doc, head)
    for index, annex in enumerate(layout.annexes, start=1):
        section = doc.add_section(WD_SECTION.NEW_PAGE)
        _page(section, landscape=True)
        label = doc.add_paragraph(f"附件{index}" if len(layout.annexes) > 1 else "附件")
        styled(label, HEADING1_STYLE_ID)
        label.paragraph_format.first_line_indent = Pt(0)
        name = styled(doc.add_paragraph(annex.title), TITLE_STYLE_ID)
        name.alignment = WD_ALIGN_PARAGRAPH.CENTER
        write_annex(doc, annex, LANDSCAPE_TEXT_MM)
    if head.copies or head.printer:
        _record(doc, head, bool(layout.annexes))
    keep_numbers_whole(doc)


WORD_JOINER = "\u2060"
# A number as printed in the text: a sign, digits with thousands commas and decimals, a
# range (1-6), a percent sign.
NUMBER_TOKEN = re.compile(r"(?<![0-9A-Za-z.])[-+]?\d(?:[\d,.]|[-+](?=\d))*%?")
UNITS = ("个百分点", "亿美元", "万美元", "亿元", "万元", "万人", "万吨", "万千瓦时")


def _bound(text: str, start: int, end: int) -> tuple[str, int]:
    """The number text[start:end] made unbreakable, with its unit, and where it ends.

    Two things keep LibreOffice from breaking a number at a line end: the run is tagged
    en-US, for its Latin and its Chinese characters (in Chinese text LibreOffice breaks
    between any two characters, digits included, and ignores joiners; with a Latin language
    it keeps 12.5, 1,234 and 47.2% whole), and WORD JOINERs bind a sign to its digits and the
    digits to the Chinese unit after them (亿元, 家, 个百分点), which Latin rules would let
    part. The fonts stay those of the run (rFonts), so nothing changes on the page; a word
    joiner is invisible and is not copied out of the PDF."""
    number = re.sub(r"(^|\d)([-+])(?=\d)", rf"\1\2{WORD_JOINER}", text[start:end])
    rest = text[end:]
    unit = next((u for u in UNITS if rest.startswith(u)), "")
    if not unit and rest and unicodedata.category(rest[0]) == "Lo":
        unit = rest[0]
    if unit:
        number += WORD_JOINER + WORD_JOINER.join(unit)
    return number, end + len(unit)


def _keep_numbers_whole(paragraph) -> None:
    """Split each plain run of a body paragraph so that every number (with its unit) is a run
    of its own that no line break enters (see `_bound`)."""
    for run in list(paragraph._p.r_lst):
        texts = run.findall(qn("w:t"))
        if len(texts) != 1 or len(run) != len(texts) + (run.rPr is not None):
            continue  # fields, breaks, pictures: not body text
        text = texts[0].text or ""
        pieces: list[tuple[str, bool]] = []
        at = 0
        for match in NUMBER_TOKEN.finditer(text):
            if match.start() < at:
                continue
            pieces.append((text[at : match.start()], False))
            bound, at = _bound(text, match.start(), match.end())
            pieces.append((bound, True))
        if not any(whole for _, whole in pieces):
            continue
        pieces.append((text[at:], False))
        for piece, whole in pieces:
            if not piece:
                continue
            new = copy.deepcopy(run)
            new.find(qn("w:t")).text = piece
            new.find(qn("w:t")).set(qn("xml:space"), "preserve")
            if whole:
                rpr = new.get_or_add_rPr()
                lang = rpr.find(qn("w:lang"))
                if lang is None:
                    lang = OxmlElement("w:lang")
                    rpr.append(lang)
                lang.set(qn("w:val"), "en-US")
                lang.set(qn("w:eastAsia"), "en-US")  # the unit too: zh rules ignore joiners
            run.addprevious(new)
        paragraph._p.remove(run)


def keep_numbers_whole(doc) -> None:
    """No number broken at a line end in the body text: every body paragraph (justified or
    flush left; not the title, the centred 版头 lines or the right-aligned signature, which
    never wrap) goes through `_keep_numbers_whole`. Tables keep their numbers whole by their
    column widths (`doctable`)."""
    for paragraph in doc.paragraphs:
        if paragraph._p.style == TITLE_STYLE_ID or paragraph.alignment in (
            WD_ALIGN_PARAGRAPH.CENTER,
            WD_ALIGN_PARAGRAPH.RIGHT,
        ):
            continue
        _keep_numbers_whole(paragraph)


def _signature(doc, head: Letterhead) -> None:
    """署名 centred over the 成文日期, which stands four characters from the right."""
    signed = date_text(head.signed or date.today(), head.chinese_date)
    doc.add_paragraph().paragraph_format.first_line_indent = Pt(0)

    def width(text: str) -> float:
        return sum(0.5 if ch.isascii() else 1 for ch in text)

    if head.issuer:
        name = doc.add_paragraph(head.issuer)
        name.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        name.paragraph_format.first_line_indent = Pt(0)
        offset = max(4 + (width(signed) - width(head.issuer)) / 2, 2)
        name.paragraph_format.right_indent = Pt(BODY_PT * offset)
    when = doc.add_paragraph(signed)
    when.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    when.paragraph_format.first_line_indent = Pt(0)
    when.paragraph_format.right_indent = Pt(BODY_PT * 4)


def _record(doc, head: Letterhead, new_page: bool) -> None:
    """版记: 抄送 and 印发 lines between rules, 仿宋 4号, at the end of the document."""
    if new_page:
        section = doc.add_section(WD_SECTION.NEW_PAGE)
        _page(section)
    else:
        doc.add_paragraph().add_run().add_break(WD_BREAK.LINE)
    lines = []
    if head.copies:
        lines.append(f"抄送：{head.copies.rstrip('。')}。")
    printed = date_text(head.signed or date.today(), False)
    if head.printer:
        lines.append(f"{head.printer}\t{printed}印发")
    for index, text in enumerate(lines):
        para = doc.add_paragraph()
        para.paragraph_format.first_line_indent = Pt(0)
        para.paragraph_format.left_indent = Pt(NUMBER_PT)
        para.paragraph_format.right_indent = Pt(NUMBER_PT)
        para.paragraph_format.tab_stops.add_tab_stop(Mm(PORTRAIT_TEXT_MM - 10), alignment=2)
        run = para.add_run(text)
        run.font.size = Pt(NUMBER_PT)
        top = "18" if index == 0 else "4"
        bottom = "18" if index == len(lines) - 1 else "4"
        para._p.get_or_add_pPr().append(
            parse_xml(
                f'<w:pBdr {nsdecls("w")}><w:top w:val="single" w:sz="{top}" w:space="1" '
                f'w:color="000000"/><w:bottom w:val="single" w:sz="{bottom}" w:space="1" '
                'w:color="000000"/></w:pBdr>'
            )
        )


def landscape(doc) -> None:
    """Start landscape pages (a wide table in the body)."""
    _page(doc.add_section(WD_SECTION.NEW_PAGE), landscape=True)


def portrait(doc) -> None:
    _page(doc.add_section(WD_SECTION.NEW_PAGE))
