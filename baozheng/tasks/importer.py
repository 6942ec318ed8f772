"""Importing tasks from a spreadsheet (the lists of decisions that arrive as Excel after
the city's meetings), under the product's import contract (`baozheng.lib.tabular`): every
row checked and every problem reported in Chinese, nothing written when any row is wrong,
a dry run reports what a real import would do, and importing the same file again adds
nothing (a task with the same source, content, lead unit and deadline is already there).

Columns: 督办事项 (required), 具体要求, 牵头单位 (code or exact name, required), 配合单位
(several, separated by 、 , ， ； or ;), 办结时限 (YYYY-MM-DD, required), 紧急程度
(一般 / 重要 / 紧急, default 一般), 来源说明.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction

from baozheng.lib.tabular import Column, ImportReport, Row, match_one, read_rows
from baozheng.org.models import Unit
from baozheng.org.permissions import can
from baozheng.org.roles import Cap
from baozheng.tasks.models import Meeting, Priority, SourceKind, Task
from baozheng.tasks.services import open_task

COLUMNS = (
    Column("title", ("title", "督办事项")),
    Column("detail", ("detail", "具体要求"), False),
    Column("lead_unit", ("lead_unit", "牵头单位")),
    Column("helpers", ("helpers", "配合单位"), False),
    Column("deadline", ("deadline", "办结时限")),
    Column("priority", ("priority", "紧急程度"), False),
    Column("source_label", ("source_label", "来源说明"), False),
)
SEPARATORS = re.compile(r"[、,，;；]")
PRIORITIES = {label: value for value, label in Priority.choices}


@dataclass
class ParsedTask:
    title: str
    detail: str
    lead_unit: Unit
    helpers: list[Unit]
    deadline: date
    priority: str
    source_label: str


def _parse(
    row: Row, units: dict[str, Unit], report: ImportReport, user: Any, today: date
) -> ParsedTask | None:
    errors_before = len(report.errors)
    pairs = [(u.code, u.name) for u in units.values()]

    def unit(text: str, column: str) -> Unit | None:
        try:
            found = units[match_one(text, pairs, "单位")]
        except ValueError as error:
            report.error(row.number, column, str(error))
            return None
        if not can(user, Cap.DISPATCH, found):
            report.error(row.number, column, f"您无权向“{found.name}”交办事项")
            return None
        return found

    title = row.get("title").strip()
    if not title:
        report.error(row.number, "督办事项", "不能为空")
    elif len(title) > 300:
        report.error(row.number, "督办事项", "超过 300 字")
    lead = unit(row.get("lead_unit"), "牵头单位") if row.get("lead_unit").strip() else None
    if not row.get("lead_unit").strip():
        report.error(row.number, "牵头单位", "不能为空")
    helpers = [
        found
        for name in SEPARATORS.split(row.get("helpers"))
        if name.strip() and (found := unit(name, "配合单位")) is not None
    ]
    deadline = None
    try:
        deadline = date.fromisoformat(row.get("deadline").strip())
    except ValueError:
        report.error(row.number, "办结时限", f"“{row.get('deadline')}”不是 YYYY-MM-DD 形式的日期")
    if deadline is not None and deadline < today:
        report.error(row.number, "办结时限", f"{deadline:%Y-%m-%d} 早于今天")
    priority_text = row.get("priority").strip() or "一般"
    priority = PRIORITIES.get(priority_text)
    if priority is None:
        report.error(row.number, "紧急程度", f"“{priority_text}”应为 一般、重要 或 紧急")
    if len(report.errors) > errors_before:
        return None
    return ParsedTask(
        title,
        row.get("detail").strip(),
        lead,
        helpers,
        deadline,
        priority,
        row.get("source_label").strip()[:200],
    )


def import_tasks(
    data: bytes,
    filename: str,
    user: Any,
    today: date,
    meeting: Meeting | None = None,
    dry_run: bool = False,
) -> ImportReport:
    """Raise a task for each row; a meeting given makes them that meeting's decisions."""
    from baozheng.tasks.forms import dispatch_units

    report = ImportReport(kind="督办事项", dry_run=dry_run)
    rows = read_rows(data, filename, COLUMNS)
    report.rows = len(rows)
    units = {u.code: u for u in dispatch_units(user)}
    parsed: list[tuple[int, ParsedTask]] = []
    seen: dict[tuple, int] = {}
    for row in rows:
        item = _parse(row, units, report, user, today)
        if item is None:
            continue
        key = (item.title, item.lead_unit.pk, item.deadline)
        if key in seen:
            report.error(row.number, "督办事项", f"与第 {seen[key]} 行重复")
            continue
        seen[key] = row.number
        parsed.append((row.number, item))
    if report.errors:
        return report
    kind = SourceKind.MEETING if meeting else SourceKind.IMPORT
    with transaction.atomic():
        for _, item in parsed:
            existing = Task.objects.filter(
                source_kind=kind,
                source_id=meeting.pk if meeting else None,
                title=item.title,
                lead_unit=item.lead_unit,
                deadline=item.deadline,
            )
            if existing.exists():
                report.unchanged += 1
                continue
            open_task(
                source_kind=kind,
                source_id=meeting.pk if meeting else None,
                source_label=str(meeting) if meeting else (item.source_label or filename),
                title=item.title,
                detail=item.detail,
                lead_unit=item.lead_unit,
                helpers=item.helpers,
                deadline=item.deadline,
                priority=item.priority,
                created_by=user,
                opened_on=today,
            )
            report.created += 1
        if dry_run:
            transaction.set_rollback(True)
    return report
