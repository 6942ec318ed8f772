"""Reading import files (CSV or XLSX, Chinese or English headers) in chunks of rows.

The one way an import file is read (`open_table`, `RowChunks`): its size, rows, columns,
cells and cell length are bounded and named in the Chinese refusal; spreadsheets are parsed
in a child process under a memory and CPU limit (`spreadsheet_worker`); and the rows come
a chunk at a time, so that the reading process holds one chunk of cells, not the file's.
The importer skeleton that consumes them is `baozheng.lib.tabular`.
"""

from __future__ import annotations

import codecs
import csv
import io
import marshal
import subprocess
import sys
import threading
from collections.abc import Iterator, Sequence
from contextlib import suppress
from dataclasses import dataclass
from itertools import islice
from operator import itemgetter
from pathlib import Path

from baozheng.lib import progress
from baozheng.lib.spreadsheet_worker import (
    CHUNK_ROWS,
    CPU_SECONDS,
    MAX_CELL_CHARS,
    MAX_CELLS,
    MAX_COLUMNS,
    MAX_ROWS,
    MEMORY_LIMIT_BYTES,
    REFUSED,
    shape_error,
)

csv.field_size_limit(MAX_CELL_CHARS)


class ImportFileError(Exception):
    """The file as a whole cannot be read (format, encoding, missing required columns)."""


@dataclass(frozen=True)
class Column:
    """One column of an import format: its key, accepted header names, required or not."""

    key: str
    headers: tuple[str, ...]
    required: bool = True


@dataclass
class Row:
    number: int  # the row number a user sees in Excel (header is row 1)
    values: dict[str, str]

    def get(self, key: str) -> str:
        return self.values.get(key, "")


MAX_FILE_BYTES = 100 * 1024 * 1024
SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
LIMITS_TEXT = (
    f"最多 {MAX_ROWS:,} 行、{MAX_COLUMNS:,} 列、共 {MAX_CELLS:,} 个单元格，"
    f"读取时内存不超过 {MEMORY_LIMIT_BYTES // 1024 // 1024:,} MB"
)


class Table:
    """An import file's rows, read in chunks of at most `chunk_rows` rows so that no more
    than one chunk of cells is held at a time. `lines` is the file's row count as far as it
    is known before reading (the spreadsheet's height, the CSV's line breaks), for progress."""

    def __init__(self, chunks: Iterator[list[list[str]]], lines: int) -> None:
        self._chunks = chunks
        self.lines = lines

    def __iter__(self) -> Iterator[list[list[str]]]:
        return self._chunks


class _Child:
    """The spreadsheet worker (see `spreadsheet_worker`): the file's bytes in, marshal
    records out through a pipe, killed after twice its CPU limit in wall time."""

    def __init__(self, data: bytes) -> None:
        command = [sys.executable, "-I", str(Path(__file__).with_name("spreadsheet_worker.py"))]
        self.process = subprocess.Popen(
            command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env={"RUST_BACKTRACE": "0"},
        )
        self.timed_out = threading.Event()
        self.timer = threading.Timer(CPU_SECONDS * 2, self._expire)
        self.timer.daemon = True  # never keeps the process alive (a table never read)
        self.timer.start()
        stdin = self.process.stdin
        assert stdin is not None
        with suppress(BrokenPipeError):  # a child that refuses or dies stops reading
            stdin.write(data)
        with suppress(BrokenPipeError):
            stdin.close()

    def _expire(self) -> None:
        self.timed_out.set()
        self.process.kill()

    def record(self) -> object:
        """The next marshal record, or `_END` when the child's output stops short."""
        try:
            return marshal.load(self.process.stdout)  # type: ignore[arg-type]
        except (EOFError, ValueError, TypeError):
            return _END

    def stop(self, finished: bool = False) -> int:
        """The child's exit status; one that has not `finished` its output is killed."""
        if finished:
            with suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=CPU_SECONDS)
        self.timer.cancel()
        if self.process.poll() is None:
            self.process.kill()
        code = self.process.wait()
        if self.process.stdout is not None:
            self.process.stdout.close()
        return code

    def failure(self) -> ImportFileError:
        if self.timed_out.is_set():
            return ImportFileError(f"读取 Excel 文件超时（上限 {CPU_SECONDS} 秒）")
        return ImportFileError(
            f"Excel 文件超出读取上限（{LIMITS_TEXT}），请检查表格中是否有远处的空白单元格"
        )

    def chunks(self) -> Iterator[list[list[str]]]:
        finished = False
        try:
            while (record := self.record()) is not None:
                if not isinstance(record, list):
                    raise self.failure()
                yield record
            finished = True
        finally:
            self.stop(finished)


_END = object()


def _spreadsheet_chunks(data: bytes) -> Table:
    """The spreadsheet parsed in a limited child process, its rows coming through a pipe
    chunk by chunk."""
    child = _Child(data)
    try:
        first = child.record()
    except BaseException:
        child.stop()
        raise
    if isinstance(first, int):
        return Table(child.chunks(), first)
    code = child.stop(finished=True)
    if isinstance(first, str) and code == REFUSED:
        raise ImportFileError(first)
    raise child.failure()


def _csv_text(data: bytes) -> io.TextIOBase:
    """The CSV's text as a stream (UTF-8, else GB18030), decoded as it is read: the
    encoding is settled by one pass of an incremental decoder, which holds no copy."""
    if b"\x00" in data:
        raise ImportFileError("无法识别文件编码（含空字符），请另存为 UTF-8 编码的 CSV")
    for encoding in ("utf-8-sig", "gb18030"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            for start in range(0, len(data), 1 << 20):
                decoder.decode(data[start : start + (1 << 20)])
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        return io.TextIOWrapper(io.BytesIO(data), encoding=encoding, newline="")
    raise ImportFileError("无法识别文件编码，请另存为 UTF-8 编码的 CSV")


def _csv_chunks(data: bytes, chunk_rows: int) -> Table:
    text = _csv_text(data)
    return Table(_csv_rows(text, chunk_rows), data.count(b"\n") + (not data.endswith(b"\n")))


def _csv_rows(text: io.TextIOBase, chunk_rows: int) -> Iterator[list[list[str]]]:
    strip = str.strip
    reader = csv.reader(text)
    height = width = 0
    try:  # the field size limit (set above) bounds every cell to MAX_CELL_CHARS
        while chunk := [list(map(strip, row)) for row in islice(reader, chunk_rows)]:
            height += len(chunk)
            width = max(width, *map(len, chunk))
            if shape_error(height, width):
                for row in reader:  # the whole file's size, for the message
                    height, width = height + 1, max(width, len(row))
                raise ImportFileError(shape_error(height, width))
            yield chunk
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise ImportFileError(
                f"第 {reader.line_num} 行有单元格超过 {MAX_CELL_CHARS:,} 个字符的上限"
            ) from None
        raise ImportFileError(
            f"第 {reader.line_num} 行无法按 CSV 格式读取（引号或换行不成对）"
        ) from None


def open_table(data: bytes, name: str, chunk_rows: int = CHUNK_ROWS) -> Table:
    """Every cell of an import file (CSV, or the first sheet of a spreadsheet) as text,
    in chunks of rows.

    This is the one entry point for reading an uploaded or imported file: the file's size,
    rows, columns, cells and cell length are bounded (the limits above, named in the
    Chinese error), and spreadsheets are parsed in a child process under a memory and CPU
    limit, so that no file can take down the web worker or the job that reads it. It needs
    no request, so a background job can call it as well as a view or a command. A limit
    broken late in a file raises while its chunks are read.
    """
    if len(data) > MAX_FILE_BYTES:
        raise ImportFileError(f"文件过大：最多 {MAX_FILE_BYTES // 1024 // 1024} MB")
    suffix = Path(name).suffix.lower()
    if suffix in SPREADSHEET_SUFFIXES:
        return _spreadsheet_chunks(data)
    if suffix in (".csv", ".txt", ""):
        return _csv_chunks(data, chunk_rows)
    raise ImportFileError(f"不支持的文件类型“{suffix}”，请使用 .csv 或 .xlsx")


def read_table(data: bytes, name: str) -> list[list[str]]:
    """Every cell of an import file at once (`open_table`), for files read as a whole."""
    return [row for chunk in open_table(data, name) for row in chunk]


def _header(raw: list[str], columns: Sequence[Column]) -> dict[str, int]:
    """The position of each column found in the header row. Headers match either
    language, ignoring case and spaces."""
    header = [h.strip().lower().replace(" ", "") for h in raw]
    positions: dict[str, int] = {}
    for column in columns:
        names = {h.lower().replace(" ", "") for h in column.headers}
        found = [index for index, text in enumerate(header) if text in names]
        same = [i for i in found if found and header[i] == header[found[0]]]
        if len(same) > 1:
            # two 累计值 columns: which one is meant cannot be guessed, so neither is used
            # (指标编码 beside 指标名称 is fine: the first named form is read, as documented)
            letters = "、".join(_column_letter(i) for i in same)
            raise ImportFileError(
                f"表头中“{raw[same[0]].strip()}”列重复（第 {letters} 列），请只保留一列"
            )
        if found:
            positions[column.key] = found[0]
        elif column.required:
            raise ImportFileError(f"缺少必需的列“{column.headers[-1]}”（或“{column.headers[0]}”）")
    return positions


class RowChunks:
    """The rows of an import file keyed by column key, chunk by chunk (`open_table`);
    `keys` are the columns the header has, known once the first chunk is read."""

    def __init__(self, data: bytes, name: str, columns: Sequence[Column], chunk_rows: int) -> None:
        self.table = open_table(data, name, chunk_rows)
        self.columns = columns
        self.keys: list[str] = []
        self.rows = 0  # rows read so far (empty rows skipped)

    @property
    def total(self) -> int:
        """The rows expected, for progress (exact once every chunk is read)."""
        return max(self.rows, self.table.lines - 1)

    def __iter__(self) -> Iterator[list[Row]]:
        chunks = iter(self.table)
        number = 1
        raw: list[list[str]] = []
        for raw in chunks:
            while raw and not any(raw[0]):
                raw.pop(0)
                number += 1
            if raw:
                break
        if not raw:
            raise ImportFileError("文件为空")
        positions = _header(raw[0], self.columns)
        self.keys = keys = list(positions)
        width = max(positions.values(), default=-1) + 1
        pick = (
            itemgetter(*positions.values())
            if len(keys) > 1
            else (lambda v: (v[positions[keys[0]]],))
        )
        body = raw[1:]
        number += 1
        while True:
            rows = []
            for offset, values in enumerate(body, start=number):
                if not any(values):
                    continue
                if len(values) < width:
                    values = values + [""] * (width - len(values))
                rows.append(Row(offset, dict(zip(keys, pick(values), strict=True)) if keys else {}))
            number += len(body)
            self.rows += len(rows)
            progress.advance("read", self.rows, self.total)
            if rows:
                yield rows
            body = next(chunks, None)
            if body is None:
                return


class RowList:
    """Rows already in memory (a layout an importer reshapes itself), as one chunk."""

    def __init__(self, rows: list[Row], keys: list[str]) -> None:
        self.rows = rows
        self.keys = keys
        self.total = len(rows)

    def __iter__(self) -> Iterator[list[Row]]:
        progress.advance("read", self.total, self.total)
        if self.rows:
            yield self.rows


def read_rows(data: bytes, name: str, columns: Sequence[Column]) -> list[Row]:
    """Every row at once, keyed by column key (`RowChunks`), for the small files of the
    reference-data importers."""
    return [row for chunk in RowChunks(data, name, columns, CHUNK_ROWS) for row in chunk]


def _column_letter(index: int) -> str:
    """The spreadsheet letter of a 0-based column index (0 → A, 26 → AA)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
