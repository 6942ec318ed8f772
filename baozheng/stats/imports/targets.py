"""Import of targets (目标): per indicator, unit, year and optional period (a phase
target) the floor 保, optional stretch 争 (empty: one tier) and top 抢, as a growth, a
level or a rank (places among the peers), with the responsible unit and leader.
Tiers are checked against the indicator's direction (docs/rules.md §3): a stretch above the
floor is rejected for "down" indicators, below it for "up" ones; rank places are
whole numbers, lower is better (the import's contract: docs/rules.md §3.17, and
docs/stats.md). Every created or changed target gets a `TargetRevision`."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db.models import Model

from baozheng.analysis.periods import Period, is_released
from baozheng.lib.bounds import parse_year, report_overlong
from baozheng.lib.tabular import Cells, Column, ImportReport, ModelImporter, Row, match_one
from baozheng.org.models import Unit
from baozheng.org.roles import Cap
from baozheng.stats.imports.choices import parse_basis
from baozheng.stats.imports.context import (
    NOT_SUPPLIED,
    Cell,
    ImportContext,
    Recorded,
    parse_figure,
    squeeze,
)
from baozheng.stats.models import VALUE_DIGITS, Basis, Kind, Target, TargetRevision, tier_problem
from baozheng.stats.targets import identity, revision_of

COLUMNS = (
    Column("indicator", ("indicator", "指标")),
    Column("unit", ("unit", "地区")),
    Column("year", ("year", "年度")),
    Column("period", ("period", "期间"), required=False),
    Column("basis", ("basis", "类型"), required=False),
    Column("floor", ("floor", "保")),
    Column("stretch", ("stretch", "争"), required=False),
    Column("top", ("top", "抢"), required=False),
    Column("responsible_unit", ("responsible_unit", "责任单位"), required=False),
    Column("leader", ("leader", "责任领导"), required=False),
)
FIELDS = ("basis", "floor", "stretch", "top", "responsible_unit_id", "leader")
TIERS = (("floor", "保"), ("stretch", "争"), ("top", "抢"))


def import_targets(
    data: bytes, file_name: str, ctx: ImportContext, dry_run: bool = False
) -> ImportReport:
    return TargetImporter(ctx, file_name).run(data, file_name, dry_run)


class TargetImporter(Recorded, ModelImporter):
    kind, columns, fields = "targets", COLUMNS, FIELDS

    def __init__(self, ctx: ImportContext, file_name: str) -> None:
        if not ctx.may(Cap.DISPATCH):
            raise PermissionDenied("您没有导入目标的权限")
        self.ctx, self.file_name = ctx, file_name
        units = list(Unit.objects.all())
        self.by_code = {u.code: u for u in units}
        self.unit_names = [(u.code, squeeze(u.name)) for u in units]
        self.unit_names += [(u.code, squeeze(u.short_name)) for u in units if u.short_name]

    def parse_row(self, row: Row, report: ImportReport) -> Target | None:
        report_overlong(report, [row], COLUMNS, Target, {"leader": "leader"})
        cells = Cells(row, report)
        indicator = cells.parse("indicator", "指标", self.ctx.indicator)
        unit = cells.parse("unit", "地区", self.ctx.unit)
        year = cells.parse("year", "年度", _year)
        basis = Basis.GROWTH
        if row.get("basis"):
            basis = cells.parse("basis", "类型", parse_basis)
        elif indicator is not None and indicator.kind in (Kind.COUNT, Kind.RATE):
            basis = Basis.LEVEL
        month = None
        if row.get("period") and year is not None:
            month = cells.parse("period", "期间", lambda text: _phase_month(text, year, indicator))
        tiers = {key: cells.parse(key, label, _figure) for key, label in TIERS}
        if tiers["floor"] is NOT_SUPPLIED:
            report.error(row.number, "保", "必填")
        tiers = {key: None if value is NOT_SUPPLIED else value for key, value in tiers.items()}
        responsible = None
        if row.get("responsible_unit"):
            responsible = cells.parse("responsible_unit", "责任单位", self.responsible)
        if cells.failed or indicator is None or unit is None or year is None:
            return None
        problem = tier_problem(indicator.direction, basis, indicator.kind, *tiers.values(), month)
        if problem:
            report.error(row.number, "期间" if "期间" in problem else "争", problem)
            return None
        return Target(
            indicator=indicator, unit=unit, year=year, month=month, basis=basis, **tiers,
            responsible_unit=responsible, leader=row.get("leader"),
        )  # fmt: skip

    def responsible(self, text: str) -> Unit:
        return self.by_code[match_one(squeeze(text), self.unit_names, "单位")]

    def key(self, item: Target) -> tuple:
        return identity(item)

    def duplicate(self, key: object, first: int) -> tuple[str, str]:
        what = "位次目标" if key[-1] else "目标"  # type: ignore[index]  # identity(): rank or not
        return "地区", f"与第 {first} 行重复（同一指标、地区、年度、期间的{what}）"

    def stored(self) -> Iterable[Target]:
        return Target.objects.all()

    def written(self, instances: list[Model], batch: object) -> None:
        reason = self.ctx.reason or "导入"
        TargetRevision.objects.bulk_create(
            revision_of(t, user=self.ctx.user, reason=reason, batch=batch) for t in instances
        )


def _year(text: str) -> int:
    try:
        return parse_year(text.replace("年", ""))
    except ValueError:
        raise ValueError(f"“{text}”应为四位年份") from None


def _figure(text: str) -> Cell:
    return parse_figure(text, **VALUE_DIGITS)


def _phase_month(text: str, year: int, indicator) -> int:
    """The month of a phase target's period: a release period of the indicator in `year`."""
    period = Period.parse(text)
    if period.year != year:
        raise ValueError(f"期间“{text}”不在年度 {year} 内")
    if indicator is not None and not is_released(
        period, indicator.frequency, indicator.merged_jan_feb
    ):
        raise ValueError(f"“{indicator.name}”在{period.label}没有发布数据，不能设阶段目标")
    return period.month
