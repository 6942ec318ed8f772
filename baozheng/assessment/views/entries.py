"""Entering what no other part of the product holds: manual figures with evidence (county and
department staff, within their scope), bonus/penalty entries (dispatch/admin only, since they
move a ranking), and rank targets. Lists show only rows in the user's scope, so a county
never sees another county's manual entries."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from baozheng.assessment.forms import AdjustmentForm, ManualFigureForm, RankTargetForm
from baozheng.assessment.models import Adjustment, ManualFigure, RankTargetRecord
from baozheng.lib.bounds import id_param
from baozheng.lib.once import once
from baozheng.lib.races import saved
from baozheng.lib.uploads import serve_upload
from baozheng.org.permissions import can, check, require, scoped, visible_units
from baozheng.org.roles import Cap

# Rows per page of the two lists: every stored row is reachable (a plain "first 200" hid
# the rest, and the assessment still counts them).
PAGE_SIZE = 100


@require(Cap.VIEW)
@once
def manual_figures(request: HttpRequest) -> HttpResponse:
    units = visible_units(request.user)
    form = None
    if request.method == "POST":
        check(request.user, Cap.ENTER)
        form = ManualFigureForm(request.POST, request.FILES, units=units)
        if form.is_valid():
            data = form.cleaned_data
            check(request.user, Cap.ENTER, data["unit"])
            _replace(form, request.user)
            messages.success(request, "已保存手工数据")
            return redirect("assessment-figures")
    elif can(request.user, Cap.ENTER):
        form = ManualFigureForm(units=units)
    rows = scoped(ManualFigure.objects.select_related("unit", "entered_by"), request.user).order_by(
        "key", "unit__path", "-period_year", "-period_month", "pk"
    )
    return render(
        request,
        "assessment/figures.html",
        {"form": form, "page": Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))},
        status=400 if form is not None and form.errors else 200,
    )


def _replace(form: ManualFigureForm, user) -> ManualFigure:
    """The figure as entered; one already stored for the same item, unit and period is
    replaced (a correction; the audit log keeps the old one), also when another person
    entered it a moment ago: the later entry wins, as it would a second later."""
    figure = form.save(commit=False)
    figure.entered_by = user
    same = ManualFigure.objects.filter(
        key=figure.key,
        unit=figure.unit,
        period_kind=figure.period_kind,
        period_year=figure.period_year,
        period_month=figure.period_month,
    ).values_list("pk", flat=True)
    figure.pk = same.first()
    try:
        with transaction.atomic():
            figure.save()
    except IntegrityError:  # entered meanwhile: replace that one
        figure.pk = same.first()
        figure.save()
    return figure


@require(Cap.VIEW)
@once
def adjustments(request: HttpRequest) -> HttpResponse:
    units = visible_units(request.user)
    form = None
    if request.method == "POST":
        check(request.user, Cap.DISPATCH)
        form = AdjustmentForm(request.POST, request.FILES, units=units)
        if form.is_valid():
            check(request.user, Cap.DISPATCH, form.cleaned_data["unit"])
            entry = form.save(commit=False)
            entry.entered_by = request.user
            entry.save()
            messages.success(request, f"已记录{entry.get_kind_display()}")
            return redirect("assessment-adjustments")
    elif can(request.user, Cap.DISPATCH):
        form = AdjustmentForm(units=units)
    rows = scoped(Adjustment.objects.select_related("unit", "entered_by"), request.user).order_by(
        "-entered_at", "-pk"
    )
    return render(
        request,
        "assessment/adjustments.html",
        {"form": form, "page": Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))},
        status=400 if form is not None and form.errors else 200,
    )


@require(Cap.VIEW)
def rank_targets(request: HttpRequest) -> HttpResponse:
    units = visible_units(request.user)
    form = None
    if request.method == "POST":
        check(request.user, Cap.DISPATCH)
        # entering a target again for the same unit, scheme and year replaces it
        unit_pk, year = request.POST.get("unit", ""), request.POST.get("year", "")
        existing = None
        if id_param(unit_pk) and id_param(year):
            existing = RankTargetRecord.objects.filter(
                unit__in=units,
                unit__pk=unit_pk,
                scheme_code=request.POST.get("scheme_code", ""),
                year=year,
            ).first()
        form = RankTargetForm(request.POST, instance=existing, units=units)
        if form.is_valid() and saved(form) is not None:
            messages.success(request, "已保存位次目标")
            return redirect("assessment-targets")
    elif can(request.user, Cap.DISPATCH):
        form = RankTargetForm(units=units)
    rows = scoped(RankTargetRecord.objects.select_related("unit"), request.user)
    return render(
        request,
        "assessment/targets.html",
        {"form": form, "rows": rows},
        status=400 if form is not None and form.errors else 200,
    )


@require(Cap.VIEW)
def evidence(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """An evidence file, for those who may see the figure or adjustment it supports."""
    models = {"figure": ManualFigure, "adjustment": Adjustment}
    if kind not in models:
        raise Http404("没有这类附件")
    entry = get_object_or_404(scoped(models[kind].objects.all(), request.user), pk=pk)
    return serve_upload(request, entry.evidence_file)
