"""A form's approval chain on its page: administrators and the dispatch office add,
remove and reorder steps (each a name and the approving role); `chains` refuses a
change while figures or correction requests are part-way along the chain."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from baozheng.lib.once import once
from baozheng.org.permissions import require
from baozheng.org.roles import Cap
from baozheng.reporting import chains
from baozheng.reporting.forms import StepForm
from baozheng.reporting.models import FormStep, ReportForm
from baozheng.reporting.views_forms import require_manager


def _back(form_pk: int) -> HttpResponse:
    return redirect(reverse("reporting-form", args=[form_pk]) + "#chain")


@require(Cap.VIEW)
@once
@require_POST
def step_add(request: HttpRequest, pk: int) -> HttpResponse:
    require_manager(request.user)
    form = get_object_or_404(ReportForm, pk=pk)
    editor = StepForm(request.POST)
    if not editor.is_valid():
        for errors in editor.errors.values():
            messages.error(request, "；".join(errors))
        return _back(form.pk)
    try:
        data = editor.cleaned_data
        step = chains.add_step(form, data["name"], data["role"], data["level"])
    except chains.ChainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"已添加第{step.order}步“{step.name}”")
    return _back(form.pk)


@require(Cap.VIEW)
@require_POST
def step_remove(request: HttpRequest, pk: int) -> HttpResponse:
    require_manager(request.user)
    step = get_object_or_404(FormStep.objects.select_related("form"), pk=pk)
    try:
        chains.remove_step(step)
    except chains.ChainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"已删除审核步骤“{step.name}”")
    return _back(step.form_id)


@require(Cap.VIEW)
@require_POST
def step_move(request: HttpRequest, pk: int) -> HttpResponse:
    require_manager(request.user)
    step = get_object_or_404(FormStep.objects.select_related("form"), pk=pk)
    offsets = {"up": -1, "down": 1}
    if request.POST.get("direction") not in offsets:
        raise Http404("未知的操作")
    try:
        chains.move_step(step, offsets[request.POST["direction"]])
    except chains.ChainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"已调整“{step.name}”的顺序")
    return _back(step.form_id)
