"""The supervision notice (督查通报): task completion by lead unit over a span of days
(a calendar month by default), naming the units behind.

For each lead unit, over the span [start, end]:

- 到期事项: tasks whose deadline falls in the span;
- 按期反馈: tasks reported in the span on or before their deadline;
- 超期反馈: tasks reported in the span after their deadline;
- 超期未办结: tasks not reported by the end of the span whose deadline passed before it;
- 红灯升级: tasks that had a red (escalation) reminder sent in the span;
- 退回重办: returns for rework (已反馈/核实 → 办理中) made in the span.

The same figures are read by the assessment (`unit_figures`), so the notice and the score
never disagree.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db.models import QuerySet

from baozheng.lib.office import add_table, document_bytes, official_document
from baozheng.tasks.models import (
    AWAITING_VERIFICATION,
    ProgressKind,
    Reminder,
    Status,
    Task,
    TaskProgress,
)

FIGURES = ("due", "on_time", "late", "overdue", "red", "reopened")
HEADERS = ["牵头单位", "到期事项", "按期反馈", "超期反馈", "超期未办结", "红灯升级", "退回重办"]


@dataclass
class UnitLine:
    """A lead unit's figures. The page's table may use the short name (`name`); the notice's
    sentences, its Word document and its export name the unit in full, as a 公文 does."""

    code: str
    name: str
    full_name: str
    due: int = 0
    on_time: int = 0
    late: int = 0
    overdue: int = 0
    red: int = 0
    reopened: int = 0
    overdue_titles: list[str] = field(default_factory=list)

    def values(self) -> list[int]:
        return [getattr(self, f) for f in FIGURES]


@dataclass
class Notice:
    start: date
    end: date
    lines: list[UnitLine]

    @property
    def title(self) -> str:
        return f"{self.start.year}年{self.start.month}月督查通报"

    @property
    def behind(self) -> list[UnitLine]:
        """Units with overdue tasks, most overdue first: the units the notice names."""
        return sorted(
            (line for line in self.lines if line.overdue),
            key=lambda line: (-line.overdue, line.code),
        )

    def totals(self) -> list[int]:
        return [sum(line.values()[i] for line in self.lines) for i in range(len(FIGURES))]


def month_span(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def build(tasks: QuerySet[Task], start: date, end: date) -> Notice:
    lines: dict[int, UnitLine] = {}

    def line(task: Task) -> UnitLine:
        unit = task.lead_unit
        if unit.pk not in lines:
            lines[unit.pk] = UnitLine(unit.code, unit.display_name, unit.name)
        return lines[unit.pk]

    relevant = tasks.filter(opened_on__lte=end).select_related("lead_unit")
    for task in relevant:
        reported = (
            task.reported_on if task.status in (*AWAITING_VERIFICATION, Status.CLOSED) else None
        )
        if start <= task.deadline <= end:
            line(task).due += 1
        if reported is not None and start <= reported <= end:
            if reported <= task.deadline:
                line(task).on_time += 1
            else:
                line(task).late += 1
        if task.deadline < end and (reported is None or reported > end):
            found = line(task)
            found.overdue += 1
            found.overdue_titles.append(f"{task.code} {task.title}")
    red = (
        Reminder.objects.filter(
            task__in=relevant, light="red", sent_at__date__gte=start, sent_at__date__lte=end
        )
        .values_list("task_id", flat=True)
        .distinct()
    )
    returns = TaskProgress.objects.filter(
        task__in=relevant,
        kind=ProgressKind.TRANSITION,
        to_status=Status.IN_PROGRESS,
        from_status__in=AWAITING_VERIFICATION,
        created_at__date__gte=start,
        created_at__date__lte=end,
    ).values_list("task_id", flat=True)
    by_id = {t.pk: t for t in relevant}
    for task_id in red:
        line(by_id[task_id]).red += 1
    for task_id in returns:
        line(by_id[task_id]).reopened += 1
    ordered = sorted(lines.values(), key=lambda x: x.code)
    return Notice(start, end, [x for x in ordered if any(x.values())])


def unit_figures(unit_codes: Iterable[str], start: date, end: date) -> dict[str, dict[str, int]]:
    """Each unit's notice figures over the span, for the assessment."""
    codes = list(unit_codes)
    notice = build(Task.objects.filter(lead_unit__code__in=codes), start, end)
    found = {x.code: dict(zip(FIGURES, x.values(), strict=True)) for x in notice.lines}
    return {code: found.get(code, dict.fromkeys(FIGURES, 0)) for code in codes}


def summary(notice: Notice) -> str:
    due, on_time, late, overdue, red, reopened = notice.totals()
    text = (
        f"{notice.start:%Y年%m月%d日}至{notice.end:%Y年%m月%d日}，到期督办事项 {due} 项；"
        f"按期反馈 {on_time} 项，超期反馈 {late} 项；截至期末超期未办结 {overdue} 项，"
        f"红灯升级督办 {red} 项，退回重办 {reopened} 次。"
    )
    if notice.behind:
        named = "、".join(f"{x.full_name}（{x.overdue} 项）" for x in notice.behind)
        text += f"存在超期未办结事项的牵头单位：{named}，予以通报，请限期办结。"
    else:
        text += "无超期未办结事项。"
    return text


def to_docx(notice: Notice) -> bytes:
    doc = official_document(notice.title, f"（{notice.start.year}年第{notice.start.month}期）")
    doc.add_paragraph(summary(notice))
    doc.add_paragraph("一、各牵头单位督办事项办理情况")
    add_table(doc, HEADERS, [[x.full_name, *x.values()] for x in notice.lines])
    if notice.behind:
        doc.add_paragraph("二、超期未办结事项")
        add_table(
            doc,
            ["牵头单位", "事项"],
            [[x.full_name, t] for x in notice.behind for t in x.overdue_titles],
        )
    return document_bytes(doc)
