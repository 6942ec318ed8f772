"""Leaders' instructions (批示): the list and its xlsx, a new instruction followed as a
new task, an instruction joining an existing task, and the lead unit's feedback."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from baozheng.lib.once import once
from baozheng.org.permissions import can, require
from baozheng.org.roles import Cap
from baozheng.tasks.access import one_visible, visible_task
from baozheng.tasks.forms import FeedbackForm, InstructionForm, InstructionTaskForm
from baozheng.tasks.instructions import instruct, report_back, visible_instructions
from baozheng.tasks.models import Instruction, SourceKind
from baozheng.tasks.services import LifecycleError, today
from baozheng.tasks.views.common import export_list, open_from_form

EXPORT_HEADERS = [
    "批示日期",
    "批示领导",
    "批示对象",
    "批示内容",
    "督办事项编号",
    "督办事项",
    "事项状态",
    "牵头单位",
    "反馈日期",
    "办理情况反馈",
    "反馈人",
]


def _export(instructions: QuerySet[Instruction]) -> HttpResponse:
    """The list as the office forwards it: the content and the feedback whole (the page
    cuts both), the task's title and state, the lead unit's full name."""
    rows = [
        [
            i.given_on,
            i.leader,
            f"{i.get_target_kind_display()}：{i.target_label}",
            i.content,
            i.task.code,
            i.task.title,
            i.task.get_status_display(),
            i.task.lead_unit.name,
            i.fed_back_on,
            i.feedback or "未反馈",
            str(i.fed_back_by or ""),
        ]
        for i in instructions
    ]
    return export_list("领导批示", EXPORT_HEADERS, rows)


@require(Cap.VIEW)
def instruction_list(request: HttpRequest) -> HttpResponse:
    instructions = visible_instructions(request.user)
    if request.GET.get("export") == "xlsx":
        return _export(instructions)
    return render(
        request,
        "tasks/instruction_list.html",
        {"instructions": instructions, "can_create": can(request.user, Cap.DISPATCH)},
    )


@require(Cap.DISPATCH)
@once
def instruction_new(request: HttpRequest) -> HttpResponse:
    """An instruction on a project, request or bulletin item: a new task follows it."""
    form = InstructionTaskForm(request.POST or None, user=request.user, initial=request.GET)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with transaction.atomic():
            label = f"{data['leader']}批示：{data['target_label']}"
            task = open_from_form(form, request.user, SourceKind.INSTRUCTION, None, label)
            if task is not None:
                instruct(
                    task,
                    leader=data["leader"],
                    given_on=data["given_on"],
                    content=data["content"],
                    user=request.user,
                    today=today(),
                    target_kind=data["target_kind"],
                    target_label=data["target_label"],
                )
        if task is not None:
            messages.success(request, f"领导批示已登记并立项督办：{task.code}")
            return redirect("tasks-detail", pk=task.pk)
    return render(
        request,
        "tasks/task_form.html",
        {"form": form, "title": "登记领导批示"},
        status=400 if form.errors else 200,
    )


@require(Cap.DISPATCH)
@require_POST
@once
def task_instruct(request: HttpRequest, pk: int) -> HttpResponse:
    """An instruction written on an existing task joins it."""
    task = visible_task(request.user, pk)
    form = InstructionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写批示领导、批示日期和批示内容")
        return redirect("tasks-detail", pk=task.pk)
    try:
        instruct(task, user=request.user, today=today(), **form.cleaned_data)
        messages.success(request, "领导批示已登记")
    except LifecycleError as error:
        messages.error(request, str(error))
    return redirect("tasks-detail", pk=task.pk)


@require(Cap.ENTER)
@require_POST
def instruction_feedback(request: HttpRequest, pk: int) -> HttpResponse:
    instruction = one_visible(visible_instructions(request.user), pk, "批示")
    form = FeedbackForm(request.POST)
    try:
        if not form.is_valid():
            raise LifecycleError("请填写办理情况")
        report_back(instruction, form.cleaned_data["feedback"], request.user, today())
        messages.success(request, "批示办理情况已反馈")
    except LifecycleError as error:
        messages.error(request, str(error))
    return redirect("tasks-detail", pk=instruction.task_id)
