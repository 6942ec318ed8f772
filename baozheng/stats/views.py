from __future__ import annotations

from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from baozheng.jobs.models import Job
from baozheng.jobs.tasks import import_file, upload_dir
from baozheng.org.permissions import can, require
from baozheng.org.roles import Cap
from baozheng.stats.forms import ImportForm
from baozheng.stats.imports import KINDS
from baozheng.stats.models import ImportBatch

KIND_CAPS = {
    "units": Cap.MANAGE,
    "indicators": Cap.MANAGE,
    "targets": Cap.DISPATCH,
    "observations": Cap.ENTER,
}


@require(Cap.ENTER)
def import_upload(request: HttpRequest) -> HttpResponse:
    """Upload a file; the import runs as a background job whose page shows its progress
    (rows read, checked, written) and then the report with the row errors."""
    form = ImportForm(request.POST or None, request.FILES or None)
    kinds = [k for k, cap in KIND_CAPS.items() if can(request.user, cap)]
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["kind"] not in kinds:
            raise PermissionDenied("您没有导入该类数据的权限")
        job = start_import(request.user, data)
        return redirect("job", pk=job.pk)
    batches = ImportBatch.objects.filter(user=request.user).order_by("-created_at")[:10]
    jobs = Job.objects.filter(user=request.user, kind="import")[:10]
    return render(
        request,
        "stats/import.html",
        {
            "form": form,
            "kind_labels": [KINDS[k] for k in kinds],
            "kinds": kinds,
            "batches": batches,
            "jobs": jobs,
        },
    )


def start_import(user, data: dict) -> Job:
    """Keep the upload where every job worker can read it, record the job, queue it."""
    upload = data["file"]
    file_name = Path(upload.name).name or "upload"
    verb = "试导入" if data["dry_run"] else "导入"
    job = Job.objects.create(
        kind="import",
        title=f"{verb}{KINDS[data['kind']]}：{file_name}"[:200],
        user=user,
        params={
            "kind": data["kind"],
            "file_name": file_name,
            "dry_run": data["dry_run"],
            "reason": data["reason"],
            "indicator": data["indicator"],
            "period": data["period"],
        },
    )
    folder = upload_dir(job.pk)
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / file_name, "wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    transaction.on_commit(lambda: import_file.enqueue(str(job.pk)))
    return job
