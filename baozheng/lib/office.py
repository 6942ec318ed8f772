"""Writing the exports every part of the product offers: xlsx tables laid out as statistics
offices exchange them and printable as they are (A4 landscape, one page wide, header rows
repeated), and docx documents in the 公文 layout of GB/T 9704 (`baozheng.lib.gongwen`).
Kept in one place so that every export looks the same and shares one set of fonts."""

from __future__ import annotations

import io
import math
from collections.abc import Mapping, Sequence
from copy import copy
from datetime import date, datetime
from urllib.parse import quote
from weakref import WeakKeyDictionary

from django.http import HttpResponse
from docx.shared import Pt
from openpyxl import Workbook
from openpyxl.cell.cell import MergedCell
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.merge import MergedCellRange
from openpyxl.worksheet.properties import PageSetupProperties

from baozheng.analysis.rounding import r as round_half_up
from baozheng.lib import doctable, gongwen
from baozheng.lib.gongwen import Annex, Letterhead
from baozheng.lib.numbers import displayable, never_raises
from baozheng.lib.vocabulary import LIGHTS, STATUSES

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# The status colours (亮灯) for printed tables, from the one vocabulary: pale shades so the
# black text on them stays legible.
STATUS_FILLS = {code: s.print_fill or "E6E8EB" for code, s in {**STATUSES, **LIGHTS}.items()}
_thin = Side(style="thin", color="999999")
BORDER = Border(left=_thin, right=_thin, top=_thin, bottom=_thin)
HEADER_FILL = PatternFill("solid", fgColor="EEF1F4")
FONT = "宋体"


def status_fill(status: str) -> PatternFill | None:
    color = STATUS_FILLS.get(status)
    return PatternFill("solid", fgColor=color) if color else None


def _merge(ws, first_row: int, first_column: int, last_row: int, last_column: int) -> None:
    """`ws.merge_cells` for a range none of whose cells is written yet (every merge here
    comes before its text and style). openpyxl's merge then gives each covered cell the
    protection it already has, hashing a style object per cell: almost half of a bulletin
    workbook's build. The covered cells are made as it makes them; the file is the same.
    A range with a written cell goes through openpyxl's merge."""
    cells = CellRange(
        min_row=first_row, min_col=first_column, max_row=last_row, max_col=last_column
    )
    if any(coord in ws._cells for coord in cells.cells):
        ws.merge_cells(cells.coord)
        return
    merged = MergedCellRange(ws, cells.coord)  # makes the top-left cell
    ws.merged_cells.add(merged)
    for row, column in list(merged.cells)[1:]:
        ws._cells[row, column] = MergedCell(ws, row, column)


def title_rows(ws, title: str, subtitle: str, width: int) -> int:
    """The merged, centred title (and right-aligned subtitle: units, date) over `width`
    columns; returns the row where the table's header starts."""
    _merge(ws, 1, 1, 1, width)
    ws.cell(1, 1, title).font = Font(name=FONT, size=14, bold=True)
    ws.cell(1, 1).alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[1].height = 24
    if not subtitle:
        return 2
    _merge(ws, 2, 1, 2, width)
    ws.cell(2, 1, subtitle).alignment = Alignment(horizontal="right")
    return 3


# The cell styles of every table, registered once per workbook as named styles (Excel's
# 单元格样式): openpyxl hashes a style object on every per-cell assignment, which made the
# styling of a bulletin's cells most of its build time; a named style is copied by name.
_CELL_STYLES = {
    "表格文字": (False, Alignment(wrap_text=True, vertical="center")),
    "表格文字加粗": (True, Alignment(wrap_text=True, vertical="center")),
    "表格数值": (False, Alignment()),
    "表格数值加粗": (True, Alignment()),
}
HEADER_STYLE = "表格表头"


def _named_style(wb: Workbook, name: str) -> str:
    if name not in wb.named_styles:
        if name == HEADER_STYLE:
            style = NamedStyle(
                name=name,
                font=Font(name=FONT, bold=True),
                fill=HEADER_FILL,
                border=BORDER,
                alignment=Alignment(horizontal="center", vertical="center", wrap_text=True),
            )
        else:
            bold, alignment = _CELL_STYLES[name]
            style = NamedStyle(
                name=name, font=Font(name=FONT, bold=bold), border=BORDER, alignment=alignment
            )
        wb.add_named_style(style)
    return name


def _style_cell(cell, name: str) -> None:
    """Give `cell` the named style `name`. openpyxl's `cell.style = name` lists the
    workbook's style names twice per cell (a fifth of a bulletin workbook's build); the
    style's index array is taken from the first cell and copied to the others, which is
    what that assignment stores."""
    wb = cell.parent.parent
    arrays = _STYLE_ARRAYS.setdefault(wb, {})
    array = arrays.get(name)
    if array is None:
        cell.style = _named_style(wb, name)
        arrays[name] = copy(cell._style)
    else:
        cell._style = copy(array)


_STYLE_ARRAYS: WeakKeyDictionary[Workbook, dict[str, StyleArray]] = WeakKeyDictionary()


def write_cell(ws, row: int, column: int, value: object, *, bold: bool = False):
    """Every data cell of every workbook is written here (one place for any escaping of
    text), with a number format for numbers: integers whole, other numbers the caller's;
    dates as dates (the named style would otherwise leave them a bare serial, 44990).
    A number no figure can be (NaN, infinite, beyond every column) is written as 数值异常."""
    value = displayable(value, "write_cell")
    cell = ws.cell(row, column, value)
    kind = "表格文字" if isinstance(value, str) else "表格数值"
    _style_cell(cell, kind + ("加粗" if bold else ""))
    if isinstance(value, int) and not isinstance(value, bool):
        cell.number_format = "0"
    elif isinstance(value, datetime):
        cell.number_format = "yyyy-mm-dd hh:mm"
    elif isinstance(value, date):
        cell.number_format = "yyyy-mm-dd"
    return cell


def _ems(value: object) -> float:
    return doctable.ems(str(value)) if value is not None else 0.0


def fit_columns(ws, headers: Sequence[str], rows: Sequence[Sequence[object]], top: int) -> None:
    """Column widths from content (a CJK character is two width units, text wraps beyond
    thirty), and a header row tall enough for its wrapped labels."""
    lines = 1
    for col, header in enumerate(headers, start=1):
        cells = [row[col - 1] for row in rows if col - 1 < len(row)]
        widest = max([_ems(v) * 2 + 2 for v in cells] + [8.0])
        head = _ems(header) * 2
        width = min(max(widest, math.ceil(head / 3) + 2), 32.0)
        ws.column_dimensions[get_column_letter(col)].width = width
        lines = max(lines, math.ceil(head / max(width - 2, 1)))
    ws.row_dimensions[top].height = 15 * min(lines, 4) + 4


def print_setup(ws, header_rows: tuple[int, int]) -> None:
    """A4 landscape, one page wide, header rows repeated, centred, 第 x 页 footer."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_title_rows = f"{header_rows[0]}:{header_rows[1]}"
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    ws.evenFooter.center.text = "第 &P 页，共 &N 页"


def table_sheet(
    wb: Workbook,
    title: str,
    headers: Sequence[str],
    rows: Sequence[Sequence[object]],
    subtitle: str = "",
    number_format: str = "0.0",
    sheet_name: str | None = None,
    status_column: int | None = None,
    *,
    formats: dict[int, str] | None = None,
    bold_rows: Sequence[int] = (),
    notes: Sequence[str] = (),
    status_of: Sequence[str] | None = None,
):
    """One sheet: merged title row, optional subtitle (units of measure, date), bordered table,
    注 lines under it, print setup. Floats get `number_format` (one decimal by default, as
    official tables print) unless `formats` names the column's own format."""
    ws = wb.create_sheet((sheet_name or title)[:31])
    width = max(len(headers), 1)
    start = title_rows(ws, title, subtitle, width)
    for col, text in enumerate(headers, start=1):
        _header_cell(ws.cell(start, col, text))
    formats = formats or {}
    bold = set(bold_rows)
    for r, row in enumerate(rows, start=start + 1):
        for c, value in enumerate(row, start=1):
            cell = write_cell(ws, r, c, value, bold=r - start - 1 in bold)
            if isinstance(value, float):
                cell.number_format = formats.get(c - 1, number_format)
            elif c - 1 in formats and isinstance(value, int):
                cell.number_format = formats[c - 1]
        if status_column is not None:
            code = status_of[r - start - 1] if status_of is not None else row[status_column]
            fill = status_fill(str(code or ""))
            if fill:
                ws.cell(r, status_column + 1).fill = fill
    fit_columns(ws, headers, rows, start)
    _notes(ws, notes, start + len(rows) + 1, width)
    ws.freeze_panes = ws.cell(start + 1, 2)
    print_setup(ws, (start, start))
    return ws


def _notes(ws, notes: Sequence[str], row: int, width: int) -> None:
    for offset, text in enumerate(notes):
        _merge(ws, row + offset, 1, row + offset, width)
        cell = ws.cell(row + offset, 1, text)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.row_dimensions[row + offset].height = 15 * max(
            1, math.ceil(_ems(text) * 2 / (width * 11))
        )


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
    *,
    bold_rows: Sequence[int] = (),
    notes: Sequence[str] = (),
    cell_formats: Mapping[tuple[int, int], str] | None = None,
    subheadings: Mapping[int, str] | None = None,
):
    """A statistics-office table with two header rows: each group's label merged over its
    columns (a group of one column is merged downwards instead). `status_of[i]` colours
    row i's `status_column`; `formats` maps a column index to its number format (integers
    default to whole numbers, other numbers to one decimal), `cell_formats` a (row, column)
    to its own (a tied rank: 并列3). `subheadings[i]` is a bold row across the table before
    row i (功能区 after the counties), as statistics yearbooks group their rows."""
    ws = wb.create_sheet((sheet_name or title)[:31])
    width = sum(len(cols) for _, cols in groups)
    top = title_rows(ws, title, subtitle, width)
    column = 1
    for label, cols in groups:
        if len(cols) == 1:
            _merge(ws, top, column, top + 1, column)
            _header_cell(ws.cell(top, column, cols[0] or label))
            _header_cell(ws.cell(top + 1, column))
        else:
            _merge(ws, top, column, top, column + len(cols) - 1)
            for offset, text in enumerate(cols):
                _header_cell(ws.cell(top, column + offset, label if offset == 0 else None))
                _header_cell(ws.cell(top + 1, column + offset, text))
        column += len(cols)
    formats, cell_formats, subheadings = formats or {}, cell_formats or {}, subheadings or {}
    bold = set(bold_rows)
    r = top + 1
    for index, row in enumerate(rows):
        r += 1
        if index in subheadings:
            _merge(ws, r, 1, r, width)
            write_cell(ws, r, 1, subheadings[index], bold=True)
            r += 1
        for c, value in enumerate(row, start=1):
            cell = write_cell(ws, r, c, value, bold=index in bold)
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                default = "0" if isinstance(value, int) else "0.0"
                cell.number_format = cell_formats.get((index, c - 1), formats.get(c - 1, default))
        if status_column is not None and status_of is not None:
            fill = status_fill(status_of[index])
            if fill:
                ws.cell(r, status_column + 1).fill = fill
    headers = [cols[i] for _, cols in groups for i in range(len(cols))]
    fit_columns(ws, headers, rows, top + 1)
    _notes(ws, notes, r + 1, width)
    ws.freeze_panes = ws.cell(top + 2, 2)
    print_setup(ws, (top, top + 1))
    return ws


def _header_cell(cell) -> None:
    _style_cell(cell, HEADER_STYLE)


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


def letterhead_for(doc_type: str) -> Letterhead:
    """The admin's settings for this document type (`baozheng.documents`)."""
    from baozheng.documents.settings import letterhead

    return letterhead(doc_type)


def official_document(
    title: str,
    subtitle: str = "",
    *,
    head: Letterhead | None = None,
    doc_type: str = "general",
    draft: str = "",
):
    """A docx in the 公文 layout: A4, GB/T 9704 margins and fonts, page numbers, 版头 and
    主送 from the document type's settings (or `head`), the title; `draft` (征求意见稿,
    未发布) is added under the title and as a watermark. `document_bytes` adds the 附件说明,
    署名, 成文日期, the landscape 附件 and the 版记."""
    return gongwen.new_document(title, subtitle, head or letterhead_for(doc_type), draft)


def add_table(
    doc,
    headers: Sequence[str],
    rows: Sequence[Sequence[object]],
    decimals: int = 1,
    status_column: int | None = None,
    status_of: Sequence[str] | None = None,
    *,
    bold_rows: Sequence[int] = (),
    annex: str = "",
    notes: Sequence[str] = (),
) -> None:
    """A bordered table fitted to the page: in the body (on landscape pages of its own when
    too wide for portrait), or, with `annex`, as a 附件 with that title on landscape pages
    after the signature. With `status_column`, row i's cell there is shaded `status_of[i]`."""
    texts = [[fmt(v, decimals) for v in row] for row in rows]
    fills = []
    if status_column is not None and status_of is not None:
        fills = [(i, status_column, STATUS_FILLS.get(s, "")) for i, s in enumerate(status_of)]
    if annex:
        layout = gongwen.layout_of(doc)
        if layout is not None:
            options = {"fills": fills, "bold_rows": list(bold_rows)}
            layout.annexes.append(Annex(annex, list(headers), texts, options, list(notes)))
            return
        doc.add_paragraph(annex)
    doctable.write_inline(doc, [str(h) for h in headers], texts, fills, bold_rows)
    for text in notes:
        doctable.note(doc, text)


def add_annex_group(doc, title: str, heading: str, headers, rows, **options) -> None:
    """One more table in the 附件 titled `title` (created on first use), under `heading`:
    a 附件 of several tables, e.g. one per indicator."""
    layout = gongwen.layout_of(doc)
    annex = next((a for a in layout.annexes if a.title == title), None)
    if annex is None:
        annex = Annex(title, [], [])
        layout.annexes.append(annex)
    decimals = options.pop("decimals", 1)
    texts = [[fmt(v, decimals) for v in row] for row in rows]
    annex.groups.append((heading, [list(headers), *texts], options))


def _write_annex(doc, annex: Annex, width_mm: float) -> None:
    if annex.headers:
        doctable.write(doc, annex.headers, annex.rows, width_mm, **annex.options)
        for text in annex.notes:
            doctable.note(doc, text)
    for heading, table, options in annex.groups:
        para = gongwen.styled(doc.add_paragraph(heading), gongwen.HEADING2_STYLE_ID)
        para.paragraph_format.first_line_indent = Pt(0)
        notes = options.get("notes", ())
        doctable.write(
            doc,
            table[0],
            table[1:],
            width_mm,
            options.get("fills", ()),
            options.get("bold_rows", ()),
        )
        for text in notes:
            doctable.note(doc, text)


def shade_cell(cell, color: str) -> None:
    """Fill a docx table cell with a hex colour (python-docx has no API for it)."""
    doctable.shade(cell, color)


@never_raises
def fmt(value: object, decimals: int = 1) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{round_half_up(value):.{decimals}f}" if decimals == 1 else f"{value:.{decimals}f}"
    return str(value)


def document_bytes(doc) -> bytes:
    """The document, with its closing parts and 附件 written first (once)."""
    gongwen.finish(doc, _write_annex)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def download(data: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
