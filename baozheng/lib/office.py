"""Writing the exports every part of the product offers: xlsx tables laid out as statistics
offices exchange them, and docx documents in the form of an official notice (公文).
Kept in one place so that every export looks the same and shares one set of fonts."""

from __future__ import annotations

import io
from collections.abc import Sequence
from urllib.parse import quote

from django.http import HttpResponse
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from baozheng.analysis.rounding import r as round_half_up

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

STATUS_FILLS = {  # the product's status colours (亮灯)
    "exceeds": "0A7D3B",
    "on_track": "2E9E5B",
    "at_risk": "F2C94C",
    "off_track": "C62828",
    "no_data": "D0D4D8",
    "no_target": "D0D4D8",
    "green": "2E9E5B",
    "blue": "1565C0",
    "yellow": "F2C94C",
    "red": "C62828",
}
_thin = Side(style="thin", color="999999")
BORDER = Border(left=_thin, right=_thin, top=_thin, bottom=_thin)
HEADER_FILL = PatternFill("solid", fgColor="EEF1F4")
FONT = "宋体"


def status_fill(status: str) -> PatternFill | None:
    color = STATUS_FILLS.get(status)
    return PatternFill("solid", fgColor=color) if color else None


def title_rows(ws, title: str, subtitle: str, width: int) -> int:
    """The merged, centred title (and right-aligned subtitle: units, date) over `width`
    columns; returns the row where the table's header starts."""
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws.cell(1, 1, title).font = Font(name=FONT, size=14, bold=True)
    ws.cell(1, 1).alignment = Alignment(horizontal="center")
    if not subtitle:
        return 2
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    ws.cell(2, 1, subtitle).alignment = Alignment(horizontal="right")
    return 3


def table_sheet(
    wb: Workbook,
    title: str,
    headers: Sequence[str],
    rows: Sequence[Sequence[object]],
    subtitle: str = "",
    number_format: str = "0.0",
    sheet_name: str | None = None,
    status_column: int | None = None,
):
    """One sheet: merged title row, optional subtitle (units of measure, date), bordered table.
    Floats get `number_format` (one decimal by default, as official tables print)."""
    ws = wb.create_sheet((sheet_name or title)[:31])
    width = max(len(headers), 1)
    start = title_rows(ws, title, subtitle, width)
    for col, text in enumerate(headers, start=1):
        cell = ws.cell(start, col, text)
        cell.font, cell.fill, cell.border = Font(name=FONT, bold=True), HEADER_FILL, BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for r, row in enumerate(rows, start=start + 1):
        for c, value in enumerate(row, start=1):
            cell = ws.cell(r, c, value)
            cell.border = BORDER
            if isinstance(value, float):
                cell.number_format = number_format
        if status_column is not None:
            fill = status_fill(str(row[status_column] or ""))
            if fill:
                ws.cell(r, status_column + 1).fill = fill
    for col in range(1, width + 1):
        ws.column_dimensions[get_column_letter(col)].width = 14 if col > 1 else 18
    ws.freeze_panes = ws.cell(start + 1, 2)
    return ws


def grouped_table_sheet(
    wb: Workbook,
    title: str,
    groups: Sequence[tuple[str, Sequence[str]]],
    rows: Sequence[Sequence[object]],
    subtitle: str = "",
    sheet_name: str | None = None,
    status_column: int | None = None,
    status_of: Sequence[str] | None = None,
    formats: dict[int, str] | None = None,
):
    """A statistics-office table with two header rows: each group's label merged over its
    columns (a group of one column is merged downwards instead). `status_of[i]` colours
    row i's `status_column`; `formats` maps a column index to its number format."""
    ws = wb.create_sheet((sheet_name or title)[:31])
    width = sum(len(cols) for _, cols in groups)
    top = title_rows(ws, title, subtitle, width)
    column = 1
    for label, cols in groups:
        if len(cols) == 1:
            ws.merge_cells(start_row=top, start_column=column, end_row=top + 1, end_column=column)
            _header_cell(ws.cell(top, column, cols[0] or label))
            _header_cell(ws.cell(top + 1, column))
        else:
            ws.merge_cells(
                start_row=top, start_column=column, end_row=top, end_column=column + len(cols) - 1
            )
            for offset, text in enumerate(cols):
                _header_cell(ws.cell(top, column + offset, label if offset == 0 else None))
                _header_cell(ws.cell(top + 1, column + offset, text))
        column += len(cols)
    formats = formats or {}
    for r, row in enumerate(rows, start=top + 2):
        for c, value in enumerate(row, start=1):
            cell = ws.cell(r, c, value)
            cell.border = BORDER
            cell.font = Font(name=FONT)
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                cell.number_format = formats.get(c - 1, "0.0")
        if status_column is not None and status_of is not None:
            fill = status_fill(status_of[r - top - 2])
            if fill:
                ws.cell(r, status_column + 1).fill = fill
    for col in range(1, width + 1):
        ws.column_dimensions[get_column_letter(col)].width = 16 if col == 1 else 11
    ws.freeze_panes = ws.cell(top + 2, 2)
    return ws


def _header_cell(cell) -> None:
    cell.font, cell.fill, cell.border = Font(name=FONT, bold=True), HEADER_FILL, BORDER
    cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def new_workbook() -> Workbook:
    wb = Workbook()
    wb.remove(wb.active)
    return wb


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formulas(wb: Workbook) -> None:
    """Make every text cell inert: stored text starting with =, +, -, @, tab or CR is
    written as text with Excel's quote prefix, never as a formula.

    openpyxl stores any string beginning with "=" as a formula, and spreadsheet programs
    evaluate text beginning with the others when a cell is edited or a CSV re-opened; the
    text comes from users (an anonymous enterprise request, an imported name), so an
    export could otherwise carry =HYPERLINK(...) to whoever opens it. The product writes
    no formulas of its own, so every cell is checked here, once, as the workbook is saved.
    """
    for ws in wb.worksheets:
        for cell in ws._cells.values():  # only the cells written, not the empty grid
            value = cell.value
            if isinstance(value, str) and value.startswith(FORMULA_STARTS):
                cell.data_type = "s"
                cell.quotePrefix = True


def workbook_bytes(wb: Workbook) -> bytes:
    neutralise_formulas(wb)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def official_document(title: str, subtitle: str = ""):
    """A docx with the title centred in the headline style of a government bulletin."""
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = FONT
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    style.font.size = Pt(12)
    heading = doc.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = heading.add_run(title)
    run.bold = True
    run.font.size = Pt(20)
    if subtitle:
        sub = doc.add_paragraph(subtitle)
        sub.alignment = WD_ALIGN_PARAGRAPH.CENTER
    return doc


def add_table(
    doc,
    headers: Sequence[str],
    rows: Sequence[Sequence[object]],
    decimals: int = 1,
    status_column: int | None = None,
    status_of: Sequence[str] | None = None,
) -> None:
    """A bordered table; with `status_column`, row i's cell there is shaded `status_of[i]`."""
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.text = str(text)
        cell.paragraphs[0].runs[0].bold = True
    for index, row in enumerate(rows):
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = fmt(value, decimals)
        if status_column is not None and status_of is not None:
            shade_cell(cells[status_column], STATUS_FILLS.get(status_of[index], ""))


def shade_cell(cell, color: str) -> None:
    """Fill a docx table cell with a hex colour (python-docx has no API for it)."""
    if not color:
        return
    properties = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), color)
    properties.append(shading)


def fmt(value: object, decimals: int = 1) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{round_half_up(value):.{decimals}f}" if decimals == 1 else f"{value:.{decimals}f}"
    return str(value)


def document_bytes(doc) -> bytes:
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def download(data: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
