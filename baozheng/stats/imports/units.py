"""Import of organisation units (单位): code, name, parent code, kind, peer group.

Parents may be existing units or rows further down the same file; rows are written
parents first. A group (分组) named for a parent that has none of that name is created;
the optional `group_partitions` column says whether its members make up the parent
(the county-level group does, functional zones do not — docs/rules.md §3).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction

from baozheng.lib.bounds import report_overlong
from baozheng.lib.tabular import Column, ImportReport, file_digest, parse_bool, read_rows
from baozheng.org.models import PeerGroup, Unit, UnitKind
from baozheng.org.roles import Cap
from baozheng.stats.imports.context import ImportContext, failed, record_batch

COLUMNS = (
    Column("code", ("code", "编码")),
    Column("name", ("name", "名称")),
    Column("parent", ("parent", "上级编码", "上级"), required=False),
    Column("kind", ("kind", "类型")),
    Column("group", ("group", "分组"), required=False),
    Column("group_partitions", ("group_partitions", "分组构成上级全域"), required=False),
    Column("short_name", ("short_name", "简称"), required=False),
)


def _group(groups: list[PeerGroup], parent_code: str, text: str) -> PeerGroup | None:
    return next(
        (g for g in groups if g.parent.code == parent_code and text in (g.code, g.name)), None
    )


def import_units(
    data: bytes, file_name: str, ctx: ImportContext, dry_run: bool = False
) -> ImportReport:
    if not ctx.may(Cap.MANAGE):
        raise PermissionDenied("您没有导入单位的权限")
    rows = read_rows(data, file_name, COLUMNS)
    report = ImportReport("units", dry_run=dry_run, rows=len(rows), file_hash=file_digest(data))
    report_overlong(
        report,
        rows,
        COLUMNS,
        Unit,
        {"code": "code", "name": "name", "short_name": "short_name", "parent": "code"},
    )
    report_overlong(report, rows, COLUMNS, PeerGroup, {"group": "name"})
    in_file = {row.get("code"): row for row in rows if row.get("code")}
    groups = list(PeerGroup.objects.select_related("parent"))
    plan: list[dict] = []
    seen: dict[str, int] = {}
    for row in rows:
        code, parent_code = row.get("code"), row.get("parent")
        before = len(report.errors)
        if not code or not row.get("name"):
            report.error(row.number, "编码" if not code else "名称", "必填")
            continue
        if seen.setdefault(code, row.number) != row.number:
            report.error(row.number, "编码", f"与第 {seen[code]} 行重复")
            continue
        try:
            kind = UnitKind.parse(row.get("kind"))
        except ValueError as exc:
            report.error(row.number, "类型", str(exc))
            kind = None
        current = ctx.known_unit(code)
        parent = ctx.known_unit(parent_code) if parent_code else None
        if parent_code and parent is None and parent_code not in in_file:
            report.error(
                row.number, "上级编码", f"找不到上级单位“{parent_code}”（库中和本文件中均没有）"
            )
        if parent_code == code or _ancestry_loops(code, in_file):
            report.error(row.number, "上级编码", "上级关系构成循环")
        if not ctx.is_operator:
            anchor = current or parent
            if (
                anchor is None
                or not ctx.may(Cap.MANAGE, anchor)
                or (parent and not ctx.may(Cap.MANAGE, parent))
            ):
                report.error(row.number, "编码", "该单位或其上级不在您的数据范围内，无权导入")
        partitions = None
        if row.get("group_partitions"):
            try:
                partitions = parse_bool(row.get("group_partitions"))
            except ValueError as exc:
                report.error(row.number, "分组构成上级全域", str(exc))
        if row.get("group") and not parent_code:
            report.error(row.number, "分组", "没有上级单位的单位不能分组")
        if len(report.errors) > before:
            continue
        group = _group(groups, parent_code, row.get("group")) if row.get("group") else None
        wanted = {
            "name": row.get("name"),
            "kind": kind,
            "parent_code": parent_code or None,
            "group": row.get("group"),
            "partitions": partitions,
            "short_name": row.get("short_name") or (current.short_name if current else ""),
        }
        same = current is not None and (
            current.name == wanted["name"]
            and current.kind == kind
            and (current.parent.code if current.parent_id else None) == wanted["parent_code"]
            and current.short_name == wanted["short_name"]
            and (
                current.peer_group_id == (group.pk if group else None)
                if row.get("group")
                else current.peer_group_id is None
            )
            and (partitions is None or group is None or group.partitions == partitions)
        )
        if same:
            report.unchanged += 1
            continue
        plan.append({"code": code, **wanted})
        report.created += current is None
        report.updated += current is not None
    if report.errors:
        record_batch(ctx, failed(report), file_name)
        return report
    with transaction.atomic():
        record_batch(ctx, report, file_name)
        if not dry_run:
            _write(plan)
    return report


def _ancestry_loops(code: str, in_file: dict) -> bool:
    seen = {code}
    current = in_file[code].get("parent") if code in in_file else ""
    while current and current in in_file:
        if current in seen:
            return True
        seen.add(current)
        current = in_file[current].get("parent")
    return False


def _write(plan: list[dict]) -> None:
    """Parents before children: repeat passes over the rows whose parent now exists."""
    remaining = plan
    while remaining:
        waiting = []
        for item in remaining:
            parent = (
                Unit.objects.filter(code=item["parent_code"]).first()
                if item["parent_code"]
                else None
            )
            if item["parent_code"] and parent is None:
                waiting.append(item)
                continue
            group = None
            if item["group"]:
                group = (
                    PeerGroup.objects.filter(parent=parent, code=item["group"]).first()
                    or PeerGroup.objects.filter(parent=parent, name=item["group"]).first()
                )
                if group is None:
                    group = PeerGroup.objects.create(
                        code=f"{parent.code}-{item['group']}"[:32],
                        name=item["group"][:60],
                        parent=parent,
                        partitions=bool(item["partitions"]),
                    )
                elif item["partitions"] is not None and group.partitions != item["partitions"]:
                    group.partitions = item["partitions"]
                    group.save()
            Unit.objects.update_or_create(
                code=item["code"],
                defaults={
                    "name": item["name"],
                    "kind": item["kind"],
                    "parent": parent,
                    "peer_group": group,
                    "short_name": item["short_name"],
                },
            )
        if len(waiting) == len(remaining):
            raise RuntimeError("unit parents could not be resolved")  # validated above
        remaining = waiting
