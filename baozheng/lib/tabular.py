"""Reading import files (CSV or XLSX, Chinese or English headers) and reporting row errors.

Every import in the product follows one contract (README, 导入格式): every row is
validated and every problem reported as (row, column, message in Chinese); a file with any
error changes nothing; a dry run reports exactly what a real import would; re-importing
the same file changes nothing. This module holds the reading and the report; each app's
importer holds its own validation and its write, inside one transaction.
"""

from __future__ import annotations

import codecs
import csv
import gc
import hashlib
import io
import marshal
import subprocess
import sys
import threading
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from itertools import islice
from operator import attrgetter, itemgetter
from pathlib import Path
from typing import Generic, TypeVar

import numpy as np
from django.db import transaction
from django.db.models import Model

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


class Cells:
    """One row's cells parsed one by one: a parser's ValueError becomes the row's error
    in that column ("必填" for an empty cell) and the cell's value None."""

    def __init__(self, row: Row, report: ImportReport) -> None:
        self.row, self.report = row, report
        self.before = len(report.errors)

    def parse(self, key: str, label: str, parse: Callable[[str], T]) -> T | None:
        text = self.row.get(key)
        try:
            return parse(text)
        except ValueError as exc:
            self.report.error(self.row.number, label, str(exc) if text.strip() else "必填")
            return None

    @property
    def failed(self) -> bool:
        """Whether any problem of this row has been reported."""
        return len(self.report.errors) > self.before


T = TypeVar("T")


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


# --- The importer skeleton -------------------------------------------------------------

Item = TypeVar("Item")


@dataclass
class UpsertPlan(Generic[Item]):
    """What one chunk of rows would write: new records, changed ones, and how many are
    already as the file says. `commit` gets it; a dry run only counts it."""

    creates: list[Item] = field(default_factory=list)
    updates: list[Item] = field(default_factory=list)
    unchanged: int = 0


class _Refused(Exception):
    """Raised inside the import's transaction to roll back once a row error is known."""


class Importer(Generic[Item]):
    """The mechanics every import shares; a subclass holds only its domain rules.

    `run` reads the file in chunks (`RowChunks`), and for each chunk: `parse_row` turns
    each row into an item or reports its errors (in Chinese, by row and column); a key
    met twice in the file is an error (`duplicate`); `plan` compares the chunk's items
    with what is stored (one bulk lookup per chunk) into an `UpsertPlan`; `review` may
    refuse planned rows by rules that need the whole chunk; `commit` writes the plan.
    Everything is written in one transaction: a row error anywhere rolls back the chunks
    already written, so any error changes nothing (an importing process killed half-way
    leaves nothing either). A dry run plans and counts and writes nothing; `record` keeps
    the audit event of every attempt. Progress goes to `baozheng.lib.progress` per chunk.
    """

    kind: str = ""
    columns: Sequence[Column] = ()
    chunk_rows = CHUNK_ROWS
    packed_keys = False  # True when `key` is an int below 2**63 (see `_pass`)

    def header(self, keys: list[str]) -> None:
        """Refuse a header whose columns are acceptable one by one but not together."""

    def parse_row(self, row: Row, report: ImportReport) -> Item | None:
        """The row's item, or None once its errors are reported."""
        raise NotImplementedError

    def key(self, item: Item) -> Hashable:
        """What identifies the record the item writes."""
        raise NotImplementedError

    def duplicate(self, key: Hashable, first: int) -> tuple[str, str]:
        """(column, message) for a row whose key was first met on row `first`."""
        return "", f"与第 {first} 行重复"

    def plan(self, items: list[Item], report: ImportReport) -> UpsertPlan:
        raise NotImplementedError

    def review(self, plan: UpsertPlan, report: ImportReport) -> None:
        """The hook for rules over a chunk's planned rows (report errors to refuse)."""

    def commit(self, plan: UpsertPlan, batch: object) -> None:
        raise NotImplementedError

    def record(self, report: ImportReport, batch: object = None) -> object:
        """The audit event: created when `batch` is None, else given the final counts."""
        return None

    def read(self, data: bytes, file_name: str) -> RowChunks | RowList:
        return RowChunks(data, file_name, self.columns, self.chunk_rows)

    def run(self, data: bytes, file_name: str, dry_run: bool = False) -> ImportReport:
        report = ImportReport(self.kind, dry_run=dry_run, file_hash=file_digest(data))
        chunks = self.read(data, file_name)
        if dry_run:
            self._pass(chunks, report, None, write=False)
        else:
            try:
                with transaction.atomic():
                    batch = self.record(report)
                    self._pass(chunks, report, batch, write=True)
                    if report.errors:
                        raise _Refused
                    self.record(report, batch)
            except _Refused:
                pass
        if report.errors:
            report.errors.sort(key=attrgetter("row"))
            report.created = report.updated = report.unchanged = 0
        if report.errors or dry_run:
            self.record(report)
        return report

    def _pass(
        self, chunks: RowChunks | RowList, report: ImportReport, batch: object, write: bool
    ) -> None:
        seen: dict[Hashable, int] = {}
        packed: list[tuple[np.ndarray, np.ndarray]] = []
        for rows in chunks:
            if not report.rows:
                self.header(chunks.keys)
            report.rows += len(rows)
            items = []
            for row in rows:
                item = self.parse_row(row, report)
                if item is None:
                    continue
                key = self.key(item)
                first = seen.setdefault(key, row.number)
                if first != row.number:
                    report.error(row.number, *self.duplicate(key, first))
                    continue
                items.append(item)
            if self.packed_keys:  # the chunk's keys leave the dict for 12 bytes each
                packed.append(
                    (np.fromiter(seen, np.int64, len(seen)), np.fromiter(seen.values(), np.int32))
                )
                seen = {}
            progress.advance("checked", report.rows, chunks.total)
            plan = self.plan(items, report)
            self.review(plan, report)
            report.created += len(plan.creates)
            report.updated += len(plan.updates)
            report.unchanged += plan.unchanged
            if write and not report.errors:
                self.commit(plan, batch)
                progress.advance("written", report.rows, chunks.total)
        for row, first, key in _repeated(packed):
            report.error(row, *self.duplicate(key, first))
        progress.advance("checked", report.rows, report.rows)
        if write and not report.errors:
            progress.advance("written", report.rows, report.rows)


def _repeated(packed: list[tuple[np.ndarray, np.ndarray]]) -> Iterator[tuple[int, int, int]]:
    """(row, first row, key) of every key met again in a later chunk than its first."""
    if len(packed) < 2:
        return
    keys = np.concatenate([keys for keys, _ in packed])
    rows = np.concatenate([rows for _, rows in packed])
    order = np.argsort(keys, kind="stable")  # chunks are in row order: a run starts first
    keys, rows = keys[order], rows[order]
    starts = np.r_[True, keys[1:] != keys[:-1]]
    firsts = rows[np.flatnonzero(starts)][np.cumsum(starts) - 1]
    for index in np.flatnonzero(~starts):
        yield int(rows[index]), int(firsts[index]), int(keys[index])


class ModelImporter(Importer[Model]):
    """An import of model instances matched by `key` against those stored: an instance
    whose `fields` all equal the stored one's is unchanged, else the stored one takes its
    values. For reference data (thousands of rows): what is stored is loaded once."""

    fields: Sequence[str] = ()

    def stored(self) -> Iterable[Model]:
        raise NotImplementedError

    def written(self, instances: list[Model], batch: object) -> None:
        """After each chunk's write: what goes with the instances (their revisions)."""

    def plan(self, items: list[Model], report: ImportReport) -> UpsertPlan:
        if not hasattr(self, "_stored"):
            self._stored = {self.key(instance): instance for instance in self.stored()}
        plan: UpsertPlan[Model] = UpsertPlan()
        for item in items:
            current = self._stored.get(self.key(item))
            if current is None:
                plan.creates.append(item)
            elif all(getattr(current, f) == getattr(item, f) for f in self.fields):
                plan.unchanged += 1
            else:
                for name in self.fields:
                    setattr(current, name, getattr(item, name))
                plan.updates.append(current)
        return plan

    def commit(self, plan: UpsertPlan, batch: object) -> None:
        if not plan.creates and not plan.updates:
            return
        model = type((plan.creates or plan.updates)[0])
        model._default_manager.bulk_create(plan.creates)
        model._default_manager.bulk_update(plan.updates, self.fields)
        self.written([*plan.creates, *plan.updates], batch)
