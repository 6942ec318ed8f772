"""Leaders' instructions (批示): recorded by the dispatch office on an existing task (the
instruction joins it) or on a project, request or bulletin item (a new task follows it);
the lead unit reports back how it was carried out (办理情况反馈)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet

from baozheng.tasks import access
from baozheng.tasks.models import Instruction, InstructionTarget, Task
from baozheng.tasks.services import LifecycleError


def visible_instructions(user: Any) -> QuerySet[Instruction]:
    """An instruction is seen by whoever sees the task that follows it."""
    return Instruction.objects.filter(task__in=access.visible_tasks(user)).select_related(
        "task__lead_unit", "fed_back_by"
    )


def _check(leader: str, content: str, given_on: date | None, today: date) -> None:
    if not leader.strip() or not content.strip():
        raise LifecycleError("请填写批示领导和批示内容")
    if given_on is None or given_on > today:
        raise LifecycleError("批示日期不能晚于今天")


@transaction.atomic
def instruct(
    task: Task,
    *,
    leader: str,
    given_on: date,
    content: str,
    user: Any,
    today: date,
    target_kind: str = InstructionTarget.TASK,
    target_label: str = "",
) -> Instruction:
    if not access.verifies(user, task):
        raise PermissionDenied("只有调度办可以登记领导批示")
    _check(leader, content, given_on, today)
    return Instruction.objects.create(
        target_kind=target_kind,
        target_label=(target_label or f"{task.code} {task.title}")[:200],
        leader=leader.strip(),
        given_on=given_on,
        content=content.strip(),
        task=task,
        recorded_by=user,
    )


def report_back(instruction: Instruction, text: str, user: Any, today: date) -> Instruction:
    """The lead unit's report to the leader on how the instruction was carried out."""
    if not access.leads(user, instruction.task):
        raise PermissionDenied("只有牵头单位可以反馈批示办理情况")
    if not text.strip():
        raise LifecycleError("请填写办理情况")
    instruction.feedback = text.strip()
    instruction.fed_back_on = today
    instruction.fed_back_by = user
    instruction.save()
    return instruction
