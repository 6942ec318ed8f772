"""Registering a project and changing its registry (登记信息) on a page.

The fields are judged by the import's rules (`registry.parse_registry`, through
`forms.RegistryForm`) and written by the import's write (`registry.save_registry`);
django-auditlog records each change with the signed-in user as actor."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from baozheng.lib.once import once
from baozheng.lib.races import saved
from baozheng.org.permissions import require
from baozheng.org.roles import Cap
from baozheng.projects.facts import can_maintain
from baozheng.projects.forms import RegistryForm
from baozheng.projects.models import Batch, Project
from baozheng.projects.registry import registry_texts, save_registry


def _render(request: HttpRequest, form: RegistryForm, project: Project | None) -> HttpResponse:
    return render(
        request,
        "projects/registry_form.html",
        {
            "form": form,
            "project": project,
            "batch_names": Batch.objects.values_list("name", flat=True),
        },
    )


@require(Cap.ENTER)
@once
def create(request: HttpRequest) -> HttpResponse:
    form = RegistryForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST" and form.is_valid() and form.entry is not None:
        entry = form.entry
        stored = saved(form, lambda: save_registry(None, entry.values, entry.batch))
        if stored is None:
            return _render(request, form, None)
        project = stored[0]
        messages.success(request, f"已登记项目 {project.code} {project.name}。")
        return redirect("projects-detail", pk=project.pk)
    return _render(request, form, None)


@require(Cap.ENTER)
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_object_or_404(
        Project.objects.select_related("county", "department", "lead_unit", "leader"), pk=pk
    )
    if not can_maintain(request.user, project.county, project.department):
        raise PermissionDenied("您没有权限修改该项目的登记信息")
    form = RegistryForm(
        request.POST if request.method == "POST" else None,
        user=request.user,
        project=project,
        initial=registry_texts(project),
    )
    if request.method == "POST" and form.is_valid() and form.entry is not None:
        entry = form.entry
        stored = saved(form, lambda: save_registry(project, entry.values, entry.batch))
        if stored is None:
            return _render(request, form, project)
        changed = stored[2]
        messages.success(request, "已保存登记信息。" if changed else "登记信息没有变化。")
        return redirect("projects-detail", pk=project.pk)
    return _render(request, form, project)
