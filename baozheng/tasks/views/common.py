"""Helpers shared by the task pages (not views themselves): task rows with their lights,
the xlsx export of a list (`?export=xlsx`), and opening a task from a task form
(meetings, visits, instructions and tasks raised by hand)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpResponse
from openpyxl import Workbook

from baozheng.lib.gongwen import date_text
from baozheng.lib.office import XLSX, download, new_workbook, table_sheet, workbook_bytes
from baozheng.org.permissions import can
from baozheng.org.roles import Cap
from baozheng.tasks.forms import TaskForm
from baozheng.tasks.models import Task
from baozheng.tasks.services import COLOUR_LABELS, LifecycleError, colour, open_task, today


@dataclass
class Row:
    task: Task
    light: str

    @property
    def light_label(self) -> str:
        return COLOUR_LABELS[self.light]


def rows_with_lights(tasks: QuerySet[Task], on: date) -> list[Row]:
    tasks = tasks.select_related("lead_unit", "owner").prefetch_related("helpers")
    return [Row(t, colour(t, on)) for t in tasks]


EXPORT_HEADERS = [
    "编号",
    "督办事项",
    "来源",
    "牵头单位",
    "配合单位",
    "责任人",
    "立项日期",
    "办结时限",
    "紧急程度",
    "状态",
    "完成进度（%）",
    "灯色",
]


def export_sheet(
    wb: Workbook,
    title: str,
    headers: Sequence[str],
    rows: Sequence[Sequence[object]],
    **options: Any,
) -> None:
    """One sheet of a list page's export: the page's title and, under it, the day it was
    taken, since the file is forwarded and filed away from the page it came from."""
    subtitle = f"导出日期：{date_text(today())}"
    table_sheet(wb, title, headers, rows, subtitle=subtitle, **options)


def export_download(wb: Workbook, title: str) -> HttpResponse:
    return download(workbook_bytes(wb), f"{title}.xlsx", XLSX)


def export_list(
    title: str, headers: Sequence[str], rows: Sequence[Sequence[object]], **options: Any
) -> HttpResponse:
    """A list page's export of one sheet (`export_sheet`), as the download."""
    wb = new_workbook()
    export_sheet(wb, title, headers, rows, **options)
    return export_download(wb, title)


def export(rows: list[Row], title: str) -> HttpResponse:
    data = [
        [
            r.task.code,
            r.task.title,
            f"{r.task.get_source_kind_display()} {r.task.source_label}".strip(),
            r.task.lead_unit.name,
            "、".join(u.name for u in r.task.helpers.all()),
            str(r.task.owner or ""),
            r.task.opened_on,
            r.task.deadline,
            r.task.get_priority_display(),
            r.task.get_status_display(),
            r.task.percent_done,
            r.light_label,
        ]
        for r in rows
    ]
    return export_list(
        title, EXPORT_HEADERS, data, status_column=11, status_of=[r.light for r in rows]
    )


def open_from_form(
    form: TaskForm, user, source_kind: str, source_id: int | None, label: str
) -> Task | None:
    data = form.cleaned_data
    if not can(user, Cap.DISPATCH, data["lead_unit"]):
        raise PermissionDenied("您无权向该单位交办事项")
    try:
        return open_task(
            source_kind=source_kind,
            source_id=source_id,
            source_label=label,
            title=data["title"],
            detail=data["detail"],
            lead_unit=data["lead_unit"],
            helpers=data["helpers"],
            deadline=data["deadline"],
            deadline_workdays=data["deadline_workdays"],
            priority=data["priority"],
            created_by=user,
        )
    except LifecycleError as exc:
        form.add_error(None, str(exc))
        return None
