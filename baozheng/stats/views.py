from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from baozheng.lib.tabular import ImportFileError
from baozheng.org.permissions import can, require
from baozheng.org.roles import Cap
from baozheng.stats.forms import ImportForm
from baozheng.stats.imports import KINDS, run_import
from baozheng.stats.models import ImportBatch

MAX_ERRORS_SHOWN = 500
KIND_CAPS = {
    "units": Cap.MANAGE,
    "indicators": Cap.MANAGE,
    "targets": Cap.DISPATCH,
    "observations": Cap.ENTER,
}


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
            report = run_import(
                data["kind"],
                upload.read(),
                upload.name,
                request.user,
                dry_run=data["dry_run"],
                reason=data["reason"],
                channel="web",
                indicator=data["indicator"],
                period=data["period"],
            )
        except ImportFileError as exc:
            problem = str(exc)
    batches = ImportBatch.objects.filter(user=request.user).order_by("-created_at")[:10]
    return render(
        request,
        "stats/import.html",
        {
            "form": form,
            "report": report,
            "kind_labels": [KINDS[k] for k in kinds],
            "problem": problem,
            "kinds": kinds,
            "batches": batches,
            "errors": report.errors[:MAX_ERRORS_SHOWN] if report else [],
        },
    )
