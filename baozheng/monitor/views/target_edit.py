"""Setting and changing targets by hand, with their history (目标设定与调整).

Who may: the dispatch office and admins (`Cap.DISPATCH`) for units in their scope, as
for the targets import; everyone who may view a unit sees its targets and their history.
Every save or removal writes a `TargetRevision` with who, when and why."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from baozheng.lib.bounds import overlong
from baozheng.lib.once import once
from baozheng.lib.races import saved
from baozheng.monitor.target_forms import TargetForm
from baozheng.org.permissions import can, check, require
from baozheng.org.roles import Cap
from baozheng.stats.models import Target, TargetRevision
from baozheng.stats.targets import history, remove_target, save_target


def _targets_url(target: Target) -> str:
    return f"{reverse('monitor-targets')}?parent={target.unit.code}&year={target.year}"


@require(Cap.DISPATCH)
@once
def target_new(request: HttpRequest) -> HttpResponse:
    form = TargetForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        reason = form.cleaned_data["reason"]
        target = saved(form, lambda: save_target(request.user, form.save(commit=False), reason))
        if target is not None:
            messages.success(request, f"已设定目标：{target}")
            return redirect("monitor-target", target.pk)
    return render(request, "monitor/target_form.html", {"form": form})


@require(Cap.VIEW)
def target_page(request: HttpRequest, pk: int) -> HttpResponse:
    """One target: its tiers, its history, and (for the dispatch office) the edit form."""
    target = get_object_or_404(
        Target.objects.select_related("indicator", "unit", "responsible_unit"), pk=pk
    )
    check(request.user, Cap.VIEW, target.unit)
    editable = can(request.user, Cap.DISPATCH, target.unit)
    form = None
    if editable:
        form = TargetForm(request.POST or None, instance=target, user=request.user)
        if request.method == "POST" and form.is_valid():
            if not form.has_changed() or form.changed_data == ["reason"]:
                messages.info(request, "目标没有变化")
            else:
                save_target(request.user, form.save(commit=False), form.cleaned_data["reason"])
                messages.success(request, "目标已调整，原目标保留在历史中")
            return redirect("monitor-target", target.pk)
    elif request.method == "POST":
        raise PermissionDenied("您没有调整该目标的权限")
    return render(
        request,
        "monitor/target_detail.html",
        {
            "target": target,
            "versions": list(reversed(history(target))),
            "form": form,
            "back": _targets_url(target),
        },
    )


@require_POST
@require(Cap.DISPATCH)
def target_remove(request: HttpRequest, pk: int) -> HttpResponse:
    target = get_object_or_404(Target.objects.select_related("unit"), pk=pk)
    check(request.user, Cap.DISPATCH, target.unit)
    reason = request.POST.get("reason", "").strip()
    if not reason:
        messages.error(request, "删除目标须填写理由")
        return redirect("monitor-target", target.pk)
    if message := overlong(reason, TargetRevision, "reason", "删除理由"):
        messages.error(request, message)
        return redirect("monitor-target", target.pk)
    back = _targets_url(target)
    remove_target(request.user, target, reason)
    messages.success(request, "目标已删除，历史记录保留")
    return redirect(back)
