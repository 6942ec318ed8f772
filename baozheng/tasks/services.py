"""Tracked-task services: the API every app uses to raise and move a 督办事项.

Meeting decisions, key-project support requests (要素保障) and enterprise requests (诉求)
all become tasks through these functions, so that one lifecycle, one set of deadlines and
one escalation serve them all.

Raise a task::

    from baozheng.tasks.models import SourceKind, Priority
    from baozheng.tasks.services import open_task

    task = open_task(
        source_kind=SourceKind.PROJECT, source_id=problem.pk, source_label="某项目·用电报装",
        title="协调解决项目用电报装", lead_unit=power_company, helpers=[county],
        owner=None, deadline_workdays=7, priority=Priority.HIGH, created_by=request.user,
    )

`open_task` does not check permissions: the calling view decides who may raise a task
from its source (the dispatch office for a meeting decision, a project's reporter for a
support request). Give either `deadline` (a date) or `deadline_workdays` (N working days
after `opened_on`, default today, counted with the statutory-holiday calendar).

Move a task: `transition(task, to_status, user, note="", attachment=None)` enforces the
lifecycle below and who may take each step (`baozheng.tasks.access`), raising
`LifecycleError` (a Chinese message) for a step the lifecycle does not allow and
`PermissionDenied` for a user who may not take it::

    立项 ──lead──▶ 办理中 ──lead: 反馈（须写办结情况）──▶ 已反馈 ──dispatch──▶ 核实 ──dispatch──▶ 办结销号
                     ▲                                      │                  │
                     └────── dispatch: 退回整改（须写原因） ──┴──────────────────┘

`add_progress(task, user, note, percent_done=None, attachment=None)` records a progress
note (lead or helping unit); the lead unit's first note also starts work (立项 → 办理中).

`colour(task, today)` is the warning light: "red" overdue (or reported after the
deadline), "yellow" behind its time progress by more than `YELLOW_LAG_POINTS`, "blue"
within `BLUE_WORKDAYS` working days of the deadline, "green" otherwise, "" once closed.
A task awaiting verification is judged on the day it was reported: its clock has stopped.

Source apps follow their tasks through the `task_changed` signal (sender=Task, task,
from_status, to_status, user), sent after every lifecycle step.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.db import transaction
from django.db.models import QuerySet
from django.dispatch import Signal
from django.utils import timezone

from baozheng.lib import saved
from baozheng.org import audit_diff
from baozheng.org.models import Unit
from baozheng.tasks import access
from baozheng.tasks.models import (
    AWAITING_VERIFICATION,
    Priority,
    ProgressKind,
    SourceKind,
    Status,
    Task,
    TaskProgress,
)
from baozheng.workcal.calendar import add_workdays, workdays_between

BLUE_WORKDAYS = 3
YELLOW_LAG_POINTS = 10
COLOUR_LABELS = {
    "red": "红灯（超期）",
    "yellow": "黄灯（滞后）",
    "blue": "蓝灯（临期）",
    "green": "绿灯（正常）",
    "": "已销号",
}

task_changed = Signal()


class LifecycleError(ValueError):
    """A step the lifecycle does not allow, or a step missing what it needs (a reason)."""


LEAD, DISPATCH = "lead", "dispatch"


@dataclass(frozen=True)
class Step:
    actor: str
    label: str
    needs_note: str = ""


STEPS: dict[tuple[str, str], Step] = {
    (Status.OPENED, Status.IN_PROGRESS): Step(LEAD, "签收办理"),
    (Status.IN_PROGRESS, Status.REPORTED): Step(LEAD, "反馈办结", "请填写办理结果（办结佐证）"),
    (Status.REPORTED, Status.VERIFYING): Step(DISPATCH, "开始核实"),
    (Status.VERIFYING, Status.CLOSED): Step(DISPATCH, "核实通过，办结销号"),
    (Status.REPORTED, Status.IN_PROGRESS): Step(DISPATCH, "退回整改", "请填写退回整改的原因"),
    (Status.VERIFYING, Status.IN_PROGRESS): Step(DISPATCH, "退回整改", "请填写退回整改的原因"),
}


def today() -> date:
    return timezone.localdate()


@transaction.atomic
def open_task(
    *,
    source_kind: str,
    source_id: int | None = None,
    source_label: str = "",
    title: str,
    lead_unit: Unit,
    helpers: Iterable[Unit] = (),
    owner: Any = None,
    deadline: date | None = None,
    deadline_workdays: int | None = None,
    priority: str = Priority.NORMAL,
    created_by: Any,
    detail: str = "",
    opened_on: date | None = None,
    is_demo: bool = False,
) -> Task:
    title = (title or "").strip()
    if not title:
        raise LifecycleError("请填写督办事项内容")
    if source_kind not in SourceKind.values:
        raise LifecycleError(f"未知的事项来源“{source_kind}”")
    opened_on = opened_on or today()
    deadline = resolve_deadline(opened_on, deadline, deadline_workdays)
    task = Task.objects.create(
        source_kind=source_kind,
        source_id=source_id,
        source_label=source_label[:200],
        title=title[:300],
        detail=detail,
        lead_unit=lead_unit,
        owner=owner,
        created_by=created_by,
        opened_on=opened_on,
        deadline=deadline,
        priority=priority,
        is_demo=is_demo,
    )
    # A new task has no helpers to compare with: neither `set`'s read nor `add`'s.
    saved.add_to_new(task.helpers, [u for u in helpers if u.pk != lead_unit.pk])
    TaskProgress.objects.create(
        task=task,
        kind=ProgressKind.TRANSITION,
        author=created_by,
        to_status=Status.OPENED,
        note=f"立项，牵头单位：{lead_unit.name}，办结时限：{deadline:%Y-%m-%d}",
    )
    return task


def resolve_deadline(opened_on: date, deadline: date | None, workdays: int | None) -> date:
    if (deadline is None) == (workdays is None):
        raise LifecycleError("请给出办结时限：具体日期或工作日数，二者选一")
    if workdays is not None:
        if workdays < 1:
            raise LifecycleError("办结时限的工作日数至少为 1")
        return add_workdays(opened_on, workdays)
    if deadline < opened_on:
        raise LifecycleError("办结时限不能早于立项日期")
    return deadline


def allowed_steps(task: Task, user: Any) -> list[tuple[str, Step]]:
    """The steps this user may take on this task now (the buttons on its page)."""
    return [
        (to, step)
        for (frm, to), step in STEPS.items()
        if frm == task.status and _may(user, task, step.actor)
    ]


def _may(user: Any, task: Task, actor: str) -> bool:
    return access.verifies(user, task) if actor == DISPATCH else access.leads(user, task)


@transaction.atomic
def transition(
    task: Task, to_status: str, user: Any, note: str = "", attachment: File | None = None
) -> Task:
    # The lead unit read with the locked row (only the task's row locked): who may take
    # the step and the audit entry's unit need it, a query each step otherwise.
    task = Task.objects.select_for_update(of=("self",)).select_related("lead_unit").get(pk=task.pk)
    from_status = task.status
    step = STEPS.get((from_status, to_status))
    if step is None:
        raise LifecycleError(_refusal(from_status, to_status))
    if not _may(user, task, step.actor):
        who = "调度办" if step.actor == DISPATCH else "牵头单位或调度办"
        raise PermissionDenied(f"只有{who}可以“{step.label}”")
    note = (note or "").strip()
    if step.needs_note and not note:
        raise LifecycleError(step.needs_note)
    read = audit_diff.as_read(task)
    _apply(task, from_status, to_status, user, note, attachment)
    task.status = to_status
    with audit_diff.compared_with(read):
        task.save()
    TaskProgress.objects.create(
        task=task,
        kind=ProgressKind.TRANSITION,
        author=user,
        unit=getattr(user, "unit", None),
        from_status=from_status,
        to_status=to_status,
        note=note or step.label,
        attachment=attachment or "",
    )
    task_changed.send(
        sender=Task, task=task, from_status=from_status, to_status=to_status, user=user
    )
    return task


def _apply(
    task: Task, from_status: str, to_status: str, user: Any, note: str, attachment: File | None
) -> None:
    if to_status == Status.REPORTED:
        task.closure_evidence = note
        task.reported_on = today()
        task.percent_done = 100
        if attachment:
            task.closure_file = attachment
    elif to_status == Status.IN_PROGRESS and from_status in AWAITING_VERIFICATION:
        task.returned_reason = note
        task.return_count += 1
        task.reported_on = None
        task.percent_done = min(task.percent_done, 90)
    elif to_status == Status.CLOSED:
        task.verified_by = user
        task.closed_at = timezone.now()


def _refusal(from_status: str, to_status: str) -> str:
    labels = dict(Status.choices)
    nexts = [labels[to] for (frm, to) in STEPS if frm == from_status]
    options = "、".join(f"“{n}”" for n in nexts) if nexts else "无（事项已办结销号）"
    return (
        f"不能将督办事项从“{labels.get(from_status, from_status)}”改为"
        f"“{labels.get(to_status, to_status)}”，当前可办理的下一步：{options}"
    )


@transaction.atomic
def add_progress(
    task: Task,
    user: Any,
    note: str,
    percent_done: int | None = None,
    attachment: File | None = None,
) -> TaskProgress:
    note = (note or "").strip()
    if not note:
        raise LifecycleError("请填写办理进展")
    if task.status == Status.CLOSED:
        raise LifecycleError("事项已办结销号，不能再填报进展")
    is_lead = access.leads(user, task)
    if not (is_lead or access.helps(user, task)):
        raise PermissionDenied("只有牵头单位或配合单位可以填报办理进展")
    if percent_done is not None:
        if not is_lead:
            raise LifecycleError("完成进度由牵头单位填报")
        if not 0 <= percent_done <= 100:
            raise LifecycleError("完成进度应在 0 到 100 之间")
    read = None
    if is_lead and task.status == Status.OPENED:
        task = transition(task, Status.IN_PROGRESS, user)
        read = audit_diff.as_read(task)  # the row as the step wrote it, still locked
    if percent_done is not None and task.status == Status.IN_PROGRESS:
        task.percent_done = min(percent_done, 99)
        with audit_diff.compared_with(read):
            task.save(update_fields=["percent_done"])
    return TaskProgress.objects.create(
        task=task,
        author=user,
        unit=getattr(user, "unit", None),
        note=note,
        percent_done=percent_done,
        attachment=attachment or "",
    )


def time_progress(task: Task, on: date) -> float:
    """Share (0–100) of the task's working days that have passed by `on`."""
    total = workdays_between(task.opened_on, task.deadline)
    if total <= 0:
        return 100.0
    elapsed = min(max(workdays_between(task.opened_on, on), 0), total)
    return 100.0 * elapsed / total


def colour(task: Task, today: date) -> str:
    if task.status == Status.CLOSED:
        return ""
    if task.status in AWAITING_VERIFICATION:
        reported = task.reported_on or today
        return "red" if reported > task.deadline else "green"
    if today > task.deadline:
        return "red"
    if time_progress(task, today) - task.percent_done > YELLOW_LAG_POINTS:
        return "yellow"
    if workdays_between(today, task.deadline) <= BLUE_WORKDAYS:
        return "blue"
    return "green"


def is_overdue(task: Task, today: date) -> bool:
    return colour(task, today) == "red"


def closed_on_time(task: Task) -> bool | None:
    """For closed tasks: reported by the deadline. None while still open."""
    if task.status != Status.CLOSED or task.reported_on is None:
        return None
    return task.reported_on <= task.deadline


def tasks_for_source(source_kind: str, source_id: int) -> QuerySet[Task]:
    return Task.objects.filter(source_kind=source_kind, source_id=source_id)
