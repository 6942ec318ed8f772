"""Result pages: schemes and runs, the ranking, a unit's breakdown, its rank history, and the
compute/publish actions.

Scope: the ranking (total, place, change, tier) of a published run is public to every viewer;
the item breakdown of a unit — figures, points, why and manual evidence — is shown only to
users whose scope holds that unit. Drafts are seen and published only by dispatch/admin.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from baozheng.assessment import services, standings
from baozheng.assessment.access import visible_run
from baozheng.assessment.forms import ComputeForm, period_from
from baozheng.assessment.jobs import start_compute
from baozheng.assessment.models import (
    Adjustment,
    FrozenError,
    ManualFigure,
    RankTargetRecord,
    Run,
    Scheme,
)
from baozheng.assessment.periods import PeriodError
from baozheng.org.models import Unit
from baozheng.org.permissions import can, check, in_scope, require
from baozheng.org.roles import Cap


@require(Cap.VIEW)
def index(request: HttpRequest) -> HttpResponse:
    runs = Run.objects.select_related("scheme")
    if not can(request.user, Cap.DISPATCH):
        runs = runs.filter(status=Run.Status.PUBLISHED)
    return render(
        request,
        "assessment/index.html",
        {
            "schemes": services.current_schemes(),
            "runs": runs[:50],
            "may_edit": can(request.user, Cap.DISPATCH),
            "compute_form": ComputeForm(),
        },
    )


@require(Cap.VIEW)
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = visible_run(request, pk)
    rows = list(run.rows.select_related("unit").prefetch_related("items"))
    full_view = all(in_scope(request.user, row.unit) for row in rows)
    columns = _columns(rows) if full_view else []
    targets = {
        r.unit_id: r.target
        for r in RankTargetRecord.objects.filter(scheme_code=run.scheme.code, year=run.period_year)
    }
    table = []
    for row in rows:
        target = targets.get(row.unit_id)
        by_key = {item.key: item.points for item in row.items.all()}
        table.append(
            {
                "row": row,
                "own": in_scope(request.user, row.unit),
                "target": target,
                "status": standings.rank_target_status(row.rank, target),
                "cells": [by_key.get(key) for key, _ in columns],
            }
        )
    before, changes = services.differences(run) if can(request.user, Cap.DISPATCH) else (None, [])
    return render(
        request,
        "assessment/run.html",
        {
            "run": run,
            "table": table,
            "columns": columns,
            "full_view": full_view,
            "may_edit": can(request.user, Cap.DISPATCH),
            "before": before,
            "changes": changes,
        },
    )


def _columns(rows) -> list[tuple[str, str]]:
    seen: dict[str, str] = {}
    for row in rows[:1]:
        for item in row.items.all():
            seen.setdefault(item.key, item.name)
    return list(seen.items())


@require(Cap.VIEW)
def unit_breakdown(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    run = visible_run(request, pk)
    unit = get_object_or_404(Unit, code=code)
    check(request.user, Cap.VIEW, unit)
    row = run.rows.filter(unit=unit).first()
    if row is None:
        raise Http404("该单位不在本次考评范围内")
    period = dict(
        period_kind=run.period_kind, period_year=run.period_year, period_month=run.period_month
    )
    return render(
        request,
        "assessment/unit.html",
        {
            "run": run,
            "row": row,
            "items": row.items.all(),
            "unit": unit,
            "rank_of": run.rows.filter(rank__isnull=False).count(),
            "figures": ManualFigure.objects.filter(unit=unit, **period).select_related(
                "entered_by"
            ),
            "adjustments": Adjustment.objects.filter(unit=unit, **period).select_related(
                "entered_by"
            ),
            "target": services.rank_target(unit, run.scheme.code, run.period_year),
        },
    )


@require(Cap.VIEW)
def unit_history(request: HttpRequest, code: str, scheme_code: str) -> HttpResponse:
    unit = get_object_or_404(Unit, code=code)
    check(request.user, Cap.VIEW, unit)
    scheme = Scheme.objects.filter(code=scheme_code).order_by("-version").first()
    if scheme is None:
        raise Http404("没有该考评方案")
    history = services.unit_history(unit, scheme_code)
    chart = {"periods": [h["period"] for h in history], "ranks": [h["rank"] for h in history]}
    return render(
        request,
        "assessment/history.html",
        {"unit": unit, "scheme": scheme, "history": history, "chart": chart},
    )


@require(Cap.DISPATCH)
@require_POST
def compute_run(request: HttpRequest, scheme_pk: int) -> HttpResponse:
    """The period is checked here; the computation runs as a background job whose page
    shows the items scored and then links to the draft run."""
    scheme = get_object_or_404(Scheme, pk=scheme_pk)
    form = ComputeForm(request.POST)
    try:
        if not form.is_valid():
            raise PeriodError("请填写期间")
        period = period_from(form.cleaned_data["period"], scheme.period_kind)
        services.check_period(scheme, period)
    except PeriodError as exc:
        messages.error(request, f"计算失败：{exc}")
        return redirect("assessment-index")
    except ValidationError as exc:
        messages.error(request, f"计算失败：{'；'.join(exc.messages)}")
        return redirect("assessment-index")
    job = start_compute(scheme, form.cleaned_data["period"], period, request.user)
    return redirect("job", pk=job.pk)


@require(Cap.DISPATCH)
@require_POST
def publish_run(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(Run, pk=pk)
    try:
        services.publish(run, request.user)
        messages.success(request, "已发布，结果已冻结")
    except FrozenError as exc:
        messages.error(request, str(exc))
    return redirect("assessment-run", pk=run.pk)
