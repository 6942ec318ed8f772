"""Import of organisation units (单位): code, name, parent code, kind, peer group.

Parents may be existing units or rows further down the same file; rows are written
parents first. A group (分组) named for a parent that has none of that name is created;
the optional `group_partitions` column says whether its members make up the parent
(the county-level group does, functional zones do not — docs/rules.md §3).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from baozheng.lib.bounds import report_overlong
from baozheng.lib.tabular import (
    Column,
    Importer,
    ImportReport,
    Row,
    RowList,
    UpsertPlan,
    parse_bool,
    read_rows,
)
from baozheng.org.models import PeerGroup, Unit, UnitKind
from baozheng.org.roles import Cap
from baozheng.stats.imports.context import ImportContext, Recorded

COLUMNS = (
    Column("code", ("code", "编码")),
    Column("name", ("name", "名称")),
    Column("parent", ("parent", "上级编码", "上级"), required=False),
    Column("kind", ("kind", "类型")),
    Column("group", ("group", "分组"), required=False),
    Column("group_partitions", ("group_partitions", "分组构成上级全域"), required=False),
    Column("short_name", ("short_name", "简称"), required=False),
)

OVERLONG = {"code": "code", "name": "name", "short_name": "short_name", "parent": "code"}


def _group(groups: list[PeerGroup], parent_code: str, text: str) -> PeerGroup | None:
    return next(
        (g for g in groups if g.parent.code == parent_code and text in (g.code, g.name)), None
    )


def import_units(
    data: bytes, file_name: str, ctx: ImportContext, dry_run: bool = False
) -> ImportReport:
    return UnitImporter(ctx, file_name).run(data, file_name, dry_run)


class UnitImporter(Recorded, Importer[dict]):
    """Reads the whole file as one chunk: a parent may be a row further down."""

    kind, columns = "units", COLUMNS

    def __init__(self, ctx: ImportContext, file_name: str) -> None:
        if not ctx.may(Cap.MANAGE):
            raise PermissionDenied("您没有导入单位的权限")
        self.ctx, self.file_name = ctx, file_name
        self.groups = list(PeerGroup.objects.select_related("parent"))

    def read(self, data: bytes, file_name: str) -> RowList:
        rows = read_rows(data, file_name, COLUMNS)
        self.in_file = {row.get("code"): row for row in rows if row.get("code")}
        return RowList(rows, [c.key for c in COLUMNS])

    def parse_row(self, row: Row, report: ImportReport) -> dict | None:
        report_overlong(report, [row], COLUMNS, Unit, OVERLONG)
        report_overlong(report, [row], COLUMNS, PeerGroup, {"group": "name"})
        ctx = self.ctx
        code, parent_code = row.get("code"), row.get("parent")
        before = len(report.errors)
        if not code or not row.get("name"):
            report.error(row.number, "编码" if not code else "名称", "必填")
            return None
        try:
            kind = UnitKind.parse(row.get("kind"))
        except ValueError as exc:
            report.error(row.number, "类型", str(exc))
            kind = None
        current = ctx.known_unit(code)
        parent = ctx.known_unit(parent_code) if parent_code else None
        if parent_code and parent is None and parent_code not in self.in_file:
            report.error(
                row.number, "上级编码", f"找不到上级单位“{parent_code}”（库中和本文件中均没有）"
            )
        if parent_code == code or _ancestry_loops(code, self.in_file):
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
            return None
        return {
            "code": code,
            "name": row.get("name"),
            "kind": kind,
            "parent_code": parent_code or None,
            "group": row.get("group"),
            "partitions": partitions,
            "short_name": row.get("short_name") or (current.short_name if current else ""),
        }

    def key(self, item: dict) -> str:
        return item["code"]

    def duplicate(self, key: object, first: int) -> tuple[str, str]:
        return "编码", f"与第 {first} 行重复"

    def plan(self, items: list[dict], report: ImportReport) -> UpsertPlan:
        plan: UpsertPlan[dict] = UpsertPlan()
        for item in items:
            current = self.ctx.known_unit(item["code"])
            if current is None:
                plan.creates.append(item)
            elif self._same(current, item):
                plan.unchanged += 1
            else:
                plan.updates.append(item)
        return plan

    def _same(self, current: Unit, wanted: dict) -> bool:
        group = (
            _group(self.groups, wanted["parent_code"], wanted["group"]) if wanted["group"] else None
        )
        partitions = wanted["partitions"]
        return (
            current.name == wanted["name"]
            and current.kind == wanted["kind"]
            and (current.parent.code if current.parent_id else None) == wanted["parent_code"]
            and current.short_name == wanted["short_name"]
            and (
                current.peer_group_id == (group.pk if group else None)
                if wanted["group"]
                else current.peer_group_id is None
            )
            and (partitions is None or group is None or group.partitions == partitions)
        )

    def commit(self, plan: UpsertPlan, batch: object) -> None:
        _write([*plan.creates, *plan.updates])


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
                        name=item["group"],
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
