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
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from baozheng.analysis.periods import Period, is_released
from baozheng.lib import progress
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
from baozheng.stats.imports.validation import Written, check_rules
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
    Column("explanation", ("explanation", "说明", "填报说明"), required=False),
)
PROGRESS_EVERY = 20_000  # rows checked between progress reports
FREQUENCY_WORDS = {Frequency.MONTHLY: "月度", Frequency.QUARTERLY: "季度", Frequency.YEARLY: "年度"}
OBS_FIELDS = (
    "status",
    "value",
    "growth",
    "pending_value",
    "pending_growth",
    "has_approved",
    "source",
    "note",
    "updated_at",
    "updated_by",
)
Key = tuple[int, int, int, int]
VALUE_MAX, VALUE_PLACES = VALUE_DIGITS["max_digits"], VALUE_DIGITS["decimal_places"]
GROWTH_MAX, GROWTH_PLACES = GROWTH_DIGITS["max_digits"], GROWTH_DIGITS["decimal_places"]
# Plain strings, not enum members: sqlite3 binds exact str without an adapter lookup.
APPROVED, SUBMITTED, LOCKED = str(Status.APPROVED), str(Status.SUBMITTED), str(Status.LOCKED)


@dataclass(slots=True)
class Line:
    row: int
    indicator: Indicator
    unit: Unit
    key: Key  # (indicator id, unit id, year, month)
    value: Cell
    growth: Cell
    explanation: str = ""  # a warning rule's written explanation (`validation`)


def import_observations(
    data: bytes, file_name: str, ctx: ImportContext, dry_run: bool = False
) -> ImportReport:
    rows = read_rows(data, file_name, COLUMNS)
    if rows and "value" not in rows[0].values and "growth" not in rows[0].values:
        raise ImportFileError("缺少“累计值”（value）或“同比增长(%)”（growth）列，至少需要其一")
    report = ImportReport("observations", dry_run=dry_run, file_hash=file_digest(data))
    return apply_lines(parse_lines(rows, ctx, report), ctx, report, file_name)


def _memo(cache: dict, text: str, resolve, if_empty: str) -> object:
    """resolve(text), remembered; a ValueError is remembered as its message (a str)."""
    if not text:
        return if_empty
    try:
        found = resolve(text)
    except ValueError as exc:
        found = str(exc)
    cache[text] = found
    return found


def parse_lines(rows: list[Row], ctx: ImportContext, report: ImportReport) -> list[Line]:
    """Validate every row; the lines returned are those without an error. Names, periods
    and release checks are resolved once per distinct text (a million rows name a few
    hundred units and indicators)."""
    if not ctx.may(Cap.ENTER):
        raise PermissionDenied("您没有导入数据的权限")
    report.rows = len(rows)
    indicators: dict[str, object] = {}
    units: dict[str, object] = {}
    periods: dict[str, object] = {}
    released: dict[tuple[int, Period], str] = {}
    seen: dict[Key, int] = {}
    lines = []
    error = report.error
    total = len(rows)
    for done, row in enumerate(rows):
        if not done % PROGRESS_EVERY:
            progress.advance("checked", done, total)
        cells = row.values
        number = row.number
        before = len(report.errors)
        texts = (cells.get("indicator", ""), cells.get("unit", ""), cells.get("period", ""))
        indicator = indicators.get(texts[0]) or _memo(indicators, texts[0], ctx.indicator, "必填")
        unit = units.get(texts[1]) or _memo(units, texts[1], ctx.unit, "必填")
        period = periods.get(texts[2]) or _memo(periods, texts[2], Period.parse, "必填")
        for found, label in ((indicator, "指标"), (unit, "地区"), (period, "期间")):
            if isinstance(found, str):
                error(number, label, found)
        try:
            value = parse_figure(cells.get("value", ""), VALUE_MAX, VALUE_PLACES)
        except ValueError as exc:
            value = NOT_SUPPLIED
            error(number, "累计值", str(exc))
        try:
            growth = parse_figure(cells.get("growth", ""), GROWTH_MAX, GROWTH_PLACES)
        except ValueError as exc:
            growth = NOT_SUPPLIED
            error(number, "同比增长", str(exc))
        if value is NOT_SUPPLIED and growth is NOT_SUPPLIED and len(report.errors) == before:
            error(number, "累计值", "累计值和同比增长均未填写")
        if isinstance(indicator, Indicator):
            if isinstance(value, Decimal) and indicator.growth_only:
                error(number, "累计值", f"“{indicator.name}”为增速类指标，只填同比增长，不填累计值")
            if isinstance(growth, Decimal) and indicator.is_rate:
                error(
                    number,
                    "同比增长",
                    f"“{indicator.name}”为比率类指标，累计值填当期比率本身，同比增长须为空",
                )
            if isinstance(period, Period):
                problem = released.get((indicator.pk, period))
                if problem is None:
                    problem = _release_problem(indicator, period)
                    released[(indicator.pk, period)] = problem
                if problem:
                    error(number, "期间", problem)
        if len(report.errors) > before:
            continue
        key = (indicator.pk, unit.pk, period.year, period.month)
        first = seen.setdefault(key, number)
        if first != number:
            error(number, "期间", f"与第 {first} 行重复（同一指标、地区、期间）")
            continue
        lines.append(
            Line(number, indicator, unit, key, value, growth, cells.get("explanation", ""))
        )
    progress.advance("checked", total, total)
    return lines


def _release_problem(indicator: Indicator, period: Period) -> str:
    if is_released(period, indicator.frequency, indicator.merged_jan_feb):
        return ""
    word = FREQUENCY_WORDS.get(indicator.frequency, "")
    return f"“{indicator.name}”为{word}指标，{period.label}不发布数据"


def _merge(base: tuple, line: Line) -> tuple:
    value = base[0] if line.value is NOT_SUPPLIED else line.value
    growth = base[1] if line.growth is NOT_SUPPLIED else line.growth
    return (value, growth)


def _existing(lines: list[Line]) -> dict[Key, tuple]:
    if not lines:
        return {}
    wanted = {line.key for line in lines}
    queryset = Observation.objects.filter(
        indicator_id__in={k[0] for k in wanted},
        unit_id__in={k[1] for k in wanted},
        year__in={k[2] for k in wanted},
    ).values_list(
        "indicator_id",
        "unit_id",
        "year",
        "month",
        "pk",
        "status",
        "value",
        "growth",
        "pending_value",
        "pending_growth",
        "has_approved",
    )
    return {
        tuple(row[:4]): row[4:]
        for row in queryset.iterator(chunk_size=20_000)
        if tuple(row[:4]) in wanted
    }


def apply_lines(
    lines: list[Line], ctx: ImportContext, report: ImportReport, file_name: str
) -> ImportReport:
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
    written: list[Written] = []  # the rows the validation rules check
    for line in lines:
        pair = line.key[:2]
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
            status = APPROVED if approves else SUBMITTED
            shown = figures if approves else (None, None)
            pending = (None, None) if approves else figures
            inserts.append(
                (*line.key, status, *shown, *pending, approves, source, "", now, user_id)
            )
            new_revisions.append((line.key, *figures, status, ""))
            written.append(
                (line.row, line.indicator, line.unit, line.key, *figures, line.explanation)
            )
            report.created += 1
            continue
        pk, status, value, growth, pending_value, pending_growth, has_approved = current
        if approves:
            base = (value, growth)
            figures = _merge(base, line)
            if figures == base:
                report.unchanged += 1
                continue
            if status == LOCKED and not ctx.reason:
                report.error(
                    line.row,
                    "累计值",
                    "该数据已锁定，修改须说明理由（命令行 --reason，或上传页“修改理由”）",
                )
                continue
            new_status = LOCKED if status == LOCKED else APPROVED
            note = ctx.reason if status == LOCKED else ""
            updates.append((new_status, *figures, None, None, True, source, note, now, user_id, pk))
            revisions.append((pk, *figures, new_status, note))
            written.append(
                (line.row, line.indicator, line.unit, line.key, *figures, line.explanation)
            )
        else:
            if status == LOCKED:
                report.error(line.row, "累计值", "该数据已锁定，不能通过上传修改，请联系审核人员")
                continue
            base = (value, growth) if status in FINAL_STATUSES else (pending_value, pending_growth)
            figures = _merge(base, line)
            if figures == base and status in (SUBMITTED, *FINAL_STATUSES):
                report.unchanged += 1
                continue
            updates.append(
                (SUBMITTED, value, growth, *figures, has_approved, source, "", now, user_id, pk)
            )
            revisions.append((pk, *figures, SUBMITTED, ""))
            written.append(
                (line.row, line.indicator, line.unit, line.key, *figures, line.explanation)
            )
        report.updated += 1
    explained = check_rules(written, report)
    if report.errors:
        record_batch(ctx, failed(report), file_name)
        return report
    if report.dry_run:
        record_batch(ctx, report, file_name)
        return report
    bulk.prepare_connection()
    with transaction.atomic():
        batch = record_batch(ctx, report, file_name)
        before = _max_id()
        written = len(inserts) + len(updates)
        bulk.insert(
            Observation,
            ("indicator", "unit", "year", "month", *OBS_FIELDS),
            inserts,
            progress_of=(0, written),
        )
        bulk.update(Observation, OBS_FIELDS, updates, progress_of=(len(inserts), written))
        ids = _new_ids(before) if inserts else {}
        by_pk = {existing[key][0]: text for key, text in explained.items() if key in existing}
        revision_rows = [
            (ids[key], v, g, s, source, _joined(reason, explained.get(key)), now, user_id, batch.pk)
            for key, v, g, s, reason in new_revisions
        ]
        revision_rows += [
            (pk, v, g, s, source, _joined(reason, by_pk.get(pk)), now, user_id, batch.pk)
            for pk, v, g, s, reason in revisions
        ]
        bulk.insert(
            ObservationRevision,
            (
                "observation",
                "value",
                "growth",
                "status",
                "source",
                "reason",
                "created_at",
                "created_by",
                "batch",
            ),
            revision_rows,
        )
    return report


def _joined(reason: str, explained: str | None) -> str:
    """A locked figure's revision reason, followed by the rules' explanation if any."""
    return "；".join(t for t in (reason, explained) if t)[:300] if explained else reason


def _new_ids(after: int) -> dict[Key, int]:
    """Ids of the rows this import inserted (all above `after`), by key."""
    table = connection.ops.quote_name(Observation._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, indicator_id, unit_id, year, month FROM {table} WHERE id > %s", [after]
        )
        return {(i, u, y, m): pk for pk, i, u, y, m in cursor.fetchall()}


def _max_id() -> int:
    return Observation.objects.aggregate(top=Max("id"))["top"] or 0
