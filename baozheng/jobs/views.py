"""The page of a job: its progress while it runs, its result when it is done, and a
retry when it failed. A job is seen by the person who started it, by those whose request
joined it (the same document asked for at the same time) and by administrators."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from baozheng.jobs import runner
from baozheng.jobs.kinds import KINDS
from baozheng.jobs.models import Job, JobState
from baozheng.jobs.progress import live
from baozheng.lib.progress import STAGES, STEPS
from baozheng.org.permissions import can
from baozheng.org.roles import Cap

STAGE_LABELS = {"read": "已读取", "checked": "已检查", "written": "已写入"}


def visible_job(request: HttpRequest, pk) -> Job:
    job = get_object_or_404(Job, pk=pk)
    user = request.user
    allowed = (
        job.user_id == user.pk or can(user, Cap.MANAGE) or job.joined.filter(pk=user.pk).exists()
    )
    if not allowed:
        raise PermissionDenied("只有发起该任务的用户和管理员可以查看")
    return job


def _bar(label: str, done: int | None, total: int | None) -> dict:
    done = done or 0
    return {
        "label": label,
        "done": done,
        "percent": min(100, round(100 * done / total)) if total else 0,
    }


def _context(job: Job) -> dict:
    kind = KINDS[job.kind]
    figures = {stage: getattr(job, stage) for stage in (*STAGES, STEPS)} | {"total": job.total}
    if not job.finished:
        figures |= {k: v for k, v in live(job.pk).items() if v is not None}
    total = figures["total"]
    if kind.step:
        stages = [_bar(kind.step, figures[STEPS], total)]
    else:
        stages = [_bar(STAGE_LABELS[stage], figures[stage], total) for stage in STAGES]
    return {
        "job": job,
        "kind": kind,
        "stages": stages,
        "total": total,
        "result": job.result,
        "may_retry": kind.retry and job.state == JobState.FAILED,
    }


@login_required
def job_page(request: HttpRequest, pk) -> HttpResponse:
    return render(request, "jobs/job.html", _context(visible_job(request, pk)))


@login_required
def job_progress(request: HttpRequest, pk) -> HttpResponse:
    """The progress block alone, polled by the page (htmx) until the job has finished."""
    return render(request, "jobs/progress.html", _context(visible_job(request, pk)))


@login_required
@require_POST
def job_retry(request: HttpRequest, pk) -> HttpResponse:
    job = visible_job(request, pk)
    if not (KINDS[job.kind].retry and job.state == JobState.FAILED):
        raise PermissionDenied("该任务不能重试")
    return redirect("job", pk=runner.retry(job, request.user).pk)
