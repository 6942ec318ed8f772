"""Import of report forms and their assignments (`baozheng import forms FILE`).

One row per assignment; rows with the same 表号 describe one form. The form's columns
(表名, 频度, 截止方式, 截止日, 指标) may be left empty on later rows of the same form,
but where given they must agree. The file is declarative for the forms it names: their
settings and their assignments become exactly the file's (assignments not in the file
are removed). All or nothing, dry-runnable, idempotent (a second run changes nothing):
the importer skeleton's mechanics (`lib.tabular.Importer`), with the rows grouped into
forms by `plan`.

    表号,表名,频度,截止方式,截止日,指标,单位,单位类型
    B101,县区主要经济指标月报,月,次月固定日,10,A01;B01;C01,411300,区;县;县级市;功能区
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from baozheng.lib.bounds import report_overlong
from baozheng.lib.tabular import (
    Column,
    Importer,
    ImportReport,
    Row,
    RowList,
    UpsertPlan,
    read_rows,
)
from baozheng.org.models import Unit, UnitKind
from baozheng.reporting.models import DeadlineKind, FormAssignment, ReportForm
from baozheng.stats.imports.choices import parse_choice, parse_frequency
from baozheng.stats.models import Indicator

COLUMNS = (
    Column("code", ("code", "表号")),
    Column("name", ("name", "表名"), required=False),
    Column("frequency", ("frequency", "频度"), required=False),
    Column("deadline_kind", ("deadline_kind", "截止方式"), required=False),
    Column("deadline_value", ("deadline_value", "截止日"), required=False),
    Column("indicators", ("indicators", "指标"), required=False),
    Column("unit", ("unit", "单位")),
    Column("kinds", ("kinds", "单位类型"), required=False),
)
LABELS = {
    "name": "表名",
    "frequency": "频度",
    "deadline_kind": "截止方式",
    "deadline_value": "截止日",
}
_LIST = re.compile(r"[;；,，、\s]+")


@dataclass
class FormRow:
    """One row: an assignment of its form, and the form's columns where given."""

    code: str
    row: int
    values: dict
    indicators: set[int]
    assignment: tuple[int, str]


@dataclass
class FormPlan:
    code: str
    row: int
    values: dict = field(default_factory=dict)
    indicators: set[int] = field(default_factory=set)
    assignments: set[tuple[int, str]] = field(default_factory=set)


def _split(text: str) -> list[str]:
    return [t for t in _LIST.split(text.strip()) if t]


def _form_values(row, indicators: dict[str, Indicator]) -> tuple[dict, set[int]]:
    """The form columns given on this row; ValueError(column, message) on a bad cell."""
    values: dict = {}
    if row.get("name"):
        values["name"] = row.get("name")
    if row.get("frequency"):
        try:
            values["frequency"] = parse_frequency(row.get("frequency"))
        except ValueError as exc:
            raise ValueError("频度", str(exc)) from None
    if row.get("deadline_kind"):
        try:
            values["deadline_kind"] = parse_choice(row.get("deadline_kind"), DeadlineKind)
        except ValueError as exc:
            raise ValueError("截止方式", str(exc)) from None
    if row.get("deadline_value"):
        text = row.get("deadline_value")
        kind = values.get("deadline_kind", DeadlineKind.DAY)
        limit = 28 if kind == DeadlineKind.DAY else 20
        if not text.isdigit() or not 1 <= int(text) <= limit:
            raise ValueError("截止日", f"“{text}”应为 1 至 {limit} 之间的整数")
        values["deadline_value"] = int(text)
    chosen: set[int] = set()
    for code in _split(row.get("indicators")):
        found = indicators.get(code)
        if found is None:
            raise ValueError("指标", f"未知的指标“{code}”")
        chosen.add(found.pk)
    return values, chosen


def _kinds(text: str) -> str:
    try:
        return ",".join(sorted({UnitKind.parse(k).value for k in _split(text)}))
    except ValueError as exc:
        raise ValueError("单位类型", str(exc)) from None


def import_forms(data: bytes, file_name: str, dry_run: bool = False) -> ImportReport:
    return FormImporter().run(data, file_name, dry_run)


class FormImporter(Importer[FormRow]):
    """Reads the whole file as one chunk: a form's rows may be anywhere in the file."""

    kind, columns = "forms", COLUMNS

    def __init__(self) -> None:
        self.indicators = {i.code: i for i in Indicator.objects.all()}
        self.indicators.update({i.name: i for i in self.indicators.values()})
        self.units = {u.code: u for u in Unit.objects.all()}

    def read(self, data: bytes, file_name: str) -> RowList:
        return RowList(read_rows(data, file_name, COLUMNS), [c.key for c in COLUMNS])

    def parse_row(self, row: Row, report: ImportReport) -> FormRow | None:
        report_overlong(report, [row], COLUMNS, ReportForm, {"code": "code", "name": "name"})
        code = row.get("code")
        if not code:
            report.error(row.number, "表号", "必填")
            return None
        try:
            values, chosen = _form_values(row, self.indicators)
            unit = self.units.get(row.get("unit"))
            if unit is None:
                raise ValueError("单位", f"未知的单位编码“{row.get('unit')}”")
            kinds = _kinds(row.get("kinds"))
        except ValueError as exc:
            column, message = exc.args
            report.error(row.number, column, message)
            return None
        return FormRow(code, row.number, values, chosen, (unit.pk, kinds))

    def key(self, item: FormRow) -> int:
        """Every row counts: a form's assignments are a set, so a repeated one is harmless."""
        return item.row

    def plan(self, items: list[FormRow], report: ImportReport) -> UpsertPlan:
        """The rows grouped into forms (their columns must agree), then each form against
        the stored one."""
        forms: dict[str, FormPlan] = {}
        for item in items:
            form = forms.setdefault(item.code, FormPlan(item.code, item.row))
            for key, value in item.values.items():
                if form.values.setdefault(key, value) != value:
                    report.error(item.row, LABELS[key], f"与第 {form.row} 行同一报表的设置不一致")
            if item.indicators and form.indicators and item.indicators != form.indicators:
                report.error(item.row, "指标", f"与第 {form.row} 行同一报表的指标不一致")
            form.indicators |= item.indicators
            form.assignments.add(item.assignment)
        existing = {
            f.code: f for f in ReportForm.objects.prefetch_related("indicators", "assignments")
        }
        plan: UpsertPlan[tuple[ReportForm | None, FormPlan]] = UpsertPlan()
        for form in forms.values():
            current = existing.get(form.code)
            if current is None:
                if not (form.values.get("name") and form.indicators):
                    report.error(form.row, "表名", f"新报表“{form.code}”须填写表名和指标")
                plan.creates.append((None, form))
            elif _same(current, form):
                plan.unchanged += 1
            else:
                plan.updates.append((current, form))
        return plan

    def commit(self, plan: UpsertPlan, batch: object) -> None:
        for current, form in [*plan.creates, *plan.updates]:
            _apply(current, form)


def _same(form: ReportForm, plan: FormPlan) -> bool:
    return (
        all(getattr(form, k) == v for k, v in plan.values.items())
        and (not plan.indicators or {i.pk for i in form.indicators.all()} == plan.indicators)
        and {(a.unit_id, a.kinds) for a in form.assignments.all()} == plan.assignments
    )


def _apply(form: ReportForm | None, plan: FormPlan) -> None:
    if form is None:
        form = ReportForm(code=plan.code)
    for key, value in plan.values.items():
        setattr(form, key, value)
    form.save()
    if plan.indicators:
        form.indicators.set(plan.indicators)
    wanted = set(plan.assignments)
    for assignment in form.assignments.all():
        key = (assignment.unit_id, assignment.kinds)
        if key in wanted:
            wanted.discard(key)
        else:
            assignment.delete()
    for unit_id, kinds in wanted:
        FormAssignment.objects.create(form=form, unit_id=unit_id, kinds=kinds)
