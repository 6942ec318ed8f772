from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from baozheng.lib.tabular import ImportFileError
from baozheng.org.models import Unit
from baozheng.org.permissions import can, check, in_scope, primary_unit, require, visible_units
from baozheng.org.roles import Cap
from baozheng.stats.decomposition import decomposition_lines
from baozheng.stats.forms import ImportForm
from baozheng.stats.imports import KINDS, run_import
from baozheng.stats.models import ImportBatch, Target

MAX_ERRORS_SHOWN = 500
KIND_CAPS = {"units": Cap.MANAGE, "indicators": Cap.MANAGE, "targets": Cap.DISPATCH, "observations": Cap.ENTER}


@require(Cap.ENTER)
def import_upload(request: HttpRequest) -> HttpResponse:
    """Upload a file; the report (with row errors) is shown on the same page."""
    report = problem = None
    form = ImportForm(request.POST or None, request.FILES or None)
    kinds = [k for k, cap in KIND_CAPS.items() if can(request.user, cap)]
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["kind"] not in kinds:
            raise PermissionDenied("您没有导入该类数据的权限")
        upload = data["file"]
        try:
            report = run_import(data["kind"], upload.read(), upload.name, request.user, dry_run=data["dry_run"],
                                reason=data["reason"], channel="web", indicator=data["indicator"],
                                period=data["period"])
        except ImportFileError as exc:
            problem = str(exc)
    batches = ImportBatch.objects.filter(user=request.user).order_by("-created_at")[:10]
    return render(request, "stats/import.html", {
        "form": form, "report": report, "kind_labels": [KINDS[k] for k in kinds], "problem": problem, "kinds": kinds, "batches": batches,
        "errors": report.errors[:MAX_ERRORS_SHOWN] if report else [],
    })


@require(Cap.VIEW)
def targets(request: HttpRequest) -> HttpResponse:
    """The year's targets of a unit and whether its children's targets add up to them."""
    parent = _parent_from(request)
    year = _year_from(request)
    return render(request, "stats/targets.html", {
        "parent": parent, "year": year, "lines": decomposition_lines(parent, year),
        "years": Target.objects.filter(unit=parent).values_list("year", flat=True).distinct().order_by("-year"),
        "parents": visible_units(request.user).filter(peer_groups__partitions=True).distinct(),
    })


def _parent_from(request: HttpRequest) -> Unit:
    code = request.GET.get("parent")
    unit = Unit.objects.filter(code=code).first() if code else None
    if unit is None:
        home = Unit.objects.home()
        unit = home if in_scope(request.user, home) else primary_unit(request.user)
    check(request.user, Cap.VIEW, unit)
    return unit


def _year_from(request: HttpRequest) -> int:
    try:
        return int(request.GET["year"])
    except (KeyError, ValueError):
        latest = Target.objects.order_by("-year").values_list("year", flat=True).first()
        return latest or timezone.localdate().year
