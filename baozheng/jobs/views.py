"""The page of a job: its progress while it runs, its result when it is done. Only the
person who started a job sees it."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from baozheng.jobs.models import Job
from baozheng.jobs.progress import live
from baozheng.lib.progress import STAGES

STAGE_LABELS = {"read": "已读取", "checked": "已检查", "written": "已写入"}


def _context(job: Job) -> dict:
    figures = {stage: getattr(job, stage) for stage in STAGES} | {"total": job.total}
    if not job.finished:
        figures |= {k: v for k, v in live(job.pk).items() if v is not None}
    total = figures["total"]
    stages = [
        {
            "label": STAGE_LABELS[stage],
            "done": figures[stage] or 0,
            "percent": min(100, round(100 * (figures[stage] or 0) / total)) if total else 0,
        }
        for stage in STAGES
    ]
    return {"job": job, "stages": stages, "total": total, "result": job.result}


@login_required
def job_page(request: HttpRequest, pk) -> HttpResponse:
    job = get_object_or_404(Job, pk=pk, user=request.user)
    return render(request, "jobs/job.html", _context(job))


@login_required
def job_progress(request: HttpRequest, pk) -> HttpResponse:
    """The progress block alone, polled by the page (htmx) until the job has finished."""
    job = get_object_or_404(Job, pk=pk, user=request.user)
    return render(request, "jobs/progress.html", _context(job))
