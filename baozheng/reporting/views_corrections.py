"""Correction requests (更正申请): clerks ask for late or corrected figures of a closed or
released period; they pass the form's approval chain step by step (the page shows the
step each one waits at and the decisions so far)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from baozheng.analysis.periods import Period
from baozheng.lib.once import once
from baozheng.monitor.entry_checks import parse_figure
from baozheng.monitor.progress import reporting_units
from baozheng.org.models import Unit
from baozheng.org.permissions import can, require, scope_q
from baozheng.org.roles import Cap
from baozheng.reporting.approval import form_chain
from baozheng.reporting.corrections import (
    current_step,
    decide,
    may_decide,
    request_correction,
    withdraw,
)
from baozheng.reporting.forms import CorrectionForm
from baozheng.reporting.models import CorrectionRequest, CorrectionState
from baozheng.reporting.obligations import obligations
from baozheng.stats.workflow import WorkflowError, can_approve

DECIDED_SHOWN = 200  # decided requests listed, newest first; each stays in the audit log


@require(Cap.VIEW)
@once
def corrections_page(request: HttpRequest) -> HttpResponse:
    may_request = can(request.user, Cap.ENTER)
    units = Unit.objects.filter(pk__in=[u.pk for u in reporting_units(request.user)])
    form = CorrectionForm(request.POST or None, units=units) if may_request else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied("您没有权限提交更正申请")
        if form.is_valid():
            data = form.cleaned_data
            try:
                period = Period.parse(data["period"])
                request_correction(
                    request.user,
                    data["indicator"],
                    data["unit"],
                    period,
                    parse_figure(data["value"]),
                    parse_figure(data["growth"]),
                    data["reason"],
                )
            except (ValueError, WorkflowError) as error:
                messages.error(request, str(error))
            else:
                messages.success(request, "更正申请已提交，待审核人员审批")
                return redirect(reverse("reporting-corrections"))
    in_scope = (
        CorrectionRequest.objects.filter(scope_q(request.user, "unit"))
        .select_related("indicator", "unit", "requested_by", "decided_by")
        .prefetch_related("decisions__decided_by")
    )
    # Every waiting request (at most one per figure), then the latest decided ones: a
    # plain "latest 200" hid a request still waiting behind 200 newer ones.
    waiting = list(in_scope.filter(state=CorrectionState.PENDING))
    decided = list(in_scope.exclude(state=CorrectionState.PENDING)[: DECIDED_SHOWN + 1])
    items = waiting + decided[:DECIDED_SHOWN]
    owed: dict[tuple[int, int, int], dict] = {}
    for item in items:
        item.period = Period(item.year, item.month)
        key = (item.unit_id, item.year, item.month)
        if key not in owed:
            owed[key] = obligations([item.unit], item.period)
        item.steps = form_chain(item.indicator, item.unit, item.period, owed[key])
        item.step = current_step(item, item.steps)
        item.is_last = item.step is None or item.step == item.steps[-1]
        pending = item.state == CorrectionState.PENDING
        item.may_decide = pending and may_decide(request.user, item, item.steps)
    return render(
        request,
        "reporting/corrections.html",
        {
            "items": items,
            "form": form,
            "decided_cut": len(decided) > DECIDED_SHOWN,
            "decided_shown": DECIDED_SHOWN,
        },
    )


@require(Cap.APPROVE)
@require_POST
def correction_decide(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(CorrectionRequest.objects.select_related("indicator", "unit"), pk=pk)
    if not can_approve(request.user, item.indicator, item.unit):
        raise PermissionDenied("您没有权限审批该更正申请")
    # The step and the requester are checked by `decide`, after a stale page's conflict.
    action = request.POST.get("action")
    if action not in ("accept", "reject"):
        raise Http404("未知的操作")
    stage = request.POST.get("stage", "")
    try:
        released = decide(
            request.user,
            item,
            action == "accept",
            request.POST.get("note", ""),
            seen_stage=int(stage) if stage.isdigit() else None,
        )
    except WorkflowError as error:
        messages.error(request, str(error))
    else:
        item.refresh_from_db()
        decision = item.decisions.order_by("-id").first()
        if item.state == CorrectionState.PENDING:
            text = f"已通过{decision.step_name}，转下一步审核"
        elif item.state == CorrectionState.ACCEPTED:
            text = "已采纳更正申请，更正已生效"
        else:
            text = "已驳回更正申请"
        for release in released:
            text += f"；已发布{release.parent.name}通报第{release.version}版"
        messages.success(request, text)
    return redirect(reverse("reporting-corrections"))


@require(Cap.VIEW)
@require_POST
def correction_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """The requester takes back a pending request (`corrections.withdraw` says who may)."""
    item = get_object_or_404(CorrectionRequest, pk=pk)
    try:
        withdraw(request.user, item)
    except WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "已撤回更正申请，可重新提交")
    return redirect(reverse("reporting-corrections"))
