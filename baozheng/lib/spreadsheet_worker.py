"""Reading one spreadsheet in a child process that may die without harming its parent.

The Excel reader (calamine, in Rust) allocates the sheet's whole rectangle before it
returns anything, and aborts the process when that allocation fails: a 5 KB file with one
cell at XFD1048576 asks for 512 GB. No Python code can catch an abort, so the parsing runs
here, in a child process (`baozheng.lib.tabular.read_table` starts it) under an
address-space and CPU limit; a file that breaks the limit kills only the child.

Protocol: the file's bytes on stdin. On success the
child writes the rows (lists of text cells) as `marshal` data to stdout and exits 0; a
file it refuses gets exit status `REFUSED` and the Chinese reason on stdout. This module
imports neither Django nor the rest of the product, so the child starts in milliseconds.
"""

from __future__ import annotations

import io
import marshal
import resource
import sys

# The bounds of one import file. They are documented in README (导入格式) and docs/stats.md;
# a change here is a change of the published limits.
MAX_ROWS = 1_048_576  # the most rows Excel itself can hold in one sheet
MAX_COLUMNS = 1_000
MAX_CELLS = 20_000_000  # rows × columns of the used rectangle (a 1-million-row, 5-column file fits)
MAX_CELL_CHARS = 32_767  # the most characters Excel can hold in one cell
MEMORY_LIMIT_BYTES = 1536 * 1024 * 1024  # address space of the reading child process
CPU_SECONDS = 120

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


def read_spreadsheet(data: bytes) -> list[list[str]]:
    """Every cell of the first sheet as text; raises ValueError with a Chinese reason."""
    from python_calamine import CalamineWorkbook

    try:
        sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0)
    except Exception as exc:  # calamine raises its own error types for broken files
        raise ValueError(f"无法读取 Excel 文件：{exc}") from None
    reason = shape_error(sheet.height, sheet.width)
    if reason:
        raise ValueError(reason)
    # calamine itself never returns more than Excel's 32,767 characters in a cell
    return [[cell_text(v) for v in row] for row in sheet.to_python(skip_empty_area=False)]


def main() -> int:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT_BYTES, MEMORY_LIMIT_BYTES))
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))
    data = sys.stdin.buffer.read()
    try:
        rows = read_spreadsheet(data)
    except ValueError as exc:
        sys.stdout.buffer.write(str(exc).encode())
        return REFUSED
    except MemoryError:
        return 1
    sys.stdout.buffer.write(marshal.dumps(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
