"""Import of targets (目标): per indicator, unit and year the floor 保, stretch 争 and
optional top 抢, as a growth or a level, with the responsible unit and leader.
Tiers are checked against the indicator's direction (DOMAIN §5): a stretch above the
floor is rejected for "down" indicators, below it for "up" ones."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction

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
from baozheng.stats.models import VALUE_DIGITS, Basis, Kind, Target, tier_problem

COLUMNS = (
    Column("indicator", ("indicator", "指标")),
    Column("unit", ("unit", "地区")),
    Column("year", ("year", "年度")),
    Column("basis", ("basis", "类型"), required=False),
    Column("floor", ("floor", "保")),
    Column("stretch", ("stretch", "争")),
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
    existing = {(t.indicator_id, t.unit_id, t.year): t for t in Target.objects.all()}
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
        elif indicator is not None and indicator.kind == Kind.COUNT:
            basis = Basis.LEVEL
        tiers = {}
        for key, label in (("floor", "保"), ("stretch", "争"), ("top", "抢")):
            try:
                tiers[key] = parse_figure(row.get(key), **VALUE_DIGITS)
            except ValueError as exc:
                report.error(row.number, label, str(exc))
                tiers[key] = None
            if tiers[key] is NOT_SUPPLIED:
                tiers[key] = None
                if key != "top":
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
        )
        if problem:
            report.error(row.number, "争", problem)
            continue
        key = (indicator.pk, unit.pk, year)
        if seen.setdefault(key, row.number) != row.number:
            report.error(row.number, "地区", f"与第 {seen[key]} 行重复（同一指标、地区、年度）")
            continue
        values = {
            "basis": basis,
            **tiers,
            "responsible_unit_id": responsible.pk if responsible else None,
            "leader": row.get("leader")[:60],
        }
        current = existing.get(key)
        if current is None:
            creates.append(Target(indicator=indicator, unit=unit, year=year, **values))
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
        record_batch(ctx, report, file_name)
        if not dry_run:
            Target.objects.bulk_create(creates)
            Target.objects.bulk_update(updates, FIELDS)
    return report
