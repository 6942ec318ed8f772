"""Reading import files (CSV or XLSX, Chinese or English headers) and reporting row errors.

Every import in the product follows one contract (README, 导入格式): every row is
validated and every problem reported as (row, column, message in Chinese); a file with any
error changes nothing; a dry run reports exactly what a real import would; re-importing
the same file changes nothing. This module holds the reading (in chunks of rows, so that
memory does not grow with the file), the report, and the skeleton every importer follows
(`Importer`: parse, check, plan, dry run, commit in one transaction); each app's importer
holds only its rules.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from operator import attrgetter
from typing import Generic, TypeVar

import numpy as np
from django.db import transaction
from django.db.models import Model

from baozheng.lib import progress
from baozheng.lib.reader import (  # the reading, imported from here by every importer
    CHUNK_ROWS,
    Column,
    ImportFileError,
    Row,
    RowChunks,
    RowList,
    open_table,
    read_rows,
    read_table,
)

__all__ = ["Column", "ImportFileError", "Row", "RowList", "open_table", "read_rows", "read_table"]


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
    leaves nothing either; a concurrent import's insert of the same new key refuses the
    file, `conflicts_refused`). A dry run plans and counts and writes nothing; `record` keeps
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
                with conflicts_refused(), transaction.atomic():
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
