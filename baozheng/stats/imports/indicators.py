"""Import of indicators (指标): code, name, measure, kind, frequency, direction and flags.

Defaults follow docs/rules.md §2 and §3: January merged into 1-2月 for monthly indicators,
cumulative for amounts and counts, additive unless growth-only. For an existing
indicator an empty cell keeps the stored setting.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied

from baozheng.lib.bounds import parse_int, report_overlong
from baozheng.lib.tabular import (
    Column,
    ImportReport,
    ModelImporter,
    Row,
    UpsertPlan,
    match_one,
    parse_bool,
)
from baozheng.org.models import Unit, UnitKind
from baozheng.org.roles import Cap
from baozheng.stats.imports.choices import parse_direction, parse_frequency, parse_kind
from baozheng.stats.imports.context import ImportContext, Recorded, squeeze
from baozheng.stats.models import Frequency, Indicator, Kind

COLUMNS = (
    Column("code", ("code", "编码", "指标编码")),
    Column("name", ("name", "名称", "指标名称")),
    Column("measure", ("measure", "计量单位", "单位"), required=False),
    Column("kind", ("kind", "类型"), required=False),
    Column("frequency", ("frequency", "频度"), required=False),
    Column("direction", ("direction", "方向"), required=False),
    Column("additive", ("additive", "可加"), required=False),
    Column("merged_jan_feb", ("merged_jan_feb", "1-2月合并"), required=False),
    Column("cumulative", ("cumulative", "累计"), required=False),
    Column("department", ("department", "牵头部门"), required=False),
    Column("submission_day", ("submission_day", "报送截止日"), required=False),
    Column("order", ("order", "排序"), required=False),
)
FIELDS = (
    "name",
    "measure",
    "kind",
    "frequency",
    "direction",
    "additive",
    "merged_jan_feb",
    "cumulative",
    "department_id",
    "submission_day",
    "order",
)


def _settings(
    row, current: Indicator | None, departments: list[tuple[str, str]], by_code: dict[str, Unit]
) -> dict:
    """The indicator's fields after this row; ValueError(column, message) on a bad cell."""
    values: dict = (
        {f: getattr(current, f) for f in FIELDS}
        if current
        else {
            "measure": "",
            "kind": Kind.AMOUNT,
            "frequency": Frequency.MONTHLY,
            "direction": "up",
            "department_id": None,
            "submission_day": 10,
            "order": 0,
        }
    )
    values["name"] = row.get("name")
    parsers = {"kind": parse_kind, "frequency": parse_frequency, "direction": parse_direction}
    for key, parse in parsers.items():
        if row.get(key):
            values[key] = _cell(key, parse, row.get(key))
    if row.get("measure"):
        values["measure"] = row.get("measure")
    growth_only = values["kind"] == Kind.GROWTH
    rate = values["kind"] == Kind.RATE
    defaults = {
        "additive": not growth_only and not rate,
        "cumulative": not growth_only and not rate,
        "merged_jan_feb": values["frequency"] == Frequency.MONTHLY,
    }
    for key, default in defaults.items():
        if row.get(key):
            values[key] = _cell(key, parse_bool, row.get(key))
        elif current is None or (rate and key != "merged_jan_feb"):
            values[key] = default
    if growth_only and values["additive"]:
        raise ValueError("additive", "增速类指标不可加")
    # A rate is read as it stands (docs/rules.md §3): never summed over units nor over months.
    for key, label in (("additive", "可加"), ("cumulative", "累计")):
        if rate and values[key]:
            raise ValueError(key, f"比率类指标不可设为{label}")
    if row.get("department"):
        code = _cell(
            "department",
            lambda t: match_one(squeeze(t), departments, "部门"),
            row.get("department"),
        )
        values["department_id"] = by_code[code].pk
    for key, low, high in (("submission_day", 1, 28), ("order", 0, 32767)):
        if row.get(key):
            values[key] = _cell(key, lambda t, lo=low, hi=high: parse_int(t, lo, hi), row.get(key))
    return values


def _cell(key: str, parse, text: str):
    try:
        return parse(text)
    except ValueError as exc:
        raise ValueError(key, str(exc)) from None


LABELS = {c.key: c.headers[1] for c in COLUMNS}
OVERLONG = {"code": "code", "name": "name", "measure": "measure"}


def import_indicators(
    data: bytes, file_name: str, ctx: ImportContext, dry_run: bool = False
) -> ImportReport:
    return IndicatorImporter(ctx, file_name).run(data, file_name, dry_run)


class IndicatorImporter(Recorded, ModelImporter):
    kind, columns, fields = "indicators", COLUMNS, FIELDS

    def __init__(self, ctx: ImportContext, file_name: str) -> None:
        if not ctx.may(Cap.MANAGE):
            raise PermissionDenied("您没有导入指标的权限")
        self.ctx, self.file_name = ctx, file_name
        self.existing = {i.code: i for i in Indicator.objects.all()}
        self.units = {u.code: u for u in Unit.objects.filter(kind=UnitKind.DEPARTMENT)}
        self.departments = [(c, squeeze(u.name)) for c, u in self.units.items()]
        self.departments += [
            (c, squeeze(u.short_name)) for c, u in self.units.items() if u.short_name
        ]

    def parse_row(self, row: Row, report: ImportReport) -> Indicator | None:
        report_overlong(report, [row], COLUMNS, Indicator, OVERLONG)
        code = row.get("code")
        if not code or not row.get("name"):
            report.error(row.number, "编码" if not code else "名称", "必填")
            return None
        try:
            values = _settings(row, self.existing.get(code), self.departments, self.units)
        except ValueError as exc:
            key, message = exc.args
            report.error(row.number, LABELS[key], message)
            return None
        return Indicator(code=code, **values)

    def key(self, item: Indicator) -> str:
        return item.code

    def duplicate(self, key: object, first: int) -> tuple[str, str]:
        return "编码", f"与第 {first} 行重复"

    def stored(self) -> Iterable[Indicator]:
        return self.existing.values()

    def commit(self, plan: UpsertPlan, batch: object) -> None:
        """One save per indicator (a few hundred at most), so that each is audited."""
        for indicator in [*plan.creates, *plan.updates]:
            indicator.save()
