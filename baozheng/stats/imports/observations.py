"""Import of observations: the long layout (indicator, unit, period, value, growth) and
the wide layout statistics offices publish (unit, 累计值, 增长(%) for one indicator and
period). Rules (docs/stats.md): every row validated; any error changes nothing; an empty
cell is "not supplied", "-" clears; a changed figure becomes a new revision; the command
line and approvers write approved revisions, clerks submitted ones; a locked figure
changes only with a reason. Written with plain executemany (see `bulk`): one million rows
must import in well under 30 s on SQLite.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from baozheng.analysis.periods import Period, is_released
from baozheng.lib.tabular import Column, ImportFileError, ImportReport, Row, file_digest, read_rows
from baozheng.org.models import Unit
from baozheng.org.roles import Cap
from baozheng.stats.imports import bulk
from baozheng.stats.imports.context import (
    NOT_SUPPLIED,
    Cell,
    ImportContext,
    failed,
    parse_figure,
    record_batch,
)
from baozheng.stats.models import (
    FINAL_STATUSES,
    GROWTH_DIGITS,
    VALUE_DIGITS,
    Frequency,
    Indicator,
    Observation,
    ObservationRevision,
    Status,
)
from baozheng.stats.workflow import can_approve

COLUMNS = (
    Column("indicator", ("indicator", "指标", "指标编码", "指标名称")),
    Column("unit", ("unit", "地区", "地区编码", "单位")),
    Column("period", ("period", "期间")),
    Column("value", ("value", "累计值"), required=False),
    Column("growth", ("growth", "同比增长(%)", "同比增长（%）", "同比增长"), required=False),
)
FREQUENCY_WORDS = {Frequency.MONTHLY: "月度", Frequency.QUARTERLY: "季度", Frequency.YEARLY: "年度"}
OBS_FIELDS = ("status", "value", "growth", "pending_value", "pending_growth", "has_approved",
              "source", "note", "updated_at", "updated_by")
Key = tuple[int, int, int, int]


@dataclass(slots=True)
class Line:
    row: int
    indicator: Indicator
    unit: Unit
    year: int
    month: int
    value: Cell
    growth: Cell

    @property
    def key(self) -> Key:
        return (self.indicator.pk, self.unit.pk, self.year, self.month)


def import_observations(data: bytes, file_name: str, ctx: ImportContext, dry_run: bool = False) -> ImportReport:
    rows = read_rows(data, file_name, COLUMNS)
    if rows and "value" not in rows[0].values and "growth" not in rows[0].values:
        raise ImportFileError("缺少“累计值”（value）或“同比增长(%)”（growth）列，至少需要其一")
    report = ImportReport("observations", dry_run=dry_run, file_hash=file_digest(data))
    return apply_lines(parse_lines(rows, ctx, report), ctx, report, file_name)


def _period(text: str, cache: dict[str, Period | str]) -> Period:
    found = cache.get(text)
    if found is None:
        try:
            found = Period.parse(text)
        except ValueError as exc:
            found = str(exc)
        cache[text] = found
    if isinstance(found, str):
        raise ValueError(found)
    return found


def parse_lines(rows: list[Row], ctx: ImportContext, report: ImportReport) -> list[Line]:
    """Validate every row; the lines returned are those without an error."""
    if not ctx.may(Cap.ENTER):
        raise PermissionDenied("您没有导入数据的权限")
    report.rows = len(rows)
    periods: dict[str, Period | str] = {}
    seen: dict[Key, int] = {}
    lines = []
    for row in rows:
        before = len(report.errors)
        indicator = unit = period = None
        value: Cell = NOT_SUPPLIED
        growth: Cell = NOT_SUPPLIED
        for key, label in (("indicator", "指标"), ("unit", "地区"), ("period", "期间")):
            if not row.get(key):
                report.error(row.number, label, "必填")
        try:
            indicator = ctx.indicator(row.get("indicator")) if row.get("indicator") else None
        except ValueError as exc:
            report.error(row.number, "指标", str(exc))
        try:
            unit = ctx.unit(row.get("unit")) if row.get("unit") else None
        except ValueError as exc:
            report.error(row.number, "地区", str(exc))
        try:
            period = _period(row.get("period"), periods) if row.get("period") else None
        except ValueError as exc:
            report.error(row.number, "期间", str(exc))
        try:
            value = parse_figure(row.get("value"), **VALUE_DIGITS)
        except ValueError as exc:
            report.error(row.number, "累计值", str(exc))
        try:
            growth = parse_figure(row.get("growth"), **GROWTH_DIGITS)
        except ValueError as exc:
            report.error(row.number, "同比增长", str(exc))
        if value is NOT_SUPPLIED and growth is NOT_SUPPLIED and len(report.errors) == before:
            report.error(row.number, "累计值", "累计值和同比增长均未填写")
        if indicator is not None:
            if indicator.growth_only and isinstance(value, Decimal):
                report.error(row.number, "累计值", f"“{indicator.name}”为增速类指标，只填同比增长，不填累计值")
            if period is not None and not is_released(period, indicator.frequency, indicator.merged_jan_feb):
                word = FREQUENCY_WORDS.get(indicator.frequency, "")
                report.error(row.number, "期间", f"“{indicator.name}”为{word}指标，{period.label}不发布数据")
        if len(report.errors) > before or indicator is None or unit is None or period is None:
            continue
        line = Line(row.number, indicator, unit, period.year, period.month, value, growth)
        first = seen.setdefault(line.key, row.number)
        if first != row.number:
            report.error(row.number, "期间", f"与第 {first} 行重复（同一指标、地区、期间）")
            continue
        lines.append(line)
    return lines


def _merge(base: tuple, line: Line) -> tuple:
    value = base[0] if line.value is NOT_SUPPLIED else line.value
    growth = base[1] if line.growth is NOT_SUPPLIED else line.growth
    return (value, growth)


def _existing(lines: list[Line]) -> dict[Key, tuple]:
    if not lines:
        return {}
    wanted = {line.key for line in lines}
    queryset = Observation.objects.filter(
        indicator_id__in={k[0] for k in wanted}, unit_id__in={k[1] for k in wanted},
        year__in={k[2] for k in wanted},
    ).values_list("indicator_id", "unit_id", "year", "month", "pk", "status", "value", "growth",
                  "pending_value", "pending_growth", "has_approved")
    return {tuple(row[:4]): row[4:] for row in queryset.iterator(chunk_size=20_000) if tuple(row[:4]) in wanted}


def apply_lines(lines: list[Line], ctx: ImportContext, report: ImportReport, file_name: str) -> ImportReport:
    """Plan every change, then write all of it in one transaction (or nothing)."""
    existing = _existing(lines)
    approver: dict[tuple[int, int], bool] = {}
    source = f"导入：{file_name}"[:100]
    now = bulk.db_datetime(timezone.now())
    user_id = ctx.user.pk if ctx.user else None
    inserts: list[tuple] = []
    new_revisions: list[tuple] = []  # (key, value, growth, status, reason)
    updates: list[tuple] = []
    revisions: list[tuple] = []  # (pk, value, growth, status, reason)
    for line in lines:
        pair = (line.indicator.pk, line.unit.pk)
        approves = approver.get(pair)
        if approves is None:
            approves = ctx.is_operator or can_approve(ctx.user, line.indicator, line.unit)
            approver[pair] = approves
        current = existing.get(line.key)
        if current is None:
            figures = _merge((None, None), line)
            if figures == (None, None):
                report.unchanged += 1
                continue
            status = Status.APPROVED if approves else Status.SUBMITTED
            shown = figures if approves else (None, None)
            pending = (None, None) if approves else figures
            inserts.append((*line.key, status, *shown, *pending, approves, source, "", now, user_id))
            new_revisions.append((line.key, *figures, status, ""))
            report.created += 1
            continue
        pk, status, value, growth, pending_value, pending_growth, has_approved = current
        if approves:
            base = (value, growth)
            figures = _merge(base, line)
            if figures == base:
                report.unchanged += 1
                continue
            if status == Status.LOCKED and not ctx.reason:
                report.error(line.row, "累计值", "该数据已锁定，修改须说明理由（命令行 --reason，或上传页“修改理由”）")
                continue
            new_status = Status.LOCKED if status == Status.LOCKED else Status.APPROVED
            note = ctx.reason if status == Status.LOCKED else ""
            updates.append((new_status, *figures, None, None, True, source, note, now, user_id, pk))
            revisions.append((pk, *figures, new_status, note))
        else:
            if status == Status.LOCKED:
                report.error(line.row, "累计值", "该数据已锁定，不能通过上传修改，请联系审核人员")
                continue
            base = (value, growth) if status in FINAL_STATUSES else (pending_value, pending_growth)
            figures = _merge(base, line)
            if figures == base and status in (Status.SUBMITTED, *FINAL_STATUSES):
                report.unchanged += 1
                continue
            updates.append((Status.SUBMITTED, value, growth, *figures, has_approved, source, "", now,
                            user_id, pk))
            revisions.append((pk, *figures, Status.SUBMITTED, ""))
        report.updated += 1
    if report.errors:
        record_batch(ctx, failed(report), file_name)
        return report
    if report.dry_run:
        record_batch(ctx, report, file_name)
        return report
    with transaction.atomic():
        batch = record_batch(ctx, report, file_name)
        bulk.insert(Observation, ("indicator", "unit", "year", "month", *OBS_FIELDS), inserts)
        bulk.update(Observation, OBS_FIELDS, updates)
        ids = _ids([r[0] for r in new_revisions])
        revision_rows = [(ids[key], v, g, s, source, reason, now, user_id, batch.pk)
                         for key, v, g, s, reason in new_revisions]
        revision_rows += [(pk, v, g, s, source, reason, now, user_id, batch.pk)
                          for pk, v, g, s, reason in revisions]
        bulk.insert(ObservationRevision, ("observation", "value", "growth", "status", "source", "reason",
                                          "created_at", "created_by", "batch"), revision_rows)
    return report


def _ids(keys: list[Key]) -> dict[Key, int]:
    if not keys:
        return {}
    wanted = set(keys)
    queryset = Observation.objects.filter(
        indicator_id__in={k[0] for k in wanted}, unit_id__in={k[1] for k in wanted},
        year__in={k[2] for k in wanted},
    ).values_list("indicator_id", "unit_id", "year", "month", "pk")
    return {tuple(r[:4]): r[4] for r in queryset.iterator(chunk_size=50_000) if tuple(r[:4]) in wanted}
