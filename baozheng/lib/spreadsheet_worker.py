"""Reading one spreadsheet in a child process that may die without harming its parent.

The Excel reader (calamine, in Rust) allocates the sheet's whole rectangle before it
returns anything, and aborts the process when that allocation fails: a 5 KB file with one
cell at XFD1048576 asks for 512 GB. No Python code can catch an abort, so the parsing runs
here, in a child process (`baozheng.lib.tabular.open_table` starts it) under an
address-space and CPU limit; a file that breaks the limit kills only the child.

Protocol: the file's bytes on stdin; on stdout a stream of `marshal` records. The first is
the sheet's height (an int) when the sheet is read, or the Chinese reason (a str) when it
is refused (exit status `REFUSED`). Then the rows (lists of text cells) follow in chunks of
`CHUNK_ROWS` rows, so that the parent holds one chunk at a time, and `None` ends the
stream (exit 0). This module imports neither Django nor the rest of the product, so the
child starts in milliseconds.
"""

from __future__ import annotations

import io
import marshal
import resource
import sys
from collections.abc import Iterator
from typing import Any

# The bounds of one import file. They are documented in README (导入格式) and docs/stats.md;
# a change here is a change of the published limits.
MAX_ROWS = 1_048_576  # the most rows Excel itself can hold in one sheet
MAX_COLUMNS = 1_000
MAX_CELLS = 20_000_000  # rows × columns of the used rectangle (a 1-million-row, 5-column file fits)
MAX_CELL_CHARS = 32_767  # the most characters Excel can hold in one cell
MEMORY_LIMIT_BYTES = 1536 * 1024 * 1024  # address space of the reading child process
CPU_SECONDS = 120
CHUNK_ROWS = 20_000

REFUSED = 3


def cell_text(value: object) -> str:
    """One spreadsheet cell as the text a user typed (whole floats without '.0', dates as ISO)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat") and not isinstance(value, str):
        return value.isoformat()[:10]
    return str(value).strip()


def shape_error(height: int, width: int) -> str | None:
    """The Chinese reason a sheet of this size is refused, or None when it is within bounds."""
    if height > MAX_ROWS:
        return f"文件行数超过上限：最多 {MAX_ROWS:,} 行，本文件 {height:,} 行"
    if width > MAX_COLUMNS:
        return f"文件列数超过上限：最多 {MAX_COLUMNS:,} 列，本文件 {width:,} 列"
    if height * width > MAX_CELLS:
        return f"文件单元格数超过上限：最多 {MAX_CELLS:,} 个（行数 × 列数），本文件 {height * width:,} 个"
    return None


def open_sheet(data: bytes) -> Any:
    """The first sheet, its size checked; raises ValueError with a Chinese reason."""
    from python_calamine import CalamineWorkbook

    try:
        sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0)
    except Exception as exc:  # calamine raises its own error types for broken files
        raise ValueError(f"无法读取 Excel 文件：{exc}") from None
    reason = shape_error(sheet.height, sheet.width)
    if reason:
        raise ValueError(reason)
    return sheet


def sheet_rows(sheet: Any) -> Iterator[list[str]]:
    """Every row from the sheet's first row, every cell from column A, as text. calamine
    starts its rows at row 1 but its cells at the used range's first column, so the
    columns before it are put back: row and column numbers are the ones Excel shows."""
    pad = [""] * (sheet.start[1] if sheet.start else 0)
    # calamine itself never returns more than Excel's 32,767 characters in a cell
    for row in sheet.iter_rows():
        yield [*pad, *map(cell_text, row)]


def main() -> int:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT_BYTES, MEMORY_LIMIT_BYTES))
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))
    data = sys.stdin.buffer.read()
    out = sys.stdout.buffer
    try:
        sheet = open_sheet(data)
    except ValueError as exc:
        marshal.dump(str(exc), out)
        return REFUSED
    except MemoryError:
        return 1
    del data
    marshal.dump(sheet.height, out)
    chunk: list[list[str]] = []
    try:
        for row in sheet_rows(sheet):
            chunk.append(row)
            if len(chunk) == CHUNK_ROWS:
                marshal.dump(chunk, out)
                chunk = []
    except MemoryError:
        return 1
    if chunk:
        marshal.dump(chunk, out)
    marshal.dump(None, out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
