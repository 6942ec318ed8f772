"""Inspection visits (督导) of a supervision group: record a visit with its photos, read
it, and raise each finding as a tracked task in one step."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from baozheng.lib.once import once
from baozheng.org.permissions import can, require
from baozheng.org.roles import Cap
from baozheng.tasks.access import one_visible, visible_groups, visible_tasks
from baozheng.tasks.forms import TaskForm, VisitForm
from baozheng.tasks.models import SourceKind, Visit, VisitPhoto
from baozheng.tasks.services import today
from baozheng.tasks.views.common import open_from_form, rows_with_lights
from baozheng.tasks.visits import may_record, record_visit, visible_visits, visitable_units


def _visit(request: HttpRequest, pk: int) -> Visit:
    return one_visible(visible_visits(request.user), pk, "督导记录")


@require(Cap.VIEW)
@once
def visit_new(request: HttpRequest, pk: int) -> HttpResponse:
    group = one_visible(visible_groups(request.user), pk, "督导服务组")
    if not may_record(request.user, group):
        raise PermissionDenied("只有本组成员和调度办可以登记督导")
    form = VisitForm(request.POST or None, units=visitable_units(group))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            visit = record_visit(
                group,
                visited_on=data["visited_on"],
                units=data["units"],
                checked=data["checked"],
                findings=data["findings"],
                photos=request.FILES.getlist("photos"),
                user=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error.messages[0])
        else:
            messages.success(request, "督导记录已登记")
            return redirect("tasks-visit", pk=visit.pk)
    return render(
        request,
        "tasks/visit_form.html",
        {"form": form, "group": group},
        status=400 if form.errors else 200,
    )


def _context(request: HttpRequest, visit: Visit, form: TaskForm) -> dict:
    tasks = visible_tasks(request.user).filter(source_kind=SourceKind.VISIT, source_id=visit.pk)
    return {
        "visit": visit,
        "photos": visit.photos.all(),
        "rows": rows_with_lights(tasks, today()),
        "form": form,
        "can_raise": can(request.user, Cap.DISPATCH),
    }


@require(Cap.VIEW)
def visit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    visit = _visit(request, pk)
    return render(
        request, "tasks/visit_detail.html", _context(request, visit, TaskForm(user=request.user))
    )


@require(Cap.DISPATCH)
@require_POST
@once
def visit_finding(request: HttpRequest, pk: int) -> HttpResponse:
    """A finding of the visit becomes a tracked task whose source is the visit."""
    visit = _visit(request, pk)
    form = TaskForm(request.POST, user=request.user)
    if form.is_valid():
        label = f"{visit.group.name}督导（{visit.visited_on:%Y-%m-%d}）"
        task = open_from_form(form, request.user, SourceKind.VISIT, visit.pk, label)
        if task:
            messages.success(request, f"督导发现问题已立项督办：{task.code}")
            return redirect("tasks-visit", pk=visit.pk)
    return render(request, "tasks/visit_detail.html", _context(request, visit, form), status=400)


@require(Cap.VIEW)
def visit_photo(request: HttpRequest, pk: int) -> FileResponse:
    photo = get_object_or_404(VisitPhoto, pk=pk)
    _visit(request, photo.visit_id)
    return FileResponse(photo.image.open("rb"), content_type=photo.content_type)
