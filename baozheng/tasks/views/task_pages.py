"""Task pages: my tasks, the dispatch office's board, a task's page with its lifecycle
buttons and progress form, a task raised by hand, and the xlsx export of every list."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from baozheng.lib.bounds import id_param
from baozheng.lib.once import once
from baozheng.org.models import Unit
from baozheng.org.permissions import can, primary_unit, require
from baozheng.org.roles import Cap
from baozheng.tasks import access
from baozheng.tasks.forms import ProgressForm, StepForm, TaskForm
from baozheng.tasks.models import Priority, SourceKind, Status, Task
from baozheng.tasks.services import (
    COLOUR_LABELS,
    STEPS,
    LifecycleError,
    add_progress,
    allowed_steps,
    colour,
    today,
    transition,
)
from baozheng.tasks.views.common import export, open_from_form, rows_with_lights

LIGHTS = ("red", "yellow", "blue", "green")


def _filter(request: HttpRequest, tasks: QuerySet[Task]) -> tuple[QuerySet[Task], dict]:
    params = {
        k: request.GET.get(k, "") for k in ("status", "light", "source", "priority", "unit", "q")
    }
    if params["status"] == "open":
        tasks = tasks.exclude(status=Status.CLOSED)
    elif params["status"] in Status.values:
        tasks = tasks.filter(status=params["status"])
    if params["source"] in SourceKind.values:
        tasks = tasks.filter(source_kind=params["source"])
    if params["priority"] in Priority.values:
        tasks = tasks.filter(priority=params["priority"])
    unit_id = id_param(params["unit"])
    if unit_id:
        tasks = tasks.filter(Q(lead_unit_id=unit_id) | Q(helpers__id=unit_id)).distinct()
    if params["q"]:
        tasks = tasks.filter(
            Q(title__icontains=params["q"]) | Q(source_label__icontains=params["q"])
        )
    return tasks, params


def _list(request: HttpRequest, base: QuerySet[Task], title: str, page: str) -> HttpResponse:
    tasks, params = _filter(request, base)
    rows = rows_with_lights(tasks, today())
    if params["light"] in LIGHTS:
        rows = [r for r in rows if r.light == params["light"]]
    if request.GET.get("export") == "xlsx":
        return export(rows, title)
    counts = {light: sum(r.light == light for r in rows) for light in LIGHTS}
    units = Unit.objects.filter(led_tasks__in=base).distinct().order_by("path")
    return render(
        request,
        "tasks/task_list.html",
        {
            "title": title,
            "rows": rows,
            "params": params,
            "statuses": Status.choices,
            "sources": SourceKind.choices,
            "priorities": Priority.choices,
            "units": units,
            "page": page,
            "lights": [(light, COLOUR_LABELS[light]) for light in LIGHTS],
            "light_counts": [(light, COLOUR_LABELS[light], counts[light]) for light in LIGHTS],
            "can_open": can(request.user, Cap.DISPATCH),
        },
    )


@require(Cap.VIEW)
def mine(request: HttpRequest) -> HttpResponse:
    """The tasks of my unit (lead or help), those I am responsible for, and those I raised."""
    user = request.user
    unit = primary_unit(user)
    q = Q(owner=user) | Q(created_by=user)
    if unit is not None and not access.oversees(user):
        q |= Q(lead_unit__path__startswith=unit.path) | Q(helpers__path__startswith=unit.path)
    tasks = access.visible_tasks(user).filter(q).distinct()
    if not request.GET.get("status"):
        tasks = tasks.exclude(status=Status.CLOSED)
    return _list(request, tasks, "我的督办事项", "mine")


@require(Cap.VIEW)
def board(request: HttpRequest) -> HttpResponse:
    return _list(request, access.visible_tasks(request.user), "督办事项台账", "board")


@require(Cap.VIEW)
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    task = access.visible_task(request.user, pk)
    return render(request, "tasks/task_detail.html", _detail_context(request, task))


def _detail_context(request: HttpRequest, task: Task) -> dict:
    user = request.user
    light = colour(task, today())
    return {
        "task": task,
        "light": light,
        "light_label": COLOUR_LABELS[light],
        "steps": allowed_steps(task, user),
        "history": task.progress.select_related("author", "unit"),
        "may_report": task.status != Status.CLOSED
        and (access.leads(user, task) or access.helps(user, task)),
        "leads": access.leads(user, task),
        "progress_form": ProgressForm(),
        "helpers": task.helpers.all(),
        "reminders": task.reminders.filter(sent_at__isnull=False)[:20],
        "instructions": task.instructions.select_related("fed_back_by"),
        "may_instruct": access.verifies(user, task),
    }


@require(Cap.ENTER)
@require_POST
def step(request: HttpRequest, pk: int) -> HttpResponse:
    task = access.visible_task(request.user, pk)
    form = StepForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "请求无效")
    else:
        try:
            done = transition(
                task,
                form.cleaned_data["to_status"],
                request.user,
                form.cleaned_data["note"],
                form.cleaned_data["attachment"],
            )
            # The step's own words: a status label after "已" read "已已反馈" or "已核实"
            # (for verification only begun).
            taken = STEPS[(task.status, done.status)].label
            messages.success(request, f"已{taken}，当前状态：{done.get_status_display()}")
        except LifecycleError as exc:
            messages.error(request, str(exc))
    return redirect("tasks-detail", pk=task.pk)


@require(Cap.ENTER)
@require_POST
@once
def progress(request: HttpRequest, pk: int) -> HttpResponse:
    task = access.visible_task(request.user, pk)
    form = ProgressForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            add_progress(
                task,
                request.user,
                form.cleaned_data["note"],
                form.cleaned_data["percent_done"],
                form.cleaned_data["attachment"],
            )
            messages.success(request, "办理进展已填报")
        except LifecycleError as exc:
            messages.error(request, str(exc))
    else:
        problems = [str(e) for errors in form.errors.values() for e in errors]
        messages.error(
            request, "；".join(problems) if form.has_error("attachment") else "请填写办理进展"
        )
    return redirect("tasks-detail", pk=task.pk)


@require(Cap.DISPATCH)
@once
def new(request: HttpRequest) -> HttpResponse:
    form = TaskForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        task = open_from_form(form, request.user, SourceKind.MANUAL, None, "领导交办")
        if task:
            messages.success(request, f"已立项：{task.code}")
            return redirect("tasks-detail", pk=task.pk)
    return render(request, "tasks/task_form.html", {"form": form, "title": "新建督办事项"})
