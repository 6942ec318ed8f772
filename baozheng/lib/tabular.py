"""Reading import files (CSV or XLSX, Chinese or English headers) and reporting row errors.

Every import in the product follows one contract (README, 导入格式): every row is
validated and every problem reported as (row, column, message in Chinese); a file with any
error changes nothing; a dry run reports exactly what a real import would; re-importing
the same file changes nothing. This module holds the reading and the report; each app's
importer holds its own validation and its write, inside one transaction.
"""

from __future__ import annotations

import csv
import gc
import hashlib
import io
import marshal
import subprocess
import sys
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from operator import itemgetter
from pathlib import Path

from baozheng.lib import progress
from baozheng.lib.spreadsheet_worker import (
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


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"第 {self.row} 行" if self.row else "文件"
        col = f"“{self.column}”列" if self.column else ""
        return f"{where}{col}：{self.message}"


@dataclass
class ImportReport:
    """What an import did, or would do in a dry run."""

    kind: str
    dry_run: bool = False
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    file_hash: str = ""

    @property
    def ok(self) -> bool:
        return not self.errors

    def error(self, row: int, column: str, message: str) -> None:
        self.errors.append(RowError(row, column, message))

    def summary(self) -> str:
        if self.errors:
            return f"导入失败：发现 {len(self.errors)} 处错误，未做任何修改。"
        verb = "试导入（未保存）" if self.dry_run else "导入完成"
        return f"{verb}：共 {self.rows} 行，新增 {self.created}，更新 {self.updated}，未变 {self.unchanged}。"


def file_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


MAX_EXPONENT = 30  # no figure in the product is near 10**30 or 10**-30
MAX_FILE_BYTES = 100 * 1024 * 1024
SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
LIMITS_TEXT = (
    f"最多 {MAX_ROWS:,} 行、{MAX_COLUMNS:,} 列、共 {MAX_CELLS:,} 个单元格，"
    f"读取时内存不超过 {MEMORY_LIMIT_BYTES // 1024 // 1024:,} MB"
)


def _read_spreadsheet_guarded(data: bytes) -> list[list[str]]:
    """The spreadsheet parsed in a limited child process (see `spreadsheet_worker`)."""
    command = [sys.executable, "-I", str(Path(__file__).with_name("spreadsheet_worker.py"))]
    env = {"RUST_BACKTRACE": "0"}
    try:
        done = subprocess.run(
            command,
            input=data,
            capture_output=True,
            timeout=CPU_SECONDS * 2,
            env=env,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise ImportFileError(f"读取 Excel 文件超时（上限 {CPU_SECONDS} 秒）") from None
    if done.returncode == 0:
        return marshal.loads(done.stdout)
    if done.returncode == REFUSED:
        raise ImportFileError(done.stdout.decode("utf-8", "replace"))
    raise ImportFileError(
        f"Excel 文件超出读取上限（{LIMITS_TEXT}），请检查表格中是否有远处的空白单元格"
    )


def _csv_rows(data: bytes) -> list[list[str]]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ImportFileError("无法识别文件编码，请另存为 UTF-8 编码的 CSV")
    if "\x00" in text:
        raise ImportFileError("无法识别文件编码（含空字符），请另存为 UTF-8 编码的 CSV")
    strip = str.strip
    reader = csv.reader(io.StringIO(text))
    try:  # the field size limit (set above) bounds every cell to MAX_CELL_CHARS
        rows = [list(map(strip, row)) for row in reader]
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise ImportFileError(
                f"第 {reader.line_num} 行有单元格超过 {MAX_CELL_CHARS:,} 个字符的上限"
            ) from None
        raise ImportFileError(
            f"第 {reader.line_num} 行无法按 CSV 格式读取（引号或换行不成对）"
        ) from None
    reason = shape_error(len(rows), max(map(len, rows), default=0))
    if reason:
        raise ImportFileError(reason)
    return rows


def read_table(data: bytes, name: str) -> list[list[str]]:
    """Every cell of an import file (CSV, or the first sheet of a spreadsheet) as text.

    This is the one entry point for reading an uploaded or imported file: the file's size,
    rows, columns, cells and cell length are bounded (the limits above, named in the
    Chinese error), and spreadsheets are parsed in a child process under a memory and CPU
    limit, so that no file can take down the web worker or the job that reads it. It needs
    no request, so a background job can call it as well as a view or a command.
    """
    if len(data) > MAX_FILE_BYTES:
        raise ImportFileError(f"文件过大：最多 {MAX_FILE_BYTES // 1024 // 1024} MB")
    suffix = Path(name).suffix.lower()
    if suffix in SPREADSHEET_SUFFIXES:
        return _read_spreadsheet_guarded(data)
    if suffix in (".csv", ".txt", ""):
        return _csv_rows(data)
    raise ImportFileError(f"不支持的文件类型“{suffix}”，请使用 .csv 或 .xlsx")


def read_rows(data: bytes, name: str, columns: Sequence[Column]) -> list[Row]:
    """Rows keyed by column key. Headers match either language, ignoring case and spaces."""
    raw = read_table(data, name)
    while raw and not any(raw[0]):
        raw.pop(0)
    if not raw:
        raise ImportFileError("文件为空")
    header = [h.strip().lower().replace(" ", "") for h in raw[0]]
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
                f"表头中“{raw[0][same[0]].strip()}”列重复（第 {letters} 列），请只保留一列"
            )
        if found:
            positions[column.key] = found[0]
        else:
            if column.required:
                raise ImportFileError(
                    f"缺少必需的列“{column.headers[-1]}”（或“{column.headers[0]}”）"
                )
    keys = list(positions)
    width = max(positions.values(), default=-1) + 1
    pick = (
        itemgetter(*positions.values()) if len(keys) > 1 else (lambda v: (v[positions[keys[0]]],))
    )
    rows = []
    for offset, values in enumerate(raw[1:], start=2):
        if not any(values):
            continue
        if len(values) < width:
            values = values + [""] * (width - len(values))
        rows.append(Row(offset, dict(zip(keys, pick(values), strict=True)) if keys else {}))
    progress.advance("read", len(rows), len(rows))
    return rows


def _column_letter(index: int) -> str:
    """The spreadsheet letter of a 0-based column index (0 → A, 26 → AA)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def parse_decimal(text: str) -> Decimal:
    """A number as written in a statistics table: thousands separators and a trailing % allowed."""
    cleaned = text.replace(",", "").replace("，", "").replace("%", "").strip()
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(f"“{text}”不是有效的数字") from None
    if not value.is_finite():
        raise ValueError(f"“{text}”不是有效的数字")
    if value and not -MAX_EXPONENT <= value.adjusted() <= MAX_EXPONENT:
        # 1e999999999 is a valid Decimal whose abs() or quantize() overflows later
        raise ValueError(f"“{text[:40]}”数值超出范围")
    return value


YES = {"yes", "y", "true", "1", "是", "√"}
NO = {"no", "n", "false", "0", "否", "×"}


def parse_bool(text: str) -> bool:
    value = text.strip().lower()
    if value in YES:
        return True
    if value in NO:
        return False
    raise ValueError(f"“{text}”应为 是/否（yes/no）")


def match_one(text: str, candidates: Iterable[tuple[str, str]], what: str) -> str:
    """Resolve a code or an exact name to one code; the error lists the candidates."""
    text = text.strip()
    pairs = list(candidates)
    by_code = [code for code, _ in pairs if code == text]
    if by_code:
        return by_code[0]
    by_name = [code for code, name in pairs if name == text]
    if len(by_name) == 1:
        return by_name[0]
    if len(by_name) > 1:
        raise ValueError(
            f"{what}名称“{text}”对应多个{what}（编码 {'、'.join(by_name)}），请改用编码"
        )
    close = [
        f"{name}（{code}）" for code, name in pairs if text and (text in name or name in text)
    ][:5]
    hint = f"，是否指：{'、'.join(close)}" if close else ""
    raise ValueError(f"找不到{what}“{text}”{hint}")


def read_grid(data: bytes, name: str) -> list[list[str]]:
    """Every cell as text, row by row, for layouts whose headers are not fixed (the wide
    tables statistics offices publish: a title, then a header row somewhere below)."""
    return read_table(data, name)


CONFLICT_MESSAGE = "导入期间同一批数据被另一个操作修改（可能有另一个导入同时进行），本次未做任何修改，请稍后重新导入"


@contextmanager
def conflicts_refused() -> Iterator[None]:
    """Turn a uniqueness conflict met while writing an import into a file-level refusal.

    An importer plans its inserts from what it read before its write transaction; another
    import of the same new keys that commits in between makes the insert fail. The
    transaction rolls back (nothing changed) and the user gets a Chinese message instead of
    a traceback.
    """
    from django.db import IntegrityError

    try:
        yield
    except IntegrityError:
        raise ImportFileError(CONFLICT_MESSAGE) from None


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a file is imported.

    A million-row file becomes millions of rows, cells and tuples that all stay
    alive until the import ends and form no reference cycles; the collector
    would still walk all of them in every full collection, several times over
    (about a quarter of a million-row import's CPU time).  Reference counting still
    frees everything as usual; the collector resumes, if it was on, at the end.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
