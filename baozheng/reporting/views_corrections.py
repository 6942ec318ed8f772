"""Correction requests (更正申请): clerks ask for late or corrected figures of a closed or
released period; approvers of the indicator accept or reject them."""

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
from baozheng.reporting.corrections import decide, may_decide, request_correction
from baozheng.reporting.forms import CorrectionForm
from baozheng.reporting.models import CorrectionRequest
from baozheng.stats.workflow import WorkflowError


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
    items = list(
        CorrectionRequest.objects.filter(scope_q(request.user, "unit")).select_related(
            "indicator", "unit", "requested_by", "decided_by"
        )[:200]
    )
    for item in items:
        item.period = Period(item.year, item.month)
        item.may_decide = item.state == "pending" and may_decide(request.user, item)
    return render(request, "reporting/corrections.html", {"items": items, "form": form})


@require(Cap.APPROVE)
@require_POST
def correction_decide(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(CorrectionRequest.objects.select_related("indicator", "unit"), pk=pk)
    if not may_decide(request.user, item):
        raise PermissionDenied("您没有权限审批该更正申请")
    action = request.POST.get("action")
    if action not in ("accept", "reject"):
        raise Http404("未知的操作")
    try:
        released = decide(request.user, item, action == "accept", request.POST.get("note", ""))
    except WorkflowError as error:
        messages.error(request, str(error))
    else:
        text = "已采纳更正申请" if action == "accept" else "已驳回更正申请"
        for release in released:
            text += f"；已发布{release.parent.name}通报第{release.version}版"
        messages.success(request, text)
    return redirect(reverse("reporting-corrections"))
