"""Import of observations: the long layout (indicator, unit, period, value, growth) and
the wide layout statistics offices publish (unit, 累计值, 增长(%) for one indicator and
period). Rules (docs/stats.md): every row validated; any error changes nothing; an empty
cell is "not supplied", "-" clears; a changed figure becomes a new revision; the command
line and approvers write approved revisions, clerks submitted ones; a locked figure
changes only with a reason. Written with plain executemany (see `bulk`): one million rows
must import in well under 30 s on SQLite.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Max
from django.utils import timezone

from baozheng.analysis.periods import Period, is_released
from baozheng.lib import bulk
from baozheng.lib.tabular import Column, Importer, ImportFileError, ImportReport, Row, UpsertPlan
from baozheng.org.models import Unit
from baozheng.org.roles import Cap
from baozheng.stats.imports.context import (
    NOT_SUPPLIED,
    Cell,
    ImportContext,
    Recorded,
    parse_figure,
)
from baozheng.stats.imports.validation import Written, check_rules
from baozheng.stats.models import (
    FINAL_STATUSES,
    GROWTH_DIGITS,
    VALUE_DIGITS,
    Frequency,
    ImportBatch,
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
REVISION_FIELDS = (
    "observation",
    "value",
    "growth",
    "status",
    "reason",
    "source",
    "created_at",
    "created_by",
    "batch",
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
    explanation: str = ""  # why a figure that breaks a warning rule is right (说明)


def import_observations(
    data: bytes, file_name: str, ctx: ImportContext, dry_run: bool = False
) -> ImportReport:
    return ObservationImporter(ctx, file_name).run(data, file_name, dry_run)


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


@dataclass
class Planned(UpsertPlan[tuple]):
    """One chunk's rows as the database takes them: `creates` and `updates` are rows of
    the observation table, and each gets a revision (see `ObservationImporter.commit`)."""

    new_revisions: list[tuple] = field(default_factory=list)  # (key, value, growth, status, reason)
    revisions: list[tuple] = field(default_factory=list)  # (pk, value, growth, status, reason)
    stamp: tuple = ()  # (time, user id) of every row written
    written: list[Written] = field(default_factory=list)  # what the validation rules check
    keys: dict[int, Key] = field(default_factory=dict)  # key of each updated row, by pk
    explained: dict[Key, str] = field(default_factory=dict)  # revision reason by key


class ObservationImporter(Recorded, Importer[Line]):
    """Names, periods and release checks are resolved once per distinct text (a million
    rows name a few hundred units and indicators); what is stored is read per chunk, for
    that chunk's keys only, so memory stays bounded whatever the file's length."""

    kind = "observations"
    columns = COLUMNS
    packed_keys = True

    def __init__(self, ctx: ImportContext, file_name: str) -> None:
        if not ctx.may(Cap.ENTER):
            raise PermissionDenied("您没有导入数据的权限")
        self.ctx = ctx
        self.file_name = file_name
        self.source = f"导入：{file_name}"[:100]
        self.indicators: dict[str, object] = {}
        self.units: dict[str, object] = {}
        self.periods: dict[str, object] = {}
        self.released: dict[tuple[int, Period], str] = {}
        self.approver: dict[tuple[int, int], bool] = {}

    def header(self, keys: list[str]) -> None:
        if "value" not in keys and "growth" not in keys:
            raise ImportFileError("缺少“累计值”（value）或“同比增长(%)”（growth）列，至少需要其一")

    def parse_row(self, row: Row, report: ImportReport) -> Line | None:
        cells = row.values
        number = row.number
        error = report.error
        before = len(report.errors)
        texts = (cells.get("indicator", ""), cells.get("unit", ""), cells.get("period", ""))
        ctx = self.ctx
        indicator = self.indicators.get(texts[0]) or _memo(
            self.indicators, texts[0], ctx.indicator, "必填"
        )
        unit = self.units.get(texts[1]) or _memo(self.units, texts[1], ctx.unit, "必填")
        period = self.periods.get(texts[2]) or _memo(self.periods, texts[2], Period.parse, "必填")
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
                problem = self.released.get((indicator.pk, period))
                if problem is None:
                    problem = _release_problem(indicator, period) or self._period_closed(period)
                    self.released[(indicator.pk, period)] = problem
                if problem:
                    error(number, "期间", problem)
        if len(report.errors) > before:
            return None
        assert isinstance(indicator, Indicator) and isinstance(unit, Unit)
        assert isinstance(period, Period)
        key = (indicator.pk, unit.pk, period.year, period.month)
        return Line(number, indicator, unit, key, value, growth, cells.get("explanation", ""))

    def _period_closed(self, period: Period) -> str:
        """Uploads follow the period like the entry grid: figures go only into an open
        period (late ones through a correction request). The command line is the office's
        own operator, which loads published history and is audited as such."""
        if self.ctx.is_operator:
            return ""
        from baozheng.reporting.periods import entry_refusal

        return entry_refusal(period.year, period.month)

    def key(self, item: Line) -> int:
        """The key packed into one int (ids below 2**19 and 2**24): kept as int64 between
        chunks, two million keys take 24 MB."""
        indicator, unit, year, month = item.key
        return (((indicator << 24) | unit) << 16 | year) << 4 | month

    def duplicate(self, key: object, first: int) -> tuple[str, str]:
        return "期间", f"与第 {first} 行重复（同一指标、地区、期间）"

    def plan(self, items: list[Line], report: ImportReport) -> UpsertPlan:
        """Classify each line against what is stored: a new figure, a changed one (a new
        revision), or the same; locked figures change only with a reason."""
        ctx = self.ctx
        existing = _existing(items)
        source, now = self.source, bulk.db_datetime(timezone.now())
        user_id = ctx.user.pk if ctx.user else None
        plan = Planned(stamp=(now, user_id))
        for line in items:
            pair = line.key[:2]
            approves = self.approver.get(pair)
            if approves is None:
                approves = ctx.is_operator or can_approve(ctx.user, line.indicator, line.unit)
                self.approver[pair] = approves
            current = existing.get(line.key)
            if current is None:
                figures = _merge((None, None), line)
                if figures == (None, None):
                    plan.unchanged += 1
                    continue
                status = APPROVED if approves else SUBMITTED
                shown = figures if approves else (None, None)
                pending = (None, None) if approves else figures
                plan.creates.append(
                    (*line.key, status, *shown, *pending, approves, source, "", now, user_id)
                )
                plan.new_revisions.append((line.key, *figures, status, ""))
                plan.written.append(_written(line, figures))
                continue
            pk, status, value, growth, pending_value, pending_growth, has_approved = current
            if approves:
                base = (value, growth)
                figures = _merge(base, line)
                if figures == base:
                    plan.unchanged += 1
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
                plan.updates.append(
                    (new_status, *figures, None, None, True, source, note, now, user_id, pk)
                )
                plan.revisions.append((pk, *figures, new_status, note))
                plan.keys[pk] = line.key
                plan.written.append(_written(line, figures))
            else:
                if status == LOCKED:
                    report.error(
                        line.row, "累计值", "该数据已锁定，不能通过上传修改，请联系审核人员"
                    )
                    continue
                final = status in FINAL_STATUSES
                base = (value, growth) if final else (pending_value, pending_growth)
                figures = _merge(base, line)
                if figures == base and status in (SUBMITTED, *FINAL_STATUSES):
                    plan.unchanged += 1
                    continue
                plan.updates.append(
                    (SUBMITTED, value, growth, *figures, has_approved, source, "", now, user_id, pk)
                )
                plan.revisions.append((pk, *figures, SUBMITTED, ""))
                plan.keys[pk] = line.key
                plan.written.append(_written(line, figures))
        return plan

    def review(self, plan: UpsertPlan, report: ImportReport) -> None:
        """The validation rules over the chunk's rows to be written, as on submission: an
        error refuses the file, a warning needs the row's 说明 (kept as the revision's
        reason, where the approver reads it)."""
        assert isinstance(plan, Planned)
        plan.explained = check_rules(plan.written, report)

    def commit(self, plan: UpsertPlan, batch: object) -> None:
        assert isinstance(plan, Planned) and isinstance(batch, ImportBatch)
        bulk.prepare_connection()
        before = _max_id() if plan.creates else 0
        bulk.insert(Observation, ("indicator", "unit", "year", "month", *OBS_FIELDS), plan.creates)
        bulk.update(Observation, OBS_FIELDS, plan.updates)
        ids = _new_ids(before) if plan.creates else {}
        tail = (self.source, *plan.stamp, batch.pk)
        explained = plan.explained
        rows = [
            (ids[key], v, g, s, _joined(reason, explained.get(key)))
            for key, v, g, s, reason in plan.new_revisions
        ]
        rows += [
            (pk, v, g, s, _joined(reason, explained.get(plan.keys[pk])))
            for pk, v, g, s, reason in plan.revisions
        ]
        bulk.insert(
            ObservationRevision,
            REVISION_FIELDS,
            [(*row, *tail) for row in rows],
        )


def _release_problem(indicator: Indicator, period: Period) -> str:
    if is_released(period, indicator.frequency, indicator.merged_jan_feb):
        return ""
    word = FREQUENCY_WORDS.get(indicator.frequency, "")
    return f"“{indicator.name}”为{word}指标，{period.label}不发布数据"


def _written(line: Line, figures: tuple) -> Written:
    return (line.row, line.indicator, line.unit, line.key, *figures, line.explanation)


def _joined(reason: str, explained: str | None) -> str:
    """A locked figure's revision reason, followed by the rules' explanation if any (the
    revision's column holds both whole)."""
    return "；".join(t for t in (reason, explained) if t)


def _merge(base: tuple, line: Line) -> tuple:
    value = base[0] if line.value is NOT_SUPPLIED else line.value
    growth = base[1] if line.growth is NOT_SUPPLIED else line.growth
    return (value, growth)


def _existing(lines: list[Line]) -> dict[Key, tuple]:
    """The stored rows of one chunk's keys: one query narrowed by each part of the key (a
    chunk spans a few indicators or a few periods), exact keys picked here."""
    if not lines:
        return {}
    wanted = {line.key for line in lines}
    queryset = Observation.objects.filter(
        indicator_id__in={k[0] for k in wanted},
        unit_id__in={k[1] for k in wanted},
        year__in={k[2] for k in wanted},
        month__in={k[3] for k in wanted},
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
