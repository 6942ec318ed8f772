"""The guarded reader hands a file over in chunks of rows: a CSV decoded as it is read, a
spreadsheet through a pipe from its limited child process, with the row and column
numbers the user sees and every limit still named in Chinese."""

from __future__ import annotations

import io
from unittest import mock

import openpyxl
import pytest

from baozheng.lib import spreadsheet_worker
from baozheng.lib.tabular import ImportFileError, open_table, read_table


def xlsx(rows: list[list[object]] | None = None, cells: dict[str, object] | None = None) -> bytes:
    wb = openpyxl.Workbook()
    for row in rows or []:
        wb.active.append(row)
    for where, value in (cells or {}).items():
        wb.active[where] = value
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_a_csv_comes_in_chunks_of_the_size_asked() -> None:
    data = ("a,b\n" + "".join(f"{n},x\n" for n in range(25))).encode()
    table = open_table(data, "f.csv", chunk_rows=10)
    assert table.lines == 26
    assert [len(chunk) for chunk in table] == [10, 10, 6]


def test_a_gb18030_csv_is_decoded_as_it_is_read() -> None:
    data = "编码,名称\nA1,宛城区\n".encode("gb18030")
    assert read_table(data, "f.csv") == [["编码", "名称"], ["A1", "宛城区"]]


def test_a_row_limit_broken_late_in_the_file_names_the_whole_files_rows() -> None:
    data = ("a\n" + "1\n" * 24).encode()
    with (
        mock.patch.object(spreadsheet_worker, "MAX_ROWS", 10),
        pytest.raises(ImportFileError, match="最多 10 行，本文件 25 行"),
    ):
        list(open_table(data, "f.csv", chunk_rows=5))


def test_a_spreadsheet_keeps_its_empty_first_rows_and_columns() -> None:
    assert read_table(xlsx(cells={"B3": "x", "C4": 2.5}), "f.xlsx") == [
        ["", "", ""],
        ["", "", ""],
        ["", "x", ""],
        ["", "", "2.5"],
    ]


def test_a_long_spreadsheet_comes_through_the_pipe_in_chunks() -> None:
    rows = [["编码", "数值"], *([f"A{n}", n] for n in range(spreadsheet_worker.CHUNK_ROWS + 5))]
    table = open_table(xlsx(rows), "f.xlsx")
    assert table.lines == len(rows)
    chunks = list(table)
    assert [len(chunk) for chunk in chunks] == [spreadsheet_worker.CHUNK_ROWS, 6]
    assert chunks[1][-1] == [f"A{len(rows) - 2}", str(len(rows) - 2)]


def test_a_spreadsheet_refused_by_the_child_gets_its_chinese_reason() -> None:
    with pytest.raises(ImportFileError, match="无法读取 Excel 文件"):
        open_table(b"not a workbook", "f.xlsx")
