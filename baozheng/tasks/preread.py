"""The pre-read (会前材料) of a dispatch meeting, generated from what is true on the
meeting day (an upcoming meeting reads today), in five sections:

1. statistics red and yellow lights of the latest released period;
2. lagging key projects and their unresolved support requests (要素保障);
3. overdue (red) and lagging (yellow) tasks;
4. enterprise requests past their time limit;
5. the previous meeting's decisions with their status.

Each section asks the owning app through its public functions and shows only what the
reading user may see. The statistics period comes from `statistics_period` alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.urls import reverse

from baozheng.analysis.periods import Period
from baozheng.org.models import Unit
from baozheng.tasks.models import OPEN_STATUSES, Meeting, MeetingState, RequestStatus, SourceKind

LIGHT_WORDS = {"red": "红灯", "yellow": "黄灯", "blue": "蓝灯", "green": "绿灯", "": "已销号"}


@dataclass(frozen=True)
class PreReadItem:
    title: str
    detail: str = ""
    light: str = ""
    url: str = ""


@dataclass(frozen=True)
class PreReadSection:
    title: str
    items: list[PreReadItem] = field(default_factory=list)
    note: str = ""


def statistics_period(parent: Unit | None) -> Period | None:
    """The period whose lights the pre-read shows: the monitor pages' default, the latest
    released period (before any release, the newest month with approved figures)."""
    from baozheng.monitor.context import default_period
    from baozheng.stats.released import released_periods

    return default_period(parent, released_periods())


def statistics_lights(user: Any, since: date | None) -> PreReadSection:
    from baozheng.monitor.context import default_parent
    from baozheng.monitor.labels import status_label
    from baozheng.monitor.report import load_report

    title = "一、统计监测红黄灯指标"
    parent = default_parent(user)
    period = statistics_period(parent) if parent else None
    if period is None:
        return PreReadSection(title, note="尚无已审核发布的统计数据")
    report = load_report(period, parent, user)
    rows = sorted(report.warnings(), key=lambda r: (r.status != "off_track", r.indicator.order))
    items = [
        PreReadItem(
            f"{row.unit.display_name}·{row.indicator.name}",
            status_label(row.status),
            "red" if row.status == "off_track" else "yellow",
            reverse("monitor-indicator", args=[row.indicator.code]) + f"?period={period.code}",
        )
        for row in rows
    ]
    since_text = f"，上次会议（{since:%Y年%m月%d日}）以来" if since else ""
    return PreReadSection(title, items, f"最新发布期：{period.label}{since_text}")


def lagging_projects(user: Any, on: date) -> PreReadSection:
    from baozheng.projects.facts import load_facts, reporting_month, visible_projects
    from baozheng.projects.figures import lagging
    from baozheng.projects.models import SupportRequest
    from baozheng.tasks.access import visible_tasks

    month = reporting_month(on)
    facts = lagging(load_facts(visible_projects(user), month))
    items = [
        PreReadItem(
            f"{f.code} {f.name}（{f.county_name}）",
            "；".join(a.message for a in f.alerts),
            f.level or "",
            reverse("projects-detail", args=[f.id]),
        )
        for f in facts
    ]
    open_tasks = visible_tasks(user).exclude(status="closed")
    supports = (
        SupportRequest.objects.filter(task__in=open_tasks)
        .select_related("project", "task__lead_unit")
        .order_by("task__deadline")
    )
    items += [
        PreReadItem(
            f"要素保障：{s.project.name}·{s.get_category_display()}",
            f"{s.task.lead_unit.display_name}牵头，时限 {s.task.deadline:%m月%d日}，"
            f"{s.task.get_status_display()}",
            "red" if s.task.deadline < on else "",
            reverse("tasks-detail", args=[s.task_id]),
        )
        for s in supports
    ]
    return PreReadSection(
        "二、滞后项目和未解决的要素保障诉求", items, f"项目进度截至 {month.span_label}"
    )


def red_tasks(user: Any, on: date) -> PreReadSection:
    from baozheng.tasks.access import visible_tasks
    from baozheng.tasks.services import colour

    found = []
    tasks = visible_tasks(user).filter(status__in=OPEN_STATUSES).select_related("lead_unit")
    for task in tasks:
        light = colour(task, on)
        if light not in ("red", "yellow"):
            continue
        state = (
            f"已超期 {(on - task.deadline).days} 天"
            if light == "red"
            else f"进度 {task.percent_done}%，滞后于时间进度"
        )
        found.append(
            PreReadItem(
                f"{task.code} {task.title}",
                f"{task.lead_unit.display_name}牵头，时限 {task.deadline:%Y年%m月%d日}，{state}",
                light,
                reverse("tasks-detail", args=[task.pk]),
            )
        )
    found.sort(key=lambda i: i.light != "red")
    return PreReadSection("三、超期（红灯）和进度滞后（黄灯）督办事项", found)


def late_requests(user: Any, on: date) -> PreReadSection:
    from baozheng.tasks.access import visible_requests
    from baozheng.tasks.green_channel import deadlines

    pending = (RequestStatus.RECEIVED, RequestStatus.ASSIGNED, RequestStatus.HANDLED)
    items = []
    for req in visible_requests(user).filter(status__in=pending).order_by("received_on"):
        limits = deadlines(req)
        stage = "route" if req.status == RequestStatus.RECEIVED else "solve"
        if on <= limits[stage]:
            continue
        what = "交办" if stage == "route" else "办结"
        unit = req.department.display_name if req.department else "未交办"
        items.append(
            PreReadItem(
                f"{req.receipt_code} {req.enterprise.name}·{req.get_category_display()}",
                f"{unit}，{req.get_status_display()}，{what}时限 {limits[stage]:%m月%d日}，"
                f"已超 {(on - limits[stage]).days} 天",
                "red",
                reverse("tasks-request", args=[req.pk]),
            )
        )
    return PreReadSection("四、超过办理时限的企业诉求", items)


def previous_decisions(user: Any, meeting: Meeting, on: date) -> PreReadSection:
    from baozheng.tasks.access import visible_tasks
    from baozheng.tasks.meetings import previous_meeting
    from baozheng.tasks.services import colour

    title = "五、上次会议议定事项办理情况"
    previous = previous_meeting(meeting)
    if previous is None:
        return PreReadSection(title, note="本会议之前没有同类会议")
    tasks = visible_tasks(user).filter(source_kind=SourceKind.MEETING, source_id=previous.pk)
    items = []
    for task in tasks.select_related("lead_unit"):
        light = colour(task, on)
        items.append(
            PreReadItem(
                f"{task.code} {task.title}",
                f"{task.lead_unit.display_name}牵头，{task.get_status_display()}，"
                f"进度 {task.percent_done}%，{LIGHT_WORDS.get(light, '')}",
                light,
                reverse("tasks-detail", args=[task.pk]),
            )
        )
    return PreReadSection(title, items, f"上次会议：{previous}")


def reading_day(meeting: Meeting, today: date) -> date:
    """The day the pre-read describes: a held meeting's own day, otherwise today."""
    return min(meeting.held_on, today) if meeting.state == MeetingState.HELD else today


def build(user: Any, meeting: Meeting, on: date) -> list[PreReadSection]:
    from baozheng.tasks.meetings import previous_meeting

    previous = previous_meeting(meeting)
    return [
        statistics_lights(user, previous.held_on if previous else None),
        lagging_projects(user, on),
        red_tasks(user, on),
        late_requests(user, on),
        previous_decisions(user, meeting, on),
    ]


def to_docx(meeting: Meeting, sections: list[PreReadSection], on: date) -> bytes:
    """The pre-read as a Word document in the official-document layout."""
    from baozheng.lib.office import add_table, document_bytes, official_document

    doc = official_document(f"{meeting.title}会前材料", f"截至 {on:%Y年%m月%d日}")
    for section in sections:
        doc.add_paragraph(section.title)
        if section.note:
            doc.add_paragraph(section.note)
        if section.items:
            add_table(
                doc,
                ["序号", "事项", "情况", "灯色"],
                [
                    [n, i.title, i.detail, LIGHT_WORDS.get(i.light, "") if i.light else "—"]
                    for n, i in enumerate(section.items, 1)
                ],
                status_column=3,
                status_of=[i.light for i in section.items],
            )
        else:
            doc.add_paragraph("无。")
    return document_bytes(doc)
