"""Approval (审核): submitted figures awaiting the user, approve or return with a reason,
lock a period; one observation's history and its audited revision (修订)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from baozheng.analysis.periods import Period
from baozheng.lib.bounds import ids_param
from baozheng.lib.web import safe_next
from baozheng.monitor.context import parse_period
from baozheng.monitor.entry_checks import check_figures, entry_lines, parse_figure
from baozheng.monitor.progress import awaiting_review
from baozheng.org.permissions import check, in_scope, require
from baozheng.org.roles import Cap
from baozheng.reporting import approval
from baozheng.stats import workflow
from baozheng.stats.models import FINAL_STATUSES, Observation, ObservationRevision, Status


def _with_checks(observations: list[Observation]) -> list[dict]:
    """Each submitted figure with the warnings the clerk saw while typing."""
    items = []
    # The newest revision's id guards against concurrent actions; the newest submitted one
    # (not a step's record) holds the clerk's explanation, shown at every step of the chain.
    revisions = approval.newest_revisions(ObservationRevision.objects.all(), observations)
    explanations = approval.newest_revisions(approval.submitted_revisions(), observations)
    groups: dict[tuple, list[Observation]] = {}
    for obs in observations:
        groups.setdefault((obs.unit, obs.year, obs.month), []).append(obs)
    for (unit, year, month), group in groups.items():
        lines = {
            line.indicator.pk: line
            for line in entry_lines([o.indicator for o in group], unit, Period(year, month))
        }
        for obs in group:
            line = lines[obs.indicator_id]
            checked = check_figures(
                obs.indicator,
                obs.pending_value,
                obs.pending_growth,
                line.previous_value,
                line.previous_growth,
                line.last_year_value,
            )
            latest = revisions.get(obs.pk)
            submitted = explanations.get(obs.pk)
            items.append(
                {
                    "obs": obs,
                    "line": line,
                    "warnings": checked.warnings + checked.errors,
                    "revision": latest.pk if latest else "",
                    "explanation": submitted.reason if submitted else "",
                }
            )
    return items


def seen_revision(data, obs: Observation) -> int | None:
    """The revision id the page showed for this observation (None: an older page)."""
    text = data.get(f"rev-{obs.pk}", "")
    return int(text) if text.isdigit() else None


@require(Cap.APPROVE)
def review(request: HttpRequest) -> HttpResponse:
    queryset = awaiting_review(request.user).select_related(
        "indicator__department", "unit", "updated_by"
    )
    period_text = request.GET.get("period")
    period = parse_period(period_text, None) if period_text else None
    if period:
        queryset = queryset.filter(year=period.year, month=period.month)
    observations = list(
        queryset.order_by("-year", "-month", "unit__path", "indicator__order", "indicator__code")[
            :500
        ]
    )
    observations = approval.actionable(request.user, observations)
    return render(
        request, "monitor/review.html", {"items": _with_checks(observations), "period": period}
    )


@require(Cap.APPROVE)
@require_POST
def review_action(request: HttpRequest) -> HttpResponse:
    ids = ids_param(request.POST.getlist("obs"))
    action = request.POST.get("action")
    reason = request.POST.get("reason", "").strip()
    chosen = list(
        awaiting_review(request.user)
        .filter(pk__in=ids)
        .select_related("indicator", "unit")
        .order_by("pk")  # every reviewer locks rows in the same order: no deadlock
    )
    if not chosen:
        messages.error(request, "请先勾选要处理的数据")
        return redirect(safe_next(request, reverse("monitor-review")))
    if action == "return" and not reason:
        messages.error(request, "退回须说明理由")
        return redirect(safe_next(request, reverse("monitor-review")))
    if action == "return":
        try:
            workflow.check_reason(reason, "退回理由")
        except workflow.WorkflowError as error:
            messages.error(request, str(error))
            return redirect(safe_next(request, reverse("monitor-review")))
    done, passed, failed = 0, 0, []
    for obs in chosen:
        try:
            seen = seen_revision(request.POST, obs)
            if action == "return":
                workflow.return_for_correction(request.user, obs, reason, seen)
            else:
                if workflow.approve(request.user, obs, seen).status == Status.SUBMITTED:
                    passed += 1
                    continue
            done += 1
        except (workflow.WorkflowError, PermissionDenied) as error:
            failed.append(f"{obs.unit.name}{obs.indicator.name}：{error}")
    verb = "退回" if action == "return" else "审核通过"
    messages.success(request, f"已{verb} {done} 项")
    if passed:
        messages.success(request, f"已通过本级审核 {passed} 项，转下一步审核")
    for text in failed:
        messages.error(request, text)
    return redirect(safe_next(request, reverse("monitor-review")))


@require(Cap.APPROVE)
@require_POST
def lock(request: HttpRequest) -> HttpResponse:
    period = parse_period(request.POST.get("period"), None)
    result = workflow.lock_period(request.user, period.year, period.month)
    messages.success(
        request,
        f"{period.label}已锁定 {result.locked} 项；仍有 {result.still_pending} 项待审核或待填报",
    )
    return redirect(reverse("monitor-review"))


@require(Cap.VIEW)
def observation_page(request: HttpRequest, pk: int) -> HttpResponse:
    """Every revision of one figure; approvers correct approved figures here with a reason."""
    obs = get_object_or_404(Observation.objects.select_related("indicator", "unit"), pk=pk)
    if not in_scope(request.user, obs.unit):
        raise PermissionDenied("您没有权限查看该数据")
    may_revise = obs.status in FINAL_STATUSES and workflow.can_approve(
        request.user, obs.indicator, obs.unit
    )
    if request.method == "POST":
        check(request.user, Cap.APPROVE, obs.unit)
        try:
            value = parse_figure(request.POST.get("value", ""))
            growth = parse_figure(request.POST.get("growth", ""))
            workflow.revise(
                request.user,
                obs,
                value,
                growth,
                request.POST.get("reason", ""),
                seen_revision(request.POST, obs),
            )
        except (ValueError, workflow.WorkflowError) as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "已修订，修订理由已记入历史")
            return redirect(reverse("monitor-observation", args=[obs.pk]))
    revisions = obs.revisions.select_related("created_by", "batch").order_by("-created_at", "-id")
    return render(
        request,
        "monitor/observation.html",
        {
            "obs": obs,
            "revisions": revisions,
            "may_revise": may_revise,
            "period": Period(obs.year, obs.month),
            "latest_revision": workflow.latest_revision_id(obs) or "",
        },
    )
