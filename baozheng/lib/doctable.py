"""Tables in Word documents laid out for print: column widths fitted to their content so
no number is ever broken over lines, numbers right-aligned, the header row repeated on
every page (`tblHeader`), rows never split across pages (`cantSplit`), and a table too
wide for a portrait page moved to a landscape section.

Widths are measured in 'ems' of the table font: a CJK character is one em, an ASCII
character half an em (the fonts are monospaced enough for a layout estimate)."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt

from baozheng.lib import gongwen

TABLE_STYLE = "表格文字"
CELL_PADDING_PT = 10.8 + 1.5  # Word's default 0.19 cm left and right, plus the borders
NARROW_PADDING_PT = 2 * 1.4 + 1.5  # cell margins cut to 1.4 pt for the widest tables
SIZES = (12, 10.5, 9)  # 小四, 五号, 小五
# Tried in order until one fits: (font size, cell padding); the last two only for tables
# that would otherwise break their numbers.
ATTEMPTS = [(s, CELL_PADDING_PT) for s in SIZES] + [
    (9, NARROW_PADDING_PT),
    (7.5, NARROW_PADDING_PT),
]
NUMBER = re.compile(r"^(并列)?[-+−↑↓]?[\d,]*\.?\d+%?$|^—$")  # 并列3: a tied rank


def ems(text: str) -> float:
    return sum(0.5 if ch.isascii() else 1.0 for ch in text)


def is_number(text: str) -> bool:
    return bool(NUMBER.match(text.strip()))


def _longest_unbreakable(text: str) -> float:
    """The widest run that must stay on one line: a number or a Latin word."""
    runs = re.findall(r"[\x21-\x7e]+", text)
    return max((ems(r) for r in runs), default=0.0)


def column_widths(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    available_pt: float,
    size: float,
    padding: float = CELL_PADDING_PT,
) -> list[float] | None:
    """Widths in points that fill `available_pt`, or None when even the narrowest layout
    (headers over up to three lines, text wrapped, numbers whole) does not fit."""
    minimum, natural = [], []
    for col, header in enumerate(headers):
        cells = [row[col] for row in rows]
        unbreakable = max([_longest_unbreakable(c) for c in cells] + [0])
        numbers = max([ems(c) for c in cells if is_number(c)] + [0])
        texts = [ems(c) for c in cells if not is_number(c)]
        text_min = min(max(texts, default=0), 6)
        head = ems(header)
        head_min = max(math.ceil(head / 3), min(head, 2), _longest_unbreakable(header))
        least = max(unbreakable, numbers, text_min, head_min)
        minimum.append(least * size + padding)
        natural.append(max([head] + [ems(c) for c in cells]) * size + padding)
    spare = available_pt - sum(minimum)
    if spare < 0:
        return None
    deficits = [n - m for n, m in zip(natural, minimum, strict=True)]
    want = sum(deficits)
    if want <= spare:
        extra = (spare - want) / len(headers)
        return [n + extra for n in natural]
    return [m + spare * d / want for m, d in zip(minimum, deficits, strict=True)]


def ensure_style(doc) -> None:
    styles = doc.styles
    if TABLE_STYLE in styles:  # compares the names as stored: no style object per style
        return
    style = styles.add_style(TABLE_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = styles["Normal"]
    gongwen.set_fonts(style.element, gongwen.TABLE_FONT)
    fmt = style.paragraph_format
    fmt.first_line_indent = Pt(0)
    fmt.line_spacing = 1.0
    fmt.space_before = fmt.space_after = Pt(0)
    ppr = style.element.get_or_add_pPr()
    snap = OxmlElement("w:snapToGrid")
    snap.set(qn("w:val"), "0")
    ppr.append(snap)


def _shading_xml(color: str) -> str:
    """A cell's fill with a hex colour (python-docx has no API for it)."""
    return f'<w:shd {nsdecls("w")} w:val="clear" w:color="auto" w:fill="{color}"/>'


def shade(cell, color: str) -> None:
    """Fill a docx table cell with a hex colour."""
    if color:
        cell._tc.get_or_add_tcPr().append(parse_xml(_shading_xml(color)))


def write(
    doc,
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    width_mm: float,
    fills: Sequence[tuple[int, int, str]] = (),
    bold_rows: Sequence[int] = (),
):
    """The table at the end of `doc`, fitted into `width_mm` at the largest size that fits.
    `fills` are (row, column, colour) shadings of data cells."""
    ensure_style(doc)
    available = Mm(width_mm).pt
    size, padding = ATTEMPTS[-1]
    widths = None
    for candidate, pad in ATTEMPTS:
        widths = column_widths(headers, rows, available, candidate, pad)
        if widths:
            size, padding = candidate, pad
            break
    if widths is None:  # wider than any page: squeeze proportionally at the least size
        least = column_widths(headers, rows, 10**6, size, padding)
        widths = [w * available / sum(least) for w in least]
    table = doc.add_table(rows=0, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    table._tbl.tblPr.append(layout)
    if padding == NARROW_PADDING_PT:
        table._tbl.tblPr.append(
            parse_xml(
                f'<w:tblCellMar {nsdecls("w")}><w:left w:w="28" w:type="dxa"/>'
                '<w:right w:w="28" w:type="dxa"/></w:tblCellMar>'
            )
        )
    grid = table._tbl.tblGrid
    for col, width in zip(grid.findall(qn("w:gridCol")), widths, strict=True):
        col.set(qn("w:w"), str(int(width * 20)))
    shading = {(r + 1, c): colour for r, c, colour in fills if colour}
    cell = _CellFormat(
        style_id=doc.styles[TABLE_STYLE].style_id,
        half_points=int(size * 2),
        twips=[round(w * 20) for w in widths],
    )
    bold = set(bold_rows)
    body = "".join(
        _row_xml(cell, values, r, r > 0 and (r - 1) in bold, shading)
        for r, values in enumerate([list(headers), *rows])
    )
    for row in parse_xml(f"<w:tbl {nsdecls('w')}>{body}</w:tbl>"):
        table._tbl.append(row)
    return table


@dataclass(frozen=True)
class _CellFormat:
    style_id: str
    half_points: int
    twips: list[int]


def _row_xml(cell: _CellFormat, values: Sequence[object], r: int, bold: bool, shading: dict) -> str:
    """One table row as WordprocessingML text, parsed with the others in one go: building
    the same cells through python-docx's objects took most of a bulletin's build time.
    The markup is what python-docx writes for a cell width, paragraph style, alignment,
    bold and font size; the header row repeats on every page, no row splits."""
    flags = "<w:cantSplit/><w:tblHeader/>" if r == 0 else "<w:cantSplit/>"
    weight = "<w:b/>" if r == 0 or bold else '<w:b w:val="0"/>'
    cells = []
    for c, value in enumerate(values):
        text = str(value)
        if r == 0 or text == "—":
            align = '<w:jc w:val="center"/>'
        elif is_number(text):
            align = '<w:jc w:val="right"/>'
        else:
            align = ""
        colour = shading.get((r, c))
        fill = _shading_xml(colour) if colour else ""
        cells.append(
            f'<w:tc><w:tcPr><w:tcW w:w="{cell.twips[c]}" w:type="dxa"/>{fill}</w:tcPr>'
            f'<w:p><w:pPr><w:pStyle w:val="{cell.style_id}"/>{align}</w:pPr>'
            f'<w:r><w:rPr>{weight}<w:sz w:val="{cell.half_points}"/></w:rPr>'
            f"{_run_content(text)}</w:r></w:p></w:tc>"
        )
    return f"<w:tr><w:trPr>{flags}</w:trPr>{''.join(cells)}</w:tr>"


# Characters XML 1.0 cannot carry; python-docx refuses them, a table drops them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _run_content(text: str) -> str:
    """A run's text as python-docx writes it: tabs and line breaks as their own elements."""
    parts = []
    for piece in re.split(r"([\t\n\r])", _NOT_XML.sub("", text)):
        if piece == "\t":
            parts.append("<w:tab/>")
        elif piece in ("\n", "\r"):
            parts.append("<w:br/>")
        elif piece:
            parts.append(f'<w:t xml:space="preserve">{escape(piece)}</w:t>')
    return "".join(parts)


def fits_portrait(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> bool:
    available = Mm(gongwen.PORTRAIT_TEXT_MM).pt
    return any(column_widths(headers, rows, available, s, p) for s, p in ATTEMPTS[:2])


def write_inline(doc, headers, rows, fills=(), bold_rows=()) -> None:
    """In the body: portrait when it fits at 五号 or larger, else on landscape pages of its
    own, after which the document goes on in portrait."""
    if fits_portrait(headers, rows):
        write(doc, headers, rows, gongwen.PORTRAIT_TEXT_MM, fills, bold_rows)
        return
    gongwen.landscape(doc)
    write(doc, headers, rows, gongwen.LANDSCAPE_TEXT_MM, fills, bold_rows)
    gongwen.portrait(doc)


def note(doc, text: str) -> None:
    """The 注 under a table, in the table font."""
    ensure_style(doc)
    paragraph = doc.add_paragraph(style=TABLE_STYLE)
    paragraph.paragraph_format.space_before = Pt(3)
    run = paragraph.add_run(text)
    run.font.size = Pt(10.5)


__all__ = ["WD_SECTION", "column_widths", "ems", "fits_portrait", "note", "shade", "write"]
