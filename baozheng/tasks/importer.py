"""Importing tasks from a spreadsheet (the lists of decisions that arrive as Excel after
the city's meetings), under the product's import contract (`baozheng.lib.tabular`): every
row checked and every problem reported in Chinese, nothing written when any row is wrong,
a dry run reports what a real import would do, and importing the same file again adds
nothing (a task with the same source, content, lead unit and deadline is already there).
The mechanics are the importer skeleton's (`lib.tabular.Importer`); this module holds the
rules of a task row.

Columns: 督办事项 (required), 具体要求, 牵头单位 (code or exact name, required), 配合单位
(several, separated by 、 , ， ； or ;), 办结时限 (YYYY-MM-DD, required), 紧急程度
(一般 / 重要 / 紧急, default 一般), 来源说明.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from baozheng.lib.bounds import over, text_limit
from baozheng.lib.tabular import Column, Importer, ImportReport, Row, UpsertPlan, match_one
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


def import_tasks(
    data: bytes,
    filename: str,
    user: Any,
    today: date,
    meeting: Meeting | None = None,
    dry_run: bool = False,
) -> ImportReport:
    """Raise a task for each row; a meeting given makes them that meeting's decisions."""
    return TaskImporter(user, today, meeting, filename).run(data, filename, dry_run)


class TaskImporter(Importer[ParsedTask]):
    """A task per row; one already raised from the same source is unchanged (never
    updated: a task once dispatched is changed by its own workflow, not by a file)."""

    kind, columns = "督办事项", COLUMNS

    def __init__(self, user: Any, today: date, meeting: Meeting | None, filename: str) -> None:
        from baozheng.tasks.forms import dispatch_units

        self.user, self.today, self.meeting, self.filename = user, today, meeting, filename
        self.units = {u.code: u for u in dispatch_units(user)}
        self.pairs = [(u.code, u.name) for u in self.units.values()]
        self.source_kind = SourceKind.MEETING if meeting else SourceKind.IMPORT

    def parse_row(self, row: Row, report: ImportReport) -> ParsedTask | None:
        errors_before = len(report.errors)
        title = row.get("title").strip()
        if not title:
            report.error(row.number, "督办事项", "不能为空")
        elif len(title) > (limit := text_limit(Task, "title")):
            report.error(row.number, "督办事项", over(limit, len(title)))
        lead = None
        if row.get("lead_unit").strip():
            lead = self._unit(row, report, row.get("lead_unit"), "牵头单位")
        else:
            report.error(row.number, "牵头单位", "不能为空")
        helpers = [
            found
            for name in SEPARATORS.split(row.get("helpers"))
            if name.strip() and (found := self._unit(row, report, name, "配合单位")) is not None
        ]
        deadline = None
        try:
            deadline = date.fromisoformat(row.get("deadline").strip())
        except ValueError:
            report.error(
                row.number, "办结时限", f"“{row.get('deadline')}”不是 YYYY-MM-DD 形式的日期"
            )
        if deadline is not None and deadline < self.today:
            report.error(row.number, "办结时限", f"{deadline:%Y-%m-%d} 早于今天")
        priority_text = row.get("priority").strip() or "一般"
        priority = PRIORITIES.get(priority_text)
        if priority is None:
            report.error(row.number, "紧急程度", f"“{priority_text}”应为 一般、重要 或 紧急")
        source_label = row.get("source_label").strip()
        limit = text_limit(Task, "source_label")
        if len(source_label) > limit:  # refused, not cut: an import loses nothing it was given
            report.error(row.number, "来源说明", over(limit, len(source_label)))
        if len(report.errors) > errors_before or lead is None or deadline is None:
            return None
        return ParsedTask(
            title,
            row.get("detail").strip(),
            lead,
            helpers,
            deadline,
            priority or "",
            source_label,
        )

    def _unit(self, row: Row, report: ImportReport, text: str, column: str) -> Unit | None:
        try:
            found = self.units[match_one(text, self.pairs, "单位")]
        except ValueError as error:
            report.error(row.number, column, str(error))
            return None
        if not can(self.user, Cap.DISPATCH, found):
            report.error(row.number, column, f"您无权向“{found.name}”交办事项")
            return None
        return found

    def key(self, item: ParsedTask) -> tuple:
        return (item.title, item.lead_unit.pk, item.deadline)

    def duplicate(self, key: object, first: int) -> tuple[str, str]:
        return "督办事项", f"与第 {first} 行重复"

    def plan(self, items: list[ParsedTask], report: ImportReport) -> UpsertPlan:
        """One lookup for the chunk: the tasks already raised from this source."""
        raised = set(
            Task.objects.filter(
                source_kind=self.source_kind,
                source_id=self.meeting.pk if self.meeting else None,
                title__in={item.title for item in items},
            ).values_list("title", "lead_unit_id", "deadline")
        )
        plan: UpsertPlan[ParsedTask] = UpsertPlan()
        for item in items:
            if self.key(item) in raised:
                plan.unchanged += 1
            else:
                plan.creates.append(item)
        return plan

    def commit(self, plan: UpsertPlan, batch: object) -> None:
        """Through `open_task`, so that each task is opened and audited as one raised by hand."""
        meeting = self.meeting
        for item in plan.creates:
            open_task(
                source_kind=self.source_kind,
                source_id=meeting.pk if meeting else None,
                source_label=str(meeting) if meeting else (item.source_label or self.filename),
                title=item.title,
                detail=item.detail,
                lead_unit=item.lead_unit,
                helpers=item.helpers,
                deadline=item.deadline,
                priority=item.priority,
                created_by=self.user,
                opened_on=self.today,
            )
