"""Import of targets (目标): per indicator, unit, year and optional period (a phase
target) the floor 保, optional stretch 争 (empty: one tier) and top 抢, as a growth, a
level or a rank (places among the peers), with the responsible unit and leader.
Tiers are checked against the indicator's direction (docs/rules.md §3): a stretch above the
floor is rejected for "down" indicators, below it for "up" ones; rank places are
whole numbers, lower is better (see ../shared/CONTRACT-targets.md in the team notes
and docs/stats.md). Every created or changed target gets a `TargetRevision`."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction

from baozheng.analysis.periods import Period, is_released
from baozheng.lib.bounds import parse_int, report_overlong
from baozheng.lib.tabular import Column, ImportReport, file_digest, match_one, read_rows
from baozheng.org.models import Unit
from baozheng.org.roles import Cap
from baozheng.stats.imports.choices import parse_basis
from baozheng.stats.imports.context import (
    NOT_SUPPLIED,
    ImportContext,
    failed,
    parse_figure,
    record_batch,
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


def import_targets(
    data: bytes, file_name: str, ctx: ImportContext, dry_run: bool = False
) -> ImportReport:
    if not ctx.may(Cap.DISPATCH):
        raise PermissionDenied("您没有导入目标的权限")
    rows = read_rows(data, file_name, COLUMNS)
    report = ImportReport("targets", dry_run=dry_run, rows=len(rows), file_hash=file_digest(data))
    report_overlong(report, rows, COLUMNS, Target, {"leader": "leader"})
    all_units = list(Unit.objects.all())
    unit_names = [(u.code, squeeze(u.name)) for u in all_units] + [
        (u.code, squeeze(u.short_name)) for u in all_units if u.short_name
    ]
    by_code = {u.code: u for u in all_units}
    existing = {identity(t): t for t in Target.objects.all()}
    creates: list[Target] = []
    updates: list[Target] = []
    seen: dict[tuple, int] = {}
    for row in rows:
        before = len(report.errors)
        indicator = unit = year = None
        try:
            indicator = ctx.indicator(row.get("indicator"))
        except ValueError as exc:
            report.error(row.number, "指标", str(exc) if row.get("indicator") else "必填")
        try:
            unit = ctx.unit(row.get("unit"))
        except ValueError as exc:
            report.error(row.number, "地区", str(exc) if row.get("unit") else "必填")
        text = row.get("year").replace("年", "")
        try:
            year = parse_int(text, 2000, 2100)
        except ValueError:
            report.error(row.number, "年度", f"“{row.get('year')}”应为四位年份")
        basis = Basis.GROWTH
        if row.get("basis"):
            try:
                basis = parse_basis(row.get("basis"))
            except ValueError as exc:
                report.error(row.number, "类型", str(exc))
        elif indicator is not None and indicator.kind in (Kind.COUNT, Kind.RATE):
            basis = Basis.LEVEL
        month = None
        if row.get("period") and year is not None:
            try:
                month = _phase_month(row.get("period"), year, indicator)
            except ValueError as exc:
                report.error(row.number, "期间", str(exc))
        tiers = {}
        for key, label in (("floor", "保"), ("stretch", "争"), ("top", "抢")):
            try:
                tiers[key] = parse_figure(row.get(key), **VALUE_DIGITS)
            except ValueError as exc:
                report.error(row.number, label, str(exc))
                tiers[key] = None
            if tiers[key] is NOT_SUPPLIED:
                tiers[key] = None
                if key == "floor":
                    report.error(row.number, label, "必填")
        responsible = None
        if row.get("responsible_unit"):
            try:
                responsible = by_code[
                    match_one(squeeze(row.get("responsible_unit")), unit_names, "单位")
                ]
            except ValueError as exc:
                report.error(row.number, "责任单位", str(exc))
        if len(report.errors) > before or indicator is None or unit is None or year is None:
            continue
        problem = tier_problem(
            indicator.direction,
            basis,
            indicator.kind,
            tiers["floor"],
            tiers["stretch"],
            tiers["top"],
            month,
        )
        if problem:
            report.error(row.number, "期间" if "期间" in problem else "争", problem)
            continue
        key = (indicator.pk, unit.pk, year, month, basis == Basis.RANK)
        if seen.setdefault(key, row.number) != row.number:
            what = "位次目标" if basis == Basis.RANK else "目标"
            report.error(
                row.number, "地区", f"与第 {seen[key]} 行重复（同一指标、地区、年度、期间的{what}）"
            )
            continue
        values = {
            "basis": basis,
            **tiers,
            "responsible_unit_id": responsible.pk if responsible else None,
            "leader": row.get("leader")[:60],
        }
        current = existing.get(key)
        if current is None:
            creates.append(Target(indicator=indicator, unit=unit, year=year, month=month, **values))
            report.created += 1
        elif all(getattr(current, f) == values[f] for f in FIELDS):
            report.unchanged += 1
        else:
            for field, value in values.items():
                setattr(current, field, value)
            updates.append(current)
            report.updated += 1
    if report.errors:
        record_batch(ctx, failed(report), file_name)
        return report
    with transaction.atomic():
        batch = record_batch(ctx, report, file_name)
        if not dry_run:
            Target.objects.bulk_create(creates)
            Target.objects.bulk_update(updates, FIELDS)
            reason = ctx.reason or "导入"
            TargetRevision.objects.bulk_create(
                revision_of(t, user=ctx.user, reason=reason, batch=batch)
                for t in [*creates, *updates]
            )
    return report


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
