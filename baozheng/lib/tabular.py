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
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from operator import itemgetter
from pathlib import Path

from python_calamine import CalamineWorkbook

from baozheng.lib import progress


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


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat") and not isinstance(value, str):
        return value.isoformat()[:10]
    return str(value).strip()


def _raw_rows(data: bytes, name: str) -> list[list[str]]:
    suffix = Path(name).suffix.lower()
    if suffix in (".xlsx", ".xlsm", ".xls", ".ods"):
        try:
            sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0)
        except Exception as exc:  # calamine raises its own error types for broken files
            raise ImportFileError(f"无法读取 Excel 文件：{exc}") from None
        return [[_cell(v) for v in row] for row in sheet.to_python(skip_empty_area=False)]
    if suffix in (".csv", ".txt", ""):
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise ImportFileError("无法识别文件编码，请另存为 UTF-8 编码的 CSV")
        strip = str.strip
        return [list(map(strip, row)) for row in csv.reader(io.StringIO(text))]
    raise ImportFileError(f"不支持的文件类型“{suffix}”，请使用 .csv 或 .xlsx")


def read_rows(data: bytes, name: str, columns: Sequence[Column]) -> list[Row]:
    """Rows keyed by column key. Headers match either language, ignoring case and spaces."""
    raw = [r for r in _raw_rows(data, name)]
    while raw and not any(raw[0]):
        raw.pop(0)
    if not raw:
        raise ImportFileError("文件为空")
    header = [h.strip().lower().replace(" ", "") for h in raw[0]]
    positions: dict[str, int] = {}
    for column in columns:
        names = {h.lower().replace(" ", "") for h in column.headers}
        for index, text in enumerate(header):
            if text in names:
                positions[column.key] = index
                break
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


def parse_decimal(text: str) -> Decimal:
    """A number as written in a statistics table: thousands separators and a trailing % allowed."""
    cleaned = text.replace(",", "").replace("，", "").replace("%", "").strip()
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(f"“{text}”不是有效的数字") from None
    if not value.is_finite():
        raise ValueError(f"“{text}”不是有效的数字")
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
    return _raw_rows(data, name)


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
