"""Importing the project registry from xlsx/csv (`baozheng import projects FILE`).

The import contract of `baozheng.lib.tabular`: every row is validated and every problem
reported by row and column; any error changes nothing; a dry run reports what a real
import would do; importing the same file again changes nothing. Projects are matched by
their code; stages given in the file are checked with the same ladder rule as the page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction

from baozheng.lib.tabular import (
    Column,
    ImportReport,
    Row,
    match_one,
    parse_bool,
    parse_decimal,
    read_rows,
)
from baozheng.org.models import Unit, UnitKind, User
from baozheng.projects.models import Batch, BatchEntry, Category, Industry, Project, Stage
from baozheng.projects.rules import STAGES, StageDates, stage_problems

STAGE_COLUMNS = [
    Column(f"{kind}_{which}", (f"{kind}_{which}", f"{'计划' if which == 'planned' else '实际'}{label}日期"), False)
    for kind, label in STAGES for which in ("planned", "actual")
]

COLUMNS = [
    Column("code", ("code", "项目编码")),
    Column("name", ("name", "项目名称")),
    Column("county", ("county", "县市区")),
    Column("department", ("department", "主管部门"), False),
    Column("industry", ("industry", "行业")),
    Column("manufacturing", ("manufacturing", "是否制造业")),
    Column("total_investment", ("total_investment", "总投资（万元）", "总投资")),
    Column("plan_year", ("plan_year", "计划年度"), False),
    Column("annual_plan", ("annual_plan", "年度计划投资（万元）", "年度计划投资"), False),
    Column("category", ("category", "项目类别")),
    Column("batch", ("batch", "三个一批批次"), False),
    Column("batch_side", ("batch_side", "批次类别"), False),
    Column("batch_date", ("batch_date", "批次日期"), False),
    Column("leader", ("leader", "分包领导"), False),
    Column("leader_account", ("leader_account", "分包领导账户"), False),
    Column("lead_unit", ("lead_unit", "牵头单位"), False),
    Column("task_force", ("task_force", "工作专班"), False),
    Column("entered_statistics_on", ("entered_statistics_on", "入统日期"), False),
    *STAGE_COLUMNS,
]

PROJECT_FIELDS = ("name", "county", "department", "industry", "is_manufacturing", "total_investment",
                  "plan_year", "annual_plan", "category", "leader", "leader_name", "lead_unit",
                  "task_force", "entered_statistics_on")


@dataclass
class ParsedRow:
    values: dict[str, object]
    stages: dict[str, StageDates]
    batch: tuple[str, str, date | None] | None  # (name, side, held_on)


def _choice(text: str, choices: type, what: str) -> str:
    return match_one(text, [(c.value, c.label) for c in choices], what)


def _date(text: str) -> date | None:
    text = text.strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text.replace("/", "-").replace(".", "-")[:10])
    except ValueError:
        raise ValueError(f"“{text}”不是有效日期，请写作 2023-06-30") from None


class _Lookups:
    def __init__(self) -> None:
        units = list(Unit.objects.values_list("code", "name", "short_name", "kind"))
        self.counties = [(c, n) for c, n, _, k in units
                         if k in (UnitKind.DISTRICT, UnitKind.COUNTY, UnitKind.COUNTY_CITY, UnitKind.ZONE)]
        self.units = [(c, n) for c, n, _, _ in units] + [(c, s) for c, _, s, _ in units if s]
        self.unit_by_code = {u.code: u for u in Unit.objects.all()}
        self.users = {u.username: u for u in User.objects.all()}


def _parse(row: Row, look: _Lookups, report: ImportReport, today: date) -> ParsedRow | None:
    values: dict[str, object] = {}
    errors_before = len(report.errors)

    def field(key: str, header: str, parse, source: str = "") -> None:
        try:
            values[key] = parse(row.get(source or key))
        except ValueError as exc:
            report.error(row.number, header, str(exc))

    def required(text: str, what: str) -> str:
        if not text.strip():
            raise ValueError(f"{what}不能为空")
        return text.strip()

    field("code", "项目编码", lambda t: required(t, "项目编码"))
    field("name", "项目名称", lambda t: required(t, "项目名称"))
    field("county", "县市区", lambda t: look.unit_by_code[match_one(t, look.counties, "县市区")])
    field("department", "主管部门",
          lambda t: look.unit_by_code[match_one(t, look.units, "单位")] if t.strip() else None)
    field("lead_unit", "牵头单位",
          lambda t: look.unit_by_code[match_one(t, look.units, "单位")] if t.strip() else None)
    field("industry", "行业", lambda t: _choice(t, Industry, "行业"))
    field("is_manufacturing", "是否制造业", parse_bool, source="manufacturing")
    field("total_investment", "总投资（万元）", lambda t: _amount(t, required=True))
    field("annual_plan", "年度计划投资（万元）", lambda t: _amount(t, required=False))
    field("plan_year", "计划年度", lambda t: int(t) if t.strip() else None)
    field("category", "项目类别", lambda t: _choice(t, Category, "项目类别"))
    field("task_force", "工作专班", str.strip)
    field("entered_statistics_on", "入统日期", _date)
    values["leader_name"] = row.get("leader").strip()
    account = row.get("leader_account").strip()
    values["leader"] = None
    if account:
        if account in look.users:
            values["leader"] = look.users[account]
            values["leader_name"] = values["leader_name"] or str(look.users[account])
        else:
            report.error(row.number, "分包领导账户", f"找不到账户“{account}”")
    if values.get("annual_plan") is not None and values.get("plan_year") is None:
        report.error(row.number, "计划年度", "填写了年度计划投资时必须填写计划年度")
    stages: dict[str, StageDates] = {}
    for kind, label in STAGES:
        try:
            planned, actual = _date(row.get(f"{kind}_planned")), _date(row.get(f"{kind}_actual"))
        except ValueError as exc:
            report.error(row.number, f"{label}日期", str(exc))
            continue
        stages[kind] = StageDates(planned, actual)
    stages = _merge_existing(str(values.get("code", "")), stages)
    for kind, message in stage_problems(stages, today).items():
        report.error(row.number, f"{dict(STAGES)[kind]}日期", message)
    batch = None
    if row.get("batch").strip():
        try:
            side = _choice(row.get("batch_side"), BatchEntry.Side, "批次类别")
            batch = (row.get("batch").strip(), side, _date(row.get("batch_date")))
        except ValueError as exc:
            report.error(row.number, "批次类别", str(exc))
    if len(report.errors) > errors_before:
        return None
    return ParsedRow(values, stages, batch)


def _merge_existing(code: str, from_file: dict[str, StageDates]) -> dict[str, StageDates]:
    """Blank cells keep the dates already recorded (a clerk's actual dates survive a
    re-import of the plan); the merged ladder is what gets checked and written."""
    merged = {
        s.kind: StageDates(s.planned_on, s.actual_on, s.reason)
        for s in Stage.objects.filter(project__code=code)
    }
    for kind, dates in from_file.items():
        old = merged.get(kind, StageDates())
        merged[kind] = StageDates(dates.planned or old.planned, dates.actual or old.actual, old.reason)
    return merged


def _amount(text: str, required: bool) -> Decimal | None:
    if not text.strip():
        if required:
            raise ValueError("金额不能为空")
        return None
    value = parse_decimal(text)
    if value < 0:
        raise ValueError("金额不能为负")
    return value.quantize(Decimal("0.01"))


def import_projects(data: bytes, filename: str, dry_run: bool = False,
                    today: date | None = None) -> ImportReport:
    report = ImportReport(kind="重点项目", dry_run=dry_run)
    rows = read_rows(data, filename, COLUMNS)
    report.rows = len(rows)
    look = _Lookups()
    parsed: list[ParsedRow] = []
    seen: dict[str, int] = {}
    for row in rows:
        item = _parse(row, look, report, today or date.today())
        if item is None:
            continue
        code = str(item.values["code"])
        if code in seen:
            report.error(row.number, "项目编码", f"与第 {seen[code]} 行重复")
            continue
        seen[code] = row.number
        if item.batch and item.batch[2] is None and not Batch.objects.filter(name=item.batch[0]).exists():
            report.error(row.number, "批次日期", f"新批次“{item.batch[0]}”需要填写批次日期")
            continue
        parsed.append(item)
    if report.errors:
        return report
    with transaction.atomic():
        for item in parsed:
            _write(item, report)
        if dry_run:
            transaction.set_rollback(True)
    return report


def _write(item: ParsedRow, report: ImportReport) -> None:
    code = str(item.values["code"])
    fields = {k: item.values[k] for k in PROJECT_FIELDS}
    project = Project.objects.filter(code=code).first()
    created_now = project is None
    changed = False
    if created_now:
        project = Project.objects.create(code=code, **fields)
    else:
        changed = any(getattr(project, k) != v for k, v in fields.items())
        if changed:
            for k, v in fields.items():
                setattr(project, k, v)
            project.save()
    existing = {s.kind: s for s in project.stages.all()}
    for kind, dates in item.stages.items():
        stage = existing.get(kind)
        if stage is None and dates.planned is None and dates.actual is None:
            continue
        if stage is None:
            Stage.objects.create(project=project, kind=kind, planned_on=dates.planned, actual_on=dates.actual)
            changed = True
        elif (stage.planned_on, stage.actual_on) != (dates.planned, dates.actual):
            stage.planned_on, stage.actual_on = dates.planned, dates.actual
            stage.save()
            changed = True
    if item.batch:
        name, side, held_on = item.batch
        batch, created = Batch.objects.get_or_create(name=name, defaults={"held_on": held_on})
        entry, entry_created = BatchEntry.objects.get_or_create(batch=batch, project=project,
                                                                defaults={"side": side})
        if not entry_created and entry.side != side:
            entry.side = side
            entry.save()
            entry_created = True
        changed = changed or created or entry_created
    if created_now:
        report.created += 1
    elif changed:
        report.updated += 1
    else:
        report.unchanged += 1
